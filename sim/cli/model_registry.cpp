#include "sim/cli/model_registry.hpp"

#include <fmt/format.h>

#include <sstream>

#include "models/myeloma/myeloma_model.hpp"
#include "sim/cli/embedded_files.hpp"
#include "sim/config/table_reader.hpp"
#include "sim/core/errors.hpp"
#include "sim/multistate/multistate_model.hpp"

namespace mmsim::cli {
namespace {

using config::kEmbeddedRoot;
constexpr const char* kDefaultScenario = "configs/post_cart_salvage.toml";

bool under_embedded_root(const std::filesystem::path& path) {
  const auto first = path.begin();
  return first != path.end() && *first == kEmbeddedRoot;
}

std::optional<std::string> read_embedded(const std::filesystem::path& path) {
  if (!under_embedded_root(path)) return std::nullopt;
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

// A myeloma scenario runs on the fitted parameters only if it includes the file `mmsim calibrate` writes.
std::optional<std::string> uncalibrated_warning(const config::ConfigDocument& document) {
  for (const auto& f : document.files) {
    if (std::filesystem::path(f).filename() == myeloma::kCalibratedParametersFile) return std::nullopt;
  }
  return fmt::format(
      "{}: warning: the scenario does not include {} (the parameters `mmsim calibrate` fitted): it runs on "
      "the uncalibrated values of the parameter files. Include \"mmsim:myeloma/default\" (the shipped model, "
      "calibrated.toml last) or the file itself",
      document.main_file, myeloma::kCalibratedParametersFile);
}

}  // namespace

config::FileReader scenario_file_reader() {
  return [](const std::filesystem::path& path) {
    return under_embedded_root(path) ? read_embedded(path) : config::read_file_text(path);
  };
}

format::TextTable therapy_table(const LoadedScenario& scenario) {
  const auto* model = dynamic_cast<const myeloma::MyelomaModel*>(scenario.model.get());
  if (model == nullptr)
    throw InputError(fmt::format("{}: the {} model has no therapies (only the myeloma model lists them)",
                                 scenario.document.main_file, scenario.model_name));
  std::vector<format::Column> columns;
  for (const char* c : {"therapy", "label", "class", "category", "targets", "binder", "cell_source",
                        "defined_at", "overridden_by", "source"})
    columns.push_back(format::left(c));
  // Names and sources, not numbers: left-aligned, line ends kept, a plain Markdown rule.
  format::TextTable t(std::move(columns), {false, format::MarkdownRule::plain});
  for (const auto& r : myeloma::list_therapies(model->params(), scenario.document.root))
    t.add_row({r.id, r.label, r.class_id, r.category, r.targets, r.binder, r.cell_source, r.defined_at,
               r.overridden_by, r.source});
  return t;
}

std::string embedded_default_name() {
  return kDefaultScenario;
}

config::ConfigDocument embedded_default_scenario() {
  const std::filesystem::path path = std::filesystem::path(kEmbeddedRoot) / kDefaultScenario;
  const auto text = read_embedded(path);
  if (!text) throw std::logic_error("the default scenario was not embedded at build time");
  return config::load_config_text(*text, path, read_embedded);
}

config::ConfigDocument shipped_model_scenario() {
  const std::filesystem::path path = std::filesystem::path(kEmbeddedRoot) / kDefaultScenario;
  const auto text = read_embedded(path);
  if (!text) throw std::logic_error("the default scenario was not embedded at build time");
  toml::table scenario = toml::parse(*text, path.string());
  scenario.insert_or_assign("include", toml::array{std::string(config::kShippedPrefix) + "myeloma/default"});
  std::ostringstream rewritten;
  rewritten << scenario;
  return config::load_config_text(rewritten.str(), path, scenario_file_reader());
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
  s.warnings = document.warnings;
  if (s.model_name == "myeloma") {
    if (auto w = uncalibrated_warning(document)) s.warnings.push_back(std::move(*w));
  }
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
