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

// The `model` key, one of the models this registry knows.
std::string model_name(const toml::table& root, config::Diagnostics& diag) {
  config::TableReader top(root, "", diag);
  return top.choice("model", {"multistate", "myeloma"});
}

// The model `name` built from a resolved config and the tables every model shares; null with errors in diag.
std::unique_ptr<Model> build(const std::string& name, const toml::table& root, const ScenarioSettings& shared,
                             config::Diagnostics& diag) {
  if (name == "multistate") {
    multistate::MultistateSpec spec = multistate::read_multistate_spec(root, shared, diag);
    if (!diag.ok()) return nullptr;
    return std::make_unique<multistate::MultistateModel>(std::move(spec));
  }
  return myeloma::build_myeloma_model(root, shared, diag);
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
  s.model_name = model_name(document.root, diag);
  diag.throw_if_errors();
  ScenarioSettings shared;
  shared.simulation = read_simulation_settings(document.root, diag);
  s.trial = calibration::read_trial_config(document.root,
                                           std::filesystem::path(document.main_file).parent_path(), diag);
  if (s.trial) shared.trial = s.trial->window;
  s.model = build(s.model_name, document.root, shared, diag);
  diag.throw_if_errors();
  // A trial's arms and columns are names of the built model's strategies and outputs.
  if (s.trial) calibration::resolve_trial_config(*s.trial, *s.model, diag);
  if (auto spec = economics::read_economics(document.root, *s.model, shared.simulation.horizon, diag))
    s.economics = std::make_shared<const economics::PatientEconomics>(std::move(*spec));
  diag.throw_if_errors();
  s.settings = shared.simulation;
  s.document = std::move(document);
  return s;
}

calibration::ScenarioLoader trial_scenario_loader() {
  calibration::ScenarioLoader loader;
  loader.load = [](config::ConfigDocument document) {
    LoadedScenario s = load_scenario(std::move(document));
    ScenarioSettings shared{s.settings, std::nullopt};
    if (s.trial) shared.trial = s.trial->window;
    return calibration::TrialScenario{std::move(s.model), shared, std::move(s.trial)};
  };
  loader.build_model = [](config::ConfigDocument document, const ScenarioSettings& shared) {
    config::Diagnostics diag;
    const std::string name = model_name(document.root, diag);
    diag.throw_if_errors();
    auto model = build(name, document.root, shared, diag);
    diag.throw_if_errors();
    return model;
  };
  return loader;
}

}  // namespace mmsim::cli
