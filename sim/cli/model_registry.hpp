#pragma once
// Builds the model a config names (`model = "..."`). The only place that knows every model. The tables every
// model shares, `[simulation]` and `[trial]`, are read here once and handed to the model's builder.
#include <memory>
#include <optional>
#include <string>

#include "sim/calibration/trial_config.hpp"
#include "sim/calibration/trial_emulation.hpp"
#include "sim/config/loader.hpp"
#include "sim/config/simulation_settings.hpp"
#include "sim/core/model.hpp"
#include "sim/economics/patient_economics.hpp"
#include "sim/format/text_table.hpp"

namespace mmsim::cli {

struct LoadedScenario {
  config::ConfigDocument document;
  SimulationSettings settings;                    // [simulation]
  std::optional<calibration::TrialConfig> trial;  // a trial emulation's [trial], validated in full
  std::string model_name;
  std::unique_ptr<Model> model;
  // The scenario's [economics] (docs/economics.md), resolved against the model; null without one.
  std::shared_ptr<const economics::PatientEconomics> economics;
  // For the user, "file:line:column: warning: ..." (the loader's, and a myeloma scenario that does not
  // include the calibrated parameters); `check` and `run` print them.
  std::vector<std::string> warnings;
};

// Loads, validates and builds. Throws InputError listing every problem found.
LoadedScenario load_scenario(config::ConfigDocument document);

// This registry as the calibration library's way to build models from trial configs.
calibration::ScenarioLoader trial_scenario_loader();

// Reads scenario files from disk, and the files compiled into the binary under config::kEmbeddedRoot (the
// fallback of an `include = ["mmsim:..."]` whose files are not on disk).
config::FileReader scenario_file_reader();

// `mmsim therapies`: one row per therapy of the scenario's model (id, class, targets, binder, the source of
// its parameters); InputError for a model that has no therapies.
format::TextTable therapy_table(const LoadedScenario& scenario);

// The embedded default scenario (the flagship), usable with no files on disk.
config::ConfigDocument embedded_default_scenario();
// The same scenario on the current shipped model files (`include = ["mmsim:myeloma/default"]`), not on the
// copies compiled in: what `mmsim therapies` lists without a CONFIG.
config::ConfigDocument shipped_model_scenario();
std::string embedded_default_name();

}  // namespace mmsim::cli
