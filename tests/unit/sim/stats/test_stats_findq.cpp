// The in-place quantile search (detail::find_quantiles, used by survival_quantiles) against the direct
// transcription of R survival's findq it replaced (detail::find_quantiles_reference): bit-identical results
// on random curves with tied x, repeated y, NaN, y values within sqrt(eps) of each other and of p, and
// non-monotone curves (which take the reference path).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "sim/core/numeric.hpp"
#include "sim/stats/kaplan_meier.hpp"
#include "sim/stats/stats_detail.hpp"

namespace {

using mmsim::stats::detail::find_quantiles;
using mmsim::stats::detail::find_quantiles_reference;

using mmsim::kNaN;
constexpr double kTol = 1.4901161193847656e-08;

bool same_bits(double a, double b) {
  if (std::isnan(a) && std::isnan(b)) return true;
  std::uint64_t ua = 0;
  std::uint64_t ub = 0;
  std::memcpy(&ua, &a, sizeof a);
  std::memcpy(&ub, &b, sizeof b);
  return ua == ub;
}

struct Curve {
  std::vector<double> x, y;
};

// x = c(0, times), y = c(0, values): values mostly non-decreasing, with repeats, near-ties and NaN.
Curve random_curve(std::mt19937_64& rng, bool monotone) {
  std::uniform_int_distribution<int> len(1, 40);
  std::uniform_int_distribution<int> kind(0, 9);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const int m = len(rng);
  Curve c;
  c.x.push_back(0.0);
  c.y.push_back(0.0);
  double t = 0.0;
  double v = 0.0;
  for (int j = 0; j < m; ++j) {
    if (kind(rng) < 7) t += std::floor(unit(rng) * 3.0);  // tied times
    c.x.push_back(t);
    const int k = kind(rng);
    double next = v;
    if (k < 3) {
      next = v;  // repeat
    } else if (k < 5) {
      next = std::nextafter(v, 2.0);  // keys y +- tol may round equal
    } else if (k < 6) {
      next = v + kTol * unit(rng);  // within tol
    } else if (k < 7) {
      next = std::min(1.0, v + 0.5 * unit(rng));
    } else {
      next = std::min(1.0, v + 0.15 * unit(rng));
    }
    if (!monotone && kind(rng) == 0) next = v * unit(rng);
    v = next;
    c.y.push_back(kind(rng) == 0 ? kNaN : v);
  }
  // NaN runs at the start or end, like the confidence limits where S is 1 or 0.
  if (kind(rng) < 2) {
    for (std::size_t j = 1; j < c.y.size() && j < 4; ++j) c.y[j] = kNaN;
  }
  if (kind(rng) < 2) {
    for (std::size_t j = c.y.size(); j-- > 1 && j + 3 > c.y.size();) c.y[j] = kNaN;
  }
  return c;
}

std::vector<double> probes(std::mt19937_64& rng, const Curve& c) {
  std::vector<double> p = {0.0, 0.5, 1.0};
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (double y : c.y) {
    if (std::isnan(y)) continue;
    for (double d : {0.0, kTol, -kTol, 0.5 * kTol, -0.5 * kTol, 2.0 * kTol}) {
      const double q = y + d;
      if (q >= 0.0 && q <= 1.0 && unit(rng) < 0.3) p.push_back(q);
    }
  }
  for (int j = 0; j < 3; ++j) p.push_back(unit(rng));
  return p;
}

void check_same(const Curve& c, const std::vector<double>& probs) {
  const auto got = find_quantiles(c.x, c.y, probs);
  const auto want = find_quantiles_reference(c.x, c.y, probs);
  REQUIRE(got.size() == want.size());
  for (std::size_t q = 0; q < probs.size(); ++q) {
    INFO("p = " << probs[q] << ", got " << got[q] << ", want " << want[q]);
    CHECK(same_bits(got[q], want[q]));
  }
  // One probability at a time (the report asks for the median alone).
  for (std::size_t q = 0; q < probs.size(); ++q) {
    const std::vector<double> one = {probs[q]};
    const auto g1 = find_quantiles(c.x, c.y, one);
    const auto w1 = find_quantiles_reference(c.x, c.y, one);
    CHECK(same_bits(g1[0], w1[0]));
  }
}

}  // namespace

TEST_CASE("find_quantiles matches the findq transcription on monotone curves", "[stats][findq]") {
  std::mt19937_64 rng(20240611);
  for (int rep = 0; rep < 3000; ++rep) {
    const Curve c = random_curve(rng, true);
    check_same(c, probes(rng, c));
  }
}

TEST_CASE("find_quantiles matches the findq transcription on non-monotone curves", "[stats][findq]") {
  std::mt19937_64 rng(77);
  for (int rep = 0; rep < 1000; ++rep) {
    const Curve c = random_curve(rng, false);
    check_same(c, probes(rng, c));
  }
}

TEST_CASE("find_quantiles handles flat, all-NaN and single-point curves", "[stats][findq]") {
  const std::vector<double> probs = {0.0, 0.25, 0.5, 1.0};
  check_same({{0.0}, {0.0}}, probs);
  check_same({{0.0, 1.0, 2.0}, {0.0, 0.0, 0.0}}, probs);
  check_same({{0.0, 1.0, 2.0}, {0.0, kNaN, kNaN}}, probs);
  check_same({{0.0, 1.0, 2.0, 3.0}, {0.0, 0.5, 0.5, 1.0}}, probs);
  check_same({{0.0, 1.0, 2.0, 3.0}, {0.0, 0.5, kNaN, 0.5}}, probs);
  check_same({{0.0, 1.0, 1.0, 3.0}, {0.0, 0.25, 0.5, 0.75}}, probs);
  check_same({{0.0, 1.0, 2.0, 3.0}, {0.0, 0.5 - kTol, 0.5, 0.5 + kTol}}, probs);
}
