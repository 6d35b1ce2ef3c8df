#include "sim/config/simulation_settings.hpp"

namespace mmsim {

SimulationSettings read_simulation_settings(const toml::table& root, config::Diagnostics& diag) {
  SimulationSettings s;
  config::TableReader top(root, "", diag);
  const toml::table* t = top.subtable("simulation", false);
  if (t == nullptr) return s;
  config::TableReader r(*t, "simulation", diag);
  s.patients = static_cast<std::uint64_t>(r.integer("patients", 1, kMaxPatients, 10000));
  s.seed = static_cast<std::uint64_t>(r.integer("seed", 0, kMaxSeed, 1));
  s.horizon = r.number("horizon", config::NumberRule::between(1.0, config::kMaxMonths), 120.0);
  r.finish();
  return s;
}

}  // namespace mmsim
