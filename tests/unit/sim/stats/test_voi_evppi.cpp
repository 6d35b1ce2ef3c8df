// EVPPI by GAM regression (sim/stats/voi_evppi.hpp) against brute-force truths on small problems whose inner
// expectation E[INB | group] is known analytically, and against a nested (two-level) Monte Carlo.
// Tolerance: 4 x sqrt(se_fit^2 + se_outer^2), se_fit the estimator's own SE (Strong et al.'s posterior
// draws) and se_outer the Monte Carlo SE of the outer mean, sd(max(0, E[INB | group])) / sqrt(n): the
// regression estimate averages the fitted maxima over the n simulations of the sample, so it carries both.
// Also checked: a parameter that does not enter the INB has EVPPI ~0; EVPPI never exceeds EVPI by more than
// the tolerance; the spline basis reproduces linear functions and its penalty is the integrated f''^2.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "sim/stats/voi_decision.hpp"
#include "sim/stats/voi_evppi.hpp"
#include "sim/stats/voi_spline.hpp"
#include "tests/unit/sim/stats/voi_test_support.hpp"

using namespace mmsim::stats::voi;

namespace {

// Two strategies at WTP 1 (NB_0 = 0, NB_1 = INB) with parameters theta (n x 3).
struct Problem {
  PsaSample sample;
  std::vector<double> inner;  // E[INB | group] at each simulation (the analytic inner expectation)
};

template <class Inb, class Inner>
Problem make_problem(std::size_t n, std::uint64_t seed, Inb&& inb, Inner&& inner) {
  Problem p;
  p.sample.strategies = {"reference", "new"};
  p.sample.parameters = {"t1", "t2", "t3"};
  p.sample.simulations = n;
  mmsim::test::Deviates dev(seed);
  for (std::size_t i = 0; i < n; ++i) {
    const double t1 = dev.normal(), t2 = dev.normal(), t3 = dev.normal();
    p.sample.parameter_values.insert(p.sample.parameter_values.end(), {t1, t2, t3});
    p.sample.costs.insert(p.sample.costs.end(), {0.0, 0.0});
    p.sample.effects.insert(p.sample.effects.end(), {0.0, inb(t1, t2, t3)});
    p.inner.push_back(inner(t1, t2));
  }
  return p;
}

double outer_se(const std::vector<double>& inner) {
  std::vector<double> pos;
  for (const double g : inner) pos.push_back(std::max(0.0, g));
  return mmsim::test::sample_sd(pos) / std::sqrt(static_cast<double>(inner.size()));
}

}  // namespace

TEST_CASE("EVPPI of one parameter with a linear inner expectation matches the closed form", "[stats][voi]") {
  // INB = a + b t1 + c t2: E[INB | t1] = a + b t1 ~ N(a, b^2), EVPPI(t1) = E[max(0, .)] - max(0, a).
  const double a = 0.2, b = 1.0, c = 2.0;
  const auto p = make_problem(
      4000, 11, [&](double t1, double t2, double) { return a + b * t1 + c * t2; },
      [&](double t1, double) { return a + b * t1; });
  const double truth = mmsim::test::expected_positive_part(a, b) - a;
  const EvppiResult r = evppi(p.sample, {"t1", {0}}, 1.0, {});
  const double tol = 4.0 * std::hypot(r.se, outer_se(p.inner));
  INFO("EVPPI " << r.evppi << " truth " << truth << " SE " << r.se << " tolerance " << tol);
  CHECK(std::abs(r.evppi - truth) <= tol);
  CHECK(r.se > 0.0);
  // t3 does not enter the INB: its EVPPI is ~0 (within the estimator's SE scale and the outer error).
  const EvppiResult none = evppi(p.sample, {"t3", {2}}, 1.0, {});
  CHECK(none.evppi >= 0.0);
  CHECK(none.evppi <= tol);
  // EVPPI does not exceed EVPI (up to the tolerance).
  const auto d = analyse_decision(p.sample, std::vector<double>{1.0});
  CHECK(r.evppi <= d[0].evpi + tol);
}

