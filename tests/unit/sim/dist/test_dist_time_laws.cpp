// Time-to-event laws (sim/dist/time_laws.hpp).
//
// References, by law:
//   exponential, weibull, lognormal, gamma  Boost.Math distributions (pdf, cdf, complement, quantile, hazard,
//   chf); loglogistic                             Boost.Math logistic distribution of log T (log T ~
//   Logistic(log scale,
//                                           1/shape));
//   gompertz                                Gauss-Kronrod integration of the hazard b e^{at}, and S written
//   out; piecewise exponential                   the cumulative hazard summed interval by interval, written
//   out here; every law                               identities: quantile(cdf(t)) = t,
//   inv_cumhazard(cumhazard(t)) = t,
//                                           hazard = pdf / survival, dH/dt = hazard (central difference).
// Sampler tests are Kolmogorov-Smirnov at alpha = 0.001 (test_dist_support.hpp), n = 20000, fixed seeds.
#include <boost/math/distributions/exponential.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/logistic.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/weibull.hpp>
#include <boost/math/quadrature/gauss_kronrod.hpp>

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <memory>
#include <numbers>
#include <string>
#include <vector>

#include "sim/core/numeric.hpp"
#include "sim/dist/time_laws.hpp"
#include "tests/unit/test_dist_support.hpp"

namespace {

using mmsim::kInf;
using mmsim::TimeDistribution;
using mmsim::TimeDistributionPtr;
using mmsim::test::ks_critical;
using mmsim::test::ks_statistic;
using mmsim::test::rel_close;

struct Case {
  std::string name;
  TimeDistributionPtr law;
  double plateau = 1.0;  // cdf(inf): below 1 for a defective law
};

std::vector<Case> all_laws() {
  return {
      {"exponential", std::make_shared<mmsim::Exponential>(0.05)},
      {"weibull increasing", std::make_shared<mmsim::Weibull>(1.7, 12.0)},
      {"weibull decreasing", std::make_shared<mmsim::Weibull>(0.6, 3.0)},
      {"gompertz", std::make_shared<mmsim::Gompertz>(0.08, 0.01)},
      {"gompertz defective", std::make_shared<mmsim::Gompertz>(-0.05, 0.1), -std::expm1(0.1 / -0.05)},
      {"lognormal", std::make_shared<mmsim::LogNormal>(2.1, 0.8)},
      {"loglogistic", std::make_shared<mmsim::LogLogistic>(1.8, 10.0)},
      {"loglogistic decreasing", std::make_shared<mmsim::LogLogistic>(0.7, 5.0)},
      {"gamma", std::make_shared<mmsim::Gamma>(2.5, 0.2)},
      {"gamma shape < 1", std::make_shared<mmsim::Gamma>(0.5, 1.3)},
      {"gamma large shape", std::make_shared<mmsim::Gamma>(30.0, 2.0)},
      {"piecewise", std::make_shared<mmsim::PiecewiseExponential>(std::vector<double>{0.0, 6.0, 24.0},
                                                                  std::vector<double>{0.02, 0.08, 0.03})},
  };
}

// Probabilities spanning both tails, kept below a defective law's plateau.
std::vector<double> probe_probabilities(double plateau) {
  std::vector<double> out;
  for (double p : {1e-12, 1e-9, 1e-6, 1e-3, 0.05, 0.25, 0.5, 0.75, 0.95, 0.999, 1.0 - 1e-6, 1.0 - 1e-9}) {
    if (p < plateau * (1.0 - 1e-3)) out.push_back(p);
  }
  return out;
}

// Compares every function of `law` with a Boost.Math distribution at times t.
template <class BoostDist>
void check_against_boost(const TimeDistribution& law, const BoostDist& ref, const std::vector<double>& times,
                         double tol) {
  for (double t : times) {
    INFO(law.describe() << " at t = " << t);
    CHECK(rel_close(law.pdf(t), boost::math::pdf(ref, t), tol));
    CHECK(rel_close(law.cdf(t), boost::math::cdf(ref, t), tol));
    CHECK(rel_close(law.survival(t), boost::math::cdf(boost::math::complement(ref, t)), tol));
    CHECK(rel_close(law.hazard(t), boost::math::hazard(ref, t), tol));
    // Boost's chf is -log(Q), which loses precision where Q ~ 1: there the reference is -log1p(-P).
    const double p = boost::math::cdf(ref, t);
    CHECK(rel_close(law.cumhazard(t), p < 0.5 ? -std::log1p(-p) : boost::math::chf(ref, t), tol));
  }
  for (double p : probe_probabilities(1.0)) {
    INFO(law.describe() << " at p = " << p);
    CHECK(rel_close(law.quantile(p), boost::math::quantile(ref, p), tol));
  }
}

const std::vector<double> kTimes{1e-8, 1e-3, 0.1, 0.9, 3.0, 12.0, 30.0, 75.0, 150.0};

}  // namespace

