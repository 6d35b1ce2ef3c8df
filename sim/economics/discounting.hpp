#pragma once
// Exact continuous-time discounting (docs/economics.md): a quantity at time t years is weighted by
// (1 + r)^-t = exp(-rho t), rho = ln(1 + r), and flows are integrated exactly over each interval. No cycles,
// no half-cycle correction.
#include <cmath>

namespace mmsim::economics {

inline constexpr double kMonthsPerYear = 12.0;

// rho of an annual rate r: (1 + r)^-t = exp(-rho t).
inline double continuous_rate(double annual_rate) {
  return std::log1p(annual_rate);
}

// The weight exp(-rho t) of a one-off at t years.
inline double discount_factor(double rho, double t) {
  return std::exp(-rho * t);
}

// A quadratic c0 + c1 t + c2 t^2 in t years (a utility times its age factor, or a constant rate).
struct Quadratic {
  double c0 = 1.0, c1 = 0.0, c2 = 0.0;
};

// integral_a^b (c0 + c1 t + c2 t^2) exp(-rho t) dt, exactly (a <= b, years). Shifted to s = t - a, the
// integrals J_k = integral_0^h s^k exp(-rho s) ds are summed as their power series where rho h <= 1 (the
// closed forms cancel there) and from the closed-form recursion J_k = (k J_{k-1} - h^k exp(-rho h)) / rho
// elsewhere; rho = 0 gives the undiscounted integral.
double discounted_integral(double rho, double a, double b, const Quadratic& q = {});

// {discounted_integral(rho, a, b, q), discounted_integral(0, a, b, q)}, the same bits, for the price of
// about one: the two share the powers of b - a (a QALY is accrued discounted and undiscounted over each
// interval).
struct DiscountedPair {
  double discounted = 0.0, undiscounted = 0.0;
};
DiscountedPair discounted_integrals(double rho, double a, double b, const Quadratic& q);

}  // namespace mmsim::economics
