#include "sim/economics/discounting.hpp"

#include <array>
#include <cmath>

namespace mmsim::economics {
namespace {

// Whether `added`, just added to the positive `sum`, and every later term of the series leave the sum as it
// is. For 0 <= x <= 1 the terms' magnitudes never grow (|term| * x / (n + 1) over a larger divisor, and
// rounding is monotone), and a term below a quarter of the sum's ulp rounds away: sum * 2^-55 is below
// ulp(sum) / 4 for any normal sum. So stopping here gives the bits of the full 30-term sum.
bool negligible(double added, double sum) {
  return std::fabs(added) < sum * 0x1p-55;
}

// libm's pow(h, e). The exponent is read through a volatile: given a constant 2 the compiler emits h * h,
// which can differ from pow in the last bit, and the figures mmsim publishes are pow's.
double libm_pow(double h, double e) {
  volatile double exponent = e;
  return std::pow(h, exponent);
}

// h^2 and h^3 by libm's pow.
struct Powers {
  double h2 = 0.0, h3 = 0.0;
};
Powers powers(double h) {
  return {libm_pow(h, 2.0), libm_pow(h, 3.0)};
}

// J_0, J_1, J_2 of discounted_integral for x = rho h, given h's powers.
std::array<double, 3> shifted_moments(double rho, double h, const Powers& p) {
  const double x = rho * h;
  std::array<double, 3> j{};
  if (x <= 1.0) {
    // J_k = h^{k+1} sum_n (-x)^n / (n! (n + k + 1)); 30 terms leave < 1e-32 of the sum at x = 1. The three
    // sums share their terms (-x)^n / n! and stop where the remaining terms cannot change them: the bits of
    // all 30 terms for fewer divisions.
    std::array<double, 3> sum{};
    double term = 1.0;
    for (int n = 0; n < 30; ++n) {
      bool unchanged = true;
      for (std::size_t k = 0; k < 3; ++k) {
        const double added = term / static_cast<double>(n + static_cast<int>(k) + 1);
        sum[k] += added;
        unchanged = unchanged && negligible(added, sum[k]);
      }
      if (x >= 0.0 && unchanged) break;
      term *= -x / static_cast<double>(n + 1);
    }
    // h^1 is h: libm's pow is within ~2^-68 before its final rounding, so pow(h, 1) == h exactly.
    j[0] = sum[0] * h;
    j[1] = sum[1] * p.h2;
    j[2] = sum[2] * p.h3;
    return j;
  }
  const double e = std::exp(-x);
  j[0] = -std::expm1(-x) / rho;
  j[1] = (j[0] - h * e) / rho;
  j[2] = (2.0 * j[1] - h * h * e) / rho;
  return j;
}

// The quadratic's integral from the moments J_k of [a, a + h): shifted to s = t - a,
// p(a + s) = q0 + q1 s + q2 s^2.
double from_moments(double rho, double a, const Quadratic& q, const std::array<double, 3>& j) {
  const double q0 = q.c0 + q.c1 * a + q.c2 * a * a;
  const double q1 = q.c1 + 2.0 * q.c2 * a;
  const double q2 = q.c2;
  return discount_factor(rho, a) * (q0 * j[0] + q1 * j[1] + q2 * j[2]);
}

double constant_rate(double rho, double a, double h, double c0) {
  const double j0 = rho == 0.0 ? h : -std::expm1(-rho * h) / rho;
  return discount_factor(rho, a) * c0 * j0;
}

}  // namespace

double discounted_integral(double rho, double a, double b, const Quadratic& q) {
  if (!(b > a)) return 0.0;
  const double h = b - a;
  if (q.c1 == 0.0 && q.c2 == 0.0)
    return constant_rate(rho, a, h, q.c0);  // the closed form, exact to rounding
  const bool series = rho * h <= 1.0;
  return from_moments(rho, a, q, shifted_moments(rho, h, series ? powers(h) : Powers{}));
}

DiscountedPair discounted_integrals(double rho, double a, double b, const Quadratic& q) {
  if (!(b > a)) return {};
  const double h = b - a;
  if (q.c1 == 0.0 && q.c2 == 0.0) return {constant_rate(rho, a, h, q.c0), constant_rate(0.0, a, h, q.c0)};
  const Powers p = powers(h);  // rho = 0 takes the series, whose sums are 1, 1/2 and 1/3 exactly
  return {from_moments(rho, a, q, shifted_moments(rho, h, p)),
          from_moments(0.0, a, q, shifted_moments(0.0, h, p))};
}

}  // namespace mmsim::economics
