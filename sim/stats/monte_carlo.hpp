#pragma once
// Monte Carlo precision of a simulated cohort.
//
// Every standard error this layer reports for a simulated cohort (Kaplan-Meier, quantile CI widths, RMST,
// cumulative incidence, Cox, proportions, paired differences) is its Monte Carlo standard error: the
// spread the summary would show over repeated simulations with fresh random numbers. It shrinks as
// 1/sqrt(n), which is what patients_needed uses.
#include <cstdint>

namespace mmsim::stats {

// Patients needed for a summary whose MC SE is se_now with n_now patients to reach target_se:
// ceil(n_now * (se_now / target_se)^2), at least 1. Throws InputError unless se_now >= 0, target_se > 0
// and n_now > 0 (all finite).
std::uint64_t patients_needed(double se_now, std::uint64_t n_now, double target_se);

}  // namespace mmsim::stats