TEST_CASE("EVPPI of one parameter with a curved inner expectation matches a quadrature", "[stats][voi]") {
  // INB = a + b (t1^2 - 1) + c t2: E[INB | t1] = a + b (t1^2 - 1), a U-shaped function.
  const double a = -0.3, b = 0.6, c = 1.0;
  const auto p = make_problem(
      4000, 12, [&](double t1, double t2, double) { return a + b * (t1 * t1 - 1.0) + c * t2; },
      [&](double t1, double) { return a + b * (t1 * t1 - 1.0); });
  const double truth =
      mmsim::test::normal_expectation([&](double z) { return std::max(0.0, a + b * (z * z - 1.0)); }) -
      std::max(0.0, a);
  const EvppiResult r = evppi(p.sample, {"t1", {0}}, 1.0, {});
  const double tol = 4.0 * std::hypot(r.se, outer_se(p.inner));
  INFO("EVPPI " << r.evppi << " truth " << truth << " SE " << r.se << " tolerance " << tol);
  CHECK(std::abs(r.evppi - truth) <= tol);
  CHECK(r.edf.at(0) > 2.5);  // the fit is not a straight line
}

TEST_CASE("EVPPI of two parameters matches the analytic inner expectation and a nested Monte Carlo",
          "[stats][voi]") {
  // INB = t1 t2 + 0.5 t1 + 0.3 + t3: E[INB | t1, t2] = t1 t2 + 0.5 t1 + 0.3, and given t1 alone this is
  // N(0.5 t1 + 0.3, t1^2), so the truth is a one-dimensional quadrature of E[max(0, N(m, s^2))].
  auto inner = [](double t1, double t2) { return t1 * t2 + 0.5 * t1 + 0.3; };
  const auto p = make_problem(
      3000, 13, [&](double t1, double t2, double t3) { return inner(t1, t2) + t3; }, inner);
  const double truth = mmsim::test::normal_expectation([](double z) {
                         return mmsim::test::expected_positive_part(0.5 * z + 0.3, std::abs(z));
                       }) -
                       0.3;
  const EvppiResult r = evppi(p.sample, {"t1t2", {0, 1}}, 1.0, {});
  const double tol = 4.0 * std::hypot(r.se, outer_se(p.inner));
  INFO("EVPPI " << r.evppi << " truth " << truth << " SE " << r.se << " tolerance " << tol);
  CHECK(std::abs(r.evppi - truth) <= tol);

  // The two-level Monte Carlo the regression replaces: 1000 outer draws of (t1, t2), 1000 inner draws of t3
  // each; its SE is the outer SD over sqrt(1000) (the inner means' bias, var(t3)/1000 per draw, is far
  // smaller).
  mmsim::test::Deviates dev(99);
  const int outer = 1000, inner_n = 1000;
  std::vector<double> maxima;
  double overall = 0.0;
  for (int i = 0; i < outer; ++i) {
    const double t1 = dev.normal(), t2 = dev.normal();
    double mean = 0.0;
    for (int j = 0; j < inner_n; ++j) mean += (inner(t1, t2) + dev.normal()) / inner_n;
    maxima.push_back(std::max(0.0, mean));
    overall += mean / outer;
  }
  double nested = 0.0;
  for (const double m : maxima) nested += m / outer;
  nested -= std::max(0.0, overall);
  const double nested_se = mmsim::test::sample_sd(maxima) / std::sqrt(static_cast<double>(outer));
  INFO("nested " << nested << " SE " << nested_se);
  CHECK(std::abs(nested - truth) <= 4.0 * nested_se);
  CHECK(std::abs(r.evppi - nested) <= 4.0 * std::hypot(tol / 4.0, nested_se));
}

TEST_CASE("EVPPI refuses groups it cannot fit", "[stats][voi]") {
  auto p = make_problem(
      200, 14, [](double t1, double, double) { return t1; }, [](double t1, double) { return t1; });
  CHECK_THROWS_AS(evppi(p.sample, {"none", {}}, 1.0, {}), std::invalid_argument);
  CHECK_THROWS_AS(evppi(p.sample, {"five", {0, 1, 2, 0, 1}}, 1.0, {}), std::invalid_argument);
  for (std::size_t i = 0; i < p.sample.simulations; ++i) p.sample.parameter_values[i * 3 + 2] = 1.0;
  CHECK_THROWS_WITH(evppi(p.sample, {"fixed", {2}}, 1.0, {}), Catch::Contains("does not vary"));
}

