// The gamma and beta value laws (sim/dist/value_laws.hpp) and the gamma variates they draw with
// (sim/dist/gamma_variates.hpp), the laws of PSA sweeps.
//
// References: Boost.Math's gamma and beta distributions for pdf, cdf, quantile and mean; 61-point
// Gauss-Kronrod integration of the pdf for the cdf and the mean (independent of the incomplete gamma and beta
// functions); closed-form means and variances for the draws. Samplers: Kolmogorov-Smirnov at alpha = 0.001
// with n = 20000 and fixed seeds (test_dist_support.hpp), and sample moments within 4 standard errors (SE of
// the mean sqrt(var / n), SE of the variance sqrt((m4 - var^2) / n) from the sample's 4th central moment).
// The first draws at a fixed stream are pinned bit for bit: they are the draws every existing PSA sweep and
// every gamma-distributed transition has made, and must not change.
#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/quadrature/gauss_kronrod.hpp>

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <memory>
#include <vector>

#include "sim/core/numeric.hpp"
#include "sim/dist/gamma_variates.hpp"
#include "sim/dist/time_laws.hpp"
#include "sim/dist/value_laws.hpp"
#include "tests/unit/sim/dist/value_law_checks.hpp"
#include "tests/unit/test_dist_support.hpp"

namespace {

using mmsim::BetaValue;
using mmsim::GammaValue;
using mmsim::kInf;
using mmsim::ValueDistribution;
using mmsim::test::check_against_boost;
using mmsim::test::draw;
using mmsim::test::rel_close;
// Sample mean and variance within 4 SE of the law's (closed-form) mean and variance.
void check_moments(const ValueDistribution& law, double variance, const std::vector<double>& x) {
  const double n = static_cast<double>(x.size());
  double m = 0.0;
  for (double v : x) m += v;
  m /= n;
  double m2 = 0.0, m4 = 0.0;
  for (double v : x) {
    m2 += (v - m) * (v - m);
    m4 += std::pow(v - m, 4);
  }
  m2 /= n - 1.0;
  m4 /= n;
  INFO(law.describe() << ": mean " << m << " vs " << law.mean() << ", variance " << m2 << " vs " << variance);
  CHECK(std::fabs(m - law.mean()) < 4.0 * std::sqrt(variance / n));
  CHECK(std::fabs(m2 - variance) < 4.0 * std::sqrt((m4 - m2 * m2) / n));
}

double gamma_variance(const GammaValue& g) {
  return g.shape() * g.scale() * g.scale();
}
double beta_variance(const BetaValue& b) {
  const double s = b.alpha() + b.beta();
  return b.alpha() * b.beta() / (s * s * (s + 1.0));
}

}  // namespace

TEST_CASE("gamma and beta value laws match Boost.Math", "[dist][value]") {
  check_against_boost(GammaValue(36.0, 1.0 / 3.0), boost::math::gamma_distribution<>(36.0, 1.0 / 3.0),
                      {4.0, 9.0, 12.0, 15.0, 30.0}, 1e-12);
  check_against_boost(GammaValue(0.4, 2.0), boost::math::gamma_distribution<>(0.4, 2.0),
                      {1e-8, 0.01, 0.5, 2.0, 20.0}, 1e-12);
  check_against_boost(BetaValue(12.6, 50.4), boost::math::beta_distribution<>(12.6, 50.4),
                      {0.01, 0.1, 0.2, 0.35, 0.9}, 1e-12);
  check_against_boost(BetaValue(0.6, 0.9), boost::math::beta_distribution<>(0.6, 0.9),
                      {1e-6, 0.1, 0.5, 0.9, 1.0 - 1e-6}, 1e-12);
}

TEST_CASE("gamma and beta: cdf and mean are integrals of the pdf", "[dist][value]") {
  // Shapes > 1, so the densities are smooth on the closed interval Gauss-Kronrod integrates over.
  using Quadrature = boost::math::quadrature::gauss_kronrod<double, 61>;
  const std::vector<std::shared_ptr<const ValueDistribution>> laws{
      std::make_shared<GammaValue>(2.5, 1.5), std::make_shared<GammaValue>(36.0, 1.0 / 3.0),
      std::make_shared<BetaValue>(2.2, 3.5), std::make_shared<BetaValue>(12.6, 50.4)};
  for (const auto& law : laws) {
    INFO(law->describe());
    const double hi = law->quantile(1.0 - 1e-15);
    for (double p : {0.05, 0.5, 0.95}) {
      const double x = law->quantile(p);
      CHECK(rel_close(Quadrature::integrate([&](double t) { return law->pdf(t); }, 0.0, x, 10, 1e-14), p,
                      1e-10));
    }
    const double mean = Quadrature::integrate([&](double t) { return t * law->pdf(t); }, 0.0, hi, 10, 1e-14);
    CHECK(rel_close(law->mean(), mean, 1e-10));
  }
}

