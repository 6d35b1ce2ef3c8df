#pragma once
// `mmsim export`: one per-strategy table of a run file (patients, lines, events, ...) as one long, tidy text
// table: a `strategy` column first (in the run's strategy order), then the table's own fields, enum values
// as their labels. Read chunk by chunk and written as it goes, so memory is bounded by the chunk size
// whatever the cohort; an output file is published only when complete (AtomicOutput).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace mmsim::io {

enum class ExportFormat { csv, tsv };

struct ExportRequest {
  std::filesystem::path run_file;
  std::string table;  // e.g. "patients"
  ExportFormat format = ExportFormat::csv;
  std::optional<std::filesystem::path> output;  // none: standard output
  std::size_t chunk_rows = 65536;               // rows read and written at a time
};

// The per-strategy tables of a run file (those under /strategies/<first strategy>/, summaries excluded).
std::vector<std::string> exportable_tables(const std::filesystem::path& run_file);

// Writes the table; returns the rows written (all strategies). InputError (exit 2, nothing written) when the
// file is not a run file, lacks the table for some strategy (naming the tables it has), or the output path
// is refused (io::check_output_path, the run file included).
std::uint64_t export_table(const ExportRequest& request);

}  // namespace mmsim::io
