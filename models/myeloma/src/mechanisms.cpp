#include "models/myeloma/src/mechanisms.hpp"

#include <cmath>

#include "models/myeloma/src/streams.hpp"

namespace mmsim::myeloma {

std::array<double, kMechanisms> mechanism_probs(const Params& p, const Therapy& th, const PatientState& s,
                                                double fitness) {
  std::array<double, kMechanisms> w = th.failure;
  if (th.escape_antigen == static_cast<int>(Antigen::BCMA) && s.x[idx(Attr::bcma_het_loss)] > 0.5) {
    w[idx(Mech::antigen_loss)] *= p.mechanisms.het_loss_weight;
  }
  if (th.tcell_dependent) {
    w[idx(Mech::tcell_exhaustion)] *= std::pow(p.mechanisms.exhaustion_weight_per_sd, -fitness);
  }
  double sum = 0;
  for (double v : w) sum += v;
  for (double& v : w) v /= sum;
  return w;
}

Mech draw_mechanism(const Params& p, const Therapy& th, const PatientState& s, double fitness, double u) {
  const auto w = mechanism_probs(p, th, s, fitness);
  double acc = 0;
  std::size_t last = 0;
  for (std::size_t m = 0; m < kMechanisms; ++m) {
    if (w[m] <= 0) continue;
    last = m;
    acc += w[m];
    if (u < acc) return static_cast<Mech>(m);
  }
  return static_cast<Mech>(last);
}

void apply_antigen_effects(const Params& p, const Therapy& th, Mech m, PatientState& s, const StreamKey& key,
                           int n) {
  RandomStream rng({key.seed, key.domain, key.patient, kAntigenDrift, static_cast<std::uint32_t>(n)});
  for (std::size_t a = 0; a < kAntigens; ++a) {
    const AntigenSpec& as = p.antigens[a];
    if (!as.modelled) continue;
    const double u_drift = rng.uniform(), u_down = rng.uniform();
    if (((th.target_mask >> a) & 1u) == 0 || s.lost[a]) continue;
    s.density[a] *= as.drift->quantile(u_drift);
    if (th.escape_antigen == static_cast<int>(a)) {
      if (m == Mech::antigen_loss) {
        s.density[a] = 0.0;
        s.lost[a] = true;
      } else if (m == Mech::antigen_down) {
        s.density[a] *= as.downregulation->quantile(u_down);
      }
    }
  }
}

}  // namespace mmsim::myeloma
