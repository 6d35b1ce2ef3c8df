#include "sim/calibration/trial_config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/calibration/evidence_table.hpp"
#include "sim/calibration/target_kinds.hpp"
#include "sim/core/errors.hpp"

namespace mmsim::calibration {
namespace {

using config::NumberRule;
using config::TableReader;

// Where `key` of the table read by `r` was written (the table itself when the key is absent).
NameSource source_of(TableReader& r, std::string_view key) {
  const toml::node* n = r.table().get(key);
  return NameSource{n != nullptr ? n->source() : r.table().source(), r.key_path(key)};
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::string listed(const std::vector<std::string>& names) {
  return names.empty() ? std::string("none") : fmt::format("{}", fmt::join(names, ", "));
}

void read_arms(TableReader& r, TrialConfig& c) {
  const toml::array* arms = r.node("arm") ? r.node("arm")->as_array() : nullptr;
  if (arms == nullptr || arms->empty()) r.error("arm", "needs arm = [{ strategy = \"...\", n = ... }, ...]");
  if (arms == nullptr) return;
  for (std::size_t i = 0; i < arms->size(); ++i) {
    const toml::table* a = arms->get(i)->as_table();
    if (a == nullptr) {
      r.diagnostics().error(arms->get(i)->source(), fmt::format("{}[{}]", r.key_path("arm"), i),
                            "each arm is a table { strategy, n }");
      continue;
    }
    TableReader ar(*a, fmt::format("{}[{}]", r.key_path("arm"), i), r.diagnostics());
    TrialArm arm;
    arm.strategy = ar.string("strategy");
    arm.n = static_cast<std::uint64_t>(ar.integer("n", 1, 1000000));
    arm.source = source_of(ar, "strategy");
    for (const auto& other : c.arms) {
      if (other.strategy == arm.strategy && !arm.strategy.empty())
        ar.error("strategy", fmt::format("arm \"{}\" listed twice", arm.strategy));
    }
    ar.finish();
    c.arms.push_back(std::move(arm));
  }
}

bool has_arm(const TrialConfig& c, const std::string& strategy) {
  return std::any_of(c.arms.begin(), c.arms.end(), [&](const TrialArm& a) { return a.strategy == strategy; });
}

// `key = { count_of = [...], at_least = k, at_most = m, label = "..." }`: the patients with between k and m
// 1s among the listed 0/1 columns (docs/calibration.md, "Subgroups").
Subgroup read_subgroup(TableReader& tr, std::string_view key) {
  Subgroup g;
  const toml::table* table = tr.subtable(key, false);
  if (table == nullptr) {
    if (tr.has(key)) tr.error(key, "a subgroup is a table { count_of = [...], at_least = k, at_most = m }");
    return g;
  }
  TableReader r(*table, tr.key_path(key), tr.diagnostics());
  g.columns = r.strings("count_of");
  if (g.columns.empty()) r.error("count_of", "needs at least one 0/1 column");
  if (!r.has("at_least") && !r.has("at_most")) r.error("at_least", "needs at_least and/or at_most");
  const auto n = static_cast<std::int64_t>(g.columns.size());
  if (r.has("at_least")) g.at_least = static_cast<std::size_t>(r.integer("at_least", 0, n));
  if (r.has("at_most")) g.at_most = static_cast<std::size_t>(r.integer("at_most", 0, n));
  if (g.at_least > g.at_most) r.error("at_most", "must not be below at_least (the subgroup would be empty)");
  g.label = r.string("label", "");
  r.finish();
  return g;
}

struct TargetContext {
  const std::map<std::string, TargetKind>& kinds;
  const std::map<std::string, std::string>& populations;
  std::string default_population;
};

Target read_target(TableReader& tr, TrialConfig& c, const TargetContext& ctx) {
  Target g;
  g.trial = c.name;
  g.evidence = tr.string("evidence");
  const std::string kind = tr.string("kind");
  const auto k = ctx.kinds.find(kind);
  NameSource column_source = source_of(tr, "kind");
  if (k == ctx.kinds.end()) {
    std::vector<std::string> names;
    for (const auto& [name, def] : ctx.kinds) names.push_back(name);
    if (tr.has("kind"))
      tr.error("kind", fmt::format("unknown kind \"{}\" ([trial.kinds] defines: {})", kind, listed(names)));
  } else {
    g.kind = k->second;
  }
  // A target may read another column than its kind's, or relabel it (e.g. one `median` kind for several
  // endpoints).
  if (k != ctx.kinds.end()) {
    const char* column_key = g.kind.statistic == Statistic::rate ? "outcome" : "endpoint";
    if (const auto column = read_column(tr, g.kind.statistic, false)) {
      g.kind.column = *column;
      column_source = source_of(tr, column_key);
    }
    if (tr.has("label")) g.kind.label = read_label(tr, std::nullopt);
  }
  g.arm = tr.string("arm");
  g.reference = tr.string("reference", "");
  const bool hr = g.kind.statistic == Statistic::hazard_ratio && k != ctx.kinds.end();
  const NameSource subgroup_source = source_of(tr, tr.has("subgroup") ? "subgroup" : "reference_subgroup");
  g.subgroup = read_subgroup(tr, "subgroup");
  if (tr.has("reference_subgroup")) {
    if (!hr) tr.error("reference_subgroup", "only a hazard ratio compares with a reference subgroup");
    g.reference_subgroup = read_subgroup(tr, "reference_subgroup");
    if (g.reference.empty()) g.reference = g.arm;  // two subgroups of one arm
  }
  if (hr && g.reference.empty())
    tr.error("reference", "a hazard-ratio target needs reference = \"<arm>\" or a reference_subgroup");
  const bool landmark =
      g.kind.statistic == Statistic::survival_at || g.kind.statistic == Statistic::failure_at;
  g.time = landmark ? tr.number("time", NumberRule::positive()) : kNaN;
  g.note = tr.string("note", "");
  // Rates among a population's patients (e.g. the treated, for single-arm trials timed from treatment), or
  // among all patients of the arm; the survival statistics analyse whom their endpoint's time zero admits,
  // or, where the target names a population itself, its patients among those (e.g. OS among complete
  // responders). [trial].target_population is the rates' default only, so it never narrows a survival target.
  std::vector<std::string> choices{kEveryone};
  for (const auto& [name, column] : ctx.populations) choices.push_back(name);
  const NameSource population_source = source_of(tr, "population");
  const bool rate = g.kind.statistic == Statistic::rate;
  if (tr.has("population") && g.kind.statistic == Statistic::hazard_ratio && k != ctx.kinds.end())
    tr.error("population",
             "a hazard ratio takes no population (its endpoint's time zero decides whom it analyses)");
  const bool named = tr.has("population");
  const std::string population = tr.choice("population", choices, ctx.default_population);
  if ((rate || named) && population != kEveryone && ctx.populations.contains(population))
    g.denominator = ctx.populations.at(population);
  if (tr.has("value")) g.value = tr.number("value", NumberRule::any());
  if (tr.has("ci_low")) g.ci_low = tr.number("ci_low", NumberRule::any());
  if (tr.has("ci_high")) g.ci_high = tr.number("ci_high", NumberRule::any());
  if (tr.has("n")) g.n = tr.number("n", NumberRule::positive());
  if (tr.has("weight")) g.weight = tr.number("weight", NumberRule::between(0.0, 1.0));
  tr.finish();
  c.column_sources.push_back(column_source);
  c.population_sources.push_back(population_source);
  c.subgroup_sources.push_back(subgroup_source);
  return g;
}

}  // namespace

std::optional<TrialConfig> read_trial_config(const toml::table& root, const std::filesystem::path& config_dir,
                                             config::Diagnostics& diag) {
  if (!root.contains("trial")) return std::nullopt;
  TableReader top(root, "", diag);
  const toml::table* table = top.subtable("trial");
  if (table == nullptr) return std::nullopt;
  const std::size_t errors_before = diag.issues().size();
  const auto clean = [&] { return diag.issues().size() == errors_before; };
  TableReader r(*table, "trial", diag);
  TrialConfig c;
  c.name = r.string("name");
  r.string("description", "");
  r.string("source", "");
  c.window.accrual_months = r.number("accrual_months", NumberRule::non_negative());
  c.window.cutoff_months = r.number("cutoff_months", NumberRule::positive());
  if (c.window.cutoff_months < c.window.accrual_months)
    r.error("cutoff_months", "the data cut-off must not come before the end of accrual");
  c.replicates = static_cast<std::uint64_t>(r.integer("replicates", 1, 100000, 200));
  const std::filesystem::path evidence_file = config_dir / r.string("evidence_file");
  read_arms(r, c);
  const auto kinds = read_target_kinds(r);
  const auto populations = read_target_populations(r);
  std::vector<std::string> population_names{kEveryone};
  for (const auto& [name, column] : populations) population_names.push_back(name);
  const TargetContext ctx{kinds, populations, r.choice("target_population", population_names, kEveryone)};

  const auto targets = r.table_array("target", true);
  std::vector<TableReader> readers;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    readers.emplace_back(*targets[i], fmt::format("{}[{}]", r.key_path("target"), i), diag);
    c.targets.push_back(read_target(readers.back(), c, ctx));
  }
  r.finish();
  if (!clean()) return c;

