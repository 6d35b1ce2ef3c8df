// RunFileWriter / RunFileReader (sim/io/run_file_*.cpp): round trips of every field type through chunked,
// optionally compressed tables; root attributes; the temporary-file protocol; the reader's refusals.
#include <hdf5.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <string>
#include <vector>

#include "sim/core/errors.hpp"
#include "sim/core/table.hpp"
#include "sim/core/version.hpp"
#include "sim/io/run_file.hpp"
#include "tests/unit/temp_dir.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using mmsim::FieldType;
using mmsim::InputError;
using mmsim::TableLayout;
using mmsim::io::ChunkEncoder;
using mmsim::io::ChunkSpec;
using mmsim::io::EncodedChunk;
using mmsim::io::RunAttributes;
using mmsim::io::RunFileReader;
using mmsim::io::RunFileWriter;

using mmsim::test::TempDir;

namespace {

TableLayout every_type_layout() {
  return TableLayout("patients",
                     {{"time", FieldType::f64, {}, "time of the event"},
                      {"delta", FieldType::i32, {}, "signed"},
                      {"count", FieldType::u32, {}, ""},
                      {"patient", FieldType::u64, {}, "patient index"},
                      {"line", FieldType::u8, {}, ""},
                      {"state", FieldType::enumeration, {"stable", "progression", "death"}, "state"}});
}

struct Rows {
  std::vector<std::byte> bytes;
  std::vector<double> time;
  std::vector<std::int32_t> delta;
  std::vector<std::uint32_t> count;
  std::vector<std::uint64_t> patient;
  std::vector<std::uint8_t> line;
  std::vector<std::uint8_t> state;
};

Rows make_rows(const TableLayout& layout, std::size_t n) {
  Rows rows;
  mmsim::TableBuffer buffer(layout);
  std::uint64_t s = 7;
  for (std::size_t i = 0; i < n; ++i) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    rows.time.push_back(static_cast<double>(s >> 11) * 0x1.0p-53 * 120.0);
    rows.delta.push_back(static_cast<std::int32_t>(i % 7) - 3);
    rows.count.push_back(static_cast<std::uint32_t>(4000000000u - i));
    rows.patient.push_back((std::uint64_t{1} << 40) + i);
    rows.line.push_back(static_cast<std::uint8_t>(i % 5));
    rows.state.push_back(static_cast<std::uint8_t>((s >> 20) % 3));
    auto row = buffer.append();
    row.set_f64(layout.find("time"), rows.time.back());
    row.set_i32(layout.find("delta"), rows.delta.back());
    row.set_u32(layout.find("count"), rows.count.back());
    row.set_u64(layout.find("patient"), rows.patient.back());
    row.set_u8(layout.find("line"), rows.line.back());
    row.set_enum(layout.find("state"), rows.state.back());
  }
  rows.bytes.assign(buffer.data(), buffer.data() + buffer.size_bytes());
  return rows;
}

// Encodes and appends `bytes` chunk by chunk, as the runner's workers and writer do.
void write_rows(RunFileWriter& writer, std::size_t table, const TableLayout& layout, const ChunkSpec& spec,
                const std::vector<std::byte>& bytes) {
  ChunkEncoder encoder;
  EncodedChunk chunk;
  const std::size_t n = bytes.size() / layout.row_size();
  for (std::size_t first = 0; first < n; first += spec.chunk_rows) {
    const std::size_t count = std::min(spec.chunk_rows, n - first);
    encoder.encode(bytes.data() + first * layout.row_size(), count, layout.row_size(), spec, chunk);
    writer.append_chunk(table, chunk);
  }
}

RunAttributes sample_attributes() {
  RunAttributes a;
  a.seed = 0xfedcba9876543210ull;
  a.config_text = "[run]\npatients = 1000\n# ünïcødé\n";
  a.strategy_order = {"cilta", "standard", "Dara-VRd"};
  a.extra = {{"model", "myeloma"}};
  return a;
}

std::string file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

ssize_t open_hdf5_objects() {
  return H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL);
}

bool has_temp_files(const fs::path& dir) {
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().filename().string().rfind(".mmsim-", 0) == 0) return true;  // AtomicOutput's folders
  }
  return false;
}

}  // namespace

