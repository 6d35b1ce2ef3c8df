#pragma once
// The Cox hazard ratio of two arms simulated on the same patients (common random numbers), with the
// cluster-robust (sandwich) variance over patient id: R's coxph(Surv(t, e) ~ arm, cluster = id, ties =
// "efron") on the two arms stacked, each patient a cluster of two rows.
//
// The point estimate is the ordinary one (cox.hpp). Its naive variance 1/I treats the arms as independent
// samples; under common random numbers they are positively correlated and that CI is far too wide. The
// robust variance is V = sum_i (U_i / I)^2, where U_i sums the Efron score residuals of patient i's rows
// in both arms (R's dfbeta residuals collapsed by cluster: docs/statistics.md gives the formulas).
#include <cstddef>

#include "sim/stats/cox.hpp"
#include "sim/stats/kaplan_meier.hpp"
#include "sim/stats/survival_sample.hpp"

namespace mmsim::stats {

struct ClusteredCoxHazardRatio {
  CoxHazardRatio fit;           // the ordinary fit, with its naive (unpaired) SE and CI
  double se_log_hr_robust = 0;  // sqrt(sum over patients of the squared collapsed dfbeta); NaN if !fit.finite
  double lower_robust = 0;      // Wald CI exp(log_hr -+ z se_log_hr_robust)
  double upper_robust = 0;
};

// treated[i] and reference[i] are patient i under the two arms (same length); each fit must be the
// Kaplan-Meier curve with rows built from that sample. O(n + rows): no sort.
ClusteredCoxHazardRatio cox_hazard_ratio_clustered(const SurvivalSample& treated,
                                                   const KaplanMeierRows& treated_fit,
                                                   const SurvivalSample& reference,
                                                   const KaplanMeierRows& reference_fit,
                                                   double conf_level = 0.95);
// ... given the ordinary fit of the same two curves (cox_hazard_ratio(treated_fit.km, reference_fit.km)),
// which it then does not repeat.
ClusteredCoxHazardRatio cox_hazard_ratio_clustered(const CoxHazardRatio& fit, const SurvivalSample& treated,
                                                   const KaplanMeierRows& treated_fit,
                                                   const SurvivalSample& reference,
                                                   const KaplanMeierRows& reference_fit,
                                                   double conf_level = 0.95);
// The same from the samples alone (builds both curves).
ClusteredCoxHazardRatio cox_hazard_ratio_clustered(const SurvivalSample& treated,
                                                   const SurvivalSample& reference, double conf_level = 0.95);

}  // namespace mmsim::stats
