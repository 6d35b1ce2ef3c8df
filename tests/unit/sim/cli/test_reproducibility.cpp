// The same config and seed give bit-identical patients and events datasets whatever the thread count and
// block size (the CLI end to end, compared byte for byte on the datasets' raw bytes).
#include <catch2/catch.hpp>

#include <unistd.h>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "sim/io/run_file.hpp"

namespace fs = std::filesystem;

namespace {

fs::path run_reference(const fs::path& dir, const std::string& name, const std::string& extra, int seed = 7) {
  const fs::path out = dir / (name + ".h5");
  const std::string cmd = std::string(MMSIM_BINARY) + " run " + MMSIM_SOURCE_DIR +
                          "/configs/reference/illness_death.toml --patients 30000 -q --seed " +
                          std::to_string(seed) + " -o " + out.string() + " " + extra;
  REQUIRE(std::system(cmd.c_str()) == 0);
  return out;
}

}  // namespace

TEST_CASE("trajectories are bit-identical across thread counts and block sizes", "[reproducibility]") {
  const fs::path dir = fs::temp_directory_path() / ("mmsim_repro_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path one = run_reference(dir, "t1", "--threads 1");
  const fs::path two = run_reference(dir, "t2", "--threads 2 --block-size 1000");
  mmsim::io::RunFileReader a(one), b(two);
  for (const char* table : {"/strategies/default/patients", "/strategies/default/events"}) {
    INFO(table);
    REQUIRE(a.rows(table) > 0);
    CHECK(a.rows(table) == b.rows(table));
    CHECK(a.read_raw(table) == b.read_raw(table));
  }
  const fs::path other_seed = run_reference(dir, "s8", "--threads 2", 8);
  mmsim::io::RunFileReader c(other_seed);
  CHECK(a.read_raw("/strategies/default/patients") != c.read_raw("/strategies/default/patients"));
  fs::remove_all(dir);
}
