// Testing at relapse and the pattern of progression (docs/model.md P6, S "Testing"): [testing.<id>] tables,
// the scenario's choice among them, and [progression_pattern].
#include <fmt/format.h>

#include <cmath>

#include "models/myeloma/src/read_params.hpp"

namespace mmsim::myeloma {

using config::NumberRule;
using config::TableReader;

namespace {

// { systemic, extramedullary, oligo } summing to 1 within 1e-6.
std::array<double, kPatterns> read_pattern_probs(TableReader& r, std::string_view key) {
  std::array<double, kPatterns> out{1, 0, 0};
  const toml::table* t = sub(r, key);
  if (t == nullptr) return out;
  TableReader q(*t, r.key_path(key), r.diagnostics());
  double sum = 0;
  for (std::size_t i = 0; i < kPatterns; ++i) {
    out[i] = q.number(kPatternNames[i], NumberRule::probability());
    sum += out[i];
  }
  q.finish();
  if (std::fabs(sum - 1.0) > 1e-6) {
    r.error(key, fmt::format("probabilities of {} sum to {:.6g}, not 1", join_names(kPatternNames, kPatterns),
                             sum));
  }
  return out;
}

}  // namespace

void read_testing(TableReader& top, Params& p) {
  auto& diag = top.diagnostics();
  if (const toml::table* t = top.subtable("testing", false)) {
    TableReader tr(*t, "testing", diag);
    for (const auto& [k, v] : *t) {
      const toml::table* st = tr.subtable(k.str());
      if (st == nullptr) continue;
      TableReader r(*st, tr.key_path(k.str()), diag);
      TestingSpec s;
      s.id = std::string(k.str());
      s.tested_prob = r.number("tested_prob", NumberRule::probability());
      s.loss_sensitivity = r.number("loss_sensitivity", NumberRule::probability());
      s.loss_specificity = r.number("loss_specificity", NumberRule::probability());
      s.low_sensitivity = r.number("low_sensitivity", NumberRule::probability());
      s.low_specificity = r.number("low_specificity", NumberRule::probability());
      s.mechanism_identified_prob = r.number("mechanism_identified_prob", NumberRule::probability());
      s.source = r.string("source");
      r.finish();
      p.testing_specs.push_back(std::move(s));
    }
    tr.finish();
  }
  if (const toml::table* t = top.subtable("progression_pattern")) {
    TableReader r(*t, "progression_pattern", diag);
    p.pattern.if_emd = read_pattern_probs(r, "if_emd");
    p.pattern.if_no_emd = read_pattern_probs(r, "if_no_emd");
    p.pattern.source = r.string("source");
    r.finish();
  }
}

void pick_testing(TableReader& scenario, Params& p) {
  if (!scenario.has("testing")) return;
  const std::string id = scenario.string("testing");
  for (const auto& s : p.testing_specs) {
    if (s.id == id) {
      p.testing = s;
      p.has_testing = true;
      return;
    }
  }
  std::string known;
  for (const auto& s : p.testing_specs) known += (known.empty() ? "" : ", ") + s.id;
  scenario.error("testing", fmt::format("unknown testing \"{}\" ([testing.<id>] tables: {})", id,
                                        known.empty() ? "none" : known));
}

}  // namespace mmsim::myeloma
