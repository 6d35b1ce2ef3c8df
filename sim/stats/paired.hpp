#pragma once
// Comparisons of two strategies simulated on the same patients (common random numbers).
//
// Patient i = 0..n-1 was simulated once under strategy A and once under strategy B with the same random
// draws, so the two estimates are positively correlated and the standard error of A - B is far smaller
// than the unpaired sqrt(seA^2 + seB^2). Each estimator below exposes its exact per-patient influence
// values: infl[i] = d(estimate)/d(w_i), the derivative with respect to patient i's case weight at w = 1
// (the infinitesimal jackknife). Their sum of squares is the estimator's variance; for Kaplan-Meier
// landmark survival and RMST it equals the Greenwood-type variance exactly (docs/statistics.md proves it).
// The paired variance of A - B is the sum over patients of (inflA[i] - inflB[i])^2, i.e. the variance of
// the per-patient differences of the usual scaled influence values n * infl[i], divided by n.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "sim/stats/kaplan_meier.hpp"
#include "sim/stats/survival_sample.hpp"

namespace mmsim::stats {

// Per-patient influence on S(t) and on RMST(tau) of the Kaplan-Meier curve km, which must have been built
// from `sample`. One value per patient in sample order; 0 for a patient with NaN time (not in the
// estimate). All NaN when t is past the last observed time while S > 0 (not estimable).
std::vector<double> survival_influence(const SurvivalSample& sample, const KaplanMeier& km, double t);
std::vector<double> rmst_influence(const SurvivalSample& sample, const KaplanMeier& km, double tau);
// The same from a curve built with kaplan_meier_with_rows: no sort, O(n + rows) each, so a report computes
// the RMST and every landmark influence vector of a strategy from the one sort that built its curve.
std::vector<double> survival_influence(const SurvivalSample& sample, const KaplanMeierRows& fit, double t);
std::vector<double> rmst_influence(const SurvivalSample& sample, const KaplanMeierRows& fit, double tau);
// Per-patient influence on a proportion p = mean(response): (response[i] - p) / n. response[i] is 0 or 1.
std::vector<double> proportion_influence(std::span<const std::uint8_t> response);

struct PairedDifference {
  double estimate_a = 0.0;
  double estimate_b = 0.0;
  double difference = 0.0;  // estimate_a - estimate_b
  double se_a = 0.0;        // sqrt(sum inflA^2)
  double se_b = 0.0;
  double se_paired = 0.0;    // sqrt(sum (inflA - inflB)^2): uses the pairing
  double se_unpaired = 0.0;  // sqrt(se_a^2 + se_b^2): as if A and B were independent cohorts
  double correlation = 0.0;  // implied correlation of the two estimates
  double lower = 0.0;        // difference -+ z se_paired
  double upper = 0.0;
  std::size_t n = 0;
};

// Combines two estimates and their per-patient influence values (same length, same patient order).
PairedDifference paired_difference(double estimate_a, std::span<const double> influence_a, double estimate_b,
                                   std::span<const double> influence_b, double conf_level = 0.95);

// Convenience wrappers: build the Kaplan-Meier curves (or proportions) and compare. a and b must describe
// the same patients in the same order.
PairedDifference compare_survival_paired(const SurvivalSample& a, const SurvivalSample& b, double t,
                                         double conf_level = 0.95);
PairedDifference compare_rmst_paired(const SurvivalSample& a, const SurvivalSample& b, double tau,
                                     double conf_level = 0.95);
PairedDifference compare_proportions_paired(std::span<const std::uint8_t> response_a,
                                            std::span<const std::uint8_t> response_b,
                                            double conf_level = 0.95);

}  // namespace mmsim::stats
