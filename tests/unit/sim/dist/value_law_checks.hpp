#pragma once
// Checks shared by the value-law tests: a law's pdf, cdf, quantile and mean against a Boost.Math
// distribution, and a sample drawn from a fixed test stream (test_dist_support.hpp).
#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "sim/dist/value_laws.hpp"
#include "tests/unit/test_dist_support.hpp"

namespace mmsim::test {

inline const std::vector<double> kProbs{1e-12, 1e-6, 0.01, 0.2, 0.5, 0.8, 0.99, 1.0 - 1e-6};

inline std::vector<double> draw(const ValueDistribution& law, std::uint32_t purpose) {
  auto rng = test_stream(purpose);
  std::vector<double> x(kGofSamples);
  for (double& v : x) v = law.sample(rng);
  return x;
}

template <class BoostDist>
void check_against_boost(const ValueDistribution& law, const BoostDist& ref, const std::vector<double>& xs,
                         double quantile_tol = 1e-13) {
  for (double x : xs) {
    INFO(law.describe() << " at x = " << x);
    CHECK(rel_close(law.pdf(x), boost::math::pdf(ref, x), 1e-13));
    CHECK(rel_close(law.cdf(x), boost::math::cdf(ref, x), 1e-13));
  }
  for (double p : kProbs) {
    INFO(law.describe() << " at p = " << p);
    CHECK(rel_close(law.quantile(p), boost::math::quantile(ref, p), quantile_tol));
  }
  CHECK(rel_close(law.mean(), boost::math::mean(ref), 1e-14));
}

}  // namespace mmsim::test
