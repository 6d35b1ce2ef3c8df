#pragma once
// The `[simulation]` table every scenario shares, whatever its model: cohort size, seed and horizon.
#include <cstdint>
#include <limits>

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

// Reads `[simulation]` (optional keys: patients, seed, horizon). Errors go to `diag`.
SimulationSettings read_simulation_settings(const toml::table& root, config::Diagnostics& diag);

}  // namespace mmsim
