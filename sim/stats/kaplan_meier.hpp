#pragma once
// Kaplan-Meier estimator and the summaries read off it: survival at landmark times, quantiles (median) with
// Brookmeyer-Crowley confidence intervals, and the restricted mean survival time (RMST).
//
// Conventions follow R's survival package (survfit with conf.type = "log-log", quantile.survfit and
// print.survfit's rmean), which the oracle tests check to 1e-8 relative. docs/statistics.md gives the
// formulas. For a simulated cohort every standard error here is the Monte Carlo standard error of the
// summary: it is the sampling error from having simulated n patients rather than infinitely many.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "sim/stats/survival_sample.hpp"

namespace mmsim::stats {

// The Kaplan-Meier table: one row per distinct observed time (event or censoring), ascending.
struct KaplanMeier {
  std::size_t n = 0;           // patients used
  std::size_t n_excluded = 0;  // patients left out because their time is NaN
  double conf_level = 0.95;
  std::vector<double> time;
  std::vector<std::int64_t> n_risk;   // at risk just before time[j] (time >= time[j])
  std::vector<std::int64_t> n_event;  // events at time[j]
  std::vector<double> surv;           // S(time[j])
  // Greenwood: se_log_surv = sqrt(sum d/(r(r-d))), the standard error of log S (R's fit$std.err); it is
  // +Inf once S reaches 0.
  std::vector<double> se_log_surv;
  // Two columns are derived rather than stored (16 of 56 bytes a row, each a fresh page to fault in at the
  // cohort's size), with the bits the stored columns had: the patients leaving at time[j] (n_risk[j] minus
  // the next row's, all that remain at the last row), of whom n_censor are censored; and se_surv = surv *
  // se_log_surv (R's summary()$std.err; NaN where S = 0), the product the table used to store.
  std::int64_t n_leaving(std::size_t j) const {
    return j + 1 < n_risk.size() ? n_risk[j] - n_risk[j + 1] : n_risk[j];
  }
  std::int64_t n_censor(std::size_t j) const { return n_leaving(j) - n_event[j]; }
  double se_surv(std::size_t j) const { return surv[j] * se_log_surv[j]; }
  // Pointwise log-log confidence interval; NaN where S is 0 or 1, where the transform is undefined (as R).
  // Empty in a table built with PointwiseCiRows::on_demand: PointwiseCi (pointwise_ci.hpp) gives a row's.
  std::vector<double> lower;
  std::vector<double> upper;
};

// Whether the table stores the pointwise limits of every row (2 logs and 4 exps an event row), or leaves
// lower and upper empty for the few rows a report reads to be computed when read (the same bits either way;
// survival_quantiles then computes only the rows near each limit's crossing).
enum class PointwiseCiRows { every_row, on_demand };

// O(n log n): one sort of the included patients. Throws InputError on invalid data (see validate_sample).
KaplanMeier kaplan_meier(const SurvivalSample& sample, double conf_level = 0.95,
                         PointwiseCiRows ci_rows = PointwiseCiRows::every_row);

// The curve together with each patient's row in km.time (kNoRow for a NaN time), from the same single sort:
// what the influence functions of paired.hpp need, so a curve and any number of its influence vectors cost
// one O(n log n) sort and then O(n) each. At most 2^32 - 2 patients.
inline constexpr std::uint32_t kNoRow = 0xFFFFFFFFu;
struct KaplanMeierRows {
  KaplanMeier km;
  std::vector<std::uint32_t> row;  // per patient, in sample order
};
KaplanMeierRows kaplan_meier_with_rows(const SurvivalSample& sample, double conf_level = 0.95,
                                       PointwiseCiRows ci_rows = PointwiseCiRows::every_row);

// Survival at a landmark time t >= 0: the step function at t, with Greenwood SE and log-log CI.
//   before the first observed time: surv 1, se 0, CI [1, 1];
//   where S = 1 after censorings only: CI [1, 1]; where S = 0: se 0, CI [0, 0] (the exact infinitesimal-
//   jackknife variance; R reports NaN there);
//   after the last observed time while S > 0: every field NaN and beyond_follow_up set (not estimable).
struct LandmarkSurvival {
  double time = 0.0;
  double surv = 0.0;
  double se = 0.0;
  double lower = 0.0;
  double upper = 0.0;
  std::int64_t n_risk = 0;  // patients with time >= t
  bool beyond_follow_up = false;
};
LandmarkSurvival survival_at(const KaplanMeier& km, double t);

// The p-quantile of the survival time, the smallest t with S(t) <= 1 - p, with R's rules: where S equals
// 1 - p (within sqrt(machine epsilon)) over an interval the midpoint of that interval is returned, and the
// CI is the same quantile read off the pointwise confidence limits (Brookmeyer-Crowley as R computes it).
// Undefined or not reached: NaN.
struct SurvivalQuantile {
  double p = 0.0;
  double time = 0.0;
  double lower = 0.0;
  double upper = 0.0;
  // (upper - lower) / (2 z): an SE-equivalent of the quantile from the CI width, NaN unless both finite.
  double se_equivalent = 0.0;
};
// Mirrors R's quantile(fit, probs) for the same probs vector, including how R's result for one p can
// depend on the smallest p in the call (a curve ending exactly at 1 - p). Each p must be in [0, 1].
std::vector<SurvivalQuantile> survival_quantiles(const KaplanMeier& km, std::span<const double> probs);
SurvivalQuantile survival_quantile(const KaplanMeier& km, double p);
inline SurvivalQuantile median_survival(const KaplanMeier& km) {
  return survival_quantile(km, 0.5);
}

// Restricted mean survival time: the area under S from 0 to tau, with the Greenwood-type SE of R's
// print(fit, rmean = tau) and a plain normal CI. If tau is past the last observed time the curve is
// carried flat to tau, as R does, and extrapolated is set.
struct RestrictedMean {
  double tau = 0.0;
  double estimate = 0.0;
  double se = 0.0;
  double lower = 0.0;
  double upper = 0.0;
  bool extrapolated = false;
};
RestrictedMean restricted_mean(const KaplanMeier& km, double tau);

}  // namespace mmsim::stats