TEST_CASE("tables of every field type round-trip through chunked files", "[io][run_file]") {
  const int level = GENERATE(0, 4);
  const std::size_t n = GENERATE(1000u, 768u, 0u);  // partial last chunk; whole chunks only; no rows
  INFO("deflate level " << level << ", " << n << " rows");
  const TableLayout layout = every_type_layout();
  const Rows rows = make_rows(layout, n);
  const ChunkSpec spec{128, level};
  TempDir dir{"mmsim_test_io_run_"};
  const fs::path file = dir.path / "sub" / "run.h5";
  const ssize_t objects_before = open_hdf5_objects();
  {
    RunFileWriter writer(file, sample_attributes());
    // The temporary is a file of the target's name in a private folder beside it (AtomicOutput).
    CHECK(writer.temporary_path().filename() == file.filename());
    CHECK(writer.temporary_path().parent_path().parent_path() == file.parent_path());
    CHECK(fs::exists(writer.temporary_path()));
    const std::size_t table = writer.create_table("/strategies/cilta/patients", layout, spec);
    write_rows(writer, table, layout, spec, rows.bytes);
    writer.commit();
    CHECK(!fs::exists(writer.temporary_path()));
  }
  CHECK(open_hdf5_objects() == objects_before);
  REQUIRE(fs::exists(file));
  CHECK(!has_temp_files(file.parent_path()));

  {
    RunFileReader reader(file);
    const std::string table = "/strategies/cilta/patients";
    CHECK(reader.has_dataset(table));
    CHECK(!reader.has_dataset("/strategies/cilta"));  // a group
    CHECK(!reader.has_dataset("/strategies/nope/patients"));
    REQUIRE(reader.rows(table) == n);
    CHECK(reader.field_names(table) ==
          std::vector<std::string>{"time", "delta", "count", "patient", "line", "state"});
    CHECK(reader.read_raw(table) == rows.bytes);
    CHECK(reader.read_f64_column(table, "time") == rows.time);
    CHECK(reader.read_u64_column(table, "patient") == rows.patient);
    CHECK(reader.read_u8_column(table, "line") == rows.line);
    CHECK(reader.read_u8_column(table, "state") == rows.state);
    CHECK(reader.read_u64_column(table, "count") ==
          std::vector<std::uint64_t>(rows.count.begin(), rows.count.end()));
    CHECK(reader.read_f64_column(table, "delta") ==
          std::vector<double>(rows.delta.begin(), rows.delta.end()));
    CHECK(reader.read_f64_column(table, "state") ==
          std::vector<double>(rows.state.begin(), rows.state.end()));
    CHECK(reader.string_attribute(table, "table") == "patients");
    CHECK_THROWS_WITH(reader.read_f64_column(table, "nope"), Contains("no field nope") && Contains("run.h5"));
    CHECK_THROWS_AS(reader.rows("/missing"), InputError);
  }
  CHECK(open_hdf5_objects() == objects_before);
}

TEST_CASE("root attributes describe the run", "[io][run_file]") {
  TempDir dir{"mmsim_test_io_run_"};
  const fs::path file = dir.path / "run.h5";
  {
    RunFileWriter writer(file, sample_attributes());
    writer.commit();
  }
  RunFileReader reader(file);
  CHECK(reader.filetype() == "run");
  CHECK(reader.schema_version() ==
        std::vector<std::int32_t>{mmsim::io::kSchemaMajor, mmsim::io::kSchemaMinor});
  CHECK(reader.seed() == 0xfedcba9876543210ull);
  CHECK(reader.strategy_order() == std::vector<std::string>{"cilta", "standard", "Dara-VRd"});
  CHECK(reader.string_attribute("/", "config") == sample_attributes().config_text);
  CHECK(reader.string_attribute("/", "time_unit") == "months");
  CHECK(reader.string_attribute("/", "model") == "myeloma");
  CHECK(reader.string_attribute("/", "mmsim_version") == mmsim::kVersion);
  CHECK(reader.string_attribute("/", "git_revision") == mmsim::kGitRevision);
  const std::string created = reader.string_attribute("/", "created");
  CHECK(std::regex_match(created, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));
  CHECK_THROWS_WITH(reader.string_attribute("/", "absent"), Contains("absent"));
}

TEST_CASE("configs far above the 64 KiB attribute limit and empty strategy lists are stored",
          "[io][run_file]") {
  TempDir dir{"mmsim_test_io_run_"};
  const fs::path file = dir.path / "run.h5";
  RunAttributes attributes;
  for (int i = 0; attributes.config_text.size() < 300 * 1024; ++i) {
    attributes.config_text += "[strategy.s" + std::to_string(i) + "]\nresponse = 0.25 # comment\n";
  }
  attributes.filetype = "shard";
  {
    RunFileWriter writer(file, attributes);
    writer.commit();
  }
  RunFileReader reader(file);
  CHECK(reader.filetype() == "shard");
  CHECK(reader.string_attribute("/", "config") == attributes.config_text);
  CHECK(reader.strategy_order().empty());
}