TEST_CASE("exponential, weibull, lognormal and gamma match Boost.Math", "[dist][time]") {
  // Relative tolerance 1e-12: both sides are accurate to a few ulps in this range.
  check_against_boost(mmsim::Exponential(0.05), boost::math::exponential_distribution<>(0.05), kTimes, 1e-12);
  check_against_boost(mmsim::Weibull(1.7, 12.0), boost::math::weibull_distribution<>(1.7, 12.0), kTimes,
                      1e-12);
  check_against_boost(mmsim::Weibull(0.6, 3.0), boost::math::weibull_distribution<>(0.6, 3.0), kTimes, 1e-12);
  check_against_boost(mmsim::LogNormal(2.1, 0.8), boost::math::lognormal_distribution<>(2.1, 0.8), kTimes,
                      1e-12);
  check_against_boost(mmsim::Gamma(2.5, 0.2), boost::math::gamma_distribution<>(2.5, 1.0 / 0.2), kTimes,
                      1e-12);
  check_against_boost(mmsim::Gamma(0.5, 1.3), boost::math::gamma_distribution<>(0.5, 1.0 / 1.3), kTimes,
                      1e-12);
}

TEST_CASE("loglogistic matches Boost.Math's logistic law of log T", "[dist][time]") {
  // log T ~ Logistic(location log(scale), scale 1/shape): F_T(t) = F_L(log t), f_T(t) = f_L(log t) / t.
  const double shape = 1.8;
  const double scale = 10.0;
  const mmsim::LogLogistic law(shape, scale);
  const boost::math::logistic_distribution<> ref(std::log(scale), 1.0 / shape);
  for (double t : kTimes) {
    INFO("t = " << t);
    const double x = std::log(t);
    const double s = boost::math::cdf(boost::math::complement(ref, x));
    CHECK(rel_close(law.cdf(t), boost::math::cdf(ref, x), 1e-12));
    CHECK(rel_close(law.survival(t), s, 1e-12));
    CHECK(rel_close(law.pdf(t), boost::math::pdf(ref, x) / t, 1e-12));
    CHECK(
        rel_close(law.cumhazard(t), s > 0.5 ? -std::log1p(-boost::math::cdf(ref, x)) : -std::log(s), 1e-12));
    CHECK(rel_close(law.hazard(t), boost::math::pdf(ref, x) / t / s, 1e-12));
  }
  for (double p : probe_probabilities(1.0)) {
    INFO("p = " << p);
    CHECK(rel_close(law.quantile(p), std::exp(boost::math::quantile(ref, p)), 1e-12));
  }
}

