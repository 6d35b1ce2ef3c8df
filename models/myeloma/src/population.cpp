#include "models/myeloma/src/population.hpp"

#include <algorithm>

#include "models/myeloma/src/streams.hpp"
#include "sim/dist/gamma_variates.hpp"
#include "sim/dist/normal.hpp"

namespace mmsim::myeloma {

void sample_baseline(const Population& pop, const StreamKey& key, std::array<double, kAttrs>& x) {
  RandomStream rng({key.seed, key.domain, key.patient, kAttributes, 0});
  std::array<double, kAttrs> e{};
  for (std::size_t j = 0; j < kAttrs; ++j) e[j] = normal_quantile(rng.uniform());
  for (std::size_t j = 0; j < kAttrs; ++j) {
    double z = 0;
    for (std::size_t k = 0; k <= j; ++k) z += pop.cholesky[j][k] * e[k];
    const double u = std::clamp(normal_cdf(z), 1e-16, 1.0 - 1e-16);
    x[j] = pop.laws[j]->quantile(u);
  }
}

double draw_progression_frailty(double variance, const StreamKey& key) {
  if (!(variance > 0)) return 1.0;
  RandomStream rng({key.seed, key.domain, key.patient, kFrailty, 0});
  return gamma_variate_with_squeeze(1.0 / variance, rng) * variance;
}

}  // namespace mmsim::myeloma
