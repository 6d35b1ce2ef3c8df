// mmsim export's library (sim/io/table_export.hpp) on a run file written here with every field type: the
// CSV holds a strategy column and each field, the rows of every strategy in strategy order, enum labels,
// NaN as an empty cell, doubles that read back exactly, the same bytes whatever the chunk size; a missing
// table and an output over the input are refused (InputError) and leave no output file.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sim/core/errors.hpp"
#include "sim/core/numeric.hpp"
#include "sim/core/table.hpp"
#include "sim/io/run_file.hpp"
#include "sim/io/table_export.hpp"
#include "tests/unit/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using mmsim::FieldId;
using mmsim::FieldType;
using mmsim::TableLayout;

const TableLayout kLayout("lines",
                          {{"time", FieldType::f64, {}, ""},
                           {"delta", FieldType::i32, {}, ""},
                           {"count", FieldType::u32, {}, ""},
                           {"patient", FieldType::u64, {}, ""},
                           {"line", FieldType::u8, {}, ""},
                           {"state", FieldType::enumeration, {"stable", "progression", "death"}, ""}});

// Strategy s, row r: values that differ per strategy and row, with a NaN every 7th row.
double time_of(std::size_t s, std::size_t r) {
  return r % 7 == 3 ? mmsim::kNaN : 0.1 * static_cast<double>(r) + 1.0 / 3.0 + static_cast<double>(s);
}

void write_run(const fs::path& file, const std::vector<std::string>& strategies, std::size_t rows) {
  mmsim::io::RunAttributes attrs;
  attrs.strategy_order = strategies;
  mmsim::io::RunFileWriter w(file, attrs);
  for (std::size_t s = 0; s < strategies.size(); ++s) {
    mmsim::TableBuffer b(kLayout);
    for (std::size_t r = 0; r < rows; ++r) {
      auto row = b.append();
      row.set_f64(FieldId{0}, time_of(s, r));
      row.set_i32(FieldId{1}, -static_cast<std::int32_t>(r));
      row.set_u32(FieldId{2}, static_cast<std::uint32_t>(3 * r));
      row.set_u64(FieldId{3}, (std::uint64_t{1} << 40) + r);
      row.set_u8(FieldId{4}, static_cast<std::uint8_t>(r % 256));
      row.set_enum(FieldId{5}, static_cast<std::uint8_t>((r + s) % 3));
    }
    w.write_table_rows("/strategies/" + strategies[s] + "/lines", kLayout, b.data(), b.rows());
  }
  w.commit();
}

std::vector<std::vector<std::string>> read_csv(const fs::path& file) {
  std::vector<std::vector<std::string>> out;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::string cell;
    std::istringstream ss(line);
    while (std::getline(ss, cell, ',')) cells.push_back(cell);
    if (!line.empty() && line.back() == ',') cells.emplace_back();
    out.push_back(cells);
  }
  return out;
}

std::string slurp(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("export writes one long table with a strategy column, labels and exact numbers", "[io][export]") {
  mmsim::test::TempDir dir{"mmsim_test_export_"};
  const fs::path run = dir.path / "run.h5";
  const std::vector<std::string> strategies{"second", "first"};  // strategy order, not alphabetical
  const std::size_t rows = 50;
  write_run(run, strategies, rows);
  CHECK(mmsim::io::exportable_tables(run) == std::vector<std::string>{"lines"});

  mmsim::io::ExportRequest req{run, "lines", mmsim::io::ExportFormat::csv, dir.path / "out" / "lines.csv",
                               65536};
  CHECK(mmsim::io::export_table(req) == 2 * rows);
  const auto csv = read_csv(*req.output);
  REQUIRE(csv.size() == 1 + 2 * rows);
  CHECK(csv[0] == std::vector<std::string>{"strategy", "time", "delta", "count", "patient", "line", "state"});
  const char* labels[] = {"stable", "progression", "death"};
  for (std::size_t s = 0; s < 2; ++s) {
    for (std::size_t r = 0; r < rows; ++r) {
      const auto& c = csv[1 + s * rows + r];
      INFO("strategy " << s << " row " << r);
      REQUIRE(c.size() == 7);
      CHECK(c[0] == strategies[s]);
      const double t = time_of(s, r);
      if (std::isnan(t)) {
        CHECK(c[1].empty());
      } else {
        CHECK(std::stod(c[1]) == t);
      }
      CHECK(c[2] == std::to_string(-static_cast<long>(r)));
      CHECK(c[3] == std::to_string(3 * r));
      CHECK(c[4] == std::to_string((std::uint64_t{1} << 40) + r));
      CHECK(c[5] == std::to_string(r % 256));
      CHECK(c[6] == labels[(r + s) % 3]);
    }
  }
  // Chunks of 1, 7 and 50 rows write the same bytes; tab-separated has the same cells.
  for (const std::size_t chunk : {1u, 7u, 50u}) {
    mmsim::io::ExportRequest small = req;
    small.output = dir.path / ("chunk" + std::to_string(chunk) + ".csv");
    small.chunk_rows = chunk;
    mmsim::io::export_table(small);
    CHECK(slurp(*small.output) == slurp(*req.output));
  }
  mmsim::io::ExportRequest tsv = req;
  tsv.format = mmsim::io::ExportFormat::tsv;
  tsv.output = dir.path / "lines.tsv";
  mmsim::io::export_table(tsv);
  std::string tabs = slurp(*tsv.output);
  for (char& ch : tabs) ch = ch == '\t' ? ',' : ch;
  CHECK(tabs == slurp(*req.output));
}

TEST_CASE("export refuses a missing table and an output over its input, writing nothing", "[io][export]") {
  mmsim::test::TempDir dir{"mmsim_test_export_bad_"};
  const fs::path run = dir.path / "run.h5";
  write_run(run, {"a", "b"}, 5);
  const fs::path out = dir.path / "out.csv";
  mmsim::io::ExportRequest req{run, "events", mmsim::io::ExportFormat::csv, out, 16};
  CHECK_THROWS_WITH(mmsim::io::export_table(req),
                    Catch::Matchers::Contains("no table 'events'") && Catch::Matchers::Contains("lines"));
  CHECK_FALSE(fs::exists(out));
  req.table = "lines";
  req.output = run;
  CHECK_THROWS_AS(mmsim::io::export_table(req), mmsim::InputError);
  mmsim::io::RunFileReader still(run);
  CHECK(still.rows("/strategies/a/lines") == 5);
}
