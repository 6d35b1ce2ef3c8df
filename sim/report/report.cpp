#include "sim/report/report.hpp"

#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <mutex>
#include <numeric>
#include <optional>

#include "sim/core/errors.hpp"
#include "sim/report/sorted_runs.hpp"
#include "sim/stats/conditional_rate.hpp"
#include "sim/stats/cox.hpp"
#include "sim/stats/cox_robust.hpp"
#include "sim/stats/kaplan_meier.hpp"
#include "sim/stats/km_workspace.hpp"
#include "sim/stats/log_rank.hpp"
#include "sim/stats/monte_carlo.hpp"
#include "sim/stats/paired.hpp"
#include "sim/stats/streaming_km.hpp"

namespace mmsim::report {
namespace {

// Workspaces for the arms' fits, lent to one arm at a time and returned, so that each fit refills the pages
// an earlier one faulted in (km_workspace.hpp). A pool rather than one per thread: a thread waiting in the
// nested loop over strategies may run another arm meanwhile.
class WorkspacePool {
 public:
  std::unique_ptr<stats::KmWorkspace> acquire() {
    const std::lock_guard lock(mutex_);
    if (free_.empty()) return std::make_unique<stats::KmWorkspace>();
    std::unique_ptr<stats::KmWorkspace> w = std::move(free_.back());
    free_.pop_back();
    return w;
  }
  void release(std::unique_ptr<stats::KmWorkspace> w) noexcept {
    const std::lock_guard lock(mutex_);
    try {
      free_.push_back(std::move(w));
    } catch (...) {  // out of memory: the workspace is freed instead of kept
    }
  }

 private:
  std::mutex mutex_;
  std::vector<std::unique_ptr<stats::KmWorkspace>> free_;
};

// One strategy's columns of one endpoint and its Kaplan-Meier curve with each patient's row in it: the
// single sort every summary, comparison and influence vector of this arm is computed from. The curve is
// built in a workspace of the pool and its buffers go back there with the workspace when the arm ends.
class Arm {
 public:
  explicit Arm(WorkspacePool& pool) : pool_(&pool), workspace_(pool.acquire()) {}
  ~Arm() {
    stats::recycle(*workspace_, std::move(fit));
    pool_->release(std::move(workspace_));
  }
  Arm(const Arm&) = delete;
  Arm& operator=(const Arm&) = delete;

  stats::SurvivalSample sample() const { return columns; }
  stats::KmWorkspace& workspace() { return *workspace_; }

  std::vector<double> time;  // a copy of the columns, for a source that does not hold them in memory
  std::vector<std::uint8_t> event;
  stats::SurvivalSample columns;  // the source's columns in place, or the copy
  stats::KaplanMeierRows fit;

