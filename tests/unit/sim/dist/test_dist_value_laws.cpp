// Attribute laws (sim/dist/value_laws.hpp).
//
// References: Boost.Math normal, lognormal and uniform distributions; the truncated normal against
// (Phi(z) - Phi(a)) / (Phi(b) - Phi(a)) from Boost and its mean against Gauss-Kronrod integration; far-tail
// truncations against the Mills-ratio asymptotics. Samplers: Kolmogorov-Smirnov (continuous) and chi-square
// (discrete), both at alpha = 0.001 with n = 20000 and fixed seeds (see test_dist_support.hpp).
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/uniform.hpp>
#include <boost/math/quadrature/gauss_kronrod.hpp>

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/numeric.hpp"
#include "sim/dist/value_laws.hpp"
#include "tests/unit/sim/dist/value_law_checks.hpp"
#include "tests/unit/test_dist_support.hpp"

namespace {

using mmsim::kInf;
using mmsim::ValueDistribution;
using mmsim::test::check_against_boost;
using mmsim::test::draw;
using mmsim::test::kProbs;
using mmsim::test::rel_close;
// Reference truncated normal cdf from Boost, valid where Phi(a), Phi(b) are well apart.
double truncated_cdf_ref(double x, double mu, double sd, double lo, double hi) {
  const boost::math::normal_distribution<> n(mu, sd);
  if (x <= lo) return 0.0;
  if (x >= hi) return 1.0;
  const double fa = std::isfinite(lo) ? boost::math::cdf(n, lo) : 0.0;
  const double fb = std::isfinite(hi) ? boost::math::cdf(n, hi) : 1.0;
  return (boost::math::cdf(n, x) - fa) / (fb - fa);
}

}  // namespace

TEST_CASE("normal, lognormal and uniform match Boost.Math", "[dist][value]") {
  check_against_boost(mmsim::NormalValue(65.0, 9.0), boost::math::normal_distribution<>(65.0, 9.0),
                      {20.0, 50.0, 65.0, 80.0, 110.0});
  check_against_boost(mmsim::LogNormalValue(1.2, 0.4), boost::math::lognormal_distribution<>(1.2, 0.4),
                      {0.5, 2.0, 3.3, 8.0, 20.0});
  check_against_boost(mmsim::UniformValue(40.0, 85.0), boost::math::uniform_distribution<>(40.0, 85.0),
                      {40.0, 41.0, 60.0, 84.9, 85.0});
}

TEST_CASE("truncated normal matches the renormalized normal", "[dist][value]") {
  struct TN {
    double mu, sd, lo, hi;
  };
  for (const TN& c :
       std::vector<TN>{{65, 10, 40, 90}, {65, 10, 70, kInf}, {65, 10, -kInf, 50}, {0, 1, 1, 2}}) {
    const mmsim::TruncatedNormalValue law(c.mu, c.sd, c.lo, c.hi);
    const double lo = std::isfinite(c.lo) ? c.lo : c.mu - 12 * c.sd;
    const double hi = std::isfinite(c.hi) ? c.hi : c.mu + 12 * c.sd;
    for (int i = 0; i <= 20; ++i) {
      const double x = lo + (hi - lo) * i / 20.0;
      INFO(law.describe() << " at x = " << x);
      const double ref = truncated_cdf_ref(x, c.mu, c.sd, c.lo, c.hi);
      CHECK((rel_close(law.cdf(x), ref, 1e-12) || std::abs(law.cdf(x) - ref) < 1e-15));
    }
    for (double p : kProbs) {
      INFO(law.describe() << " at p = " << p);
      const double x = law.quantile(p);
      CHECK(x >= c.lo);
      CHECK(x <= c.hi);
      // Relative 1e-10, or 1e-15 absolute: near a bound the cdf is a difference Phi(z) - Phi(a) of nearby
      // values, accurate in absolute terms only (the quantile itself is computed without that difference).
      CHECK(std::abs(law.cdf(x) - p) <= 1e-10 * p + 1e-15);
    }
    // Mean against 61-point Gauss-Kronrod integration of x f(x) over the (finite-ized) support.
    const double integral = boost::math::quadrature::gauss_kronrod<double, 61>::integrate(
        [&](double x) { return x * law.pdf(x); }, lo, hi, 10, 1e-14);
    CHECK(rel_close(law.mean(), integral, 1e-10));
    const double mass = boost::math::quadrature::gauss_kronrod<double, 61>::integrate(
        [&](double x) { return law.pdf(x); }, lo, hi, 10, 1e-14);
    CHECK(rel_close(mass, 1.0, 1e-10));
  }
}