TEST_CASE("gompertz matches the integrated hazard and its closed form", "[dist][time]") {
  for (const auto& [a, b] : std::vector<std::pair<double, double>>{{0.08, 0.01}, {-0.05, 0.1}, {1e-9, 0.2}}) {
    const mmsim::Gompertz law(a, b);
    for (double t : kTimes) {
      INFO("gompertz(" << a << ", " << b << ") at t = " << t);
      // Reference H(t) = integral_0^t b e^{a s} ds by 61-point Gauss-Kronrod; S and f written out directly.
      const double h_ref = boost::math::quadrature::gauss_kronrod<double, 61>::integrate(
          [&](double s) { return b * std::exp(a * s); }, 0.0, t, 0, 1e-15);
      CHECK(rel_close(law.cumhazard(t), h_ref, 1e-12));
      CHECK(rel_close(law.hazard(t), b * std::exp(a * t), 1e-14));
      CHECK(rel_close(law.survival(t), std::exp(-h_ref), 1e-12));
      CHECK(rel_close(law.pdf(t), b * std::exp(a * t) * std::exp(-h_ref), 1e-12));
    }
  }
  SECTION("shape 0 is the exponential law") {
    const mmsim::Gompertz g(0.0, 0.3);
    const mmsim::Exponential e(0.3);
    for (double t : kTimes) CHECK(rel_close(g.cumhazard(t), e.cumhazard(t), 1e-15));
    CHECK(rel_close(g.quantile(0.3), e.quantile(0.3), 1e-15));
  }
}

TEST_CASE("piecewise exponential matches the interval-by-interval cumulative hazard", "[dist][time]") {
  const std::vector<double> breaks{0.0, 6.0, 24.0, 60.0};
  const std::vector<double> rates{0.02, 0.08, 0.03, 0.5};
  const mmsim::PiecewiseExponential law(breaks, rates);
  for (double t : {0.5, 5.99, 6.0, 6.01, 23.0, 24.0, 40.0, 60.0, 61.0, 100.0}) {
    INFO("t = " << t);
    double h_ref = 0.0;
    double rate_ref = 0.0;
    for (std::size_t i = 0; i < breaks.size(); ++i) {
      const double end = i + 1 < breaks.size() ? breaks[i + 1] : kInf;
      h_ref += rates[i] * std::max(0.0, std::min(t, end) - breaks[i]);
      if (t >= breaks[i] && t < end) rate_ref = rates[i];
    }
    CHECK(rel_close(law.cumhazard(t), h_ref, 1e-14));
    CHECK(law.hazard(t) == rate_ref);  // right-continuous at the breaks
    CHECK(rel_close(law.survival(t), std::exp(-h_ref), 1e-14));
    CHECK(rel_close(law.pdf(t), rate_ref * std::exp(-h_ref), 1e-14));
  }
}

TEST_CASE("every law satisfies its identities", "[dist][time]") {
  for (const auto& c : all_laws()) {
    const TimeDistribution& law = *c.law;
    for (double p : probe_probabilities(c.plateau)) {
      const double t = law.quantile(p);
      INFO(c.name << ": " << law.describe() << " at p = " << p << ", t = " << t);
      REQUIRE(std::isfinite(t));
      REQUIRE(t > 0.0);
      // quantile(cdf(t)) = t. The cdf rounds to a relative 1e-16; that error is amplified by the condition
      // number |d log t / d log F| = F / (t f), which stays below ~1e3 here, hence 1e-11 (1e-9 near p = 1).
      CHECK(rel_close(law.quantile(law.cdf(t)), t, p > 0.999 ? 1e-9 : 1e-11));
      CHECK(rel_close(law.cdf(t), p, 1e-12));
      CHECK(rel_close(law.inv_cumhazard(law.cumhazard(t)), t, 1e-12));
      CHECK(rel_close(law.hazard(t), law.pdf(t) / law.survival(t), 1e-12));
      // H = -log S, computed as -log1p(-F) where F is small (log S near 0 cancels there).
      const double h_ref = law.cdf(t) < 0.5 ? -std::log1p(-law.cdf(t)) : -std::log(law.survival(t));
      CHECK(rel_close(law.cumhazard(t), h_ref, 1e-12));
      CHECK(std::abs(law.cdf(t) + law.survival(t) - 1.0) <= 1e-15);
      // dH/dt = h by a central difference with step 1e-5 t: truncation ~1e-10 relative, rounding ~1e-11.
      const double dt = 1e-5 * t;
      const double slope = (law.cumhazard(t + dt) - law.cumhazard(t - dt)) / (2.0 * dt);
      CHECK(rel_close(slope, law.hazard(t), 1e-6));
    }
  }
}

