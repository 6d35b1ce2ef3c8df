#include "sim/cli/scenario_source.hpp"

#include <filesystem>

namespace mmsim::cli {

ScenarioSource load_scenario_source(const std::optional<std::string>& config_path) {
  if (config_path) {
    auto doc = config::load_config(*config_path);
    return ScenarioSource{load_scenario(std::move(doc)), std::filesystem::path(*config_path).stem().string(),
                          *config_path};
  }
  return ScenarioSource{load_scenario(embedded_default_scenario()),
                        std::filesystem::path(embedded_default_name()).stem().string(),
                        embedded_default_name() + " (embedded default)"};
}

}  // namespace mmsim::cli
