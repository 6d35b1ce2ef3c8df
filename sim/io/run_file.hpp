#pragma once
// The HDF5 run file: one self-describing file per run, written streaming under a temporary name and renamed
// over the target only when complete, so a failed or interrupted run never leaves a corrupt file under the
// final name nor clobbers a file the user already had.
//
// Rows reach the file as whole chunks that worker threads have already compressed (ChunkEncoder, in
// chunk_encoding.hpp), written with HDF5's direct chunk write: the single writer thread never compresses, so
// compression scales with threads instead of serializing the run.
//
// The layout of the file is documented in docs/hdf5_schema.md.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/table.hpp"
#include "sim/io/chunk_encoding.hpp"

namespace mmsim::io {

inline constexpr std::int32_t kSchemaMajor = 1;
// 1.1 added the economics columns and /economics of a run with [economics] (docs/economics.md), and came with
// new model columns (the myeloma lines table's `rule`, ...); readers of 1.0 files read 1.1 files unchanged.
inline constexpr std::int32_t kSchemaMinor = 1;

struct RunAttributes {
  std::string filetype = "run";
  std::uint64_t seed = 0;
  std::string config_text;  // the full resolved config (may exceed 64 KiB)
  std::vector<std::string> strategy_order;
  std::string time_unit = "months";
  std::vector<std::pair<std::string, std::string>> extra;  // further string attributes (model name, ...)
};

class RunFileWriter {
 public:
  // Creates the temporary file of an AtomicOutput for `final_path` (refused with InputError unless it is
  // absent or a regular file) and writes the root attributes. Creates parent directories if needed. Throws
  // std::runtime_error on I/O failure.
  RunFileWriter(std::filesystem::path final_path, const RunAttributes& attributes);
  ~RunFileWriter();  // without commit(): closes and deletes the temporary file
  RunFileWriter(const RunFileWriter&) = delete;
  RunFileWriter& operator=(const RunFileWriter&) = delete;

  // Creates an extendible, chunked compound dataset at `path` (e.g. "/strategies/cilta/patients"), creating
  // intermediate groups; enum fields become HDF5 enum types with their labels. Returns a handle index.
  std::size_t create_table(const std::string& path, const TableLayout& layout, const ChunkSpec& spec);
  // Appends one encoded chunk; chunks of a table must arrive in order and all but the last must be full.
  void append_chunk(std::size_t table, const EncodedChunk& chunk);

  // Small extra datasets and attributes (summaries, comparisons).
  void write_string_attribute(const std::string& object_path, const std::string& name,
                              const std::string& value);
  void write_table_rows(const std::string& path, const TableLayout& layout, const std::byte* rows,
                        std::size_t n_rows);  // a small compound dataset written at once (checksummed)

  // One field of a table written so far (summaries are computed from the written columns before commit, one
  // column in memory at a time).
  std::vector<double> read_f64_column(const std::string& dataset_path, const std::string& field) const;
  std::vector<std::uint8_t> read_u8_column(const std::string& dataset_path, const std::string& field) const;

  // Closes the file and publishes it under final_path (AtomicOutput::commit: fsync, rename, fsync folder).
  void commit();

  const std::filesystem::path& temporary_path() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Reading back (statistics, reports, merges, tests).
class RunFileReader {
 public:
  // Opens `path`; throws InputError if it is not an mmsim file of a known schema major version.
  explicit RunFileReader(const std::filesystem::path& path);
  ~RunFileReader();
  RunFileReader(const RunFileReader&) = delete;
  RunFileReader& operator=(const RunFileReader&) = delete;

  std::string filetype() const;
  std::vector<std::int32_t> schema_version() const;
  std::uint64_t seed() const;
  std::string string_attribute(const std::string& object_path, const std::string& name) const;
  std::vector<std::string> strategy_order() const;
  bool has_dataset(const std::string& path) const;
  std::size_t rows(const std::string& dataset_path) const;
  std::vector<std::string> field_names(const std::string& dataset_path) const;
  // One field of a compound dataset, converted to the requested type (HDF5 member-wise partial read).
  std::vector<double> read_f64_column(const std::string& dataset_path, const std::string& field) const;
  std::vector<std::uint8_t> read_u8_column(const std::string& dataset_path, const std::string& field) const;
  std::vector<std::uint64_t> read_u64_column(const std::string& dataset_path, const std::string& field) const;
  // The whole dataset's raw bytes in its file (packed) layout, for bit-identity comparisons in tests.
  std::vector<std::byte> read_raw(const std::string& dataset_path) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mmsim::io
