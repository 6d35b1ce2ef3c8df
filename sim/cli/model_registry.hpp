#pragma once
// Builds the model a config names (`model = "..."`). The only place that knows every model.
#include <memory>
#include <string>

#include "sim/config/loader.hpp"
#include "sim/config/simulation_settings.hpp"
#include "sim/core/model.hpp"

namespace mmsim::cli {

struct LoadedScenario {
  config::ConfigDocument document;
  SimulationSettings settings;
  std::string model_name;
  std::unique_ptr<Model> model;
};

// Loads, validates and builds. Throws InputError listing every problem found.
LoadedScenario load_scenario(config::ConfigDocument document);

// The embedded default scenario (the flagship), usable with no files on disk.
config::ConfigDocument embedded_default_scenario();
std::string embedded_default_name();

}  // namespace mmsim::cli
