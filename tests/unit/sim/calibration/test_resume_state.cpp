// The state file: a round trip through the file, by parameter name, and what resuming does with a parameter
// it does not name.
#include <catch2/catch.hpp>

#include <fstream>

#include <toml++/toml.h>

#include "sim/calibration/resume_state.hpp"
#include "tests/unit/temp_dir.hpp"

using namespace mmsim;
using namespace mmsim::calibration;

namespace {

Parameter parameter(std::string name, double lower, double upper) {
  Parameter p;
  p.name = std::move(name);
  p.paths = {"t." + p.name};
  p.weights = {1.0};
  p.lower = lower;
  p.upper = upper;
  return p;
}

const toml::table kHandSet = toml::parse("t.a = 1.0\nt.b = 2.0\nt.c = 3.0\n");

}  // namespace

TEST_CASE("resume state: written by name in natural units, read back as the same unit point") {
  const test::TempDir dir("mmsim_resume_");
  const auto path = dir.path / "state.toml";
  const ParameterSpace space({parameter("a", 0.0, 2.0), parameter("b", -1.0, 1.0)}, kHandSet);
  const std::vector<double> best{0.123456789012345, 1.0};
  write_resume_state(path, space, best, 12.5, 42);
  const toml::table t = toml::parse_file(path.string());
  CHECK(t["objective"].value<double>() == 12.5);
  CHECK(t["evaluations"].value<std::int64_t>() == 42);
  CHECK(t["best"]["a"].value<double>() == space.value(0, best[0]));  // shortest round-trip text: exact
  CHECK(t["best"]["b"].value<double>() == 1.0);
  std::vector<double> u{0.5, 0.5};
  CHECK(read_resume_state(path, space, u) == 2);
  CHECK(u[0] == Approx(best[0]).epsilon(1e-15));
  CHECK(u[1] == 1.0);
}

TEST_CASE("resume state: a parameter added since keeps its start, bounds narrowed since clamp") {
  const test::TempDir dir("mmsim_resume_");
  const auto path = dir.path / "state.toml";
  write_resume_state(path, ParameterSpace({parameter("a", 0.0, 2.0)}, kHandSet), {0.9}, 1.0, 1);
  // Now: a's range is [0, 1] (the stored 1.8 lies above it), and c is new.
  const ParameterSpace now({parameter("a", 0.0, 1.0), parameter("c", 0.0, 10.0)}, kHandSet);
  std::vector<double> u{0.5, 0.3};
  CHECK(read_resume_state(path, now, u) == 1);
  CHECK(u[0] == 1.0);
  CHECK(u[1] == 0.3);
}

TEST_CASE("resume state: no file, nothing read") {
  const test::TempDir dir("mmsim_resume_");
  const ParameterSpace space({parameter("a", 0.0, 2.0)}, kHandSet);
  std::vector<double> u{0.25};
  CHECK(read_resume_state(dir.path / "absent.toml", space, u) == 0);
  CHECK(u[0] == 0.25);
}
