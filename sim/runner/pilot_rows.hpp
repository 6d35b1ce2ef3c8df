#pragma once
// The rows of a run's first patients, simulated before the run by its estimate's pilot (run_estimate.hpp),
// kept so the run appends them instead of simulating those patients again. A patient is a pure function of
// its stream key, so appending the pilot's bytes gives the rows simulating would (the runner's tests check
// the written tables with and without). Reusing them saved 339 M instructions of the flagship's 3000-patient
// default run (docs/performance.md, "session 11").
#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/core/model.hpp"
#include "sim/random/stream.hpp"

namespace mmsim {

class PilotRows {
 public:
  PilotRows() = default;
  // Rows of `strategies` strategies in `schema`'s tables for the keys {seed, domain, i, 0, 0}; with or
  // without the trajectory tables (the sink the pilot simulated into had them or not).
  PilotRows(const OutputSchema& schema, std::size_t strategies, std::uint64_t seed, std::uint64_t domain,
            bool trajectories);

  // Where the pilot simulates strategy s's next patient (patients 0, 1, ... in turn); end_patient(s) after
  // each, which records where its trajectory rows end.
  PatientSink sink(std::size_t s);
  void end_patient(std::size_t s);

  const TableBuffer& patients(std::size_t s) const { return strategies_[s].patients; }
  const std::vector<TableBuffer>& trajectories(std::size_t s) const { return strategies_[s].trajectories; }

  // Appends the kept rows of strategy s's patient `key` to `sink` and returns true, when the pilot simulated
  // that key into a sink of the same shape (trajectory tables or not); else appends nothing and returns
  // false (the caller simulates the patient).
  bool append(std::size_t s, const StreamKey& key, PatientSink& sink) const;

 private:
  struct Strategy {
    TableBuffer patients;
    std::vector<TableBuffer> trajectories;
    std::vector<std::size_t> ends;  // per patient, per trajectory table: the row after its last
  };
  std::vector<Strategy> strategies_;
  std::uint64_t seed_ = 0, domain_ = 0;
  bool trajectories_ = false;
};

}  // namespace mmsim