TEST_CASE("small tables and attributes on groups and datasets", "[io][run_file]") {
  TempDir dir{"mmsim_test_io_run_"};
  const fs::path file = dir.path / "run.h5";
  const TableLayout layout = every_type_layout();
  const Rows rows = make_rows(layout, 17);
  {
    RunFileWriter writer(file, sample_attributes());
    writer.write_table_rows("/strategies/cilta/summary/km", layout, rows.bytes.data(), 17);
    writer.write_table_rows("/empty", layout, nullptr, 0);
    writer.write_string_attribute("/strategies/cilta", "label", "Cilta-cel");
    writer.write_string_attribute("/strategies/cilta/summary/km", "note", "first");
    writer.write_string_attribute("/strategies/cilta/summary/km", "note", "replaced");
    CHECK_THROWS_WITH(writer.write_string_attribute("/nowhere", "x", "y"), Contains("/nowhere"));
    CHECK_THROWS_WITH(writer.write_table_rows("/empty", layout, nullptr, 0), Contains("/empty"));
    writer.commit();
  }
  RunFileReader reader(file);
  CHECK(reader.read_raw("/strategies/cilta/summary/km") == rows.bytes);
  CHECK(reader.read_u8_column("/strategies/cilta/summary/km", "state") == rows.state);
  CHECK(reader.rows("/empty") == 0);
  CHECK(reader.read_f64_column("/empty", "time").empty());
  CHECK(reader.string_attribute("/strategies/cilta", "label") == "Cilta-cel");
  CHECK(reader.string_attribute("/strategies/cilta/summary/km", "note") == "replaced");
  CHECK_THROWS_WITH(reader.string_attribute("/strategies/cilta/summary/km", "field_descriptions"),
                    Contains("holds 6 strings"));
}

TEST_CASE("misuse of the writer is reported", "[io][run_file]") {
  TempDir dir{"mmsim_test_io_run_"};
  const TableLayout layout = every_type_layout();
  const Rows rows = make_rows(layout, 300);
  RunFileWriter writer(dir.path / "run.h5", sample_attributes());
  const ChunkSpec spec{128, 4};
  const std::size_t t = writer.create_table("/t", layout, spec);
  CHECK_THROWS_AS(writer.create_table("/bad", layout, ChunkSpec{0, 4}), std::invalid_argument);
  CHECK_THROWS_AS(writer.create_table("/bad", layout, ChunkSpec{16, 12}), std::invalid_argument);
  CHECK_THROWS_WITH(writer.create_table("/t", layout, spec), Contains("/t") && Contains("run.h5"));
  CHECK_THROWS_AS(writer.append_chunk(t + 1, EncodedChunk{}), std::out_of_range);
  // An uncompressed chunk encoded for another chunk size does not fit (compressed ones cannot be checked).
  const std::size_t raw_table = writer.create_table("/raw", layout, ChunkSpec{128, 0});
  const auto raw = mmsim::io::encode_chunk(rows.bytes.data(), 64, layout.row_size(), ChunkSpec{64, 0});
  CHECK_THROWS_WITH(writer.append_chunk(raw_table, raw), Contains("not encoded for this table"));
  const auto partial = mmsim::io::encode_chunk(rows.bytes.data(), 10, layout.row_size(), spec);
  writer.append_chunk(t, partial);
  CHECK_THROWS_WITH(writer.append_chunk(t, partial), Contains("after a partial chunk"));
  CHECK_THROWS_AS(RunFileWriter(dir.path / "x.h5", RunAttributes{"bogus", 0, "", {}, "months", {}}),
                  std::invalid_argument);
  writer.commit();
  CHECK_THROWS_AS(writer.commit(), std::logic_error);
  CHECK(RunFileReader(dir.path / "run.h5").rows("/t") == 10);
}

