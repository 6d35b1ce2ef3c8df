#pragma once
// Runs a cohort through a model: every strategy for every patient, in parallel over blocks of patients, with
// results reaching the output in patient order. Memory is bounded by the block size and the number of blocks
// in flight, never by the cohort size.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/model.hpp"
#include "sim/economics/moments.hpp"
#include "sim/economics/run_economics.hpp"
#include "sim/io/column_spill.hpp"
#include "sim/io/run_file.hpp"

namespace mmsim {

class PilotRows;  // sim/runner/pilot_rows.hpp

enum class OutputMode { trajectories, no_trajectories, summary_only };

// Where the run keeps the endpoint and outcome columns its end-of-run statistics need, taken from the blocks
// as they pass (never read back from the file being written): nowhere (--no-summary), in memory (sized by
// strategies x columns x patients), or spilled in patient order to files in a private temporary folder when
// they do not fit the memory budget (docs/statistics.md, "Memory budget").
enum class ColumnCollection { none, memory, spill };

struct RunOptions {
  std::uint64_t patients = 10000;
  std::uint64_t seed = 1;
  std::uint64_t domain = 0;       // second stream space (sweep replicate); 0 for a plain run
  unsigned threads = 0;           // 0: all cores
  std::size_t block_size = 4096;  // patients per block = rows per chunk of the patients table
  std::size_t trajectory_chunk_rows = 16384;
  int deflate_level = io::kDefaultDeflateLevel;
  OutputMode mode = OutputMode::trajectories;
  bool progress = false;  // progress on stderr: a redrawn line on a terminal, else a line every interval
  std::chrono::milliseconds progress_interval{10000};
  // summary_only runs collect in memory unless told to spill (their statistics have no other source).
  ColumnCollection collect = ColumnCollection::none;
  io::SpillFolder* spill_folder = nullptr;  // required with ColumnCollection::spill
  // With [economics]: every patient's costs, QALYs and life years, appended to the written patients and lines
  // rows and accumulated into RunOutcome::economics (docs/economics.md). Draws no random numbers.
  const economics::RunEconomics* economics = nullptr;
  // Further u8 (or enumeration) patients columns to collect beside the outcomes, e.g. the baseline flags a
  // calibration target's subgroup reads; appended to RunOutcome::outcomes (collected_outcome_columns).
  std::vector<std::string> extra_columns;
  // Rows of the first patients already simulated (the estimate's pilot, run_estimate.hpp): appended instead
  // of simulated again where the run simulates a patient at a time into a sink of the pilot's shape. Not
  // owned; null: simulate every patient.
  const PilotRows* pilot = nullptr;
};

// An allocator whose resize leaves new elements uninitialized (default-initialized): a summary-only column is
// sized for the whole cohort up front and every slot is written once by the block that owns it. Zeroing it
// first would touch hundreds of MB serially (0.16 s at 10^7 patients, 8% of the run); left untouched, its
// pages are faulted in by the parallel writers.
template <class T>
struct UninitializedAllocator : std::allocator<T> {
  template <class U>
  struct rebind {
    using other = UninitializedAllocator<U>;
  };
  UninitializedAllocator() = default;
  template <class U>
  UninitializedAllocator(const UninitializedAllocator<U>&) noexcept {}
  template <class U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};
template <class T>
using ColumnVector = std::vector<T, UninitializedAllocator<T>>;

// One endpoint's columns for one strategy, in patient order.
struct EndpointColumns {
  ColumnVector<double> time;
  ColumnVector<std::uint8_t> event;
};

struct RunOutcome {
  // [strategy][endpoint] and [strategy][outcome]; filled with ColumnCollection::memory.
  std::vector<std::vector<EndpointColumns>> columns;
  std::vector<std::vector<ColumnVector<std::uint8_t>>> outcomes;
  // With ColumnCollection::spill: per strategy s, columns s * spill_stride + 2 e (endpoint e's times, f64),
  // + 2 e + 1 (its events, u8) and + 2 E + o (outcome o, u8), in patient order.
  std::shared_ptr<io::ColumnSpill> spilled;
  std::size_t spill_stride = 0;
  std::vector<std::uint64_t> trajectory_rows;  // per trajectory table, summed over strategies
  // With RunOptions::economics: the moments of every strategy's kValues values (strategy-major), in patient
  // order.
  std::optional<economics::Moments> economics;
  double seconds = 0.0;
};

// The u8 patients-table columns the statistics read besides the endpoints: the outcomes, then each outcome
// denominator column (OutputSchema::outcome_denominators), each competing-risks cause column
// (OutputSchema::competing_risks) and each of `extra` (RunOptions::extra_columns) not already among them.
std::vector<std::string> collected_outcome_columns(const OutputSchema& schema,
                                                   const std::vector<std::string>& extra = {});

// Dataset path of a strategy's table: "/strategies/<strategy>/<table>".
std::string table_path(const std::string& strategy, const std::string& table);

// Simulates the cohort. With mode != summary_only, `writer` receives the per-strategy patients tables (and
// the trajectory tables in trajectories mode). `writer` may be null in summary_only mode.
RunOutcome run_cohort(const Model& model, const RunOptions& options, io::RunFileWriter* writer);

}  // namespace mmsim
