#pragma once
// Penalized regression splines for the regression estimate of EVPPI (Strong, Oakley & Brennan 2014, Med Decis
// Making 34:311): the conditional expectation of a strategy's incremental net benefit given a parameter group
// is a smooth function of the group's parameters, estimated from the PSA sample itself.
//
// One parameter: a cubic regression spline, the basis mgcv calls "cr" (Wood 2017, Generalized Additive
// Models, 2nd ed., section 5.3.1): a natural cubic spline parametrized by its values at k knots placed at
// evenly spaced quantiles of the parameter's distinct values, penalized by the integrated squared second
// derivative (S = D' B^-1 D). Two to four parameters: the tensor product of such margins (mgcv's te(), Wood
// 2017 section 5.6), one penalty per margin (S_j = I x .. x S_j x .. x I). The constant function lies in
// every basis, so no separate intercept or centring constraint is needed: the fitted values equal those of
// mgcv's gam(y ~ s(x, bs = "cr", k = K)) or gam(y ~ te(x1, x2, bs = "cr", k = K)) for the same smoothing
// parameters.
//
// The smoothing parameters minimise the GCV score n RSS / (n - edf)^2 (mgcv's method = "GCV.Cp" for a known
// Gaussian family with unknown scale): a grid over log lambda, then golden-section refinement,
// coordinate-wise for several penalties. Each penalty is scaled to the Frobenius norm of X'X first, so lambda
// = 1 weighs data and wiggliness alike.
#include <cstddef>
#include <span>
#include <vector>

#include "sim/stats/voi_dense.hpp"

namespace mmsim::stats::voi {

struct PenalizedBasis {
  DenseMatrix model;                   // n x p: basis functions evaluated at the data
  std::vector<DenseMatrix> penalties;  // p x p each, symmetric positive semi-definite
};

// The k knots of a cubic regression spline on `x`: the distinct values sorted, and knot j at fractional
// position j (m - 1) / (k - 1) of those m values (linear interpolation), so the first and last knots are the
// smallest and largest values. Throws std::invalid_argument when x has fewer than k distinct values.
std::vector<double> cr_knots(std::span<const double> x, std::size_t k);

// The cr basis and its penalty at `x` with `k` knots (k >= 3).
PenalizedBasis cubic_regression_spline(std::span<const double> x, std::size_t k);

// The tensor product of margins built on the same n data points (row-wise Kronecker product of the model
// matrices, the first margin varying slowest), with one penalty per margin.
PenalizedBasis tensor_product(const std::vector<PenalizedBasis>& margins);

struct SmoothFit {
  std::vector<double> fitted;        // n fitted values
  std::vector<double> coefficients;  // p
  std::vector<double> log_lambda;    // natural log of each smoothing parameter (of the scaled penalty)
  double edf = 0.0;                  // effective degrees of freedom, tr of the hat matrix
  double gcv = 0.0;                  // n RSS / (n - edf)^2 at the optimum
  double rss = 0.0;
  double sigma2 = 0.0;  // residual variance RSS / (n - edf), the scale of the coefficients' posterior
  DenseMatrix penalized_cholesky;  // L with L L' = X'X + sum lambda_j S_j
};

// Fits y on the basis with GCV-chosen smoothing parameters. Throws std::invalid_argument when y's length is
// not the basis's row count, or there are fewer rows than basis functions.
SmoothFit fit_penalized_gcv(const PenalizedBasis& basis, std::span<const double> y);

// Fitted values for the coefficients b + sqrt(sigma2) L'^-1 z, a draw from the coefficients' approximate
// posterior N(b, sigma2 (X'X + S)^-1) (Wood 2017 section 6.10) given standard normal deviates z (length p).
std::vector<double> posterior_fitted_draw(const PenalizedBasis& basis, const SmoothFit& fit,
                                          std::span<const double> z);

}  // namespace mmsim::stats::voi
