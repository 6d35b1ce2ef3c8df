#pragma once
// The contract between the engine and a disease model.
//
// The engine (cohort runner, HDF5 writer, statistics, sweeps) sees a model only through this interface, so it
// knows nothing of myeloma; a model sees output only as TableBuffers, so it knows nothing of threads or HDF5.
// A model is built once from config, is immutable afterwards, and is shared read-only by all threads.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sim/core/table.hpp"
#include "sim/random/stream.hpp"

namespace mmsim {

// How an endpoint reads in a figure: its title, its curve's axis label, and its time axis with the time zero
// ("Months since first relapse").
struct EndpointLabel {
  std::string title;      // "Progression-free survival after first relapse"
  std::string axis;       // "Progression-free survival"
  std::string time_axis;  // "Months since first relapse"
};

// One endpoint's events split into competing causes. The time, time zero and "any event" are the endpoint's
// E_time and E_event; the cause of an event comes from exactly one of:
//   cause_column    a u8 or enum patients column holding the cause code 1..K of an event (read only where
//                   E_event is 1; the run file must hold the patients table);
//   split_endpoint  another endpoint: an event whose time equals that endpoint's event time is cause 2, any
//                   other event cause 1 (e.g. progression-free survival split by death: progression = 1,
//                   death without progression = 2).
struct CompetingRisks {
  std::string name;  // a short identifier, used in dataset paths
  std::string title;
  std::string endpoint;
  std::string cause_column;
  std::string split_endpoint;
  std::vector<std::string> cause_labels;  // K display labels, cause 1 first
};

// What a model writes. The patients table's first field is `id` (u64, the 0-based patient index of the
// random streams); for every endpoint E it has `E_time` (f64, NaN where undefined) and `E_event` (u8 1/0).
struct OutputSchema {
  TableLayout patients;
  std::vector<TableLayout> trajectories;  // e.g. "events", "lines": any number of rows per patient
  std::vector<std::string> endpoints;     // names, in report order
  std::vector<std::string> outcomes;      // u8 0/1 patients-table columns reported as rates (e.g. response)
  // Optional, one per outcome or empty: the u8 0/1 column naming the patients among whom that outcome's rate
  // is also reported (e.g. "started_line2" for "response_line2"); "" = only the intention-to-treat rate over
  // all patients. The statistics report both rates where a denominator is named.
  std::vector<std::string> outcome_denominators;
  std::vector<std::string> state_names;  // labels of the state enum, for docs and reports
  // Optional display text for figures and readers, written as run-file attributes: one per endpoint (in
  // `endpoints` order) or empty, and one per strategy (in Model::strategies() order) or empty.
  std::vector<EndpointLabel> endpoint_labels;
  std::vector<std::string> strategy_labels;
  // Optional cumulative-incidence analyses of competing events (Aalen-Johansen), stored with the summaries.
  std::vector<CompetingRisks> competing_risks;
};

// Where one patient's rows go. `trajectories` is empty when the run keeps no trajectories.
struct PatientSink {
  TableBuffer& patients;
  std::vector<TableBuffer>* trajectories = nullptr;  // one per OutputSchema::trajectories entry, or null
};

// Where a block of consecutive patients' results go (Model::simulate_block).
struct BlockSink {
  // The patients rows, one a patient in order; null when the run reads nothing from them but the endpoint
  // columns below (a summary-only run of a model without outcome columns).
  TableBuffer* patients = nullptr;
  std::vector<TableBuffer>* trajectories = nullptr;  // as PatientSink::trajectories
  // Empty, or one pointer per endpoint (OutputSchema::endpoints order) to where the block's E_time (E_event)
  // values go, one a patient in order: the run's statistics columns, written without a row in between.
  std::span<double* const> endpoint_time;
  std::span<std::uint8_t* const> endpoint_event;
};

class Model {
 public:
  virtual ~Model() = default;

  virtual const OutputSchema& schema() const = 0;
  // Strategy names in config order; never empty (a config without strategies has one named "default").
  virtual const std::vector<std::string>& strategies() const = 0;
  // Administrative censoring time (months) of every patient.
  virtual double horizon() const = 0;

  // Simulates patient `key.patient` under strategy `strategy`: appends exactly one row to sink.patients and
  // any number of rows to the trajectory tables. Must be a pure function of (model, strategy, key): draws
  // come only from streams derived from `key` (seed, domain, patient) with model-chosen purpose and step, and
  // draws that do not depend on the strategy (baseline attributes, ...) must not use it, so strategies
  // compared in one run share common random numbers.
  virtual void simulate(std::size_t strategy, const StreamKey& key, PatientSink& sink) const = 0;

  // Simulates patients first.patient .. first.patient + count - 1 (first's purpose and step are 0) under
  // `strategy`, giving exactly the rows, trajectory rows and endpoint values that `count` calls of simulate()
  // would, and returns true; or returns false, having written nothing, when the model has no block loop for
  // this strategy (the runner then calls simulate() a patient at a time). A block loop spares the per-patient
  // call, and the row and column copy a summary-only run does not need: in the reference model that
  // bookkeeping cost as much as the random draws.
  virtual bool simulate_block(std::size_t /*strategy*/, const StreamKey& /*first*/, std::uint64_t /*count*/,
                              BlockSink& /*sink*/) const {
    return false;
  }

  // Every effective parameter with its source, one per line (`mmsim check CONFIG --print`).
  virtual std::string parameter_report() const = 0;
};

}  // namespace mmsim
