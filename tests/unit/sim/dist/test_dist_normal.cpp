// The standard normal helpers (sim/dist/normal.hpp). Reference: Boost.Math normal_distribution, and in the
// far tails (where Boost's doubles underflow) the asymptotic expansion of the Mills ratio and round trips.
#include <boost/math/distributions/normal.hpp>

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <numbers>
#include <utility>
#include <vector>

#include "sim/core/numeric.hpp"
#include "sim/dist/normal.hpp"
#include "tests/unit/test_dist_support.hpp"

using mmsim::test::rel_close;

namespace {
const boost::math::normal_distribution<> kStd;
using mmsim::kInf;
}  // namespace

TEST_CASE("normal_cdf and normal_pdf match Boost.Math and 40-digit values", "[dist][normal]") {
  // Boost evaluates erfc(x / sqrt 2), whose argument rounding costs ~x^2 ulps: a reference to 1e-14 for |x|
  // <= 5.
  for (double x = -5.0; x <= 5.0; x += 0.03125) {
    INFO("x = " << x);
    CHECK(rel_close(mmsim::normal_cdf(x), boost::math::cdf(kStd, x), 1e-14));
    CHECK(rel_close(mmsim::normal_pdf(x), boost::math::pdf(kStd, x), 1e-14));
  }
  // The tails against Phi(x) from mpmath 1.3 (mp.ncdf at 40 significant digits), 4 ulps.
  const std::vector<std::pair<double, double>> reference{
      {-37.5, 4.6053530095819548438e-308}, {-37.0, 5.7255712225245768227e-300},
      {-30.0, 4.9067139271481870595e-198}, {-25.0, 3.0566967063825609164e-138},
      {-20.0, 2.7536241186062336951e-89},  {-12.0, 1.7764821120776789977e-33},
      {-8.0, 6.2209605742717841235e-16},   {-6.0, 9.865876450376981407e-10},
      {-4.0, 3.1671241833119921254e-5},    {-3.5, 2.3262907903552503635e-4},
      {-3.01, 1.3062384487694686706e-3},   {-2.99, 1.3948872354922494909e-3}};
  for (const auto& [x, phi] : reference) {
    INFO("x = " << x);
    CHECK(rel_close(mmsim::normal_cdf(x), phi, 1e-15));
    CHECK(rel_close(1.0 - mmsim::normal_cdf(-x), phi, x < -8.0 ? 1.0 : 1e-15 / phi));  // upper tail, absolute
    CHECK(rel_close(mmsim::normal_log_cdf(x), std::log(phi), 1e-15));
    // Upper half: log Phi(-x) = log1p(-Phi(x)), where log(cdf) would lose everything.
    CHECK(rel_close(mmsim::normal_log_cdf(-x), std::log1p(-phi), 1e-15));
  }
}

TEST_CASE("normal_quantile matches Boost.Math over the whole range", "[dist][normal]") {
  // Acklam's approximation (relative error 1.2e-9) refined by one Halley step: a few ulps. Tolerance 1e-14
  // relative, or 1e-16 absolute near the median where the quantile crosses 0.
  for (double lp = -745.0; lp < 0.0; lp += 0.37) {
    const double p = std::exp(lp);
    INFO("p = " << p);
    const double ref = boost::math::quantile(kStd, p);
    const double got = mmsim::normal_quantile(p);
    CHECK((rel_close(got, ref, 1e-14) || std::abs(got - ref) < 1e-16));
    // Upper tail by symmetry, at probabilities 1 - p that are exact doubles.
    const double q = 1.0 - p;
    if (q < 1.0) CHECK(rel_close(mmsim::normal_quantile(q), boost::math::quantile(kStd, q), 1e-14));
  }
  CHECK(mmsim::normal_quantile(0.5) == 0.0);
  CHECK(mmsim::normal_quantile(0.0) == -kInf);
  CHECK(mmsim::normal_quantile(1.0) == kInf);
  CHECK(std::isnan(mmsim::normal_quantile(1.1)));
  CHECK(std::isnan(mmsim::normal_quantile(std::nan(""))));
  // The smallest subnormal: still finite, and the round trip through log Phi holds.
  const double tiny = std::numeric_limits<double>::denorm_min();
  CHECK(rel_close(mmsim::normal_log_cdf(mmsim::normal_quantile(tiny)), std::log(tiny), 1e-14));
}