TEST_CASE("The cr basis interpolates knot values and its penalty is the integrated squared f''",
          "[stats][voi]") {
  std::vector<double> x;
  for (int i = 0; i <= 2000; ++i) x.push_back(std::pow(i / 2000.0, 1.5) * 3.0);  // uneven spacing
  const std::size_t k = 7;
  const PenalizedBasis basis = cubic_regression_spline(x, k);
  const std::vector<double> knots = cr_knots(x, k);
  // A linear function of the knots is reproduced everywhere and has zero penalty.
  const std::vector<double> b_lin = [&] {
    std::vector<double> b;
    for (const double kn : knots) b.push_back(2.0 - 0.5 * kn);
    return b;
  }();
  double penalty_lin = 0.0;
  for (std::size_t i = 0; i < k; ++i)
    for (std::size_t j = 0; j < k; ++j) penalty_lin += b_lin[i] * basis.penalties[0](i, j) * b_lin[j];
  CHECK(std::abs(penalty_lin) < 1e-9);
  for (std::size_t r = 0; r < x.size(); r += 97) {
    double f = 0.0;
    for (std::size_t c = 0; c < k; ++c) f += basis.model(r, c) * b_lin[c];
    CHECK(f == Approx(2.0 - 0.5 * x[r]).margin(1e-12));
  }
  // Arbitrary knot values: b'Sb equals the integral of f''^2.
  const std::vector<double> b{0.0, 1.0, -1.0, 2.0, 0.5, -0.5, 1.5};
  double bsb = 0.0;
  for (std::size_t i = 0; i < k; ++i)
    for (std::size_t j = 0; j < k; ++j) bsb += b[i] * basis.penalties[0](i, j) * b[j];
  // f'' at the knots (natural ends; interior from the tridiagonal system B delta = D b, solved here
  // independently by the Thomas algorithm), then the exact integral of the piecewise-linear f''^2.
  double integral = 0.0;
  std::vector<double> delta(k, 0.0);  // f'' at the knots: natural ends, interior from B^-1 D b
  {
    std::vector<double> hk(k - 1);
    for (std::size_t j = 0; j + 1 < k; ++j) hk[j] = knots[j + 1] - knots[j];
    // Solve the tridiagonal system B delta_int = D b (Thomas algorithm).
    const std::size_t m = k - 2;
    std::vector<double> diag(m), off(m), rhs(m);
    for (std::size_t i = 0; i < m; ++i) {
      diag[i] = (hk[i] + hk[i + 1]) / 3.0;
      off[i] = hk[i + 1] / 6.0;
      rhs[i] = b[i] / hk[i] - b[i + 1] * (1.0 / hk[i] + 1.0 / hk[i + 1]) + b[i + 2] / hk[i + 1];
    }
    for (std::size_t i = 1; i < m; ++i) {
      const double w = off[i - 1] / diag[i - 1];
      diag[i] -= w * off[i - 1];
      rhs[i] -= w * rhs[i - 1];
    }
    std::vector<double> sol(m);
    sol[m - 1] = rhs[m - 1] / diag[m - 1];
    for (std::size_t i = m - 1; i-- > 0;) sol[i] = (rhs[i] - off[i] * sol[i + 1]) / diag[i];
    for (std::size_t i = 0; i < m; ++i) delta[i + 1] = sol[i];
    // f'' is linear between knots: integral of (d0 + (d1 - d0) u)^2 over [0, h] = h (d0^2 + d0 d1 + d1^2)
    // / 3.
    for (std::size_t j = 0; j + 1 < k; ++j)
      integral += hk[j] * (delta[j] * delta[j] + delta[j] * delta[j + 1] + delta[j + 1] * delta[j + 1]) / 3.0;
  }
  CHECK(bsb == Approx(integral).epsilon(1e-10));
  // The basis's f at the data has those second derivatives: f'' by finite differences of f over the (fine,
  // uneven) data agrees with the linear interpolation of delta.
  for (std::size_t r = 200; r + 200 < x.size(); r += 300) {
    auto f_at = [&](std::size_t i) {
      double v = 0.0;
      for (std::size_t c = 0; c < k; ++c) v += basis.model(i, c) * b[c];
      return v;
    };
    const double h1 = x[r] - x[r - 1], h2 = x[r + 1] - x[r];
    const double second = 2.0 * ((f_at(r + 1) - f_at(r)) / h2 - (f_at(r) - f_at(r - 1)) / h1) / (h1 + h2);
    std::size_t j = 0;
    while (j + 2 < k && x[r] > knots[j + 1]) ++j;
    const double u = (x[r] - knots[j]) / (knots[j + 1] - knots[j]);
    const double expected = delta[j] * (1.0 - u) + delta[j + 1] * u;
    CHECK(second == Approx(expected).margin(1e-3 * (1.0 + std::abs(expected))));
  }
}
