// Exact continuous-time discounting (sim/economics/discounting.hpp) against closed forms and an independent
// composite Simpson quadrature, on both branches (power series where rho h <= 1, recursion elsewhere).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>

#include "sim/economics/discounting.hpp"

namespace {

using namespace mmsim::economics;

double simpson(double rho, double a, double b, const Quadratic& q, int n = 20000) {
  auto f = [&](double t) { return (q.c0 + q.c1 * t + q.c2 * t * t) * std::exp(-rho * t); };
  const double h = (b - a) / n;
  double s = f(a) + f(b);
  for (int i = 1; i < n; ++i) s += (i % 2 ? 4.0 : 2.0) * f(a + i * h);
  return s * h / 3.0;
}

}  // namespace

TEST_CASE("the discount weight is the annual convention (1 + r)^-t in continuous time", "[economics]") {
  for (const double r : {0.0, 0.015, 0.03, 0.035, 0.1}) {
    const double rho = continuous_rate(r);
    for (const double t : {0.0, 0.5, 1.0, 2.0, 7.25, 40.0})
      CHECK(discount_factor(rho, t) == Approx(std::pow(1.0 + r, -t)).epsilon(1e-14));
  }
}

TEST_CASE("a constant rate integrates to (exp(-rho a) - exp(-rho b)) / rho", "[economics]") {
  const double rho = continuous_rate(0.035);
  for (const auto& [a, b] : {std::pair{0.0, 1.0}, {0.0, 10.0}, {2.5, 60.0}}) {
    const double closed = (std::exp(-rho * a) - std::exp(-rho * b)) / rho;
    CHECK(discounted_integral(rho, a, b) == Approx(closed).epsilon(1e-12));
  }
  // A tiny interval, where that difference cancels: the midpoint value is exact to O(h^3).
  const double h = (3.0 + 1e-9) - 3.0;  // the interval's length as a double
  CHECK(discounted_integral(rho, 3.0, 3.0 + h) == Approx(h * std::exp(-rho * (3.0 + h / 2))).epsilon(1e-12));
  CHECK(discounted_integral(0.0, 1.0, 4.5) == 3.5);
  CHECK(discounted_integral(rho, 4.0, 3.0) == 0.0);  // an empty interval
}

TEST_CASE("a quadratic (utility x age factor) integrates exactly on both branches", "[economics]") {
  const Quadratic q{0.8, -0.004, -0.00005};
  for (const double rho : {0.0, 0.03, 0.5, 3.0}) {
    for (const auto& [a, b] : {std::pair{0.0, 0.1}, {0.0, 1.0}, {1.0, 9.0}, {5.0, 45.0}}) {
      INFO("rho " << rho << " [" << a << ", " << b << ")");
      CHECK(discounted_integral(rho, a, b, q) == Approx(simpson(rho, a, b, q)).epsilon(1e-10));
    }
  }
  // Either side of the branch point rho h = 1 the two formulas agree.
  const double below = discounted_integral(1.0, 2.0, 2.0 + (1.0 - 1e-12), q);
  const double above = discounted_integral(1.0, 2.0, 2.0 + (1.0 + 1e-12), q);
  CHECK(below == Approx(above).epsilon(1e-10));
}

namespace {

// The power-series branch as first written: all 30 terms of every sum, h^(k+1) by pow with a run-time
// exponent (volatile, so the compiler cannot turn pow(h, 2) into h * h).
double thirty_term_series(double rho, double a, double b, const Quadratic& q) {
  const double h = b - a, x = rho * h;
  double j[3];
  for (int k = 0; k < 3; ++k) {
    double term = 1.0, sum = 0.0;
    for (int n = 0; n < 30; ++n) {
      sum += term / static_cast<double>(n + k + 1);
      term *= -x / static_cast<double>(n + 1);
    }
    volatile double exponent = k + 1;
    j[k] = sum * std::pow(h, exponent);
  }
  const double q0 = q.c0 + q.c1 * a + q.c2 * a * a, q1 = q.c1 + 2.0 * q.c2 * a, q2 = q.c2;
  return discount_factor(rho, a) * (q0 * j[0] + q1 * j[1] + q2 * j[2]);
}

}  // namespace

TEST_CASE("the power series stops early with the bits of all 30 terms", "[economics]") {
  // Fixed-seed xorshift draws of intervals from 1e-9 to ~30 years and rates 0-50%/yr, where rho h <= 1.
  std::uint64_t s = 0x9e3779b97f4a7c15ull;
  auto uniform = [&] {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return static_cast<double>(s >> 11) * 0x1p-53;
  };
  int series = 0;
  for (int i = 0; i < 200000; ++i) {
    const double rho = i % 4 == 0 ? 0.0 : continuous_rate(0.5 * uniform());
    const double a = 10.0 * uniform(), h = std::pow(10.0, -9.0 + 10.5 * uniform());
    const Quadratic q{uniform(), -0.01 * uniform(), -0.001 * uniform()};
    if (!(rho * h <= 1.0)) continue;
    ++series;
    const double expected = thirty_term_series(rho, a, a + h, q);
    if (discounted_integral(rho, a, a + h, q) != expected) {
      INFO("rho " << rho << " a " << a << " h " << h);
      REQUIRE(discounted_integral(rho, a, a + h, q) == expected);
    }
  }
  CHECK(series > 100000);
}

// Both branches for the discounted value (rho h above and below 1), the closed form of a constant rate, an
// empty interval.
TEST_CASE("the discounted and undiscounted pair has the bits of the two integrals", "[economics]") {
  const double rho = continuous_rate(0.035);
  for (const Quadratic& q : {Quadratic{0.8, 0.0, 0.0}, Quadratic{0.7, -0.003, -0.00004}}) {
    for (const auto& [a, b] : {std::pair{0.0, 1e-7}, {0.3, 0.9}, {2.0, 9.5}, {1.0, 40.0}, {5.0, 4.0}}) {
      INFO("[" << a << ", " << b << ") c1 " << q.c1);
      const DiscountedPair p = discounted_integrals(rho, a, b, q);
      CHECK(p.discounted == discounted_integral(rho, a, b, q));
      CHECK(p.undiscounted == discounted_integral(0.0, a, b, q));
    }
  }
}