TEST_CASE("normal_log_cdf is exact in the far lower tail", "[dist][normal]") {
  // Where Phi is a normal double, compare with log of Boost's cdf; the continued fraction takes over below
  // -20, so [-37, -20] checks it against erfc.
  for (double x = -37.0; x <= -0.5; x += 0.125) {
    INFO("x = " << x);
    CHECK(rel_close(mmsim::normal_log_cdf(x), std::log(boost::math::cdf(kStd, x)), 1e-14));
  }
  // Beyond underflow: log Phi(x) = -x^2/2 - log(-x sqrt(2 pi)) + log(1 - 1/x^2 + 3/x^4 - 15/x^6 + 105/x^8),
  // truncation error ~945/x^10 < 1e-17 at |x| >= 50.
  for (double x : {-50.0, -100.0, -1e4, -1e8}) {
    const double r = 1.0 / (x * x);
    const double series = 1.0 - r + 3 * r * r - 15 * r * r * r + 105 * r * r * r * r;
    const double ref = -0.5 * x * x - std::log(-x * std::sqrt(2.0 * std::numbers::pi)) + std::log(series);
    CHECK(rel_close(mmsim::normal_log_cdf(x), ref, 1e-15));
  }
  CHECK(mmsim::normal_log_cdf(kInf) == 0.0);
  CHECK(mmsim::normal_log_cdf(-kInf) == -kInf);
}

TEST_CASE("normal_quantile_log inverts normal_log_cdf", "[dist][normal]") {
  for (double lp :
       {-1e-300, -1e-12, -0.01, -0.5, -0.7, -1.0, -10.0, -100.0, -689.0, -691.0, -745.0, -1e3, -1e5, -1e10}) {
    const double x = mmsim::normal_quantile_log(lp);
    INFO("log p = " << lp << ", x = " << x);
    CHECK(rel_close(mmsim::normal_log_cdf(x), lp, 1e-13));
  }
  CHECK(mmsim::normal_quantile_log(0.0) == kInf);
  CHECK(mmsim::normal_quantile_log(-kInf) == -kInf);
  CHECK(std::isnan(mmsim::normal_quantile_log(0.1)));
}

TEST_CASE("normal_mills_ratio matches Boost.Math and its asymptotic series", "[dist][normal]") {
  // Boost's ratio carries the rounding of exp(-z^2/2) (~z^2/2 ulps), so it is a reference only up to z = 10.
  for (double z = -5.0; z <= 10.0; z += 0.25) {
    INFO("z = " << z);
    const double ref = boost::math::cdf(boost::math::complement(kStd, z)) / boost::math::pdf(kStd, z);
    CHECK(rel_close(mmsim::normal_mills_ratio(z), ref, 1e-13));
  }
  // Beyond: the asymptotic series R(z) = (1/z) sum_k (-1)^k (2k-1)!! / z^{2k}, summed in long double up to
  // its smallest term (optimal truncation, error ~ e^{-z^2/2}, below 1e-31 at z >= 12).
  for (double z : {12.0, 15.0, 20.0, 25.0, 30.0, 37.0, 40.0, 60.0, 1e3, 1e6}) {
    const long double r = 1.0L / (static_cast<long double>(z) * z);
    long double term = 1.0L;
    long double sum = 1.0L;
    for (int k = 1; k < 200; ++k) {
      const long double next = -term * (2 * k - 1) * r;
      if (std::abs(next) >= std::abs(term)) break;
      term = next;
      sum += term;
    }
    INFO("z = " << z);
    CHECK(rel_close(mmsim::normal_mills_ratio(z), static_cast<double>(sum / z), 1e-15));
  }
}