TEST_CASE("gamma and beta: ends of the support and bad parameters", "[dist][value]") {
  const GammaValue g(2.0, 3.0);
  CHECK(g.pdf(-1.0) == 0.0);
  CHECK(g.cdf(0.0) == 0.0);
  CHECK(g.cdf(kInf) == 1.0);
  CHECK(g.pdf(kInf) == 0.0);
  CHECK(g.quantile(0.0) == 0.0);
  CHECK(g.quantile(1.0) == kInf);
  CHECK(std::isnan(g.quantile(1.5)));
  CHECK(GammaValue(0.5, 1.0).pdf(0.0) == kInf);
  const BetaValue b(2.0, 3.0);
  CHECK(b.pdf(-0.1) == 0.0);
  CHECK(b.pdf(1.1) == 0.0);
  CHECK(b.cdf(0.0) == 0.0);
  CHECK(b.cdf(1.0) == 1.0);
  CHECK(b.quantile(0.0) == 0.0);
  CHECK(b.quantile(1.0) == 1.0);
  CHECK(std::isnan(b.quantile(-0.5)));
  CHECK(rel_close(b.quantile(b.cdf(0.3)), 0.3, 1e-13));
  CHECK_THROWS_AS(GammaValue(0.0, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(GammaValue(1.0, kInf), std::invalid_argument);
  CHECK_THROWS_AS(BetaValue(1.0, -2.0), std::invalid_argument);
  CHECK(GammaValue(9.0, 0.5).describe() == "gamma(shape=9, scale=0.5)");
  CHECK(BetaValue(12.0, 12.5).describe() == "beta(alpha=12, beta=12.5)");
}

TEST_CASE("gamma and beta samplers: moments and distribution (KS, alpha = 0.001)",
          "[dist][value][statistical]") {
  // Shapes below 1 take the boosted path of the gamma variate (Gamma(k + 1) U^(1/k)).
  const GammaValue gamma(36.0, 1.0 / 3.0), small_gamma(0.4, 2.0);
  const BetaValue beta(12.6, 50.4), small_beta(0.6, 0.9);
  std::uint32_t purpose = 800;
  for (const GammaValue* g : {&gamma, &small_gamma})
    check_moments(*g, gamma_variance(*g), draw(*g, purpose++));
  for (const BetaValue* b : {&beta, &small_beta}) check_moments(*b, beta_variance(*b), draw(*b, purpose++));
  for (const ValueDistribution* law :
       std::vector<const ValueDistribution*>{&gamma, &small_gamma, &beta, &small_beta}) {
    const double d = mmsim::test::ks_statistic(draw(*law, purpose++), [&](double x) { return law->cdf(x); });
    INFO(law->describe() << ": D = " << d);
    CHECK(d < mmsim::test::ks_critical(mmsim::test::kGofSamples));
  }
}

TEST_CASE("both gamma variates draw from the standard gamma law (KS, alpha = 0.001)", "[dist][statistical]") {
  std::uint32_t purpose = 820;
  for (double shape : {0.3, 1.0, 2.5, 40.0}) {
    const boost::math::gamma_distribution<> ref(shape, 1.0);
    for (auto* variate : {&mmsim::gamma_variate_with_squeeze, &mmsim::gamma_variate_without_squeeze}) {
      auto rng = mmsim::test::test_stream(purpose++);
      std::vector<double> x(mmsim::test::kGofSamples);
      for (double& v : x) v = variate(shape, rng);
      const double d = mmsim::test::ks_statistic(x, [&](double t) { return boost::math::cdf(ref, t); });
      INFO("shape " << shape << ", variant "
                    << (variate == &mmsim::gamma_variate_with_squeeze ? "with" : "without")
                    << " squeeze: D = " << d);
      CHECK(d < mmsim::test::ks_critical(mmsim::test::kGofSamples));
    }
  }
}

TEST_CASE("gamma draws are pinned bit for bit", "[dist]") {
  // The values the sweep's PSA sampler and the time law Gamma produced before they moved to
  // sim/dist/gamma_variates.cpp. A change here changes every PSA sweep's points or every gamma transition.
  const auto first_three = [](double (*variate)(double, mmsim::RandomStream&), double shape) {
    mmsim::RandomStream rng({20240611, 0, 0, 800, 0});
    std::vector<double> x;
    for (int i = 0; i < 3; ++i) x.push_back(variate(shape, rng));
    return x;
  };
  using V = std::vector<double>;
  CHECK(first_three(&mmsim::gamma_variate_without_squeeze, 0.4) ==
        V{0x1.7e52113cd38dfp-2, 0x1.001e3a08f2f55p-9, 0x1.9d6b83a0995b9p-5});
  CHECK(first_three(&mmsim::gamma_variate_with_squeeze, 0.4) ==
        V{0x1.699fb2566036fp-3, 0x1.55183c94c37e5p-6, 0x1.eb03697610d3ep-6});
  CHECK(first_three(&mmsim::gamma_variate_without_squeeze, 36.0) ==
        V{0x1.204e80871e0f1p+5, 0x1.1a6afc3cb2f14p+5, 0x1.d05a2e254deafp+4});
  CHECK(first_three(&mmsim::gamma_variate_with_squeeze, 2.5) ==
        V{0x1.212edd1c7b058p+1, 0x1.09f4c508fb788p+1, 0x1.b0849d422d2a5p-1});
  mmsim::RandomStream rng({20240611, 0, 0, 801, 0});
  const BetaValue beta(0.6, 0.9);
  V x;
  for (int i = 0; i < 3; ++i) x.push_back(beta.sample(rng));
  CHECK(x == V{0x1.5835bc2d03bffp-7, 0x1.19cabccfe5a91p-2, 0x1.54abca1536237p-5});
  // The time law divides the variate by its rate and nothing else.
  mmsim::RandomStream a({20240611, 0, 0, 800, 0}), b({20240611, 0, 0, 800, 0});
  CHECK(mmsim::Gamma(0.4, 0.5).sample(a) == mmsim::gamma_variate_with_squeeze(0.4, b) / 0.5);
}