TEST_CASE("every law is well behaved at the ends of its support", "[dist][time]") {
  for (const auto& c : all_laws()) {
    const TimeDistribution& law = *c.law;
    INFO(c.name << ": " << law.describe());
    CHECK(law.cdf(-1.0) == 0.0);
    CHECK(law.cdf(0.0) == 0.0);
    CHECK(law.survival(0.0) == 1.0);
    CHECK(law.cumhazard(0.0) == 0.0);
    CHECK(law.pdf(-1.0) == 0.0);
    CHECK(law.hazard(-1.0) == 0.0);
    CHECK(law.quantile(0.0) == 0.0);
    CHECK(law.inv_cumhazard(0.0) == 0.0);
    CHECK(law.quantile(1.0) == kInf);
    CHECK(law.inv_cumhazard(kInf) == kInf);
    CHECK(law.pdf(kInf) == 0.0);
    CHECK(rel_close(law.cdf(kInf), c.plateau, 1e-15));
    CHECK(std::isnan(law.quantile(1.5)));
    CHECK(std::isnan(law.quantile(-0.5)));
    // No NaN anywhere from 1e-300 to 1e300, and a monotone cumulative hazard.
    double previous = 0.0;
    for (int k = -300; k <= 300; k += 5) {
      const double t = std::pow(10.0, k);
      INFO("t = " << t);
      for (double v : {law.pdf(t), law.cdf(t), law.survival(t), law.hazard(t), law.cumhazard(t)}) {
        CHECK_FALSE(std::isnan(v));
        CHECK(v >= 0.0);
      }
      CHECK(law.cumhazard(t) >= previous);
      previous = law.cumhazard(t);
    }
  }
}

TEST_CASE("tails keep full precision", "[dist][time]") {
  SECTION("weibull early tail: cdf = x - x^2/2 + ..., x = (t/scale)^shape ~ 1e-12, no cancellation") {
    const mmsim::Weibull w(1.7, 12.0);
    const double x = std::pow(1e-6 / 12.0, 1.7);
    CHECK(rel_close(w.cdf(1e-6), x * (1.0 - 0.5 * x), 1e-14));
    CHECK(rel_close(w.quantile(w.cdf(1e-6)), 1e-6, 1e-14));
  }
  SECTION("gompertz with a tiny shape stays exponential (expm1, log1p)") {
    const mmsim::Gompertz g(1e-14, 0.2);
    CHECK(rel_close(g.cumhazard(10.0), 2.0, 1e-12));
    CHECK(rel_close(g.inv_cumhazard(2.0), 10.0, 1e-12));
  }
  SECTION("lognormal late tail, survival far below the smallest double") {
    const mmsim::LogNormal ln(0.0, 1.0);
    const double t = std::exp(45.0);  // z = 45: log S = -45^2/2 - log(45 sqrt(2 pi)) + O(1/z^2)
    const double h = ln.cumhazard(t);
    const double asymptotic = 0.5 * 45.0 * 45.0 + std::log(45.0 * std::sqrt(2.0 * std::numbers::pi));
    CHECK(ln.survival(t) == 0.0);
    CHECK(std::isfinite(h));
    CHECK(rel_close(h, asymptotic, 1e-6));
    CHECK(rel_close(ln.inv_cumhazard(h), t, 1e-12));
    CHECK(rel_close(ln.hazard(t), 45.0 / t, 1e-3));  // hazard ~ z / (sdlog t)
  }
  SECTION("gamma late tail, survival far below the smallest double") {
    // log Q(a, x) from the asymptotic series Q ~ x^{a-1} e^{-x} / Gamma(a) sum_k (a-1)...(a-k) / x^k,
    // accurate to 1e-16 with eight terms at x >= 700 (the terms fall by ~1/x each).
    const double a = 2.5;
    const mmsim::Gamma g(a, 1.0);
    for (double x : {650.0, 700.0, 720.0, 1000.0, 1e5}) {
      INFO("x = " << x);
      double term = 1.0;
      double sum = 1.0;
      for (int k = 1; k <= 8; ++k) {
        term *= (a - k) / x;
        sum += term;
      }
      const double log_q = (a - 1.0) * std::log(x) - x - std::lgamma(a) + std::log(sum);
      CHECK(rel_close(g.cumhazard(x), -log_q, 1e-13));
      CHECK(rel_close(g.inv_cumhazard(-log_q), x, 1e-13));
      CHECK(rel_close(g.hazard(x), 1.0 / sum, 1e-12));  // h = f / Q = 1 / sum
    }
  }
  SECTION("loglogistic late tail") {
    const mmsim::LogLogistic ll(1.8, 10.0);
    const double t = 1e200;  // H = shape log(t/scale) + log1p((t/scale)^-shape)
    CHECK(rel_close(ll.cumhazard(t), 1.8 * std::log(1e199), 1e-14));
    CHECK(rel_close(ll.inv_cumhazard(ll.cumhazard(t)), t, 1e-12));
  }
}

