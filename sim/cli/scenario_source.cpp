#include "sim/cli/scenario_source.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>

namespace mmsim::cli {

ScenarioSource load_scenario_source(const std::optional<std::string>& config_path) {
  if (config_path) {
    auto doc = config::load_config(*config_path, scenario_file_reader());
    return ScenarioSource{load_scenario(std::move(doc)), std::filesystem::path(*config_path).stem().string(),
                          *config_path};
  }
  return ScenarioSource{load_scenario(embedded_default_scenario()),
                        std::filesystem::path(embedded_default_name()).stem().string(),
                        embedded_default_name() + " (embedded default)"};
}

ScenarioSource load_shipped_model_source(const std::optional<std::string>& config_path) {
  if (config_path) return load_scenario_source(config_path);
  return ScenarioSource{load_scenario(shipped_model_scenario()),
                        std::filesystem::path(embedded_default_name()).stem().string(),
                        embedded_default_name() + " on the shipped model (mmsim:myeloma/default)"};
}

void print_warnings(const ScenarioSource& source) {
  for (const auto& w : source.scenario.warnings) fmt::print(stderr, "{}\n", w);
}

}  // namespace mmsim::cli
