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

Pattern draw_pattern(const Params& p, const PatientState& s, const StreamKey& key, int n) {
  RandomStream rng({key.seed, key.domain, key.patient, kProgressionPattern, static_cast<std::uint32_t>(n)});
  const double u = rng.uniform();
  const auto& probs = s.x[idx(Attr::emd)] > 0.5 ? p.pattern.if_emd : p.pattern.if_no_emd;
  double acc = 0;
  for (std::size_t k = 0; k < kPatterns; ++k) {
    acc += probs[k];
    if (u < acc) return static_cast<Pattern>(k);
  }
  return Pattern::systemic;
}

Status antigen_call(const TestingSpec& t, Status truth, double u_loss, double u_low) {
  const bool lost = truth == Status::lost;
  if (lost ? u_loss < t.loss_sensitivity : u_loss >= t.loss_specificity) return Status::lost;
  const bool low = truth == Status::low || lost;  // a missed loss still shows as a weak stain
  return (low ? u_low < t.low_sensitivity : u_low >= t.low_specificity) ? Status::low : Status::expressed;
}

void observe_at_progression(const Params& p, const Therapy& th, Mech m, PatientState& s, const StreamKey& key,
                            int n) {
  if (!p.has_testing) {
    s.tested = true;
    s.last_mechanism = m;
    return;
  }
  const TestingSpec& t = p.testing;
  RandomStream rng({key.seed, key.domain, key.patient, kTesting, static_cast<std::uint32_t>(n)});
  const double u_tested = rng.uniform(), u_mech = rng.uniform();
  std::array<double, 2 * kAntigens> u{};
  for (double& x : u) x = rng.uniform();
  s.tested = u_tested < t.tested_prob;
  if (!s.tested) {
    s.observed_status.fill(Status::untested);
    s.last_mechanism = Mech::unknown;
    return;
  }
  for (std::size_t a = 0; a < kAntigens; ++a) {
    s.observed_status[a] =
        antigen_call(t, antigen_status(p, s, static_cast<Antigen>(a)), u[2 * a], u[2 * a + 1]);
  }
  // Antigen escape is seen through the escape antigen's call; the other mechanisms need their own work-up
  // (flow cytometry for exhaustion markers, single-cell sequencing for the microenvironment, seed 2.3).
  if (m == Mech::antigen_loss || m == Mech::antigen_down) {
    const Status seen = th.escape_antigen >= 0
                            ? s.observed_status[static_cast<std::size_t>(th.escape_antigen)]
                            : Status::expressed;
    // What the stain shows: a down-regulation below the cut-off reads as loss, a missed loss as down.
    s.last_mechanism = seen == Status::lost  ? Mech::antigen_loss
                       : seen == Status::low ? Mech::antigen_down
                                             : Mech::unknown;
  } else {
    s.last_mechanism = u_mech < t.mechanism_identified_prob ? m : Mech::unknown;
  }
}

}  // namespace mmsim::myeloma
