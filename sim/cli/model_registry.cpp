#include "sim/cli/model_registry.hpp"

#include <fmt/format.h>

#include "models/myeloma/myeloma_model.hpp"
#include "sim/cli/embedded_files.hpp"
#include "sim/config/table_reader.hpp"
#include "sim/core/errors.hpp"
#include "sim/multistate/multistate_model.hpp"

namespace mmsim::cli {
namespace {

constexpr const char* kEmbeddedRoot = "<embedded>";
constexpr const char* kDefaultScenario = "configs/post_cart_salvage.toml";

std::optional<std::string> read_embedded(const std::filesystem::path& path) {
  const std::filesystem::path rel = path.lexically_relative(kEmbeddedRoot);
  for (const auto& f : embedded_files()) {
    if (std::filesystem::path(f.path) == rel) return std::string(f.text);
  }
  return std::nullopt;
}

}  // namespace

std::string embedded_default_name() {
  return kDefaultScenario;
}

config::ConfigDocument embedded_default_scenario() {
  const std::filesystem::path path = std::filesystem::path(kEmbeddedRoot) / kDefaultScenario;
  const auto text = read_embedded(path);
  if (!text) throw std::logic_error("the default scenario was not embedded at build time");
  return config::load_config_text(*text, path, read_embedded);
}

LoadedScenario load_scenario(config::ConfigDocument document) {
  config::Diagnostics diag;
  LoadedScenario s;
  config::TableReader top(document.root, "", diag);
  s.model_name = top.choice("model", {"multistate", "myeloma"});
  diag.throw_if_errors();
  ScenarioSettings shared;
  shared.simulation = read_simulation_settings(document.root, diag);
  s.trial = calibration::read_trial_config(document.root,
                                           std::filesystem::path(document.main_file).parent_path(), diag);
  if (s.trial) shared.trial = s.trial->window;
  if (s.model_name == "multistate") {
    multistate::MultistateSpec spec = multistate::read_multistate_spec(document.root, shared, diag);
    diag.throw_if_errors();
    s.model = std::make_unique<multistate::MultistateModel>(std::move(spec));
  } else if (s.model_name == "myeloma") {
    s.model = myeloma::build_myeloma_model(document.root, shared, diag);
    diag.throw_if_errors();
  }
  // A trial's arms and columns are names of the built model's strategies and outputs.
  if (s.trial) calibration::resolve_trial_config(*s.trial, *s.model, diag);
  diag.throw_if_errors();
  s.settings = shared.simulation;
  s.document = std::move(document);
  return s;
}

calibration::TrialScenario load_trial_scenario(config::ConfigDocument document) {
  LoadedScenario s = load_scenario(std::move(document));
  return calibration::TrialScenario{std::move(s.model), s.settings, std::move(s.trial)};
}

}  // namespace mmsim::cli
