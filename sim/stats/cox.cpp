#include "sim/stats/cox.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "sim/core/errors.hpp"
#include "sim/core/numeric.hpp"
#include "sim/stats/stats_detail.hpp"

namespace mmsim::stats {
namespace {

// Risk-set counts at one event time: n0/n1 at risk, d0/d1 events, in the reference/treated group.
struct EventTime {
  std::int64_t n0, n1, d0, d1;
};

struct Evaluation {
  long double loglik = 0.0L;
  long double score = 0.0L;
  long double information = 0.0L;
};

// Efron log partial likelihood, score and information for the binary covariate at log hazard ratio beta.
// Each term (one per event) is computed in double, to 1 ulp: the risk-set total, the treated share and the
// log. The terms are summed in blocks of 32 in long double (32 roundings of 1e-19 each, far below double
// precision) and the block totals enter Neumaier sums, so 10^7 terms lose nothing to summation; this is
// several times faster than long-double division and log per term. The score d1 - share is formed from an
// exact integer and a positive sum, so the terms' own 1e-16 errors move beta by about 1e-16.
Evaluation evaluate(const std::vector<EventTime>& times, long double beta) {
  const double eb = static_cast<double>(std::exp(beta));
  detail::CompensatedSum loglik, share, info;
  long double d1_total = 0.0L;  // an exact integer
  long double d1_beta = 0.0L;
  long double block_log = 0.0L, block_share = 0.0L, block_info = 0.0L;
  int in_block = 0;
  bool degenerate = false;  // a total of 0 or Inf: the log likelihood is -Inf
  for (const auto& et : times) {
    const double n0 = static_cast<double>(et.n0);
    const double n1 = static_cast<double>(et.n1) * eb;
    const double d0 = static_cast<double>(et.d0);
    const double d1 = static_cast<double>(et.d1) * eb;
    const std::int64_t d = et.d0 + et.d1;
    d1_total += static_cast<long double>(et.d1);
    for (std::int64_t k = 0; k < d; ++k) {
      const double frac = static_cast<double>(k) / static_cast<double>(d);
      const double treated = n1 - frac * d1;    // weighted treated share of the risk set
      const double reference = n0 - frac * d0;  // ... and the reference share
      const double total = treated + reference;
      if (!(total > 0.0 && total < std::numeric_limits<double>::infinity())) degenerate = true;
      const double treated_share = treated / total;
      block_log += std::log(total);
      block_share += treated_share;
      block_info += treated_share * (reference / total);
      if (++in_block == 32) {
        loglik.add(-block_log);
        share.add(block_share);
        info.add(block_info);
        block_log = block_share = block_info = 0.0L;
        in_block = 0;
      }
    }
  }
  loglik.add(-block_log);
  share.add(block_share);
  info.add(block_info);
  d1_beta = d1_total * beta;
  loglik.add(d1_beta);
  const long double ll = degenerate ? -std::numeric_limits<long double>::infinity() : loglik.value();
  return Evaluation{ll, d1_total - share.value(), info.value()};
}

// Fits the model from the event times; n, n_events and the score limits must be set in `out`.
void fit(CoxHazardRatio& out, const std::vector<EventTime>& times, std::int64_t score_plus_inf,
         std::int64_t score_minus_inf, double z) {
  const Evaluation null_fit = evaluate(times, 0.0L);
  out.loglik_null = static_cast<double>(null_fit.loglik);
  out.se_log_hr = out.lower = out.upper = out.wald_z = out.p_value = kNaN;
  if (!(score_plus_inf < 0 && score_minus_inf > 0)) {
    out.finite = false;
    if (score_plus_inf >= 0 && score_minus_inf > 0) {
      out.log_hr = std::numeric_limits<double>::infinity();
    } else if (score_minus_inf <= 0 && score_plus_inf < 0) {
      out.log_hr = -std::numeric_limits<double>::infinity();
    } else {
      out.log_hr = kNaN;
    }
    out.hr = std::exp(out.log_hr);
    out.loglik = kNaN;
    return;
  }

  // Newton-Raphson from 0 with step halving; the log partial likelihood is concave in beta.
  long double beta = 0.0L;
  Evaluation current = null_fit;
  constexpr int kMaxIterations = 100;
  for (out.iterations = 1; out.iterations <= kMaxIterations; ++out.iterations) {
    long double step = current.score / current.information;
    long double candidate = beta + step;
    Evaluation next = evaluate(times, candidate);
    // Halve only on a decrease beyond the rounding of the log likelihood (its terms are doubles, good to
    // about 1e-16 relative): a spurious "decrease" near the optimum would otherwise halve the step to
    // nothing and stop the iteration early.
    const long double noise = 1e-14L * std::fabs(current.loglik);
    for (int halving = 0; halving < 60 && next.loglik < current.loglik - noise; ++halving) {
      step /= 2.0L;
      candidate = beta + step;
      next = evaluate(times, candidate);
    }
    beta = candidate;
    current = next;
    if (std::fabs(step) <= 1e-13L * (1.0L + std::fabs(beta))) break;
  }
  out.iterations = std::min(out.iterations, kMaxIterations);
  out.finite = true;
  out.log_hr = static_cast<double>(beta);
  out.loglik = static_cast<double>(current.loglik);
  out.se_log_hr = static_cast<double>(1.0L / std::sqrt(current.information));
  out.hr = std::exp(out.log_hr);
  out.lower = std::exp(out.log_hr - z * out.se_log_hr);
  out.upper = std::exp(out.log_hr + z * out.se_log_hr);
  out.wald_z = out.log_hr / out.se_log_hr;
  out.p_value = std::erfc(std::fabs(out.wald_z) / std::sqrt(2.0));
}

// Adds one distinct time (index 0 = reference, 1 = treated) to the event-time list and the score limits.
void add_time(const std::int64_t at_risk[2], const std::int64_t deaths[2], std::vector<EventTime>& times,
              CoxHazardRatio& out, std::int64_t& score_plus_inf, std::int64_t& score_minus_inf) {
  const std::int64_t d = deaths[0] + deaths[1];
  if (d == 0) return;
  times.push_back(EventTime{at_risk[0], at_risk[1], deaths[0], deaths[1]});
  out.n_events += static_cast<std::size_t>(d);
  score_plus_inf += deaths[1] - (at_risk[1] > 0 ? d : 0);
  score_minus_inf += deaths[1] - (at_risk[0] == 0 ? d : 0);
}

}  // namespace

CoxHazardRatio cox_hazard_ratio(const SurvivalSample& sample, std::span<const std::uint32_t> group,
                                std::uint32_t treated, std::uint32_t reference, double conf_level) {
  validate_sample(sample, 1);
  if (group.size() != sample.time.size()) {
    throw InputError(fmt::format("Cox model got {} group labels for {} patients (one per patient)",
                                 group.size(), sample.time.size()));
  }
  if (treated == reference) {
    throw InputError(
        fmt::format("Cox model: treated and reference group are both {} (pick two groups)", treated));
  }
  const double z = detail::normal_critical_value(conf_level);

  std::vector<detail::TimeRecord> records;
  for (std::size_t i = 0; i < sample.time.size(); ++i) {
    if (std::isnan(sample.time[i]) || (group[i] != treated && group[i] != reference)) continue;
    records.push_back(detail::TimeRecord{sample.time[i], group[i] == treated ? 1U : 0U, sample.event[i]});
  }
  std::sort(records.begin(), records.end(),
            [](const detail::TimeRecord& a, const detail::TimeRecord& b) { return a.time < b.time; });

  CoxHazardRatio out;
  out.n = records.size();
  std::int64_t at_risk[2] = {0, 0};
  for (const auto& rec : records) ++at_risk[rec.aux];
  std::vector<EventTime> times;
  // Limits of the score as beta -> +Inf and -Inf; the maximum is finite iff the first is < 0 < the second.
  std::int64_t score_plus_inf = 0;
  std::int64_t score_minus_inf = 0;
  for (std::size_t i = 0; i < records.size();) {
    const double t = records[i].time;
    std::int64_t deaths[2] = {0, 0};
    std::int64_t leaving[2] = {0, 0};
    for (; i < records.size() && records[i].time == t; ++i) {
      ++leaving[records[i].aux];
      if (records[i].code == 1) ++deaths[records[i].aux];
    }
    add_time(at_risk, deaths, times, out, score_plus_inf, score_minus_inf);
    at_risk[0] -= leaving[0];
    at_risk[1] -= leaving[1];
  }
  fit(out, times, score_plus_inf, score_minus_inf, z);
  return out;
}

CoxHazardRatio cox_hazard_ratio(const KaplanMeier& treated, const KaplanMeier& reference, double conf_level) {
  const double z = detail::normal_critical_value(conf_level);
  CoxHazardRatio out;
  out.n = treated.n + reference.n;
  std::vector<EventTime> times;
  std::int64_t score_plus_inf = 0;
  std::int64_t score_minus_inf = 0;
  detail::for_each_two_group_time(
      reference, treated,
      [&](double, const std::int64_t* at_risk, const std::int64_t* deaths, const std::int64_t*) {
        add_time(at_risk, deaths, times, out, score_plus_inf, score_minus_inf);
      });
  fit(out, times, score_plus_inf, score_minus_inf, z);
  return out;
}

}  // namespace mmsim::stats
