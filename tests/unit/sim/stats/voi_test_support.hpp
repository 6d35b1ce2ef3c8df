#pragma once
// Deterministic normal and uniform deviates for the value-of-information tests (the project's counter-based
// streams, so the samples are the same on every platform), and small numeric helpers.
#include <cmath>
#include <cstdint>
#include <numbers>
#include <vector>

#include "sim/dist/normal.hpp"
#include "sim/random/stream.hpp"

namespace mmsim::test {

class Deviates {
 public:
  explicit Deviates(std::uint64_t seed, std::uint64_t domain = 0)
      : stream_(StreamKey{seed, domain, 0, 0, 0}) {}
  double normal() { return normal_quantile(stream_.uniform()); }
  double uniform() { return stream_.uniform(); }

 private:
  RandomStream stream_;
};

// E[max(0, Y)] for Y ~ N(m, s^2): m Phi(m/s) + s phi(m/s).
inline double expected_positive_part(double m, double s) {
  if (s == 0.0) return m > 0.0 ? m : 0.0;
  return m * normal_cdf(m / s) + s * normal_pdf(m / s);
}

// The integral of f(z) phi(z) over the real line (composite Simpson on [-10, 10], 20000 intervals): the
// brute-force expectation over a standard normal parameter.
template <class F>
double normal_expectation(F&& f) {
  const int n = 20000;
  const double lo = -10.0, h = 20.0 / n;
  double sum = 0.0;
  for (int i = 0; i <= n; ++i) {
    const double z = lo + h * i;
    const double w = (i == 0 || i == n) ? 1.0 : (i % 2 ? 4.0 : 2.0);
    sum += w * f(z) * normal_pdf(z);
  }
  return sum * h / 3.0;
}

inline double sample_sd(const std::vector<double>& v) {
  double mean = 0.0;
  for (const double x : v) mean += x / static_cast<double>(v.size());
  double ss = 0.0;
  for (const double x : v) ss += (x - mean) * (x - mean);
  return std::sqrt(ss / static_cast<double>(v.size() - 1));
}

}  // namespace mmsim::test