TEST_CASE("truncated normal stays exact far in a tail", "[dist][value]") {
  // Z | Z > 40: the mass 1 - Phi(40) ~ 4e-350 is not a double. The mean is 1 / R(40) (R the Mills ratio),
  // = 40 + 1/40 - 2/40^3 + 10/40^5 - ... (asymptotic, error ~ 74/40^7); the median solves
  // Q(z) = Q(40) / 2, z ~ 40 + log(2) / 40 to first order.
  const mmsim::TruncatedNormalValue upper(0.0, 1.0, 40.0, kInf);
  const double a = 40.0;
  CHECK(rel_close(upper.mean(), a + 1 / a - 2 / (a * a * a) + 10 / std::pow(a, 5), 1e-10));
  CHECK(upper.quantile(0.5) > a);
  CHECK(rel_close(upper.quantile(0.5), a + std::log(2.0) / a, 1e-5));
  CHECK(rel_close(upper.cdf(upper.quantile(0.3)), 0.3, 1e-12));
  // The mirror image in the lower tail.
  const mmsim::TruncatedNormalValue lower(0.0, 1.0, -kInf, -40.0);
  CHECK(rel_close(lower.mean(), -upper.mean(), 1e-14));
  CHECK(rel_close(lower.quantile(0.7), -upper.quantile(0.3), 1e-13));
  CHECK(rel_close(lower.cdf(-40.01), 1.0 - upper.cdf(40.01), 1e-12));
}

TEST_CASE("continuous attribute samplers match their cdf (KS, alpha = 0.001)", "[dist][value][statistical]") {
  // One-sample KS, n = 20000, reject when D > 1.949 / sqrt(n) (asymptotic critical value at alpha = 0.001).
  const std::vector<std::shared_ptr<const ValueDistribution>> laws{
      std::make_shared<mmsim::NormalValue>(65.0, 9.0),
      std::make_shared<mmsim::TruncatedNormalValue>(65.0, 10.0, 40.0, 90.0),
      std::make_shared<mmsim::TruncatedNormalValue>(65.0, 10.0, 85.0, kInf),
      std::make_shared<mmsim::TruncatedNormalValue>(0.0, 1.0, -kInf, -38.0),
      std::make_shared<mmsim::UniformValue>(40.0, 85.0),
      std::make_shared<mmsim::LogNormalValue>(1.2, 0.4),
  };
  std::uint32_t purpose = 500;
  for (const auto& law : laws) {
    const double d = mmsim::test::ks_statistic(draw(*law, purpose++), [&](double x) { return law->cdf(x); });
    INFO(law->describe() << ": D = " << d);
    CHECK(d < mmsim::test::ks_critical(mmsim::test::kGofSamples));
  }
}

TEST_CASE("discrete attribute samplers match their pmf (chi-square, alpha = 0.001)",
          "[dist][value][statistical]") {
  // Pearson chi-square over the categories against the 0.999 quantile of chi-square(k - 1)
  // (boost::math::chi_squared), n = 20000.
  struct Discrete {
    std::shared_ptr<const ValueDistribution> law;
    std::vector<double> support;
  };
  const std::vector<Discrete> cases{
      {std::make_shared<mmsim::BernoulliValue>(0.37), {0.0, 1.0}},
      {std::make_shared<mmsim::CategoricalValue>(std::vector<double>{0.1, 0.25, 0.05, 0.6}), {0, 1, 2, 3}},
      {std::make_shared<mmsim::CategoricalValue>(std::vector<double>{0.5, 0.3, 0.2},
                                                 std::vector<double>{1, 2, 5}),
       {1, 2, 5}},
  };
  std::uint32_t purpose = 600;
  for (const auto& c : cases) {
    std::vector<std::size_t> counts(c.support.size(), 0);
    std::vector<double> probs;
    for (double v : c.support) probs.push_back(c.law->pdf(v));
    for (double x : draw(*c.law, purpose++)) {
      const auto it = std::find(c.support.begin(), c.support.end(), x);
      REQUIRE(it != c.support.end());
      ++counts[static_cast<std::size_t>(it - c.support.begin())];
    }
    const double x2 = mmsim::test::chi_square_statistic(counts, probs);
    INFO(c.law->describe() << ": X2 = " << x2);
    CHECK(x2 < mmsim::test::chi_square_critical(c.support.size()));
  }
}

