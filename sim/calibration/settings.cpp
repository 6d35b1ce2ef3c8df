#include "sim/calibration/settings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <variant>

#include "sim/calibration/text_template.hpp"
#include "sim/config/config_path.hpp"
#include "sim/config/diagnostics.hpp"
#include "sim/config/loader.hpp"
#include "sim/config/table_reader.hpp"

namespace mmsim::calibration {
namespace {

namespace fs = std::filesystem;
using config::NumberRule;
using config::TableReader;

// A calibrated path must parse and must not step into an array: the fitted values are written to the
// parameters file as TOML dotted keys, which name table keys only (and an included array would replace the
// whole array, not one element).
void check_path(TableReader& r, const std::string& text) {
  std::string error;
  const auto path = config::parse_config_path(text, error);
  if (!path) {
    r.error("paths", error);
  } else if (std::any_of(path->steps.begin(), path->steps.end(),
                         [](const config::PathStep& s) { return std::holds_alternative<std::size_t>(s); })) {
    r.error("paths",
            fmt::format("\"{}\" steps into an array: a calibrated value is written to the parameters "
                        "file as a TOML dotted key, which names table keys only",
                        text));
  }
}

std::string read_text(TableReader& r, std::string_view key, const std::string& fallback) {
  std::string text = r.string(key, fallback);
  const std::string bad = unknown_placeholder(text, {"command"});
  if (!bad.empty())
    r.error(key, fmt::format("unknown placeholder {{{}}} (the texts may use {{command}})", bad));
  return text;
}

void read_report_text(TableReader& calibration, ReportText& text) {
  const toml::table* t = calibration.subtable("text", false);
  if (t == nullptr) return;
  TableReader r(*t, calibration.key_path("text"), calibration.diagnostics());
  text.title = read_text(r, "title", text.title);
  text.generated_by = read_text(r, "generated_by", text.generated_by);
  text.simulated_with = read_text(r, "simulated_with", text.simulated_with);
  text.notes = read_text(r, "notes", text.notes);
  text.parameters_header = read_text(r, "parameters_header", text.parameters_header);
  r.finish();
}

std::string location(const TableReader& r, std::string_view key) {
  const toml::node* n = r.table().get(key);
  const toml::source_region& at = n != nullptr ? n->source() : r.table().source();
  return fmt::format("{}:{}:{}: {}", config::source_file(at), at.begin.line, at.begin.column,
                     r.key_path(key));
}

Parameter read_parameter(TableReader& r) {
  Parameter q;
  q.name = r.string("name");
  q.paths = r.strings("paths");
  for (const auto& path : q.paths) check_path(r, path);
  const std::string mode = r.choice("mode", {"set", "scale", "shift"}, "set");
  q.mode = mode == "scale" ? Mode::scale : mode == "shift" ? Mode::shift : Mode::set;
  q.weights =
      r.has("weights") ? r.numbers("weights", NumberRule::any()) : std::vector<double>(q.paths.size(), 1.0);
  if (q.weights.size() != q.paths.size()) r.error("weights", "one weight per path");
  if (q.mode == Mode::shift && q.weights.size() == q.paths.size()) {
    // A shift moves mass between categories whose values sum to a constant (response probabilities): the
    // sum stays put only if the weights cancel. An absolute value is mode = "set".
    double sum = 0, scale = 0;
    for (const double w : q.weights) sum += w, scale += std::abs(w);
    if (std::abs(sum) > 1e-12 * std::max(1.0, scale))
      r.error(
          r.has("weights") ? "weights" : "mode",
          fmt::format("a shift moves mass between its paths, so its weights must sum to 0 (they sum to {}); "
                      "use mode = \"set\" or \"scale\" to fit one value",
                      sum));
  }
  q.lower = r.number("lower", NumberRule::any());
  q.upper = r.number("upper", NumberRule::any());
  q.lower_at = location(r, "lower");
  q.upper_at = location(r, "upper");
  if (!(q.upper > q.lower)) r.error("upper", "upper must exceed lower");
  if (r.has("start")) q.start = r.number("start", NumberRule::between(q.lower, q.upper));
  q.note = r.string("note", "");
  r.finish();
  return q;
}

}  // namespace

const char* mode_noun(Mode mode) {
  switch (mode) {
    case Mode::scale:
      return "multiplier";
    case Mode::shift:
      return "shift";
    default:
      return "value";
  }
}

std::string Settings::command() const {
  return "mmsim calibrate " + file.generic_string();
}

Settings read_settings(const fs::path& file) {
  Settings s;
  s.file = file;
  const config::ConfigDocument doc = config::load_config(file);
  config::Diagnostics diag;
  TableReader top(doc.root, "", diag);
  const fs::path dir = file.parent_path();
  if (const toml::table* c = top.subtable("calibration")) {
    TableReader r(*c, "calibration", diag);
    for (const auto& t : r.strings("trials")) s.trials.push_back(dir / t);
    if (s.trials.empty() && r.has("trials")) r.error("trials", "name at least one trial config");
    s.parameters_file = dir / r.string("parameters_file");
    s.report = dir / r.string("report");
    s.state = dir / r.string("state");
    s.patients = static_cast<std::uint64_t>(r.integer("patients", 100, 10000000, 10000));
    s.report_patients = static_cast<std::uint64_t>(r.integer("report_patients", 100, 100000000, 40000));
    s.seed = static_cast<std::uint64_t>(r.integer("seed", 0, INT64_MAX, 1));
    s.algorithm = r.choice("algorithm", {"LN_BOBYQA", "LN_NELDERMEAD", "LN_SBPLX", "LN_COBYLA"}, "LN_BOBYQA");
    s.starts = static_cast<int>(r.integer("starts", 1, 100, 3));
    s.max_evaluations = static_cast<int>(r.integer("max_evaluations", 1, 1000000, 300));
    s.xtol = r.number("xtol_rel", NumberRule::positive(), 1e-3);
    r.string("description", "");
    read_report_text(r, s.text);
    r.finish();
  }
  const auto parameters = top.table_array("parameter");
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    TableReader r(*parameters[i], fmt::format("parameter[{}]", i), diag);
    s.parameters.push_back(read_parameter(r));
  }
  if (s.parameters.empty()) top.error("parameter", "no [[parameter]] to fit");
  top.finish();
  diag.throw_if_errors();
  return s;
}

}  // namespace mmsim::calibration
