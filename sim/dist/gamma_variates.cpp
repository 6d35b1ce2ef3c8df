#include "sim/dist/gamma_variates.hpp"

#include <cmath>

#include "sim/dist/normal.hpp"

namespace mmsim {

double gamma_variate_with_squeeze(double shape, RandomStream& rng) {
  // Marsaglia-Tsang needs shape >= 1; for shape < 1 draw Gamma(shape + 1) and multiply by U^(1/shape).
  const double a = shape < 1.0 ? shape + 1.0 : shape;
  const double d = a - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  double y = 0.0;
  for (;;) {
    double x = 0.0;
    double v = 0.0;
    do {
      x = normal_quantile(rng.uniform());
      v = 1.0 + c * x;
    } while (v <= 0.0);
    v = v * v * v;
    const double u = rng.uniform();
    const double x2 = x * x;
    if (u < 1.0 - 0.0331 * x2 * x2 || std::log(u) < 0.5 * x2 + d * (1.0 - v + std::log(v))) {
      y = d * v;
      break;
    }
  }
  if (shape < 1.0) y *= std::exp(std::log(rng.uniform()) / shape);
  return y;
}

double gamma_variate_without_squeeze(double shape, RandomStream& rng) {
  if (shape < 1.0) {
    // Gamma(k) = Gamma(k + 1) * U^(1/k) (Marsaglia and Tsang 2000, section 6).
    const double u = rng.uniform();
    return gamma_variate_without_squeeze(shape + 1.0, rng) * std::pow(u, 1.0 / shape);
  }
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  while (true) {
    const double z = normal_quantile(rng.uniform());
    double v = 1.0 + c * z;
    if (v <= 0.0) continue;
    v = v * v * v;
    const double u = rng.uniform();
    if (std::log(u) < 0.5 * z * z + d - d * v + d * std::log(v)) return d * v;
  }
}

}  // namespace mmsim
