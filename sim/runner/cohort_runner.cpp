#include "sim/runner/cohort_runner.hpp"

#include <oneapi/tbb/concurrent_queue.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_pipeline.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "sim/io/run_layout.hpp"
#include "sim/runner/pilot_rows.hpp"
#include "sim/runner/progress.hpp"

namespace mmsim {
namespace {

// Rows of one trajectory table awaiting encoding, cut into whole chunks in patient order.
struct RawChunk {
  std::size_t strategy = 0, table = 0;
  std::vector<std::byte> bytes;
  std::size_t rows = 0;
  io::EncodedChunk encoded;
};

// Blocks are recycled through a pool once written: their buffers keep their capacity, so a run allocates a
// few blocks' worth of memory once instead of mapping and unmapping it for every block (page faults, and TLB
// shoot-downs between the worker threads, in profiles of the summary-only runs).
struct Block {
  std::uint64_t first = 0, count = 0;
  bool last = false;
  std::vector<TableBuffer> patients;                   // per strategy
  std::vector<std::vector<TableBuffer>> trajectories;  // [strategy][table]
  std::vector<io::EncodedChunk> patient_chunks;        // per strategy
  std::vector<RawChunk> trajectory_chunks;             // cut by the serial stage, encoded in parallel
  std::vector<std::vector<std::byte>> spill_columns;   // the statistics' columns of this block, to spill
  // With economics: the written (extended) patients and lines rows per strategy, and each patient's values
  // ([patient][strategy][value]).
  std::vector<TableBuffer> economics_patients, economics_lines;
  std::vector<double> economics_values;
  // Where a block loop writes a strategy's endpoint columns (BlockSink), pointed at the run's columns; empty
  // unless the run collects them in memory.
  std::vector<double*> time_columns;
  std::vector<std::uint8_t*> event_columns;

  void recycle() {
    for (auto& t : patients) t.clear();
    for (auto& per : trajectories) {
      for (auto& t : per) t.clear();
    }
    patient_chunks.clear();
    trajectory_chunks.clear();
    for (auto& c : spill_columns) c.clear();
    for (auto& t : economics_patients) t.clear();
    for (auto& t : economics_lines) t.clear();
  }
};

// Copies field f (of type T) of every row into out, one T after another, with the row size and the
// field's offset read once; a get() per value re-read them through the layout (~40 instructions a patient).
template <class T>
void copy_field(const TableBuffer& rows, FieldId f, void* out) {
  const std::size_t row_size = rows.layout().row_size();
  const std::byte* in = rows.data() + rows.layout().offset(f);
  auto* dst = static_cast<std::byte*>(out);
  for (std::size_t r = 0, n = rows.rows(); r < n; ++r, in += row_size, dst += sizeof(T))
    std::memcpy(dst, in, sizeof(T));
}

// Accumulates a trajectory table's rows across blocks and cuts whole chunks; serial, in patient order.
class Rechunker {
 public:
  Rechunker(std::size_t strategy, std::size_t table, std::size_t row_size, std::size_t chunk_rows)
      : strategy_(strategy), table_(table), row_size_(row_size), chunk_rows_(chunk_rows) {}

  void add(const TableBuffer& rows, bool last, std::vector<RawChunk>& out) {
    const std::byte* p = rows.data();
    std::size_t left = rows.rows();
    while (left > 0) {
      const std::size_t take = std::min(left, chunk_rows_ - pending_rows_);
      pending_.insert(pending_.end(), p, p + take * row_size_);
      pending_rows_ += take;
      p += take * row_size_;
      left -= take;
      if (pending_rows_ == chunk_rows_) flush(out);
    }
    if (last && pending_rows_ > 0) flush(out);
  }

