#include "sim/stats/cox_robust.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "sim/core/errors.hpp"
#include "sim/core/numeric.hpp"
#include "sim/stats/stats_detail.hpp"

namespace mmsim::stats {
namespace {

// Each patient's score residual in one arm depends only on the Kaplan-Meier row of its time and on whether
// it had the event there, so two values per row hold every patient's residual.
struct RowResiduals {
  std::vector<long double> event, censored;  // per row of the arm's Kaplan-Meier table
};

// The Efron score residuals of the binary covariate x (0 = reference, 1 = treated) at log HR beta, for a
// patient of either arm by row. With tied events at a time split into d sub-steps k = 0..d-1 of weight 1/d,
// in which each of the d patients with the event keeps a share 1 - k/d of its risk weight:
//   denom_k = S0 - (k/d) S0_events,  xbar_k = (S1 - (k/d) S1_events) / denom_k,
//   a patient at risk and still at risk after t gains  -w (x - xbar_k) / denom_k  in every sub-step,
//   a patient with the event at t gains  (x - xbar_k) / d - (1 - k/d) w (x - xbar_k) / denom_k,
// where w = exp(beta x); summed over patients these give the score (R's coxph score residuals, ties="efron").
void score_residuals(const KaplanMeier& reference, const KaplanMeier& treated, double beta,
                     RowResiduals& ref_out, RowResiduals& trt_out) {
  const long double eb = std::exp(static_cast<long double>(beta));
  RowResiduals* out[2] = {&ref_out, &trt_out};
  const KaplanMeier* km[2] = {&reference, &treated};
  for (int g = 0; g < 2; ++g) {
    out[g]->event.assign(km[g]->time.size(), 0.0L);
    out[g]->censored.assign(km[g]->time.size(), 0.0L);
  }
  std::size_t row[2] = {0, 0};
  long double before[2] = {0.0L, 0.0L};  // at-risk part accumulated over event times before this one
  detail::for_each_two_group_time(
      reference, treated,
      [&](double, const std::int64_t* at_risk, const std::int64_t* deaths, const std::int64_t* leaving) {
        const std::int64_t d = deaths[0] + deaths[1];
        long double stay[2] = {0.0L, 0.0L};  // at-risk part of this time for a patient who stays
        long double die[2] = {0.0L, 0.0L};   // ... the whole residual increment for one with the event
        const long double n0 = static_cast<long double>(at_risk[0]);
        const long double n1 = static_cast<long double>(at_risk[1]) * eb;
        const long double d0 = static_cast<long double>(deaths[0]);
        const long double d1 = static_cast<long double>(deaths[1]) * eb;
        for (std::int64_t k = 0; k < d; ++k) {
          const long double f = static_cast<long double>(k) / static_cast<long double>(d);
          const long double denom = n0 + n1 - f * (d0 + d1);
          const long double xbar = (n1 - f * d1) / denom;
          const long double c[2] = {xbar / denom, -eb * (1.0L - xbar) / denom};
          for (int g = 0; g < 2; ++g) {
            stay[g] += c[g];
            die[g] += (static_cast<long double>(g) - xbar) / static_cast<long double>(d) + (1.0L - f) * c[g];
          }
        }
        for (int g = 0; g < 2; ++g) {
          if (leaving[g] > 0) {  // this arm has a Kaplan-Meier row at this time
            out[g]->censored[row[g]] = before[g] + stay[g];
            out[g]->event[row[g]] = before[g] + die[g];
            ++row[g];
          }
          before[g] += stay[g];
        }
      });
}

long double residual(const RowResiduals& r, const KaplanMeierRows& fit, const SurvivalSample& s,
                     std::size_t i) {
  const std::uint32_t row = fit.row[i];
  if (row == kNoRow) return 0.0L;
  return s.event[i] == 1 ? r.event[row] : r.censored[row];
}

}  // namespace

ClusteredCoxHazardRatio cox_hazard_ratio_clustered(const SurvivalSample& treated,
                                                   const KaplanMeierRows& treated_fit,
                                                   const SurvivalSample& reference,
                                                   const KaplanMeierRows& reference_fit, double conf_level) {
  return cox_hazard_ratio_clustered(cox_hazard_ratio(treated_fit.km, reference_fit.km, conf_level), treated,
                                    treated_fit, reference, reference_fit, conf_level);
}

ClusteredCoxHazardRatio cox_hazard_ratio_clustered(const CoxHazardRatio& fit, const SurvivalSample& treated,
                                                   const KaplanMeierRows& treated_fit,
                                                   const SurvivalSample& reference,
                                                   const KaplanMeierRows& reference_fit, double conf_level) {
  if (treated.time.size() != reference.time.size() || treated_fit.row.size() != treated.time.size() ||
      reference_fit.row.size() != reference.time.size()) {
    throw InputError(
        fmt::format("clustered Cox model: the arms hold {} and {} patients (one row per patient in each arm)",
                    treated.time.size(), reference.time.size()));
  }
  const double z = detail::normal_critical_value(conf_level);
  ClusteredCoxHazardRatio out;
  out.fit = fit;
  out.se_log_hr_robust = out.lower_robust = out.upper_robust = kNaN;
  if (!out.fit.finite) return out;
  RowResiduals ref_res, trt_res;
  score_residuals(reference_fit.km, treated_fit.km, out.fit.log_hr, ref_res, trt_res);
  // dfbeta_i = U_i / I, with I = 1 / se^2 the observed information at the estimate.
  const long double inverse_information =
      static_cast<long double>(out.fit.se_log_hr) * static_cast<long double>(out.fit.se_log_hr);
  detail::CompensatedSum sum_sq;
  for (std::size_t i = 0; i < treated.time.size(); ++i) {
    const long double u =
        residual(trt_res, treated_fit, treated, i) + residual(ref_res, reference_fit, reference, i);
    const long double dfbeta = u * inverse_information;
    sum_sq.add(dfbeta * dfbeta);
  }
  out.se_log_hr_robust = static_cast<double>(std::sqrt(sum_sq.value()));
  out.lower_robust = std::exp(out.fit.log_hr - z * out.se_log_hr_robust);
  out.upper_robust = std::exp(out.fit.log_hr + z * out.se_log_hr_robust);
  return out;
}

ClusteredCoxHazardRatio cox_hazard_ratio_clustered(const SurvivalSample& treated,
                                                   const SurvivalSample& reference, double conf_level) {
  const KaplanMeierRows a = kaplan_meier_with_rows(treated, conf_level);
  const KaplanMeierRows b = kaplan_meier_with_rows(reference, conf_level);
  return cox_hazard_ratio_clustered(treated, a, reference, b, conf_level);
}

}  // namespace mmsim::stats
