#pragma once
// What every scenario may set whatever its model, read once by the model registry and handed to the model's
// builder: `[simulation]` (cohort size, seed, horizon) and, for a trial emulation, the accrual window and
// data cut-off of `[trial]` (the rest of `[trial]`, its arms and targets, is the calibration's:
// sim/calibration/trial_config.hpp).
#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

#include "sim/config/table_reader.hpp"

namespace mmsim {

// The legal ranges of `[simulation]`, shared by the command-line overrides.
inline constexpr std::int64_t kMaxPatients = std::int64_t{1} << 40;
inline constexpr std::int64_t kMaxSeed = std::numeric_limits<std::int64_t>::max();

struct SimulationSettings {
  std::uint64_t patients = 10000;
  std::uint64_t seed = 1;
  double horizon = 120.0;  // months: administrative censoring of every patient
};

// A trial's calendar: uniform accrual over `accrual_months` from the first enrolment, data cut-off
// `cutoff_months` after it (>= accrual). A model emulating the trial censors each patient administratively at
// min(horizon, cutoff - own enrolment time).
struct TrialWindow {
  double accrual_months = 0.0;
  double cutoff_months = 0.0;
};

struct ScenarioSettings {
  SimulationSettings simulation;
  std::optional<TrialWindow> trial;  // present when the config has a `[trial]` table
};

// The top-level tables the registry reads for every model; a model's own reader lets them pass. (`economics`
// is the engine's: sim/economics, docs/economics.md.)
inline constexpr std::array<std::string_view, 3> kSharedTables{"simulation", "trial", "economics"};

// Reads `[simulation]` (optional keys: patients, seed, horizon). Errors go to `diag`.
SimulationSettings read_simulation_settings(const toml::table& root, config::Diagnostics& diag);

}  // namespace mmsim
