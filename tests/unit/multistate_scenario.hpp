#pragma once
// The engine's generic multi-state model built straight from a config, without the CLI's model registry: the
// runner, report, sweep and multistate tests use it as their model, and link no layer above the engine.
#include <filesystem>
#include <memory>
#include <string>
#include <utility>

#include "sim/config/diagnostics.hpp"
#include "sim/config/loader.hpp"
#include "sim/config/simulation_settings.hpp"
#include "sim/multistate/multistate_model.hpp"

namespace mmsim::test {

// Throws InputError listing every problem of the config, as the registry would.
inline std::unique_ptr<multistate::MultistateModel> build_multistate(const config::ConfigDocument& document) {
  config::Diagnostics diag;
  ScenarioSettings shared;
  shared.simulation = read_simulation_settings(document.root, diag);
  multistate::MultistateSpec spec = multistate::read_multistate_spec(document.root, shared, diag);
  diag.throw_if_errors();
  return std::make_unique<multistate::MultistateModel>(std::move(spec));
}

// `relative` is a path under the source tree, e.g. "configs/reference/illness_death.toml".
inline std::unique_ptr<multistate::MultistateModel> load_multistate(const std::string& relative) {
  return build_multistate(config::load_config(std::filesystem::path(MMSIM_SOURCE_DIR) / relative));
}

}  // namespace mmsim::test
