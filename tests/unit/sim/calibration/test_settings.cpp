// The calibration file reader: defaults, paths relative to the file, the report's texts, and every problem
// reported at once with file, line and key.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>

#include "sim/calibration/settings.hpp"
#include "sim/core/errors.hpp"
#include "tests/unit/temp_dir.hpp"

using namespace mmsim;
using namespace mmsim::calibration;

namespace {

std::string error_of(const std::filesystem::path& file) {
  try {
    (void)read_settings(file);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("calibration file: values, defaults and paths relative to the file") {
  const test::TempDir dir("mmsim_calibration_settings_");
  const auto file = dir.path / "fit.toml";
  std::ofstream(file) << R"toml([calibration]
trials = ["trials/a.toml", "trials/b.toml"]
parameters_file = "params/fit.toml"
report = "out/fit.md"
state = "out/state.toml"
seed = 7
starts = 2

[calibration.text]
title = "Fit of {command}"

[[parameter]]
name = "x"
paths = ["a.b"]
lower = 0
upper = 2

[[parameter]]
name = "y"
paths = ["c.d", "c.e"]
mode = "shift"
weights = [1.0, -1.0]
lower = -0.1
upper = 0.1
start = 0.05
)toml";
  const Settings s = read_settings(file);
  REQUIRE(s.trials.size() == 2);
  CHECK(s.trials[1] == dir.path / "trials/b.toml");
  CHECK(s.parameters_file == dir.path / "params/fit.toml");
  CHECK(s.state == dir.path / "out/state.toml");
  CHECK(s.seed == 7);
  CHECK(s.starts == 2);
  CHECK(s.patients == 10000);  // defaults
  CHECK(s.max_evaluations == 300);
  CHECK(s.algorithm == "LN_BOBYQA");
  CHECK(s.xtol == 1e-3);
  CHECK(s.text.title == "Fit of {command}");
  CHECK(s.text.generated_by == ReportText{}.generated_by);  // the texts not given keep their defaults
  CHECK(s.command() == "mmsim calibrate " + file.generic_string());
  REQUIRE(s.parameters.size() == 2);
  CHECK(s.parameters[0].mode == Mode::set);
  CHECK(s.parameters[0].weights == std::vector<double>{1.0});
  CHECK(std::isnan(s.parameters[0].start));
  CHECK(s.parameters[1].mode == Mode::shift);
  CHECK(s.parameters[1].weights == std::vector<double>{1.0, -1.0});
  CHECK(s.parameters[1].start == 0.05);
}

TEST_CASE("calibration file: every problem located by file, line and key") {
  const test::TempDir dir("mmsim_calibration_settings_");
  const auto file = dir.path / "bad.toml";
  std::ofstream(file) << R"toml([calibration]
trials = []
parameters_file = 3
report = "r.md"
algorithm = "LN_FOO"
pattients = 5
[calibration.text]
title = "{comand}"
[[parameter]]
name = "x"
paths = ["a[0].b"]
lower = 1
upper = 1
mode = "shift"
weights = [1.0, 2.0]
)toml";
  const std::string e = error_of(file);
  const std::string f = file.string();
  CHECK_THAT(e, Catch::Contains(f + ":2:10: error: calibration.trials: name at least one trial config"));
  CHECK_THAT(e, Catch::Contains(f + ":3:19: error: calibration.parameters_file: expected a string"));
  CHECK_THAT(e, Catch::Contains("calibration.state: missing required key"));
  CHECK_THAT(e, Catch::Contains(f + ":5:13: error: calibration.algorithm: unknown value \"LN_FOO\""));
  CHECK_THAT(e, Catch::Contains(f + ":6:1: error: calibration.pattients: unknown key"));
  CHECK_THAT(e, Catch::Contains(f + ":8:9: error: calibration.text.title: unknown placeholder {comand}"));
  CHECK_THAT(e, Catch::Contains(f + ":11:9: error: parameter[0].paths: \"a[0].b\" steps into an array"));
  CHECK_THAT(e, Catch::Contains(f + ":13:9: error: parameter[0].upper: upper must exceed lower"));
  CHECK_THAT(e, Catch::Contains(f + ":15:11: error: parameter[0].weights: one weight per path"));
}

TEST_CASE("calibration file: no parameter to fit") {
  const test::TempDir dir("mmsim_calibration_settings_");
  const auto file = dir.path / "empty.toml";
  std::ofstream(file) << "[calibration]\ntrials = [\"t.toml\"]\nparameters_file = \"p\"\nreport = \"r\"\n"
                         "state = \"s\"\n";
  CHECK_THAT(error_of(file), Catch::Contains("parameter: missing required key"));
  CHECK_THAT(error_of(file), Catch::Contains("no [[parameter]] to fit"));
}
