// Run files are readable by generic tools without mmsim: h5dump (hdf5-tools) shows enum labels and decodes
// the directly written chunks; h5py (Debian's /usr/bin/python3) reads fields by name and attributes as str.
// Each test is skipped with a warning when its tool is not installed.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sim/core/table.hpp"
#include "sim/io/run_file.hpp"
#include "tests/unit/temp_dir.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using mmsim::FieldType;
using mmsim::TableLayout;

using mmsim::test::TempDir;

namespace {

struct CommandResult {
  int status = -1;
  std::string output;  // stdout and stderr
};

CommandResult run(const std::string& command) {
  CommandResult result;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) result.output.append(buffer, n);
  const int status = ::pclose(pipe);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

const TableLayout& layout() {
  static const TableLayout layout(
      "patients", {{"time", FieldType::f64, {}, "time of the event"},
                   {"delta", FieldType::i32, {}, ""},
                   {"count", FieldType::u32, {}, ""},
                   {"patient", FieldType::u64, {}, "patient index"},
                   {"line", FieldType::u8, {}, ""},
                   {"state", FieldType::enumeration, {"stable", "progression", "death"}, "health state"}});
  return layout;
}

double time_of(std::size_t i) {
  return static_cast<double>(i) * 0.1 + 1.0 / 3.0;
}

// 300 rows in chunks of 128 (a partial last chunk), compressed at `level`.
fs::path write_sample(const fs::path& dir, int level) {
  const fs::path file = dir / ("sample_" + std::to_string(level) + ".h5");
  mmsim::TableBuffer buffer(layout());
  for (std::size_t i = 0; i < 300; ++i) {
    auto row = buffer.append();
    row.set_f64(layout().find("time"), time_of(i));
    row.set_i32(layout().find("delta"), static_cast<std::int32_t>(i) - 150);
    row.set_u32(layout().find("count"), static_cast<std::uint32_t>(3 * i));
    row.set_u64(layout().find("patient"), (std::uint64_t{1} << 50) + i);
    row.set_u8(layout().find("line"), static_cast<std::uint8_t>(i % 4));
    row.set_enum(layout().find("state"), static_cast<std::uint8_t>(i % 3));
  }
  mmsim::io::RunAttributes attributes;
  attributes.seed = 20240611;
  attributes.config_text = "[run]\npatients = 300\n";
  attributes.strategy_order = {"cilta", "standard"};
  mmsim::io::RunFileWriter writer(file, attributes);
  const mmsim::io::ChunkSpec spec{128, level};
  const std::size_t table = writer.create_table("/strategies/cilta/patients", layout(), spec);
  mmsim::io::ChunkEncoder encoder;
  mmsim::io::EncodedChunk chunk;
  for (std::size_t first = 0; first < buffer.rows(); first += spec.chunk_rows) {
    const std::size_t count = std::min(spec.chunk_rows, buffer.rows() - first);
    encoder.encode(buffer.data() + first * layout().row_size(), count, layout().row_size(), spec, chunk);
    writer.append_chunk(table, chunk);
  }
  writer.commit();
  return file;
}

}  // namespace

TEST_CASE("h5dump shows enum labels and decodes directly written chunks", "[io][external]") {
  if (run("command -v h5dump").status != 0) {
    WARN("h5dump not installed (Debian: hdf5-tools); skipped");
    return;
  }
  const int level = GENERATE(0, 4);
  TempDir dir{"mmsim_test_io_ext_"};
  const fs::path file = write_sample(dir.path, level);
  const CommandResult dump = run("h5dump -p -d /strategies/cilta/patients '" + file.string() + "'");
  INFO(dump.output.substr(0, 3000));
  REQUIRE(dump.status == 0);
  CHECK_THAT(dump.output, Contains("H5T_ENUM") && Contains("\"progression\"      1;"));
  CHECK_THAT(dump.output, Contains("SIMPLE { ( 300 ) / ( H5S_UNLIMITED ) }"));
  if (level > 0) {
    CHECK_THAT(dump.output, Contains("SHUFFLE") && Contains("COMPRESSION DEFLATE { LEVEL 4 }"));
  }
  // The data section names states by label, and the last row (in the partial chunk) is intact.
  const std::size_t data = dump.output.find("DATA {");
  REQUIRE(data != std::string::npos);
  const std::string rows = dump.output.substr(data);
  CHECK_THAT(rows, Contains("progression") && Contains("death"));
  CHECK_THAT(rows, Contains("(299): {") && Contains("1125899906842923"));  // 2^50 + 299
}

TEST_CASE("h5py reads fields by name and attributes as str", "[io][external]") {
  const std::string python = "/usr/bin/python3";
  if (run(python + " -c 'import h5py'").status != 0) {
    WARN("h5py not installed for /usr/bin/python3 (Debian: python3-h5py); skipped");
    return;
  }
  const int level = GENERATE(0, 4);
  TempDir dir{"mmsim_test_io_ext_"};
  const fs::path file = write_sample(dir.path, level);
  const fs::path script = dir.path / "check.py";
  std::ofstream(script) << R"(import sys, h5py
f = h5py.File(sys.argv[1], "r")
for name in ("filetype", "config", "created", "mmsim_version", "git_revision", "time_unit"):
    assert isinstance(f.attrs[name], str), (name, type(f.attrs[name]))
assert [str(s) for s in f.attrs["strategy_order"]] == ["cilta", "standard"], f.attrs["strategy_order"]
assert list(f.attrs["schema_version"]) == [1, 1]
assert int(f.attrs["seed"]) == 20240611
d = f["strategies/cilta/patients"]
assert d.dtype.names == ("time", "delta", "count", "patient", "line", "state"), d.dtype.names
assert h5py.check_enum_dtype(d.dtype["state"]) == {"stable": 0, "progression": 1, "death": 2}
print("rows", d.shape[0])
print("time", " ".join(repr(float(x)) for x in d["time"]))
print("delta", " ".join(str(int(x)) for x in d["delta"]))
print("count", " ".join(str(int(x)) for x in d["count"]))
print("patient", " ".join(str(int(x)) for x in d["patient"]))
print("line", " ".join(str(int(x)) for x in d["line"]))
print("state", " ".join(str(int(x)) for x in d["state"]))
)";
  const CommandResult result = run(python + " '" + script.string() + "' '" + file.string() + "'");
  INFO(result.output.substr(0, 3000));
  REQUIRE(result.status == 0);

  std::istringstream lines(result.output);
  std::string name;
  std::size_t rows = 0;
  lines >> name >> rows;
  CHECK(name == "rows");
  REQUIRE(rows == 300);
  std::string line;
  std::getline(lines, line);
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    fields >> name;
    for (std::size_t i = 0; i < rows; ++i) {
      std::string value;
      REQUIRE(fields >> value);
      INFO(name << "[" << i << "] = " << value);
      if (name == "time") CHECK(std::stod(value) == time_of(i));  // repr round-trips doubles exactly
      if (name == "delta") CHECK(std::stol(value) == static_cast<long>(i) - 150);
      if (name == "count") CHECK(std::stoul(value) == 3 * i);
      if (name == "patient") CHECK(std::stoull(value) == (1ull << 50) + i);
      if (name == "line") CHECK(std::stoul(value) == i % 4);
      if (name == "state") CHECK(std::stoul(value) == i % 3);
    }
  }
}
