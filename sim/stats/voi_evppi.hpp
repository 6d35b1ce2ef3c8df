#pragma once
// Expected value of partial perfect information (EVPPI) of a group of parameters by nonparametric regression
// on the PSA sample (Strong, Oakley & Brennan 2014, Med Decis Making 34:311-326,
// doi:10.1177/0272989X13505910).
//
// For each strategy d other than the first (the reference), the incremental net benefit INB_id = NB_id -
// NB_i0 at the WTP is regressed on the group's parameters theta_i with a GAM (voi_spline.hpp: one cr smooth
// for one parameter, the tensor product of cr margins for two to four); the fitted values g_d(theta_i)
// estimate E[INB_d | theta_i]. With g_0 = 0,
//     EVPPI = mean_i max_d g_d(theta_i) - max_d mean_i g_d(theta_i).
// Its standard error follows Strong et al. (section "Standard error"): draws of each g_d from the approximate
// posterior of the regression coefficients, N(b, sigma^2 (X'X + S)^-1), give draws of the EVPPI whose
// standard deviation is the SE due to the regression fit on this sample (the Monte Carlo error of the PSA
// sample itself enters through sigma^2). The draws use counter-based streams keyed by `seed`, so results are
// reproducible.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/stats/voi_decision.hpp"

namespace mmsim::stats::voi {

struct ParameterGroup {
  std::string name;
  std::vector<std::size_t> parameters;  // indices into PsaSample::parameters; 1 to 4 of them
};

struct EvppiOptions {
  // Knots per margin: 0 = the default, 10 for one parameter (mgcv's default k of s()), 5 per margin for two
  // (mgcv's default k of te()), 4 for three or four (64 and 256 basis functions).
  std::size_t knots = 0;
  std::size_t posterior_draws = 500;
  std::uint64_t seed = 20140301;
};

inline constexpr std::size_t kMaxGroupParameters = 4;

struct EvppiResult {
  std::string group;
  double wtp = 0.0;
  double evppi = 0.0;
  double se = 0.0;
  std::size_t knots = 0;
  std::vector<double> edf;  // per non-reference strategy, the fit's effective degrees of freedom
};

std::size_t default_knots(std::size_t group_size);

// Throws std::invalid_argument when the group is empty, has more than four parameters, names a parameter that
// does not vary, or the sample is too small for the basis.
EvppiResult evppi(const PsaSample& sample, const ParameterGroup& group, double wtp,
                  const EvppiOptions& options);

}  // namespace mmsim::stats::voi
