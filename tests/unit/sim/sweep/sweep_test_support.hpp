#pragma once
// Shared by the sweep tests: a scenario builder for the engine's own multistate model (the reference
// illness-death model and the sweep test bases), without the CLI's model registry, and paths to the data.
#include <filesystem>
#include <memory>
#include <utility>

#include "sim/config/diagnostics.hpp"
#include "sim/config/simulation_settings.hpp"
#include "sim/multistate/multistate_model.hpp"
#include "sim/multistate/multistate_spec.hpp"
#include "sim/sweep/point_runner.hpp"

namespace mmsim::test {

inline const std::filesystem::path kSourceDir = MMSIM_SOURCE_DIR;
inline const std::filesystem::path kIllnessDeath = kSourceDir / "configs/reference/illness_death.toml";
inline const std::filesystem::path kSweepData = kSourceDir / "tests/data/sweeps";

inline sweep::BuiltScenario build_multistate(config::ConfigDocument document) {
  config::Diagnostics diag;
  ScenarioSettings shared;
  shared.simulation = read_simulation_settings(document.root, diag);
  multistate::MultistateSpec spec = multistate::read_multistate_spec(document.root, shared, diag);
  diag.throw_if_errors();
  sweep::BuiltScenario s;
  s.settings = spec.settings;
  s.model_name = "multistate";
  s.model = std::make_unique<multistate::MultistateModel>(std::move(spec));
  s.document = std::move(document);
  return s;
}

}  // namespace mmsim::test
