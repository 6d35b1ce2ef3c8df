#pragma once
// Runs one point of a sweep: its scenario built from the point's document, every replicate (stream domain =
// replicate) of every strategy, reported and written to the store as the point's rows. Every point simulates
// the same patients with the same random numbers (common random numbers, docs/sweeps.md).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "sim/config/loader.hpp"
#include "sim/config/simulation_settings.hpp"
#include "sim/core/model.hpp"
#include "sim/economics/patient_economics.hpp"
#include "sim/sweep/sweep_spec.hpp"
#include "sim/sweep/sweep_store.hpp"

namespace mmsim::sweep {

// A scenario built with its model's own rules.
struct BuiltScenario {
  config::ConfigDocument document;  // resolved
  SimulationSettings settings;
  std::string model_name;
  std::unique_ptr<Model> model;
  std::shared_ptr<const economics::PatientEconomics> economics;  // the scenario's [economics], or null
};

// Builds a scenario from a config document; throws InputError listing every problem. The engine does not
// know the models: production passes the model registry (cli::load_scenario).
using ScenarioBuilder = std::function<BuiltScenario(config::ConfigDocument)>;

struct PointRunSettings {
  std::uint64_t patients = 0;  // cohort size of every replicate
  unsigned threads = 0;        // 0: all cores
  bool trajectories = false;   // also write each replicate's full run file to OUTDIR/points/
  std::size_t reference = 0;   // strategy the others are compared with
};

class PointRunner {
 public:
  // Keeps references to spec, store and header: they must outlive the runner.
  PointRunner(const SweepSpec& spec, const SweepStore& store, const SweepHeader& header,
              ScenarioBuilder build, PointRunSettings settings);

  // simulate() then store(). Throws InputError when the point's scenario is rejected (naming the point) or
  // changes the strategies, endpoints or outcomes of the header (a sweep may only change numbers).
  void run(const SweepPoint& point) const;

  // The point's rows: its scenario built, every replicate simulated on `threads` threads (0: all cores) and
  // reported. Touches no HDF5 file unless the settings keep trajectories, so without trajectories several
  // points may be simulated at once (HDF5 itself is not thread-safe); the rows do not depend on `threads`.
  PointRows simulate(const SweepPoint& point, unsigned threads) const;
  // Writes the point's rows to the store (HDF5: one caller at a time).
  void store(const SweepPoint& point, const PointRows& rows) const;
  // Whether simulate() writes files (the replicates' run files), so points must run one at a time.
  bool writes_files() const { return settings_.trajectories; }

 private:
  const SweepSpec& spec_;
  const SweepStore& store_;
  const SweepHeader& header_;
  ScenarioBuilder build_;
  PointRunSettings settings_;
  SweepTables tables_;  // the rows' layouts, which the returned PointRows point into
};

}  // namespace mmsim::sweep
