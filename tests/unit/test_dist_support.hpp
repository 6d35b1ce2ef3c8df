#pragma once
// Goodness-of-fit helpers shared by the distribution tests.
//
// Kolmogorov-Smirnov: D_n = sup_t |F_n(t) - F(t)| for a sample of size n. Reference: the asymptotic
// Kolmogorov distribution, P(sqrt(n) D_n > 1.949) = 0.001 (Kolmogorov 1933; Smirnov's table), so a sampler
// that is correct fails a test at a given seed with probability 0.001. Seeds are fixed, so every run gives
// the same verdict.
//
// Chi-square: X^2 = sum (O - E)^2 / E over the categories, compared with the 0.999 quantile of chi-square
// with (categories - 1) degrees of freedom from boost::math::chi_squared (alpha = 0.001).
#include <boost/math/distributions/chi_squared.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "sim/random/stream.hpp"

namespace mmsim::test {

inline constexpr std::size_t kGofSamples = 20000;
inline constexpr double kAlpha = 0.001;

// Asymptotic critical value of D_n at alpha = 0.001.
inline double ks_critical(std::size_t n) {
  return 1.949 / std::sqrt(static_cast<double>(n));
}

// One-sample KS statistic. Non-finite draws (+infinity from a defective law) are an atom beyond every finite
// t: they count in n but not among the order statistics, and the gap between F_n and F at t -> infinity is
// included as |k/n - F(inf)| (k finite draws). With an atom the asymptotic critical value is conservative.
template <class Cdf>
double ks_statistic(std::vector<double> x, Cdf&& cdf) {
  std::sort(x.begin(), x.end());
  const auto n = static_cast<double>(x.size());
  double d = 0.0;
  std::size_t k = 0;
  for (std::size_t i = 0; i < x.size() && std::isfinite(x[i]); ++i, ++k) {
    const double f = cdf(x[i]);
    d = std::max({d, static_cast<double>(i + 1) / n - f, f - static_cast<double>(i) / n});
  }
  if (k < x.size()) {
    d = std::max(d, std::abs(static_cast<double>(k) / n - cdf(std::numeric_limits<double>::infinity())));
  }
  return d;
}

inline double chi_square_statistic(const std::vector<std::size_t>& counts, const std::vector<double>& probs) {
  double n = 0.0;
  for (std::size_t c : counts) n += static_cast<double>(c);
  double x2 = 0.0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    const double e = n * probs[i];
    const double o = static_cast<double>(counts[i]);
    x2 += (o - e) * (o - e) / e;
  }
  return x2;
}

inline double chi_square_critical(std::size_t categories) {
  const boost::math::chi_squared law(static_cast<double>(categories - 1));
  return boost::math::quantile(law, 1.0 - kAlpha);
}

inline RandomStream test_stream(std::uint32_t purpose, std::uint64_t seed = 20240611) {
  return RandomStream(StreamKey{seed, 0, 0, purpose, 0});
}

// |a - b| <= tol * |b|, with exact equality for infinities and zeros.
inline bool rel_close(double a, double b, double tol) {
  if (a == b) return true;
  return std::abs(a - b) <= tol * std::abs(b);
}

}  // namespace mmsim::test
