#include "sim/report/report.hpp"

#include <cmath>
#include <numeric>

#include "sim/stats/cox.hpp"
#include "sim/stats/kaplan_meier.hpp"
#include "sim/stats/log_rank.hpp"
#include "sim/stats/paired.hpp"

namespace mmsim::report {
namespace {

struct Columns {
  std::vector<double> time;
  std::vector<std::uint8_t> event;
  stats::SurvivalSample sample() const { return {time, event}; }
};

EndpointSummary summarize(const std::string& name, const Columns& c, double tau, const ReportOptions& opt) {
  EndpointSummary s;
  s.endpoint = name;
  const stats::KaplanMeier km = stats::kaplan_meier(c.sample(), opt.conf_level);
  s.n = km.n;
  for (const auto d : km.n_event) s.events += static_cast<std::uint64_t>(d);
  if (km.n == 0) return s;
  const stats::SurvivalQuantile med = stats::median_survival(km);
  s.median = med.time;
  s.median_ci_low = med.lower;
  s.median_ci_high = med.upper;
  const stats::RestrictedMean rm = stats::restricted_mean(km, tau);
  s.rmst = rm.estimate;
  s.rmst_se = rm.se;
  s.rmst_horizon = tau;
  for (const double t : opt.landmarks) {
    const stats::LandmarkSurvival l = stats::survival_at(km, t);
    if (l.beyond_follow_up) {
      s.survival.push_back({t, kNaN, kNaN, kNaN, kNaN});
    } else {
      s.survival.push_back({t, l.surv, l.se, l.lower, l.upper});
    }
  }
  return s;
}

Comparison compare(const std::string& strategy, const std::string& reference, const std::string& endpoint,
                   const Columns& a, const Columns& ref, double tau, const ReportOptions& opt) {
  Comparison c{strategy, reference, endpoint};
  // HR and log-rank on the two arms stacked: group 1 = strategy, 0 = reference.
  Columns both;
  both.time = ref.time;
  both.time.insert(both.time.end(), a.time.begin(), a.time.end());
  both.event = ref.event;
  both.event.insert(both.event.end(), a.event.begin(), a.event.end());
  std::vector<std::uint32_t> group(both.time.size(), 0);
  std::fill(group.begin() + static_cast<long>(ref.time.size()), group.end(), 1u);
  const stats::CoxHazardRatio hr = stats::cox_hazard_ratio(both.sample(), group, 1, 0, opt.conf_level);
  if (hr.finite) {
    c.hr = hr.hr;
    c.hr_ci_low = hr.lower;
    c.hr_ci_high = hr.upper;
  }
  const stats::LogRankTest lr = stats::log_rank_test(both.sample(), group);
  if (lr.df > 0) {
    c.logrank_chisq = lr.chi_square;
    c.logrank_p = lr.p_value;
  }
  // Paired only when both arms hold the same patients in the same order (one run); else unpaired.
  if (a.time.size() == ref.time.size()) {
    const stats::PairedDifference d =
        stats::compare_rmst_paired(a.sample(), ref.sample(), tau, opt.conf_level);
    c.rmst_diff = d.difference;
    c.rmst_diff_se = d.se_paired;
    c.rmst_diff_se_unpaired = d.se_unpaired;
    c.rmst_diff_ci_low = d.lower;
    c.rmst_diff_ci_high = d.upper;
  }
  return c;
}

}  // namespace

Report compute_report(const ColumnSource& source, const std::vector<std::string>& strategies,
                      const std::vector<std::string>& endpoints, const std::vector<std::string>& outcomes,
                      double horizon, const ReportOptions& opt) {
  Report r;
  r.conf_level = opt.conf_level;
  r.reference = strategies.at(opt.reference);
  const double tau = std::isnan(opt.rmst_horizon) ? horizon : opt.rmst_horizon;
  r.strategies.resize(strategies.size());
  for (std::size_t s = 0; s < strategies.size(); ++s) r.strategies[s].name = strategies[s];

  for (const auto& ep : endpoints) {
    Columns ref;
    source.endpoint(opt.reference, ep, ref.time, ref.event);
    for (std::size_t s = 0; s < strategies.size(); ++s) {
      if (s == opt.reference) {
        r.strategies[s].endpoints.push_back(summarize(ep, ref, tau, opt));
        continue;
      }
      Columns a;
      source.endpoint(s, ep, a.time, a.event);
      r.strategies[s].endpoints.push_back(summarize(ep, a, tau, opt));
      r.comparisons.push_back(compare(strategies[s], r.reference, ep, a, ref, tau, opt));
    }
  }
  for (const auto& name : outcomes) {
    const std::vector<std::uint8_t> ref = source.outcome(opt.reference, name);
    for (std::size_t s = 0; s < strategies.size(); ++s) {
      const std::vector<std::uint8_t> a = s == opt.reference ? ref : source.outcome(s, name);
      ProportionSummary p{name, a.size()};
      if (!a.empty()) {
        const double k = std::accumulate(a.begin(), a.end(), 0.0);
        p.rate = k / static_cast<double>(a.size());
        p.se = std::sqrt(p.rate * (1.0 - p.rate) / static_cast<double>(a.size()));
      }
      r.strategies[s].proportions.push_back(p);
      if (s == opt.reference || a.size() != ref.size() || a.empty()) continue;
      const stats::PairedDifference d = stats::compare_proportions_paired(a, ref, opt.conf_level);
      r.proportion_comparisons.push_back(
          {strategies[s], r.reference, name, d.difference, d.se_paired, d.se_unpaired, d.lower, d.upper});
    }
  }
  return r;
}

}  // namespace mmsim::report
