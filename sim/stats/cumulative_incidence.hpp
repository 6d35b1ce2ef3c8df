#pragma once
// Cumulative incidence of competing events (Aalen-Johansen estimator; R: survfit(Surv(t, factor(status)) ~
// 1), whose pstate and std.err it reproduces). Standard errors are the infinitesimal-jackknife (influence)
// standard errors R reports for multi-state curves, computed in O(n log n) from per-time sums.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/stats/survival_sample.hpp"

namespace mmsim::stats {

struct CumulativeIncidence {
  std::size_t n = 0;
  std::size_t n_excluded = 0;
  std::size_t n_causes = 0;  // K
  std::vector<double> time;  // distinct observed times, ascending
  std::vector<std::int64_t> n_risk;
  std::vector<std::int64_t> n_censor;
  std::vector<std::vector<std::int64_t>> n_event;  // [cause - 1][row]
  std::vector<double> surv;                 // probability of no event of any cause yet (R's "(s0)" state)
  std::vector<double> se_surv;              // its influence SE (equals Greenwood; 0 where surv = 0)
  std::vector<std::vector<double>> cif;     // [cause - 1][row]
  std::vector<std::vector<double>> se_cif;  // [cause - 1][row]
};

// sample.event holds 0 = censored or 1..K = the cause. n_causes = 0 takes K from the largest code present;
// otherwise codes above n_causes are an input error (a cause with no events gets a zero curve).
CumulativeIncidence cumulative_incidence(const SurvivalSample& sample, std::size_t n_causes = 0);

// The curve for one cause (1..K) at time t >= 0 as a step function; NaN past the last observed time unless
// every patient has had an event by then.
struct IncidenceAt {
  double estimate = 0.0;
  double se = 0.0;
};
IncidenceAt cumulative_incidence_at(const CumulativeIncidence& ci, std::size_t cause, double t);

}  // namespace mmsim::stats