TEST_CASE("categorical: index, cdf, zero-probability categories and renormalization", "[dist][value]") {
  const mmsim::CategoricalValue law({0.2, 0.0, 0.8}, {10.0, 20.0, 30.0});
  CHECK(law.index(0.1) == 0);
  CHECK(law.index(0.2) == 0);
  CHECK(law.index(0.2000001) == 2);  // never the empty category
  CHECK(law.quantile(0.9) == 30.0);
  CHECK(law.cdf(9.0) == 0.0);
  CHECK(law.cdf(10.0) == 0.2);
  CHECK(law.cdf(25.0) == 0.2);
  CHECK(law.cdf(30.0) == 1.0);
  CHECK(law.pdf(20.0) == 0.0);
  CHECK(law.pdf(15.0) == 0.0);
  CHECK(rel_close(law.mean(), 26.0, 1e-15));
  // Without values a draw is the category index.
  const mmsim::CategoricalValue idx({0.5, 0.5 + 5e-10});
  CHECK(idx.quantile(0.25) == 0.0);
  CHECK(idx.quantile(0.75) == 1.0);
  CHECK(rel_close(idx.probs()[0] + idx.probs()[1], 1.0, 1e-15));
  CHECK_THROWS_AS(mmsim::CategoricalValue({0.5, 0.4}), std::invalid_argument);
  CHECK_THROWS_AS(mmsim::CategoricalValue({0.5, 0.5}, {2.0, 1.0}), std::invalid_argument);
}

TEST_CASE("bernoulli and fixed", "[dist][value]") {
  const mmsim::BernoulliValue b(0.3);
  CHECK(b.pdf(1.0) == 0.3);
  CHECK(b.pdf(0.0) == 0.7);
  CHECK(b.cdf(0.5) == 0.7);
  CHECK(b.quantile(0.69) == 0.0);
  CHECK(b.quantile(0.71) == 1.0);
  CHECK(b.mean() == 0.3);
  CHECK(mmsim::BernoulliValue(0.0).quantile(0.999999) == 0.0);
  CHECK(mmsim::BernoulliValue(1.0).quantile(1e-12) == 1.0);
  const mmsim::FixedValue f(3.5);
  CHECK(f.quantile(0.1) == 3.5);
  CHECK(f.cdf(3.4) == 0.0);
  CHECK(f.cdf(3.5) == 1.0);
  CHECK(f.mean() == 3.5);
}

TEST_CASE("every attribute draw is quantile of exactly one uniform", "[dist][value]") {
  // The Gaussian-copula contract: sample(rng) == quantile(U) and the stream advances by one uniform, so a
  // FixedValue still keeps later draws aligned.
  const std::vector<std::shared_ptr<const ValueDistribution>> laws{
      std::make_shared<mmsim::NormalValue>(0.0, 1.0), std::make_shared<mmsim::BernoulliValue>(0.4),
      std::make_shared<mmsim::FixedValue>(2.0),
      std::make_shared<mmsim::TruncatedNormalValue>(0.0, 1.0, -1.0, 3.0),
      std::make_shared<mmsim::CategoricalValue>(std::vector<double>{0.3, 0.7})};
  for (const auto& law : laws) {
    auto a = mmsim::test::test_stream(700);
    auto b = mmsim::test::test_stream(700);
    for (int i = 0; i < 100; ++i) REQUIRE(law->sample(a) == law->quantile(b.uniform()));
    CHECK(a.bits() == b.bits());
  }
}

TEST_CASE("describe names the attribute law and its parameters", "[dist][value]") {
  CHECK(mmsim::NormalValue(65.0, 9.5).describe() == "normal(mean=65, sd=9.5)");
  CHECK(mmsim::BernoulliValue(0.4).describe() == "bernoulli(p=0.4)");
  CHECK(mmsim::CategoricalValue({0.25, 0.75}).describe() == "categorical(probs=[0.25, 0.75], values=[0, 1])");
  CHECK(mmsim::TruncatedNormalValue(65.0, 9.0, 40.0, 90.0).describe() ==
        "truncated_normal(mean=65, sd=9, lower=40, upper=90)");
  CHECK(mmsim::UniformValue(1.0, 2.0).describe() == "uniform(lower=1, upper=2)");
  CHECK(mmsim::LogNormalValue(1.0, 0.5).describe() == "lognormal(meanlog=1, sdlog=0.5)");
  CHECK(mmsim::FixedValue(3.0).describe() == "fixed(value=3)");
}
