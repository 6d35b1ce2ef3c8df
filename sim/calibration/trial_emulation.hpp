#pragma once
// Trial emulation for calibration (docs/calibration.md): a trial config is a scenario with a `[trial]` table
// (sim/calibration/trial_config.hpp). This layer loads one, runs it with parameter overrides (large cohort,
// common random numbers), and runs trial-sized replicates. It knows no model: the caller supplies the
// function that builds one from a resolved config (the CLI's model registry).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/calibration/targets.hpp"
#include "sim/calibration/trial_config.hpp"
#include "sim/config/loader.hpp"
#include "sim/config/simulation_settings.hpp"
#include "sim/core/model.hpp"

namespace mmsim::calibration {

// A resolved config built: the model, the tables every model shares and its trial (absent without [trial]).
struct TrialScenario {
  std::unique_ptr<Model> model;
  ScenarioSettings settings;
  std::optional<TrialConfig> trial;
};

// How the calibration gets models from configs (the CLI passes its model registry). Both throw InputError
// listing every problem.
struct ScenarioLoader {
  // Validates and builds a resolved config in full: [simulation], [trial] and the model.
  std::function<TrialScenario(config::ConfigDocument)> load;
  // Builds the model of a resolved config whose shared tables `load` has read (each evaluation's config
  // with overrides: only model parameters change, so [trial] and its evidence are not read again).
  std::function<std::unique_ptr<Model>(config::ConfigDocument, const ScenarioSettings&)> build_model;
};

struct Trial {
  std::filesystem::path path;
  config::ConfigDocument document;  // resolved config, before overrides
  TrialConfig config;               // name, arms, targets
  ScenarioSettings settings;
  ScenarioLoader loader;
  const std::string& name() const { return config.name; }
  const std::vector<Target>& targets() const { return config.targets; }
};

// Loads a trial config (an InputError when it has no [trial]). `reader` supplies the files (the calibration
// blanks the calibrated-parameters file so that fits start from the hand-set values).
Trial load_trial(const std::filesystem::path& path, ScenarioLoader loader,
                 const config::FileReader& reader = config::read_file_text);

// A value set at a dotted config path (sim/config/config_path.hpp) before the scenario is built.
struct Override {
  std::string path;
  double value = 0.0;
};

// The trial's model with the overrides set (throws InputError when the model refuses the values).
std::unique_ptr<Model> build_trial_model(const Trial& trial, const std::vector<Override>& overrides);

// Simulated value and Monte Carlo SE of every target of the trial: one cohort of `patients` per strategy,
// with the given seed (common random numbers across evaluations and across the trial's arms).
std::vector<Simulated> evaluate_trial(const Trial& trial, const std::vector<Override>& overrides,
                                      std::uint64_t patients, std::uint64_t seed, unsigned threads);

// Trial-sized replicates: replicate r simulates fresh patients (stream domain r + 1) for each arm, disjoint
// between arms, as many as it takes for the arm's analysis to hold its n patients (the analysed patients are
// those with a time on the model's first endpoint). values[target][replicate].
std::vector<std::vector<double>> trial_replicates(const Trial& trial, const std::vector<Override>& overrides,
                                                  std::uint64_t replicates, std::uint64_t seed,
                                                  unsigned threads);

// The q-quantile (0..1, type 7) of the finite values; NaN if none.
double quantile(std::vector<double> values, double q);

}  // namespace mmsim::calibration