TEST_CASE("every sampler matches its cdf (Kolmogorov-Smirnov, alpha = 0.001)", "[dist][time][statistical]") {
  // One-sample KS against the law's own cdf, n = 20000, rejecting when D > 1.949 / sqrt(n) (asymptotic
  // critical value at alpha = 0.001). The cdf itself is checked against Boost.Math / closed forms above.
  const double critical = ks_critical(mmsim::test::kGofSamples);
  std::uint32_t purpose = 1;
  for (const auto& c : all_laws()) {
    auto rng = mmsim::test::test_stream(purpose++);
    std::vector<double> draws(mmsim::test::kGofSamples);
    for (double& x : draws) x = c.law->sample(rng);
    const double d = ks_statistic(draws, [&](double t) { return c.law->cdf(t); });
    INFO(c.name << ": " << c.law->describe() << ", D = " << d << ", critical " << critical);
    CHECK(d < critical);
  }
}

TEST_CASE("sample_conditional matches the conditional law under scaled hazards (KS, alpha = 0.001)",
          "[dist][time][statistical]") {
  // T | T > t0 with hazard hr h(t): F(t) = 1 - exp(-hr (H(t) - H(t0))) for t > t0. Checked with t0 at the
  // median and hr = 1.7 and 0.6 (hr != 1). KS as above: n = 20000, alpha = 0.001, critical 1.949 / sqrt(n).
  const double critical = ks_critical(mmsim::test::kGofSamples);
  std::uint32_t purpose = 100;
  for (const auto& c : all_laws()) {
    for (double hr : {1.7, 0.6}) {
      const double t0 = c.law->quantile(0.5 * c.plateau);
      auto rng = mmsim::test::test_stream(purpose++);
      std::vector<double> draws(mmsim::test::kGofSamples);
      for (double& x : draws) x = c.law->sample_conditional(rng, t0, hr);
      const double h0 = c.law->cumhazard(t0);
      const double d = ks_statistic(
          draws, [&](double t) { return t <= t0 ? 0.0 : -std::expm1(-hr * (c.law->cumhazard(t) - h0)); });
      INFO(c.name << ": " << c.law->describe() << ", t0 = " << t0 << ", hr = " << hr << ", D = " << d);
      CHECK(d < critical);
      CHECK(*std::min_element(draws.begin(), draws.end()) > t0);
    }
  }
}

