#pragma once
// Shared helpers of the myeloma tests: load scenarios (from the repository or from text that includes the
// parameter files), the flagship, therapies by id, constructed patients, and running a small cohort without
// the runner.
#include <catch2/catch.hpp>

#include <array>
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
