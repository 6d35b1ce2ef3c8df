// mmsim export: one per-strategy table of a run file as one long text table with a strategy column.
#include <fmt/format.h>

#include "sim/cli/commands.hpp"
#include "sim/cli/options.hpp"
#include "sim/core/errors.hpp"
#include "sim/io/table_export.hpp"

namespace mmsim::cli {

int export_command(const std::vector<std::string>& args) {
  po::options_description visible(
      "mmsim export RESULT.h5 --table patients|lines|events [--format csv|tsv] [-o FILE]\n\nWrites one "
      "per-strategy table of a run file as one long table: a `strategy` column (in the run's strategy "
      "order), "
      "then the table's fields, enum values as their labels, undefined values (NaN) as empty cells. Streams "
      "in "
      "chunks (bounded memory). Without -o, writes to standard output.\n\nOptions");
  visible.add_options()("help,h", "show this help")(
      "table,t", po::value<std::string>(), "the table: patients, lines, events, ... (the run's tables)")(
      "format", po::value<std::string>()->default_value("csv"), "csv or tsv")(
      "output,o", po::value<std::string>(), "output file (replaced only when complete)")(
      "chunk-rows", integer_value()->default_value(65536), "rows read and written at a time (memory bound)");
  const auto parsed = parse_command("export", args, visible, {"result", "run file"});
  if (!parsed) return kExitOk;
  const po::variables_map& vm = *parsed;
  if (!vm.count("result")) throw InputError("mmsim export: name the run file (see 'mmsim export --help')");
  io::ExportRequest request;
  request.run_file = vm["result"].as<std::string>();
  if (!vm.count("table")) {
    throw InputError(fmt::format("mmsim export: name the table with --table (tables of {}: {})",
                                 request.run_file.string(),
                                 fmt::join(io::exportable_tables(request.run_file), ", ")));
  }
  request.table = vm["table"].as<std::string>();
  const std::string format = vm["format"].as<std::string>();
  if (format != "csv" && format != "tsv")
    throw InputError(fmt::format("--format: unknown format '{}' (csv, tsv)", format));
  request.format = format == "tsv" ? io::ExportFormat::tsv : io::ExportFormat::csv;
  if (vm.count("output")) request.output = vm["output"].as<std::string>();
  request.chunk_rows = static_cast<std::size_t>(*integer_option(vm, "export", "chunk-rows", 1, 1 << 24));
  io::export_table(request);
  return kExitOk;
}

}  // namespace mmsim::cli