  // The published figures, once the table is known to be sound (no cascade of errors from a typo).
  std::map<std::string, EvidenceRow> evidence;
  try {
    evidence = read_evidence_csv(evidence_file);
  } catch (const InputError& e) {
    r.error("evidence_file", e.what());
    return c;
  }
  for (std::size_t i = 0; i < c.targets.size(); ++i) {
    Target& g = c.targets[i];
    TableReader& tr = readers[i];
    const auto row = evidence.find(g.evidence);
    if (row == evidence.end()) {
      tr.error("evidence", fmt::format("no row {} in {}", g.evidence, evidence_file.string()));
    } else {
      fill_from_evidence(g, row->second);
      if (std::isnan(g.value)) tr.error("evidence", fmt::format("row {} has no numeric value", g.evidence));
    }
    if (!has_arm(c, g.arm)) tr.error("arm", fmt::format("no arm \"{}\" in [trial].arm", g.arm));
    if (!g.reference.empty() && !has_arm(c, g.reference))
      tr.error("reference", fmt::format("no arm \"{}\" in [trial].arm", g.reference));
  }
  return c;
}

std::vector<std::string> TrialConfig::columns_read() const {
  std::vector<std::string> names;
  const auto add = [&](const std::string& column) {
    if (!column.empty() && !contains(names, column)) names.push_back(column);
  };
  for (const auto& t : targets) {
    if (t.kind.statistic == Statistic::rate) add(t.kind.column);
    add(t.denominator);
    for (const auto& c : t.subgroup.columns) add(c);
    for (const auto& c : t.reference_subgroup.columns) add(c);
  }
  return names;
}

namespace {

// A column a target counts 0/1 values of: a u8 column of the patients table (a model's outcome, or e.g. a
// baseline flag).
bool is_flag_column(const OutputSchema& schema, const std::string& name) {
  return schema.patients.contains(name) &&
         schema.patients.field(schema.patients.find(name)).type == FieldType::u8;
}

std::vector<std::string> flag_columns(const OutputSchema& schema) {
  std::vector<std::string> names;
  for (const auto& f : schema.patients.fields())
    if (f.type == FieldType::u8 && !f.name.ends_with("_event")) names.push_back(f.name);
  return names;
}

// A categorical rate's labels as the column's codes; a located error for a label the column lacks.
void resolve_codes(Target& t, const OutputSchema& schema, const NameSource& at, config::Diagnostics& diag) {
  const bool categorical =
      schema.patients.contains(t.kind.column) &&
      schema.patients.field(schema.patients.find(t.kind.column)).type == FieldType::enumeration;
  if (!categorical) {
    diag.error(
        at.where, at.key_path,
        fmt::format("kind \"{}\" counts labels ({}) of \"{}\", which is not a categorical column of the "
                    "model's patients table",
                    t.kind.name, listed(t.kind.values), t.kind.column));
    return;
  }
  const auto& labels = schema.patients.field(schema.patients.find(t.kind.column)).labels;
  t.kind.codes.clear();
  for (const auto& v : t.kind.values) {
    const auto it = std::find(labels.begin(), labels.end(), v);
    if (it == labels.end()) {
      diag.error(at.where, at.key_path,
                 fmt::format("kind \"{}\": \"{}\" has no label \"{}\" (labels: {})", t.kind.name,
                             t.kind.column, v, listed(labels)));
      continue;
    }
    t.kind.codes.push_back(static_cast<std::uint8_t>(it - labels.begin()));
  }
}

}  // namespace

void resolve_trial_config(TrialConfig& trial, const Model& model, config::Diagnostics& diag) {
  const auto& names = model.strategies();
  for (auto& arm : trial.arms) {
    const auto it = std::find(names.begin(), names.end(), arm.strategy);
    if (it == names.end()) {
      diag.error(arm.source.where, arm.source.key_path,
                 fmt::format("no strategy \"{}\" in this config", arm.strategy));
    } else {
      arm.index = static_cast<std::size_t>(it - names.begin());
    }
  }
  const OutputSchema& schema = model.schema();
  for (std::size_t i = 0; i < trial.targets.size(); ++i) {
    Target& t = trial.targets[i];
    const NameSource& at = trial.column_sources[i];
    if (t.kind.statistic == Statistic::rate && !t.kind.values.empty()) {
      resolve_codes(t, schema, at, diag);
    } else if (t.kind.statistic == Statistic::rate) {
      if (!contains(schema.outcomes, t.kind.column))
        diag.error(at.where, at.key_path,
                   fmt::format("kind \"{}\" reads the outcome column \"{}\", which the model does not write "
                               "(outcomes: {})",
                               t.kind.name, t.kind.column, listed(schema.outcomes)));
    } else if (!contains(schema.endpoints, t.kind.column)) {
      diag.error(at.where, at.key_path,
                 fmt::format("kind \"{}\" reads the endpoint \"{}\", which this scenario does not produce "
                             "(endpoints: {})",
                             t.kind.name, t.kind.column, listed(schema.endpoints)));
    }
    if (!t.kind.observed_on.empty() && !contains(schema.endpoints, t.kind.observed_on))
      diag.error(
          at.where, at.key_path,
          fmt::format("kind \"{}\" counts by the endpoint \"{}\", which this scenario does not produce "
                      "(endpoints: {})",
                      t.kind.name, t.kind.observed_on, listed(schema.endpoints)));
    for (const Subgroup* g : {&t.subgroup, &t.reference_subgroup}) {
      for (const auto& c : g->columns) {
        if (is_flag_column(schema, c)) continue;
        const NameSource& s = trial.subgroup_sources[i];
        diag.error(s.where, s.key_path,
                   fmt::format("subgroup column \"{}\" is not a 0/1 column of the model's patients table "
                               "(0/1 columns: {})",
                               c, listed(flag_columns(schema))));
      }
    }
    if (!t.denominator.empty() && !contains(schema.outcomes, t.denominator)) {
      const NameSource& p = trial.population_sources[i];
      diag.error(p.where, p.key_path,
                 fmt::format("the population's column \"{}\" is not an outcome column of the model "
                             "(outcomes: {})",
                             t.denominator, listed(schema.outcomes)));
    }
  }
}

}  // namespace mmsim::calibration
