// libFuzzer target: arbitrary bytes as a run file given to `mmsim report`/`merge`, through RunFileReader: the
// mmsim checks (filetype, schema_version), the attributes, the strategies' tables and every column. Any
// exception is an acceptable end (InputError for a file that is not a run file, an HDF5 error otherwise); a
// crash, a sanitizer report in mmsim's code, a leak or a hang is a bug. HDF5 itself is Debian's library,
// not instrumented: a crash inside it on a damaged file is worth reporting upstream, not an mmsim finding.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>

#include "sim/io/run_file.hpp"

namespace {

namespace fs = std::filesystem;

// One scratch file per process, rewritten for every input (HDF5 opens files by name).
const fs::path& scratch() {
  static const fs::path path =
      fs::temp_directory_path() / ("mmsim-fuzz-run-file-" + std::to_string(::getpid()) + ".h5");
  return path;
}

void read_everything(const fs::path& path) {
  const mmsim::io::RunFileReader reader(path);
  (void)reader.filetype();
  (void)reader.schema_version();
  (void)reader.seed();
  for (const std::string& s : reader.strategy_order()) {
    for (const char* table : {"patients", "lines", "events", "summary/endpoints", "summary/rates"}) {
      const std::string dataset = "/strategies/" + s + "/" + table;
      if (!reader.has_dataset(dataset)) continue;
      (void)reader.rows(dataset);
      for (const std::string& field : reader.field_names(dataset)) {
        try {
          (void)reader.read_f64_column(dataset, field);
        } catch (const std::exception&) {
        }
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  {
    std::ofstream out(scratch(), std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    read_everything(scratch());
  } catch (const std::exception&) {
    // the expected end of a damaged file
  }
  return 0;
}
