#pragma once
// Which fitted parameters the targets pin down (docs/calibration.md, the fit table's "Identifiability"): the
// Gauss-Newton curvature J'J of the objective at the fit, in unit coordinates, its eigen-directions, and the
// parameters at a bound.
#include <functional>
#include <string>
#include <vector>

#include "sim/calibration/parameter_space.hpp"
#include "sim/calibration/symmetric_eigen.hpp"

namespace mmsim::calibration {

// The residuals at a unit point; throws InputError where the point is an invalid parameter combination.
using ResidualFunction = std::function<std::vector<double>(const std::vector<double>& u)>;

// J'J at u, J from central differences of the residuals (step h of each range, one-sided at a bound). A
// parameter whose shifted points are invalid keeps a zero row and column. Prints progress on stderr.
Matrix curvature(const ResidualFunction& residuals, const std::vector<double>& u, double h = 0.02);

// The Markdown section: per parameter its value, range, whether it is at a bound and its sensitivity
// (sqrt of the J'J diagonal); the eigen-directions of J'J, flattest first; a summary.
std::string identifiability_section(const ParameterSpace& space, const std::vector<double>& u,
                                    const Matrix& jtj);

}  // namespace mmsim::calibration
