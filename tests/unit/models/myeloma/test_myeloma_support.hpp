#pragma once
// Shared helpers of the myeloma tests: load scenarios (from the repository or from text that includes the
// parameter files, written from the fragments below so that each test says only what it varies), the
// flagship, therapies by id, constructed patients, located errors, and running a small cohort without the
// runner.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "models/myeloma/myeloma_model.hpp"
#include "sim/config/loader.hpp"
#include "sim/core/errors.hpp"

namespace mmsim::myeloma::test {

inline const char* kIncludes = R"(model = "myeloma"
include = [
  "../models/myeloma/params/population.toml",
  "../models/myeloma/params/antigens.toml",
  "../models/myeloma/params/mechanisms.toml",
  "../models/myeloma/params/disease.toml",
  "../models/myeloma/params/background_mortality.toml",
  "../models/myeloma/params/partners.toml",
  "../models/myeloma/params/therapy_classes.toml",
  "../models/myeloma/params/therapies.toml",
]
)";

// Every line after a strategy's own lines and rules: stop.
inline const std::string kStopRule = R"(
[[fallback_rule]]
default = true
therapy = "stop"
)";

// A test scenario over the shipped parameter files: [simulation] (100 patients, seed 1; the tests draw their
// own streams) and [scenario] in `population` up to `horizon` months, with `scenario_keys` as further
// [scenario] lines (max_lines, testing, endpoints, ...), then `body`: strategies, rules, and parameter tables
// that merge key by key over the shipped ones.
inline std::string scenario_text(const std::string& population, double horizon,
                                 const std::string& scenario_keys, const std::string& body) {
  return std::string(kIncludes) +
         "\n[simulation]\npatients = 100\nseed = 1\nhorizon = " + std::to_string(horizon) +
         "\n\n[scenario]\nname = \"test\"\npopulation = \"" + population + "\"\n" + scenario_keys + body;
}

// A strategy that gives its therapies as lines 1, 2, ... in order.
struct FixedStrategy {
  std::string name;
  std::vector<std::string> lines;
};

// The [[strategy]] tables of fixed-line strategies, then stop (kStopRule).
inline std::string fixed_strategies(const std::vector<FixedStrategy>& strategies) {
  std::string text;
  for (const auto& s : strategies) {
    text += "\n[[strategy]]\nname = \"" + s.name + "\"\n";
    for (const auto& therapy : s.lines) text += "[[strategy.line]]\ntherapy = \"" + therapy + "\"\n";
  }
  return text + kStopRule;
}

// Ide-cel's CRS/ICANS table with the shipped rates written out (the tests' closed forms use them) and the
// odds-ratio lines `odds_ratios` (e.g. "or_high_tumor_burden = 2.0\n").
inline std::string ide_cel_toxicity(const std::string& odds_ratios) {
  return R"(
[therapy.ide_cel.toxicity]
crs_any = 0.84
crs_grade3plus = 0.05
icans_any = 0.18
icans_grade3plus = 0.03
)" + odds_ratios +
         "source = \"test\"\n";
}

inline std::string test_config_path() {
  return std::string(MMSIM_SOURCE_DIR) + "/configs/myeloma_test_inline.toml";
}

// Builds from config text placed (virtually) in configs/; errors into diag.
inline std::unique_ptr<MyelomaModel> build_from_text(const std::string& text, config::Diagnostics& diag) {
  const auto doc = config::load_config_text(text, test_config_path());
  const ScenarioSettings settings{read_simulation_settings(doc.root, diag), std::nullopt};
  return build_myeloma_model(doc.root, settings, diag);
}

inline std::unique_ptr<MyelomaModel> build_file(const std::string& rel) {
  const auto doc = config::load_config(std::string(MMSIM_SOURCE_DIR) + "/" + rel);
  config::Diagnostics diag;
  const ScenarioSettings settings{read_simulation_settings(doc.root, diag), std::nullopt};
  auto m = build_myeloma_model(doc.root, settings, diag);
  if (!diag.ok()) throw InputError(diag.format());
  return m;
}

// Builds from config text that must be valid: InputError listing its problems otherwise.
inline std::unique_ptr<MyelomaModel> build_valid(const std::string& text) {
  config::Diagnostics diag;
  auto m = build_from_text(text, diag);
  if (!diag.ok()) throw InputError(diag.format());
  return m;
}