TEST_CASE("a run that fails leaves no temporary file and an existing file untouched", "[io][run_file]") {
  TempDir dir{"mmsim_test_io_run_"};
  const fs::path file = dir.path / "run.h5";
  const TableLayout layout = every_type_layout();
  const Rows rows = make_rows(layout, 1000);
  const ChunkSpec spec{128, 4};
  {
    RunFileWriter writer(file, sample_attributes());
    write_rows(writer, writer.create_table("/t", layout, spec), layout, spec, rows.bytes);
    writer.commit();
  }
  const std::string before = file_bytes(file);
  const ssize_t objects_before = open_hdf5_objects();

  SECTION("destroyed without commit") {
    fs::path temp;
    {
      RunAttributes other = sample_attributes();
      other.seed = 1;
      RunFileWriter writer(file, other);
      temp = writer.temporary_path();
      write_rows(writer, writer.create_table("/t", layout, spec), layout, spec, rows.bytes);
      CHECK(fs::exists(temp));
    }
    CHECK(!fs::exists(temp));
  }
  SECTION("an exception unwinds through a half-written chunked table") {
    try {
      RunFileWriter writer(file, sample_attributes());
      const std::size_t t = writer.create_table("/t", layout, spec);
      writer.append_chunk(t, mmsim::io::encode_chunk(rows.bytes.data(), 128, layout.row_size(), spec));
      throw std::runtime_error("simulated failure");
    } catch (const std::runtime_error& e) {
      CHECK(std::string(e.what()) == "simulated failure");
    }
  }
  SECTION("the writer itself fails mid-write") {
    RunFileWriter writer(file, sample_attributes());
    const std::size_t t = writer.create_table("/t", layout, spec);
    EncodedChunk broken = mmsim::io::encode_chunk(rows.bytes.data(), 128, layout.row_size(), spec);
    broken.filter_mask = 1;  // claims the shuffle was skipped
    CHECK_THROWS_AS(writer.append_chunk(t, broken), std::logic_error);
  }
  CHECK(open_hdf5_objects() == objects_before);
  CHECK(!has_temp_files(dir.path));
  CHECK(file_bytes(file) == before);
  CHECK(RunFileReader(file).seed() == sample_attributes().seed);
}

TEST_CASE("commit replaces an existing file atomically", "[io][run_file]") {
  TempDir dir{"mmsim_test_io_run_"};
  const fs::path file = dir.path / "run.h5";
  { std::ofstream(file) << "old contents"; }
  RunAttributes attributes = sample_attributes();
  attributes.seed = 42;
  {
    RunFileWriter writer(file, attributes);
    CHECK(file_bytes(file) == "old contents");
    writer.commit();
  }
  CHECK(RunFileReader(file).seed() == 42);
  CHECK(!has_temp_files(dir.path));
}

TEST_CASE("the reader refuses files that are not mmsim files of a known schema", "[io][run_file]") {
  TempDir dir{"mmsim_test_io_run_"};

  SECTION("a newer schema major version") {
    const fs::path file = dir.path / "future.h5";
    {
      RunFileWriter writer(file, sample_attributes());
      writer.commit();
    }
    {
      const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
      REQUIRE(f >= 0);
      const hid_t a = H5Aopen(f, "schema_version", H5P_DEFAULT);
      const std::int32_t future[2] = {mmsim::io::kSchemaMajor + 1, 3};
      REQUIRE(H5Awrite(a, H5T_NATIVE_INT32, future) >= 0);
      H5Aclose(a);
      H5Fclose(f);
    }
    const std::string version = std::to_string(mmsim::io::kSchemaMajor + 1) + ".3";
    CHECK_THROWS_AS(RunFileReader(file), InputError);
    CHECK_THROWS_WITH(RunFileReader(file), Contains("future.h5") && Contains("schema version " + version));
  }
  SECTION("an HDF5 file written by something else") {
    const fs::path file = dir.path / "other.h5";
    const hid_t f = H5Fcreate(file.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    REQUIRE(f >= 0);
    H5Fclose(f);
    CHECK_THROWS_AS(RunFileReader(file), InputError);
    CHECK_THROWS_WITH(RunFileReader(file), Contains("other.h5") && Contains("not an mmsim output file"));
  }
  SECTION("an mmsim-like file of an unknown filetype") {
    const fs::path file = dir.path / "odd.h5";
    {
      RunFileWriter writer(file, sample_attributes());
      writer.write_string_attribute("/", "filetype", "checkpoint");
      writer.commit();
    }
    CHECK_THROWS_WITH(RunFileReader(file), Contains("odd.h5") && Contains("'checkpoint'"));
  }
  SECTION("not HDF5 at all, or missing") {
    const fs::path file = dir.path / "notes.txt";
    std::ofstream(file) << "hello";
    CHECK_THROWS_WITH(RunFileReader(file), Contains("notes.txt") && Contains("not an HDF5 file"));
    CHECK_THROWS_AS(RunFileReader(dir.path / "missing.h5"), InputError);
  }
}
