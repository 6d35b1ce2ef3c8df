#include "sim/calibration/target_kinds.hpp"

#include <fmt/format.h>

#include "sim/calibration/text_template.hpp"

namespace mmsim::calibration {
namespace {

using config::TableReader;

// The label of a kind that gives none: its name, with what its statistic needs to tell targets apart.
std::string default_label(const TargetKind& k) {
  switch (k.statistic) {
    case Statistic::survival_at:
    case Statistic::failure_at:
      return k.name + " at {time} mo ({arm})";
    case Statistic::hazard_ratio:
      return k.name + " {arm} : {reference}";
    default:
      return k.name + " ({arm})";
  }
}

}  // namespace

std::string read_label(TableReader& r, std::optional<std::string> fallback) {
  std::string label = r.string("label", std::move(fallback));
  const std::string bad =
      unknown_placeholder(label, {"arm", "reference", "time", "subgroup", "reference_subgroup"});
  if (!bad.empty())
    r.error("label",
            fmt::format("unknown placeholder {{{}}} (a label may use {{arm}}, {{reference}}, {{time}}, "
                        "{{subgroup}}, {{reference_subgroup}})",
                        bad));
  return label;
}

std::optional<std::string> read_column(TableReader& r, Statistic statistic, bool required) {
  const bool rate = statistic == Statistic::rate;
  const char* key = rate ? "outcome" : "endpoint";
  const char* other = rate ? "endpoint" : "outcome";
  if (r.has(other)) {
    r.node(other);
    r.error(other,
            rate ? "a rate reads an outcome column (outcome = \"...\"), not an endpoint"
                 : "a survival statistic reads an endpoint (endpoint = \"...\"), not an outcome column");
  }
  if (!required && !r.has(key)) return std::nullopt;
  return r.string(key);
}

std::map<std::string, TargetKind> read_target_kinds(TableReader& trial) {
  std::map<std::string, TargetKind> kinds;
  const toml::table* table = trial.subtable("kinds", false);
  if (table == nullptr) return kinds;
  TableReader r(*table, trial.key_path("kinds"), trial.diagnostics());
  for (const auto& [key, node] : *table) {
    const std::string name(key.str());
    const toml::table* one = r.subtable(name);
    if (one == nullptr) continue;
    TableReader k(*one, r.key_path(name), trial.diagnostics());
    TargetKind kind;
    kind.name = name;
    const std::string statistic =
        k.choice("statistic", {"rate", "median", "survival_at", "hazard_ratio", "failure_at"});
    parse_statistic(statistic, kind.statistic);
    kind.column = read_column(k, kind.statistic, true).value_or("");
    // A rate of a categorical column (the labels it counts) and a rate by the data cut (the endpoint whose
    // observed event a counted patient needs), e.g. deaths of given causes by the cut.
    const bool rate = kind.statistic == Statistic::rate;
    if (k.has("values")) {
      kind.values = k.strings("values");
      if (!rate) k.error("values", "only a rate counts the labels of a categorical column");
      if (rate && kind.values.empty()) k.error("values", "needs at least one label");
    }
    if (k.has("observed_on")) {
      kind.observed_on = k.string("observed_on");
      if (!rate) k.error("observed_on", "only a rate counts patients by an endpoint's observed event");
    }
    kind.label = read_label(k, default_label(kind));
    k.finish();
    kinds.emplace(name, std::move(kind));
  }
  r.finish();
  return kinds;
}

std::map<std::string, std::string> read_target_populations(TableReader& trial) {
  std::map<std::string, std::string> populations;
  const toml::table* table = trial.subtable("populations", false);
  if (table == nullptr) return populations;
  TableReader r(*table, trial.key_path("populations"), trial.diagnostics());
  for (const auto& [key, node] : *table) {
    const std::string name(key.str());
    if (name == kEveryone) r.error(name, "\"all\" is every patient of the arm; it cannot be redefined");
    populations.emplace(name, r.string(name));
  }
  r.finish();
  return populations;
}

}  // namespace mmsim::calibration
