#pragma once
// Where a command's scenario comes from: a config path, or the embedded default when none is given.
#include <optional>
#include <string>

#include "sim/cli/model_registry.hpp"

namespace mmsim::cli {

struct ScenarioSource {
  LoadedScenario scenario;
  std::string stem;  // for default output names: results/<stem>.h5
  std::string display_name;
};

ScenarioSource load_scenario_source(const std::optional<std::string>& config_path);
// Without a path: the default scenario on the current shipped model files (model_registry.hpp).
ScenarioSource load_shipped_model_source(const std::optional<std::string>& config_path);

// The scenario's warnings (sim/cli/model_registry.hpp), one a line on stderr.
void print_warnings(const ScenarioSource& source);

}  // namespace mmsim::cli