// A valid model of fixed-line strategies (scenario_text, fixed_strategies) treating no more lines than the
// longest of them (max_lines), with `tables` (parameter tables merged over the shipped ones) appended.
inline std::unique_ptr<MyelomaModel> fixed_lines_model(const std::string& population, double horizon,
                                                       const std::vector<FixedStrategy>& strategies,
                                                       const std::string& tables = "") {
  std::size_t max_lines = 1;
  for (const auto& s : strategies) max_lines = std::max(max_lines, s.lines.size());
  return build_valid(scenario_text(population, horizon, "max_lines = " + std::to_string(max_lines) + "\n",
                                   fixed_strategies(strategies) + tables));
}

// The first line of `text` holding `needle` (1-based); the test stops where there is none.
inline std::uint32_t line_of(const std::string& text, const std::string& needle) {
  const auto pos = text.find(needle);
  REQUIRE(pos != std::string::npos);
  return static_cast<std::uint32_t>(
      std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(pos), '\n') + 1);
}

// The issue recorded at the line of the test config text holding `needle`; the test stops where there is
// none.
inline const config::Issue& issue_at(const config::Diagnostics& d, const std::string& text,
                                     const std::string& needle) {
  const std::uint32_t line = line_of(text, needle);
  const auto& issues = d.issues();
  const auto it = std::find_if(issues.begin(), issues.end(), [&](const config::Issue& i) {
    return i.line == line && i.file.find("myeloma_test_inline.toml") != std::string::npos;
  });
  INFO("no issue at line " << line << " (" << needle << ")");
  REQUIRE(it != issues.end());
  return *it;
}

// The flagship scenario (configs/post_cart_salvage.toml), built once per test executable.
inline const MyelomaModel& flagship_model() {
  static const auto m = build_file("configs/post_cart_salvage.toml");
  return *m;
}

// A therapy by id; the test stops where the scenario has none of that id.
inline const Therapy& therapy_named(const Params& p, const std::string& id) {
  const int i = p.therapy_index(id);
  REQUIRE(i >= 0);
  return p.therapies[static_cast<std::size_t>(i)];
}

inline double logit(double p) {
  return std::log(p / (1.0 - p));
}

// The overall response rate (PR or better) of response probabilities.
inline double orr(const DepthProbs& probs) {
  return probs[idx(Depth::pr)] + probs[idx(Depth::vgpr)] + probs[idx(Depth::cr)];
}

inline std::size_t strategy_index(const MyelomaModel& m, const std::string& name) {
  const auto& s = m.strategies();
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == name) return i;
  }
  throw std::runtime_error("no strategy " + name);
}

// An average constructed patient: 60 years, male, 5 prior lines, no risk features, BCMA 670 mol/cell,
// GPRC5D at the median, T-cell fitness 0.
inline std::array<double, kAttrs> average_patient() {
  std::array<double, kAttrs> x{};
  x[idx(Attr::age)] = 60;
  x[idx(Attr::male)] = 1;
  x[idx(Attr::prior_lines)] = 5;
  x[idx(Attr::bcma_density)] = 670;
  x[idx(Attr::gprc5d_level)] = 1;
  return x;
}

inline PatientState state_of(const Params& p, const std::array<double, kAttrs>& x) {
  PatientState s;
  s.x = x;
  init_state(p, s);
  return s;
}

// The patient simulate.cpp hands to line_efficacy on line n: run_line counts the line as given first.
inline PatientState state_on_line(const Params& p, const std::array<double, kAttrs>& x, int n) {
  PatientState s = state_of(p, x);
  s.lines_given = n;
  return s;
}

// Simulates patients 0..n-1 under one strategy (optionally all with the same constructed baseline); returns
// the patients table.
inline TableBuffer run_cohort(const MyelomaModel& m, std::size_t strategy, std::size_t n, std::uint64_t seed,
                              const std::array<double, kAttrs>* baseline = nullptr) {
  TableBuffer patients(m.schema().patients);
  std::vector<TableBuffer> traj;
  for (const auto& l : m.schema().trajectories) traj.emplace_back(l);
  PatientSink sink{patients, &traj};
  History h;
  for (std::uint64_t i = 0; i < n; ++i) {
    const StreamKey key{seed, 0, i, 0, 0};
    if (baseline != nullptr) {
      simulate_patient(m.params(), strategy, key, h, baseline);
      m.write(h, key, sink);
    } else {
      m.simulate(strategy, key, sink);
    }
    for (auto& t : traj) t.clear();
  }
  return patients;
}

}  // namespace mmsim::myeloma::test
