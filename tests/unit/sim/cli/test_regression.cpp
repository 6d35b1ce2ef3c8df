// Regression tests: small runs whose every table cell is compared with a committed reference
// (tests/regression/<case>.csv; numbers in shortest round-trip form, so equality is bit-identity).
// A deliberate change of results is recorded with scripts/update_references.sh, which reruns these tests
// with MMSIM_UPDATE_REFERENCES=1 so they rewrite the references instead of comparing; review the diff.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <unistd.h>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/io/run_file.hpp"

namespace fs = std::filesystem;

namespace {

struct RegressionCase {
  const char* name;
  const char* config;  // relative to the source tree
  int patients;
  int seed;
};

// Every table of every strategy, as CSV: one block per dataset, a header row of field names, then rows.
std::string dump_tables(const fs::path& file) {
  mmsim::io::RunFileReader r(file);
  std::string out;
  for (const auto& strategy : r.strategy_order()) {
    for (const char* table : {"patients", "events", "lines"}) {
      const std::string path = fmt::format("/strategies/{}/{}", strategy, table);
      if (!r.has_dataset(path)) continue;
      const auto fields = r.field_names(path);
      std::vector<std::vector<double>> cols;
      for (const auto& f : fields) cols.push_back(r.read_f64_column(path, f));
      out += fmt::format("# {}\n{}\n", path, fmt::join(fields, ","));
      for (std::size_t row = 0; row < r.rows(path); ++row) {
        for (std::size_t c = 0; c < cols.size(); ++c) out += fmt::format("{}{}", c ? "," : "", cols[c][row]);
        out += "\n";
      }
    }
  }
  return out;
}

void check_case(const RegressionCase& rc) {
  const fs::path dir = fs::temp_directory_path() / fmt::format("mmsim_regression_{}_{}", rc.name, ::getpid());
  fs::create_directories(dir);
  const fs::path out = dir / "out.h5";
  const std::string cmd =
      fmt::format("{} run {}/{} --patients {} --seed {} --threads 2 -q -o {}", MMSIM_BINARY, MMSIM_SOURCE_DIR,
                  rc.config, rc.patients, rc.seed, out.string());
  REQUIRE(std::system(cmd.c_str()) == 0);
  const std::string got = dump_tables(out);
  fs::remove_all(dir);
  const fs::path reference =
      fs::path(MMSIM_SOURCE_DIR) / "tests/regression" / (std::string(rc.name) + ".csv");
  const char* update = std::getenv("MMSIM_UPDATE_REFERENCES");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(reference) << got;
    WARN("rewrote " << reference.string());
    return;
  }
  std::ifstream in(reference);
  INFO("reference " << reference.string() << " (missing? run scripts/update_references.sh)");
  REQUIRE(in.good());
  std::stringstream want;
  want << in.rdbuf();
  // Compare line by line so a failure shows the first differing row, not two megabyte strings.
  std::istringstream a(got), b(want.str());
  std::string la, lb;
  int line = 0;
  while (true) {
    const bool more_a = static_cast<bool>(std::getline(a, la));
    const bool more_b = static_cast<bool>(std::getline(b, lb));
    ++line;
    if (!more_a && !more_b) break;
    INFO(reference.string() << " line " << line);
    REQUIRE(more_a == more_b);
    REQUIRE(la == lb);
  }
}

}  // namespace

TEST_CASE("regression: reference illness-death model", "[regression]") {
  check_case({"illness_death", "configs/reference/illness_death.toml", 300, 11});
}

TEST_CASE("regression: flagship myeloma scenario", "[regression]") {
  check_case({"post_cart_salvage", "configs/post_cart_salvage.toml", 40, 5});
}
