#pragma once
// What the model knows about one simulated patient as time goes on: baseline attributes, current antigen
// densities and T-cell fitness, active failure mechanisms, exposures. Fixed-size, no heap.
#include <array>
#include <bitset>
#include <cmath>
#include <cstdint>

#include "models/myeloma/src/params.hpp"

namespace mmsim::myeloma {

inline constexpr std::size_t kMaxTherapies = 256;
inline constexpr double kNoCart = 1e9;  // months_since_last_cart when there was none

struct PatientState {
  std::array<double, kAttrs> x{};           // baseline attributes (as drawn)
  double age0 = 60;                         // age at time zero
  std::array<double, kAntigens> density{};  // current density of each modelled antigen (0 = lost)
  std::array<bool, kAntigens> lost{};
  // T-cell fitness: value at `fitness_time`, recovering toward `x[tcell_fitness]` afterwards.
  double fitness_at = 0, fitness_time = 0;
  std::array<double, kMechanisms> mech_time{};  // when each mechanism was last drawn; NaN = never
  Mech last_mechanism = Mech::none;             // as the rules see it (may be `unknown`)
  int best_response_last = -1;                  // Depth of the last treated line, -1 none
  double last_response_months = 0;              // the last treated line's response, assessment to progression
  Pattern last_pattern = Pattern::none;         // pattern of the last progression (drawn at progression)
  // Testing at the last progression (S "Testing"): whether it was tested, and the antigen status it reported
  // (`untested` when not tested). Only read when the scenario names a testing model; otherwise the rules see
  // the true status and mechanism.
  bool tested = false;
  std::array<Status, kAntigens> observed_status{};
  double last_cart_infusion = NAN;
  int lines_given = 0;  // simulated lines started, the current one included once it has started
  // One uniform per antigen, drawn once per patient: the disease no longer responds to therapy against
  // antigen a after exposure when nonresponse_u[a] < the therapy's share (P3 prior_exposure). Drawn once,
  // so a patient re-treated twice does not roll the dice again; 1 (never) unless the simulation draws it.
  std::array<double, kAntigens> nonresponse_u{};
  // Exposures (lines actually given, i.e. treatment started).
  std::uint32_t antigen_exposed = 0, category_exposed = 0;
  std::array<std::uint32_t, 3>
      antigen_exposed_by_type{};  // bit per Antigen, by ExposureType (simulated lines)
  std::bitset<kMaxTherapies> therapy_exposed, class_exposed;

  double fitness(double t, const MechanismSpec& m) const {
    const double base = x[idx(Attr::tcell_fitness)];
    if (fitness_at >= base) return fitness_at;
    return std::min(base, fitness_at + m.recovery_per_month * (t - fitness_time));
  }
  // Lines given before the current one: the `per_prior_line` covariate's simulated part (P3). run_line counts
  // a line in `lines_given` as it starts, before its efficacy is computed, so the current line is not a prior
  // line; a state that has started no line yet (lines_given = 0) is before line 1.
  int lines_before_current() const { return lines_given > 0 ? lines_given - 1 : 0; }
  bool exposed_to_antigen(Antigen a) const {
    if (a == Antigen::BCMA && x[idx(Attr::prior_bcma_exposure)] > 0.5) return true;
    return (antigen_exposed >> idx(a)) & 1u;
  }
};

// Kinds of an earlier exposure to a target, for the durability terms of P3 `prior_exposure`.
enum class ExposureType : std::uint8_t { car_t, bsab, adc };
inline constexpr std::size_t kExposureTypes = 3;

inline int exposure_type_of(Category c) {
  switch (c) {
    case Category::car_t:
    case Category::allo_car_t:
      return static_cast<int>(ExposureType::car_t);
    case Category::bsab:
      return static_cast<int>(ExposureType::bsab);
    case Category::adc:
      return static_cast<int>(ExposureType::adc);
    default:
      return -1;
  }
}

// Sets the time-zero state from baseline attributes.
inline void init_state(const Params& p, PatientState& s) {
  s.age0 = s.x[idx(Attr::age)];
  for (std::size_t a = 0; a < kAntigens; ++a) {
    const AntigenSpec& as = p.antigens[a];
    s.density[a] = as.modelled ? s.x[idx(as.density_attribute)] : 0.0;
    s.lost[a] = false;
  }
  s.fitness_at = s.x[idx(Attr::tcell_fitness)];
  s.fitness_time = 0;
  s.mech_time.fill(NAN);
  s.last_mechanism = Mech::none;
  s.best_response_last = -1;
  s.last_response_months = 0;
  s.last_pattern = Pattern::none;
  s.tested = false;
  s.observed_status.fill(Status::untested);
  s.last_cart_infusion = NAN;
  s.lines_given = 0;
  s.nonresponse_u.fill(1.0);
  s.antigen_exposed = s.category_exposed = 0;
  s.antigen_exposed_by_type.fill(0);
  s.therapy_exposed.reset();
  s.class_exposed.reset();
}

// True antigen status (P5), on the current density (no partner).
inline Status antigen_status(const Params& p, const PatientState& s, Antigen a) {
  const AntigenSpec& as = p.antigens[idx(a)];
  if (!as.modelled) return Status::expressed;
  const double d = s.density[idx(a)];
  if (s.lost[idx(a)] || d < as.functional_threshold) return Status::lost;
  if (d < as.low_cutoff) return Status::low;
  return Status::expressed;
}

}  // namespace mmsim::myeloma

namespace mmsim::myeloma {

// Antigen status as strategy rules see it: the true one, or what the last test reported when the scenario
// names a testing model (S "Testing").
inline Status seen_antigen_status(const Params& p, const PatientState& s, Antigen a) {
  return p.has_testing ? s.observed_status[idx(a)] : antigen_status(p, s, a);
}

}  // namespace mmsim::myeloma