 private:
  void flush(std::vector<RawChunk>& out) {
    RawChunk c;
    c.strategy = strategy_;
    c.table = table_;
    c.rows = pending_rows_;
    c.bytes = std::move(pending_);
    pending_ = {};
    pending_rows_ = 0;
    out.push_back(std::move(c));
  }
  std::size_t strategy_, table_, row_size_, chunk_rows_;
  std::vector<std::byte> pending_;
  std::size_t pending_rows_ = 0;
};

}  // namespace

std::vector<std::string> collected_outcome_columns(const OutputSchema& schema,
                                                   const std::vector<std::string>& extra) {
  std::vector<std::string> names = schema.outcomes;
  const auto add = [&](const std::string& d) {
    if (!d.empty() && std::find(names.begin(), names.end(), d) == names.end()) names.push_back(d);
  };
  for (const auto& d : schema.outcome_denominators) add(d);
  for (const auto& c : schema.competing_risks) add(c.cause_column);
  for (const auto& d : extra) add(d);
  return names;
}

std::string table_path(const std::string& strategy, const std::string& table) {
  return io::layout::strategy_table(strategy, table);
}

RunOutcome run_cohort(const Model& model, const RunOptions& opt, io::RunFileWriter* writer) {
  const auto t0 = std::chrono::steady_clock::now();
  const OutputSchema& schema = model.schema();
  const std::size_t n_strategies = model.strategies().size();
  const std::size_t n_tables = schema.trajectories.size();
  const bool write_patients = opt.mode != OutputMode::summary_only && writer != nullptr;
  const bool keep_trajectories = opt.mode == OutputMode::trajectories && writer != nullptr;
  const economics::RunEconomics* econ = opt.economics;
  // Economics reads every patient's trajectory rows, kept or not.
  const bool simulate_trajectories = keep_trajectories || econ != nullptr;
  const std::optional<std::size_t> econ_lines = econ ? econ->lines_table() : std::nullopt;
  const std::size_t econ_width = n_strategies * economics::kValues;
  const TableLayout& written_patients = econ ? econ->patients_layout() : schema.patients;
  auto written_trajectory = [&](std::size_t t) -> const TableLayout& {
    return econ ? econ->trajectory_layout(t) : schema.trajectories[t];
  };
  const io::ChunkSpec patient_spec{opt.block_size, opt.deflate_level};
  const io::ChunkSpec trajectory_spec{opt.trajectory_chunk_rows, opt.deflate_level};

  RunOutcome outcome;
  if (econ) outcome.economics.emplace(econ_width);
  outcome.trajectory_rows.assign(n_tables, 0);
  std::vector<std::size_t> patient_tables(n_strategies), trajectory_tables(n_strategies * n_tables);
  for (std::size_t s = 0; s < n_strategies; ++s) {
    const std::string& name = model.strategies()[s];
    if (write_patients)
      patient_tables[s] =
          writer->create_table(io::layout::patients_table(name), written_patients, patient_spec);
    for (std::size_t t = 0; keep_trajectories && t < n_tables; ++t) {
      trajectory_tables[s * n_tables + t] = writer->create_table(
          table_path(name, schema.trajectories[t].name()), written_trajectory(t), trajectory_spec);
    }
  }

  // Endpoint columns for summary-only runs, sized up front and filled by the parallel stage: each block owns
  // the slots of its own patients, so no serial copy limits the thread scaling.
  std::vector<FieldId> ep_time, ep_event;
  for (const auto& e : schema.endpoints) {
    ep_time.push_back(schema.patients.find(e + "_time"));
    ep_event.push_back(schema.patients.find(e + "_event"));
  }
  std::vector<FieldId> outcome_fields;
  for (const auto& o : collected_outcome_columns(schema, opt.extra_columns))
    outcome_fields.push_back(schema.patients.find(o));
  const ColumnCollection collect =
      opt.mode == OutputMode::summary_only && opt.collect == ColumnCollection::none ? ColumnCollection::memory
                                                                                    : opt.collect;
  const std::size_t n_ep = schema.endpoints.size();
  const std::size_t stride = 2 * n_ep + outcome_fields.size();
  if (collect == ColumnCollection::spill) {
    if (opt.spill_folder == nullptr) throw std::logic_error("run_cohort: spilling needs a spill folder");
    std::vector<std::size_t> sizes;
    for (std::size_t s = 0; s < n_strategies; ++s) {
      for (std::size_t e = 0; e < n_ep; ++e) {
        sizes.push_back(sizeof(double));
        sizes.push_back(1);
      }
      for (std::size_t o = 0; o < outcome_fields.size(); ++o) sizes.push_back(1);
    }
    outcome.spilled = std::make_shared<io::ColumnSpill>(*opt.spill_folder, sizes);
    outcome.spill_stride = stride;
  }
  if (collect == ColumnCollection::memory) {
    outcome.outcomes.assign(n_strategies, std::vector<ColumnVector<std::uint8_t>>(outcome_fields.size()));
    for (auto& per : outcome.outcomes) {
      for (auto& c : per) c.resize(opt.patients);
    }
    outcome.columns.assign(n_strategies, std::vector<EndpointColumns>(schema.endpoints.size()));
    for (auto& per : outcome.columns) {
      for (auto& c : per) {
        c.time.resize(opt.patients);
        c.event.resize(opt.patients);
      }
    }
  }
  // Spilled columns are cut per block in the parallel stage and appended in patient order by the writer.
  auto cut_spill_columns = [&](Block& b) {
    b.spill_columns.resize(n_strategies * stride);
    for (std::size_t s = 0; s < n_strategies; ++s) {
      const TableBuffer& rows = b.patients[s];
      const std::size_t n = rows.rows();
      for (std::size_t e = 0; e < n_ep; ++e) {
        auto& times = b.spill_columns[s * stride + 2 * e];
        auto& events = b.spill_columns[s * stride + 2 * e + 1];
        times.resize(n * sizeof(double));
        events.resize(n);
        copy_field<double>(rows, ep_time[e], times.data());
        copy_field<std::uint8_t>(rows, ep_event[e], events.data());
      }
      for (std::size_t o = 0; o < outcome_fields.size(); ++o) {
        auto& col = b.spill_columns[s * stride + 2 * n_ep + o];
        col.resize(n);
        copy_field<std::uint8_t>(rows, outcome_fields[o], col.data());
      }
    }
  };
  auto extract_outcome_columns = [&](const Block& b, std::size_t s) {
    for (std::size_t o = 0; o < outcome_fields.size(); ++o)
      copy_field<std::uint8_t>(b.patients[s], outcome_fields[o], outcome.outcomes[s][o].data() + b.first);
  };
  auto extract_columns = [&](const Block& b, std::size_t s) {
    const TableBuffer& rows = b.patients[s];
    for (std::size_t e = 0; e < n_ep; ++e) {
      auto& col = outcome.columns[s][e];
      copy_field<double>(rows, ep_time[e], col.time.data() + b.first);
      copy_field<std::uint8_t>(rows, ep_event[e], col.event.data() + b.first);
    }
    extract_outcome_columns(b, s);
  };

  std::vector<Rechunker> rechunkers;
  for (std::size_t s = 0; s < n_strategies; ++s) {
    for (std::size_t t = 0; t < n_tables; ++t) {
      rechunkers.emplace_back(s, t, written_trajectory(t).row_size(), opt.trajectory_chunk_rows);
    }
  }

  const std::uint64_t n_blocks = (opt.patients + opt.block_size - 1) / opt.block_size;
  const int threads = opt.threads == 0 ? tbb::info::default_concurrency() : static_cast<int>(opt.threads);
  std::vector<std::string> counted_tables;  // the progress line's rates of trajectory rows (a model's lines)
  for (std::size_t t = 0; keep_trajectories && t < n_tables; ++t)
    counted_tables.push_back(schema.trajectories[t].name());
  ProgressLine progress("patients", opt.patients, progress_mode(opt.progress), counted_tables,
                        opt.progress_interval);
  // Counted by the ordering stage, read by the writing stage (which may run at the same time).
  std::vector<std::atomic<std::uint64_t>> rows_simulated(n_tables);
  std::vector<std::uint64_t> rows_so_far(n_tables, 0);
  std::uint64_t next_block = 0, done = 0;
  // Set by the source once it has made its last block: written blocks are then not cleared for reuse (no
  // block will be taken from the pool again). Clearing re-zeroes every row a block held; for the blocks
  // never reused (all of them when a cohort is a few blocks) that was 27 M instructions of memset in the
  // flagship's 3000-patient default run (docs/performance.md, "session 11").
  std::atomic<bool> all_sourced{false};
  tbb::concurrent_queue<std::shared_ptr<Block>> spare;  // written blocks, for reuse

  auto source = [&](tbb::flow_control& fc) -> std::shared_ptr<Block> {
    if (next_block == n_blocks) {
      fc.stop();
      return nullptr;
    }
    std::shared_ptr<Block> b;
    if (!spare.try_pop(b)) b = std::make_shared<Block>();
    b->first = next_block * opt.block_size;
    b->count = std::min<std::uint64_t>(opt.block_size, opt.patients - b->first);
    b->last = ++next_block == n_blocks;
    if (b->last) all_sourced.store(true, std::memory_order_relaxed);
    return b;
  };

  // Economics reads each patient's rows as they are made: a patient at a time, every strategy in turn.
  auto simulate_with_economics = [&](Block& b) {
    b.economics_values.resize(b.count * econ_width);
    for (std::uint64_t i = 0; i < b.count; ++i) {
      const StreamKey key{opt.seed, opt.domain, b.first + i, 0, 0};
      for (std::size_t s = 0; s < n_strategies; ++s) {
        std::vector<TableBuffer>& rows = b.trajectories[s];
        PatientSink sink{b.patients[s], &rows};
        const std::size_t first_event = rows[econ->events_table()].rows();
        const std::size_t first_line = econ_lines ? rows[*econ_lines].rows() : 0;
        if (!(opt.pilot && opt.pilot->append(s, key, sink))) model.simulate(s, key, sink);
        econ->add_patient(b.patients[s], b.patients[s].rows() - 1, rows, first_event, first_line,
                          b.economics_patients[s],
                          econ_lines && keep_trajectories ? &b.economics_lines[s] : nullptr,
                          &b.economics_values[i * econ_width + s * economics::kValues]);
        if (!keep_trajectories) {  // read, not written: the block holds one patient's rows at a time
          for (auto& t : rows) t.clear();
        }
      }
    }
    if (collect == ColumnCollection::memory) {
      for (std::size_t s = 0; s < n_strategies; ++s) extract_columns(b, s);
    }
  };
  // One strategy's patients of a block: by the model's block loop where it has one (writing the endpoint
  // columns in place, and no rows when nothing reads them), else a patient at a time into rows that the
  // columns are copied out of. Strategies write separate tables and each patient is a pure function of its
  // key, so taking a block strategy by strategy gives the same tables as patient by patient.
  const bool rows_needed = write_patients || !outcome_fields.empty() || collect == ColumnCollection::spill;
  auto simulate_strategy = [&](Block& b, std::size_t s) {
    std::vector<TableBuffer>* trajectories = simulate_trajectories ? &b.trajectories[s] : nullptr;
    if (collect == ColumnCollection::memory) {
      for (std::size_t e = 0; e < n_ep; ++e) {
        b.time_columns[e] = outcome.columns[s][e].time.data() + b.first;
        b.event_columns[e] = outcome.columns[s][e].event.data() + b.first;
      }
    }
    BlockSink sink{rows_needed ? &b.patients[s] : nullptr, trajectories, b.time_columns, b.event_columns};
    const StreamKey first{opt.seed, opt.domain, b.first, 0, 0};
    if (model.simulate_block(s, first, b.count, sink)) {
      if (collect == ColumnCollection::memory) extract_outcome_columns(b, s);
      return;
    }
    PatientSink patient_sink{b.patients[s], trajectories};
    for (std::uint64_t i = 0; i < b.count; ++i) {
      const StreamKey key{opt.seed, opt.domain, b.first + i, 0, 0};
      if (!(opt.pilot && opt.pilot->append(s, key, patient_sink))) model.simulate(s, key, patient_sink);
    }
    if (collect == ColumnCollection::memory) extract_columns(b, s);
  };

  auto simulate = [&](std::shared_ptr<Block> b) {
    if (b->patients.empty()) {  // a new block; a recycled one keeps its cleared buffers
      b->trajectories.resize(n_strategies);
      if (collect == ColumnCollection::memory) {
        b->time_columns.resize(n_ep);
        b->event_columns.resize(n_ep);
      }
      for (std::size_t s = 0; s < n_strategies; ++s) {
        b->patients.emplace_back(schema.patients);
        b->patients.back().reserve(opt.block_size);
        for (std::size_t t = 0; simulate_trajectories && t < n_tables; ++t)
          b->trajectories[s].emplace_back(schema.trajectories[t]);
        if (econ) {
          b->economics_patients.emplace_back(econ->patients_layout());
          if (econ_lines) b->economics_lines.emplace_back(econ->trajectory_layout(*econ_lines));
        }
      }
    }
    if (econ) {
      simulate_with_economics(*b);
    } else {
      for (std::size_t s = 0; s < n_strategies; ++s) simulate_strategy(*b, s);
    }
    if (collect == ColumnCollection::spill) cut_spill_columns(*b);
    if (write_patients) {
      for (std::size_t s = 0; s < n_strategies; ++s) {
        const TableBuffer& rows = econ ? b->economics_patients[s] : b->patients[s];
        b->patient_chunks.push_back(
            io::encode_chunk(rows.data(), rows.rows(), written_patients.row_size(), patient_spec));
      }
    }
    return b;
  };

  auto order = [&](std::shared_ptr<Block> b) {
    for (std::size_t s = 0; keep_trajectories && s < n_strategies; ++s) {
      for (std::size_t t = 0; t < n_tables; ++t) {
        outcome.trajectory_rows[t] += b->trajectories[s][t].rows();
        rows_simulated[t].fetch_add(b->trajectories[s][t].rows(), std::memory_order_relaxed);
        const TableBuffer& rows = econ_lines == t ? b->economics_lines[s] : b->trajectories[s][t];
        rechunkers[s * n_tables + t].add(rows, b->last, b->trajectory_chunks);
      }
    }
    return b;
  };

  auto encode = [&](std::shared_ptr<Block> b) {
    for (auto& c : b->trajectory_chunks) {
      c.encoded =
          io::encode_chunk(c.bytes.data(), c.rows, written_trajectory(c.table).row_size(), trajectory_spec);
      c.bytes = {};
    }
    return b;
  };

  auto write = [&](std::shared_ptr<Block> b) {
    for (std::size_t s = 0; s < b->patient_chunks.size(); ++s)
      writer->append_chunk(patient_tables[s], b->patient_chunks[s]);
    for (const auto& c : b->trajectory_chunks)
      writer->append_chunk(trajectory_tables[c.strategy * n_tables + c.table], c.encoded);
    for (std::size_t c = 0; c < b->spill_columns.size(); ++c) {
      const auto& bytes = b->spill_columns[c];
      outcome.spilled->append(c, bytes.data(), b->count);
    }
    for (std::uint64_t i = 0; econ && i < b->count; ++i)
      outcome.economics->add(&b->economics_values[i * econ_width]);
    done += b->count;
    for (std::size_t t = 0; t < n_tables; ++t)
      rows_so_far[t] = rows_simulated[t].load(std::memory_order_relaxed);
    progress.update(done, rows_so_far);
    if (all_sourced.load(std::memory_order_relaxed)) return;  // freed with its last owner instead
    b->recycle();
    spare.push(std::move(b));
  };

  tbb::task_arena arena(threads);
  arena.execute([&] {
    const std::size_t tokens = static_cast<std::size_t>(threads) * 4;
    tbb::parallel_pipeline(
        tokens, tbb::make_filter<void, std::shared_ptr<Block>>(tbb::filter_mode::serial_in_order, source) &
                    tbb::make_filter<std::shared_ptr<Block>, std::shared_ptr<Block>>(
                        tbb::filter_mode::parallel, simulate) &
                    tbb::make_filter<std::shared_ptr<Block>, std::shared_ptr<Block>>(
                        tbb::filter_mode::serial_in_order, order) &
                    tbb::make_filter<std::shared_ptr<Block>, std::shared_ptr<Block>>(
                        tbb::filter_mode::parallel, encode) &
                    tbb::make_filter<std::shared_ptr<Block>, void>(tbb::filter_mode::serial_in_order, write));
  });
  outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return outcome;
}

}  // namespace mmsim
