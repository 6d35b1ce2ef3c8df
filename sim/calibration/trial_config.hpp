#pragma once
// The `[trial]` table of a trial emulation (docs/calibration.md): the trial's calendar, its arms and their
// sizes, the kinds of target it can score and the targets themselves, named by evidence id. Read once, by
// the model registry, for every command (`check` and `run` refuse a bad one as `calibrate` does); the model
// gets only the calendar (TrialWindow).
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/calibration/targets.hpp"
#include "sim/config/simulation_settings.hpp"
#include "sim/config/table_reader.hpp"
#include "sim/core/model.hpp"

namespace mmsim::calibration {

// Where a name that only the built model can check was written, for a located error.
struct NameSource {
  toml::source_region where;
  std::string key_path;
};

struct TrialArm {
  std::string strategy;
  std::uint64_t n = 0;    // patients in the trial's analysis of this arm (e.g. treated, or randomized)
  std::size_t index = 0;  // strategy index in the model (set by resolve_trial_config)
  NameSource source;      // the `strategy` key
};

struct TrialConfig {
  std::string name;
  TrialWindow window;
  std::uint64_t replicates = 200;  // trial-sized replicates for the prediction intervals
  std::vector<TrialArm> arms;
  std::vector<Target> targets;  // published figures filled in from the evidence table
  // Per target: where its kind (or column override), population and subgroups were written.
  std::vector<NameSource> column_sources, population_sources, subgroup_sources;
  // The patients-table columns the targets read besides the endpoints (rates, populations, subgroups): a run
  // collects them for the scoring.
  std::vector<std::string> columns_read() const;
};

// Reads `[trial]`; nullopt when the config has none. Relative paths (`evidence_file`) are taken from
// `config_dir`. Every problem goes to `diag` with file, line and key; the result is meaningful only when no
// problem was added.
std::optional<TrialConfig> read_trial_config(const toml::table& root, const std::filesystem::path& config_dir,
                                             config::Diagnostics& diag);

// Checks the names only the built model knows: every arm's strategy (setting its index) and every column a
// target reads (its endpoint, outcome, population and subgroup columns must be in the model's output schema;
// a categorical rate's labels become the column's codes).
void resolve_trial_config(TrialConfig& trial, const Model& model, config::Diagnostics& diag);

}  // namespace mmsim::calibration
