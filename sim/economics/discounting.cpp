#include "sim/economics/discounting.hpp"

#include <array>

namespace mmsim::economics {
namespace {

// J_0, J_1, J_2 of discounted_integral for x = rho h.
std::array<double, 3> shifted_moments(double rho, double h) {
  const double x = rho * h;
  std::array<double, 3> j{};
  if (x <= 1.0) {
    // J_k = h^{k+1} sum_n (-x)^n / (n! (n + k + 1)); 30 terms leave < 1e-32 of the sum at x = 1.
    for (int k = 0; k < 3; ++k) {
      double term = 1.0, sum = 0.0;
      for (int n = 0; n < 30; ++n) {
        sum += term / static_cast<double>(n + k + 1);
        term *= -x / static_cast<double>(n + 1);
      }
      j[static_cast<std::size_t>(k)] = sum * std::pow(h, k + 1);
    }
    return j;
  }
  const double e = std::exp(-x);
  j[0] = -std::expm1(-x) / rho;
  j[1] = (j[0] - h * e) / rho;
  j[2] = (2.0 * j[1] - h * h * e) / rho;
  return j;
}

}  // namespace

double discounted_integral(double rho, double a, double b, const Quadratic& q) {
  if (!(b > a)) return 0.0;
  const double h = b - a;
  if (q.c1 == 0.0 && q.c2 == 0.0) {  // a constant rate: the closed form, exact to rounding
    const double j0 = rho == 0.0 ? h : -std::expm1(-rho * h) / rho;
    return discount_factor(rho, a) * q.c0 * j0;
  }
  // p(a + s) = q0 + q1 s + q2 s^2
  const double q0 = q.c0 + q.c1 * a + q.c2 * a * a;
  const double q1 = q.c1 + 2.0 * q.c2 * a;
  const double q2 = q.c2;
  const std::array<double, 3> j = shifted_moments(rho, h);
  return discount_factor(rho, a) * (q0 * j[0] + q1 * j[1] + q2 * j[2]);
}

}  // namespace mmsim::economics
