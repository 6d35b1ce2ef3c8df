#pragma once
// Cox proportional-hazards hazard ratio of one group against a reference group: a single binary covariate,
// Efron's handling of tied event times, Newton-Raphson with step halving (R: coxph(..., ties = "efron")).
#include <cstddef>
#include <cstdint>
#include <span>

#include "sim/stats/kaplan_meier.hpp"
#include "sim/stats/survival_sample.hpp"

namespace mmsim::stats {

struct CoxHazardRatio {
  // finite is false when the partial likelihood has no finite maximum: then log_hr is +Inf or -Inf (all
  // events in one group wherever both are at risk; hr is Inf or 0) or NaN (no information, e.g. no
  // events), and se_log_hr, the CI, wald_z and p_value are NaN.
  bool finite = false;
  double log_hr = 0.0;
  double se_log_hr = 0.0;  // 1 / sqrt(observed information at the estimate)
  double hr = 0.0;
  double lower = 0.0;  // Wald CI exp(log_hr -+ z se)
  double upper = 0.0;
  double wald_z = 0.0;
  double p_value = 0.0;      // two-sided Wald
  double loglik_null = 0.0;  // Efron log partial likelihood at log_hr = 0
  double loglik = 0.0;       // ... at the estimate
  int iterations = 0;
  std::size_t n = 0;  // patients used (in one of the two groups, time not NaN)
  std::size_t n_events = 0;
};

// group[i] labels patient i; patients whose label is neither `treated` nor `reference`, or whose time is
// NaN, are left out. The hazard ratio is treated : reference.
CoxHazardRatio cox_hazard_ratio(const SurvivalSample& sample, std::span<const std::uint32_t> group,
                                std::uint32_t treated, std::uint32_t reference, double conf_level = 0.95);
// The same fit from the Kaplan-Meier tables of the two groups (their distinct times and counts are all the
// partial likelihood needs): O(rows), no patients, no sort. Identical to the call above on the two samples
// stacked, i.e. it treats the groups as independent samples.
CoxHazardRatio cox_hazard_ratio(const KaplanMeier& treated, const KaplanMeier& reference,
                                double conf_level = 0.95);

}  // namespace mmsim::stats