TEST_CASE("defective gompertz: cured fraction and +infinity past the plateau", "[dist][time][statistical]") {
  const double a = -0.25;
  const double b = 0.15;
  const mmsim::Gompertz law(a, b);
  const double cure = std::exp(b / a);  // S(inf) = exp(b/a) = 0.5488
  CHECK(rel_close(law.cure_fraction(), cure, 1e-15));
  CHECK(rel_close(law.survival(kInf), cure, 1e-15));
  CHECK(law.quantile(1.0 - cure + 1e-9) == kInf);
  CHECK(std::isfinite(law.quantile(1.0 - cure - 1e-9)));
  CHECK(law.inv_cumhazard(-b / a) == kInf);
  CHECK(law.inv_cumhazard(-b / a * 1.01) == kInf);
  CHECK(std::isfinite(law.inv_cumhazard(-b / a * 0.99)));

  // The fraction of +infinity draws is binomial(n, cure): accept within 4 binomial standard errors
  // sqrt(cure (1 - cure) / n) (two-sided, false alarm probability 6e-5).
  auto rng = mmsim::test::test_stream(200);
  const std::size_t n = mmsim::test::kGofSamples;
  std::vector<double> draws(n);
  std::size_t infinite = 0;
  for (double& x : draws) {
    x = law.sample(rng);
    infinite += std::isinf(x) ? 1 : 0;
  }
  const double fraction = static_cast<double>(infinite) / static_cast<double>(n);
  const double se = std::sqrt(cure * (1.0 - cure) / static_cast<double>(n));
  INFO("fraction " << fraction << ", expected " << cure << ", se " << se);
  CHECK(std::abs(fraction - cure) < 4.0 * se);
  // And the finite draws follow the defective cdf (KS with the atom at +infinity, alpha = 0.001).
  CHECK(ks_statistic(draws, [&](double t) { return law.cdf(t); }) < ks_critical(n));
}

TEST_CASE("fast samplers are the inverse cumulative hazard of the same uniform", "[dist][time]") {
  // Common random numbers: sample(rng) and sample_conditional(rng, 0, 1) give the same draw from the same
  // stream position, so a hazard ratio of 1 and the fast path agree exactly.
  const std::vector<TimeDistributionPtr> laws{std::make_shared<mmsim::Exponential>(0.05),
                                              std::make_shared<mmsim::Weibull>(1.3, 20.0),
                                              std::make_shared<mmsim::LogNormal>(1.0, 0.5)};
  for (const auto& law : laws) {
    auto a = mmsim::test::test_stream(300);
    auto b = mmsim::test::test_stream(300);
    for (int i = 0; i < 1000; ++i) REQUIRE(law->sample(a) == law->sample_conditional(b, 0.0, 1.0));
  }
}

TEST_CASE("describe names the law and its parameters", "[dist][time]") {
  CHECK(mmsim::Exponential(0.05).describe() == "exponential(rate=0.05)");
  CHECK(mmsim::Weibull(1.2, 12.0).describe() == "weibull(shape=1.2, scale=12)");
  CHECK(mmsim::Gompertz(-0.1, 0.02).describe() == "gompertz(shape=-0.1, rate=0.02)");
  CHECK(mmsim::LogNormal(2.0, 0.5).describe() == "lognormal(meanlog=2, sdlog=0.5)");
  CHECK(mmsim::LogLogistic(1.5, 8.0).describe() == "loglogistic(shape=1.5, scale=8)");
  CHECK(mmsim::Gamma(2.0, 0.1).describe() == "gamma(shape=2, rate=0.1)");
  CHECK(mmsim::PiecewiseExponential({0.0, 12.0}, {0.1, 0.05}).describe() ==
        "piecewise_exponential(breaks=[0, 12], rates=[0.1, 0.05])");
}

TEST_CASE("constructors reject invalid parameters", "[dist][time]") {
  CHECK_THROWS_AS(mmsim::Exponential(0.0), std::invalid_argument);
  CHECK_THROWS_AS(mmsim::Weibull(-1.0, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(mmsim::Weibull(1.0, std::nan("")), std::invalid_argument);
  CHECK_THROWS_AS(mmsim::Gompertz(kInf, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(mmsim::LogNormal(0.0, 0.0), std::invalid_argument);
  CHECK_THROWS_AS(mmsim::Gamma(0.0, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(mmsim::PiecewiseExponential({0.0, 5.0, 5.0}, {1.0, 1.0, 1.0}), std::invalid_argument);
  CHECK_THROWS_AS(mmsim::PiecewiseExponential({1.0}, {1.0}), std::invalid_argument);
  CHECK_THROWS_AS(mmsim::PiecewiseExponential({0.0, 1.0}, {1.0}), std::invalid_argument);
}