 private:
  WorkspacePool* pool_;
  std::unique_ptr<stats::KmWorkspace> workspace_;
};

// Each patient's row is needed only by the paired comparisons (influence values, the robust Cox variance):
// a report of one strategy builds the curve alone. The pointwise limits of the few rows the summaries read
// are computed when read (step tables, median).
void load(Arm& arm, const ColumnSource& source, std::size_t strategy, const std::string& endpoint,
          double conf_level, bool with_rows = true) {
  if (const std::optional<stats::SurvivalSample> view = source.endpoint_view(strategy, endpoint)) {
    arm.columns = *view;
  } else {
    source.endpoint(strategy, endpoint, arm.time, arm.event);
    arm.columns = {arm.time, arm.event};
  }
  constexpr auto ci_rows = stats::PointwiseCiRows::on_demand;
  if (with_rows) {
    arm.fit = stats::kaplan_meier_with_rows(arm.sample(), conf_level, ci_rows, arm.workspace());
  } else {
    arm.fit.km = stats::kaplan_meier(arm.sample(), conf_level, ci_rows, arm.workspace());
  }
}

EndpointSummary summarize(const std::string& name, const Arm& arm, double tau, const ReportOptions& opt) {
  EndpointSummary s;
  s.endpoint = name;
  s.rmst_horizon = tau;
  const stats::KaplanMeier& km = arm.fit.km;
  s.steps = km_steps(name, km);
  s.n = km.n;
  for (const auto d : km.n_event) s.events += static_cast<std::uint64_t>(d);
  for (const double t : opt.landmarks) {
    const stats::LandmarkSurvival l = km.n == 0 ? stats::LandmarkSurvival{} : stats::survival_at(km, t);
    if (km.n == 0 || l.beyond_follow_up) {
      s.survival.push_back({t, kNaN, kNaN, kNaN, kNaN});
    } else {
      s.survival.push_back({t, l.surv, l.se, l.lower, l.upper});
    }
  }
  if (km.n == 0) return s;
  const stats::SurvivalQuantile med = stats::median_survival(km);
  s.median = med.time;
  s.median_ci_low = med.lower;
  s.median_ci_high = med.upper;
  const stats::RestrictedMean rm = stats::restricted_mean(km, tau);
  s.rmst = rm.estimate;
  s.rmst_se = rm.se;
  s.rmst_extrapolated = rm.extrapolated && km.surv.back() > 0.0 ? 1 : 0;
  return s;
}

// summarize() from the curve's rows streamed off sorted runs: the same fields from the same values.
EndpointSummary summarize_streamed(const std::string& name, const stats::StreamedSummary& km, double tau,
                                   const ReportOptions& opt) {
  EndpointSummary s;
  s.endpoint = name;
  s.rmst_horizon = tau;
  s.n = km.n;
  s.events = km.events;
  for (std::size_t l = 0; l < opt.landmarks.size(); ++l) {
    const double t = opt.landmarks[l];
    if (km.n == 0 || km.landmarks[l].beyond_follow_up) {
      s.survival.push_back({t, kNaN, kNaN, kNaN, kNaN});
    } else {
      const stats::LandmarkSurvival& v = km.landmarks[l];
      s.survival.push_back({t, v.surv, v.se, v.lower, v.upper});
    }
  }
  if (km.n == 0) return s;
  s.median = km.median.time;
  s.median_ci_low = km.median.lower;
  s.median_ci_high = km.median.upper;
  s.rmst = km.rmst.estimate;
  s.rmst_se = km.rmst.se;
  s.rmst_extrapolated = km.rmst.extrapolated && km.last_surv > 0.0 ? 1 : 0;
  return s;
}

// One strategy's endpoint from its spilled columns: sorted into runs on disk, merged for the streamed
// summaries, with the figures' step table built from the first pass's rows. Progress lines for the sort and
// for each pass over the runs (what a 10^9-patient run spends minutes on).
EndpointSummary summarize_from_disk(const ColumnSource& source, std::size_t strategy,
                                    const std::string& strategy_name, const std::string& name, double tau,
                                    const ReportOptions& opt, io::SpillFolder& spill,
                                    std::size_t run_patients) {
  SortedRuns runs(spill);
  const std::uint64_t n = source.patient_count();
  const std::string label = fmt::format("{} of {}", name, strategy_name);
  {
    ProgressLine sorting(fmt::format("patients sorted into runs ({})", label), n, opt.disk_progress, {},
                         opt.progress_interval);
    std::vector<double> time;
    std::vector<std::uint8_t> event;
    for (std::uint64_t first = 0; first < n; first += run_patients) {
      const auto count = static_cast<std::size_t>(std::min<std::uint64_t>(run_patients, n - first));
      source.endpoint_chunk(strategy, name, first, count, time, event);
      runs.add(time, event);
      sorting.update(first + count);
    }
  }
  std::optional<ProgressLine> merging;
  std::uint64_t merged = 0, shown = 0;
  const auto on_pass = [&](int k) {
    merging.reset();
    merged = shown = 0;
    merging.emplace(fmt::format("patients merged, pass {}/3 ({})", k + 1, label), runs.used(),
                    opt.disk_progress, std::vector<std::string>{}, opt.progress_interval);
  };
  const stats::KmRowReplay replay = [&](bool backward,
                                        const std::function<void(const stats::KmTimeCount&)>& f) {
    runs.replay(backward, [&](const stats::KmTimeCount& c) {
      f(c);
      merged += static_cast<std::uint64_t>(c.events + c.censored);
      if (merging && merged - shown >= (std::uint64_t{1} << 16)) merging->update(shown = merged);
    });
    if (merging) merging->update(merged);
  };
  KmStepsBuilder steps(name, runs.used(), runs.max_time());
  const stats::KmRowObserver observe = [&steps](const stats::KmRowEstimate& row) { steps.add(row); };
  EndpointSummary s = summarize_streamed(
      name,
      stats::streamed_summary(replay, runs.used(), opt.landmarks, tau, opt.conf_level, observe, on_pass), tau,
      opt);
  merging.reset();
  s.steps = steps.finish();
  return s;
}

// The reference arm's influence vectors, computed once per endpoint and shared by its paired comparisons
// with every other strategy (each used to recompute them: 130 of the flagship's 755 M statistics
// instructions). Landmarks beyond the reference's follow-up have none.
struct ReferenceInfluence {
  std::vector<double> rmst;
  std::vector<std::optional<std::vector<double>>> landmarks;  // by ReportOptions::landmarks
};

// Empty unless some strategy is compared with the reference on the same patients.
ReferenceInfluence reference_influence(const Arm& ref, double tau, const ReportOptions& opt, bool paired) {
  ReferenceInfluence r;
  if (!paired || ref.fit.km.n == 0) return r;
  r.rmst = stats::rmst_influence(ref.sample(), ref.fit, tau);
  for (const double t : opt.landmarks) {
    if (stats::survival_at(ref.fit.km, t).beyond_follow_up) {
      r.landmarks.emplace_back();
    } else {
      r.landmarks.emplace_back(stats::survival_influence(ref.sample(), ref.fit, t));
    }
  }
  return r;
}

// Whether any strategy's arm holds the reference's patients in the same order.
bool any_paired(const ColumnSource& source, std::size_t strategies, std::size_t reference) {
  for (std::size_t s = 0; s < strategies; ++s) {
    if (s != reference && source.paired(s, reference)) return true;
  }
  return false;
}

// rmst_a and rmst_ref: restricted_mean(a.fit.km, tau).estimate and the same of ref (the summaries hold them);
// ref_influence: reference_influence(ref, tau, opt, paired).
Comparison compare(const std::string& strategy, const std::string& reference, const std::string& endpoint,
                   const Arm& a, const Arm& ref, const ReferenceInfluence& ref_influence, double tau,
                   double rmst_a, double rmst_ref, const ReportOptions& opt, bool paired) {
  Comparison c;
  c.strategy = strategy;
  c.reference = reference;
  c.endpoint = endpoint;
  // HR and log-rank from the two curves' tables (the arms as independent samples; no stacked copy, no sort).
  const stats::CoxHazardRatio hr = stats::cox_hazard_ratio(a.fit.km, ref.fit.km, opt.conf_level);
  if (hr.finite) {
    c.hr = hr.hr;
    c.hr_ci_low = hr.lower;
    c.hr_ci_high = hr.upper;
  }
  const stats::LogRankTest lr = stats::log_rank_test(ref.fit.km, a.fit.km);
  if (lr.df > 0) {
    c.logrank_chisq = lr.chi_square;
    c.logrank_p = lr.p_value;
  }
  for (const double t : opt.landmarks) c.survival_diff.push_back({t, kNaN, kNaN, kNaN, kNaN, kNaN});
  // Paired only when both arms hold the same patients in the same order (one run); else left undefined.
  if (!paired || a.sample().time.size() != ref.sample().time.size() || a.fit.km.n == 0 || ref.fit.km.n == 0)
    return c;
  if (hr.finite) {
    const stats::ClusteredCoxHazardRatio robust =
        stats::cox_hazard_ratio_clustered(hr, a.sample(), a.fit, ref.sample(), ref.fit, opt.conf_level);
    c.hr_ci_low_paired = robust.lower_robust;
    c.hr_ci_high_paired = robust.upper_robust;
  }
  {
    const auto ia = stats::rmst_influence(a.sample(), a.fit, tau);
    const stats::PairedDifference d =
        stats::paired_difference(rmst_a, ia, rmst_ref, ref_influence.rmst, opt.conf_level);
    c.rmst_diff = d.difference;
    c.rmst_diff_se = d.se_paired;
    c.rmst_diff_se_unpaired = d.se_unpaired;
    c.rmst_diff_ci_low = d.lower;
    c.rmst_diff_ci_high = d.upper;
  }
  for (std::size_t k = 0; k < c.survival_diff.size(); ++k) {
    auto& l = c.survival_diff[k];
    const stats::LandmarkSurvival sa = stats::survival_at(a.fit.km, l.time);
    const stats::LandmarkSurvival sb = stats::survival_at(ref.fit.km, l.time);
    if (sa.beyond_follow_up || sb.beyond_follow_up) continue;
    const auto ia = stats::survival_influence(a.sample(), a.fit, l.time);
    const std::vector<double>& ib = *ref_influence.landmarks[k];
    const stats::PairedDifference d = stats::paired_difference(sa.surv, ia, sb.surv, ib, opt.conf_level);
    l = {l.time, d.difference, d.se_paired, d.se_unpaired, d.lower, d.upper};
  }
  return c;
}

void add_rates(Report& r, const ColumnSource& source, const std::vector<std::string>& strategies,
               const std::vector<std::string>& outcomes, const ReportOptions& opt);

// A report of `strategies` with nothing computed yet.
Report named_report(const std::vector<std::string>& strategies, const ReportOptions& opt) {
  Report r;
  r.conf_level = opt.conf_level;
  r.reference = strategies.at(opt.reference);
  r.strategies.resize(strategies.size());
  for (std::size_t s = 0; s < strategies.size(); ++s) r.strategies[s].name = strategies[s];
  return r;
}

// The restricted-mean horizon: the option's, else the run's.
double rmst_horizon(const ReportOptions& opt, double horizon) {
  return std::isnan(opt.rmst_horizon) ? horizon : opt.rmst_horizon;
}

}  // namespace

Report compute_report(const ColumnSource& source, const std::vector<std::string>& strategies,
                      const std::vector<std::string>& endpoints, const std::vector<std::string>& outcomes,
                      double horizon, const ReportOptions& opt) {
  Report r = named_report(strategies, opt);
  const double tau = rmst_horizon(opt, horizon);

  // Each (endpoint, strategy) result lands in its own slot and is assembled in order afterwards, so the
  // result does not depend on scheduling. In-memory columns are summarized in parallel; file reads stay
  // sequential.
  const std::size_t n_ep = endpoints.size(), n_s = strategies.size();
  std::vector<EndpointSummary> summaries(n_ep * n_s);
  std::vector<std::optional<Comparison>> comparisons(n_ep * n_s);
  std::vector<std::uint64_t> patients(n_ep, 0);
  WorkspacePool pool;
  const bool parallel = source.concurrent_reads() && opt.threads != 1;
  auto for_each = [parallel](std::size_t n, const auto& body) {
    if (parallel) {
      tbb::parallel_for(std::size_t{0}, n, [&](std::size_t i) { body(i); });
    } else {
      for (std::size_t i = 0; i < n; ++i) body(i);
    }
  };
  const auto all_arms = [&] {
    for_each(n_ep, [&](std::size_t e) {
      const std::string& ep = endpoints[e];
      Arm ref(pool);
      load(ref, source, opt.reference, ep, opt.conf_level, n_s > 1);
      patients[e] = ref.sample().time.size();
      summaries[e * n_s + opt.reference] = summarize(ep, ref, tau, opt);
      const ReferenceInfluence ref_influence =
          reference_influence(ref, tau, opt, any_paired(source, n_s, opt.reference));
      if (opt.on_step) opt.on_step();
      for_each(n_s, [&](std::size_t s) {
        if (s == opt.reference) return;
        Arm a(pool);
        load(a, source, s, ep, opt.conf_level);
        summaries[e * n_s + s] = summarize(ep, a, tau, opt);
        comparisons[e * n_s + s] =
            compare(strategies[s], r.reference, ep, a, ref, ref_influence, tau, summaries[e * n_s + s].rmst,
                    summaries[e * n_s + opt.reference].rmst, opt, source.paired(s, opt.reference));
        if (opt.on_step) opt.on_step();
      });
    });
  };
  // Within the run's thread count (--threads), as the simulation: an arena of that many, else all cores.
  if (parallel && opt.threads > 1) {
    tbb::task_arena(static_cast<int>(opt.threads)).execute(all_arms);
  } else {
    all_arms();
  }
  for (std::size_t e = 0; e < n_ep; ++e) {
    r.patients = std::max(r.patients, patients[e]);
    for (std::size_t s = 0; s < n_s; ++s) {
      r.strategies[s].endpoints.push_back(std::move(summaries[e * n_s + s]));
      if (comparisons[e * n_s + s]) r.comparisons.push_back(std::move(*comparisons[e * n_s + s]));
    }
  }
  add_rates(r, source, strategies, outcomes, opt);
  return r;
}

Report compute_report(const ColumnSource& source, const std::vector<std::string>& strategies,
                      const std::vector<std::string>& endpoints, const std::vector<std::string>& outcomes,
                      double horizon, const ReportOptions& opt, io::SpillFolder& spill,
                      std::size_t run_patients) {
  if (!source.chunked()) return compute_report(source, strategies, endpoints, outcomes, horizon, opt);
  Report r = named_report(strategies, opt);
  const double tau = rmst_horizon(opt, horizon);
  r.patients = endpoints.empty() ? 0 : source.patient_count();
  run_patients = std::max<std::size_t>(run_patients, 1);
  WorkspacePool pool;
  // One endpoint and strategy at a time: the summaries from disk, then the comparisons with the two arms'
  // columns in memory.
  for (const std::string& ep : endpoints) {
    for (std::size_t s = 0; s < strategies.size(); ++s) {
      r.strategies[s].endpoints.push_back(
          summarize_from_disk(source, s, strategies[s], ep, tau, opt, spill, run_patients));
      if (opt.on_step) opt.on_step();
    }
    if (strategies.size() < 2) continue;
    Arm ref(pool);
    load(ref, source, opt.reference, ep, opt.conf_level);
    const ReferenceInfluence ref_influence =
        reference_influence(ref, tau, opt, any_paired(source, strategies.size(), opt.reference));
    for (std::size_t s = 0; s < strategies.size(); ++s) {
      if (s == opt.reference) continue;
      Arm a(pool);
      load(a, source, s, ep, opt.conf_level);
      r.comparisons.push_back(compare(strategies[s], r.reference, ep, a, ref, ref_influence, tau,
                                      stats::restricted_mean(a.fit.km, tau).estimate,
                                      stats::restricted_mean(ref.fit.km, tau).estimate, opt,
                                      source.paired(s, opt.reference)));
    }
  }
  add_rates(r, source, strategies, outcomes, opt);
  return r;
}

namespace {

void add_rates(Report& r, const ColumnSource& source, const std::vector<std::string>& strategies,
               const std::vector<std::string>& outcomes, const ReportOptions& opt) {
  for (std::size_t o = 0; o < outcomes.size(); ++o) {
    const std::string& name = outcomes[o];
    // The outcome's denominator column, if the model names one: the rate among its patients too.
    const std::string denominator =
        o < opt.outcome_denominators.size() ? opt.outcome_denominators[o] : std::string();
    const std::vector<std::uint8_t> ref = source.outcome(opt.reference, name);
    const std::vector<std::uint8_t> ref_in =
        denominator.empty() ? std::vector<std::uint8_t>{} : source.outcome(opt.reference, denominator);
    r.patients = std::max<std::uint64_t>(r.patients, ref.size());
    for (std::size_t s = 0; s < strategies.size(); ++s) {
      const bool is_ref = s == opt.reference;
      const std::vector<std::uint8_t> other = is_ref ? std::vector<std::uint8_t>{} : source.outcome(s, name);
      const std::vector<std::uint8_t>& a = is_ref ? ref : other;
      const std::vector<std::uint8_t> other_in =
          is_ref || denominator.empty() ? std::vector<std::uint8_t>{} : source.outcome(s, denominator);
      const std::vector<std::uint8_t>& a_in = is_ref ? ref_in : other_in;
      ProportionSummary p{name, a.size()};
      if (!a.empty()) {
        const double k = std::accumulate(a.begin(), a.end(), 0.0);
        p.rate = k / static_cast<double>(a.size());
        p.se = std::sqrt(p.rate * (1.0 - p.rate) / static_cast<double>(a.size()));
      }
      if (!denominator.empty()) {
        const stats::ConditionalRate c = stats::conditional_rate(a, a_in);
        p.denominator_n = c.n;
        p.denominator_rate = c.rate;
        p.denominator_se = c.se;
      }
      r.strategies[s].proportions.push_back(p);
      if (opt.on_step) opt.on_step();
      if (is_ref || a.size() != ref.size() || a.empty() || !source.paired(s, opt.reference)) continue;
      const stats::PairedDifference d = stats::compare_proportions_paired(a, ref, opt.conf_level);
      ProportionComparison c{strategies[s], r.reference,   name,    d.difference,
                             d.se_paired,   d.se_unpaired, d.lower, d.upper};
      if (!denominator.empty()) {
        const stats::PairedDifference dc =
            stats::compare_conditional_rates_paired(a, a_in, ref, ref_in, opt.conf_level);
        c.denominator_diff = dc.difference;
        c.denominator_diff_se = dc.se_paired;
        c.denominator_diff_se_unpaired = dc.se_unpaired;
        c.denominator_diff_ci_low = dc.lower;
        c.denominator_diff_ci_high = dc.upper;
      }
      r.proportion_comparisons.push_back(c);
    }
  }
}

}  // namespace

void apply_target_se(Report& r, double target_se) {
  if (!(target_se > 0.0 && std::isfinite(target_se))) {
    throw InputError(fmt::format("target SE {} must be a positive number", target_se));
  }
  r.target_se = target_se;
  auto needed = [&](double se) -> std::optional<std::uint64_t> {
    if (!std::isfinite(se) || r.patients == 0) return std::nullopt;
    return stats::patients_needed(se, r.patients, target_se);
  };
  for (auto& s : r.strategies) {
    for (auto& e : s.endpoints) e.rmst_patients_needed = needed(e.rmst_se);
  }
  for (auto& c : r.comparisons) {
    c.rmst_diff_patients_needed = needed(c.rmst_diff_se);
    c.rmst_diff_patients_needed_unpaired = needed(c.rmst_diff_se_unpaired);
  }
}

}  // namespace mmsim::report
