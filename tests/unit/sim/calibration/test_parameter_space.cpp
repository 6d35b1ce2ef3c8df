// The fit's coordinates: unit mapping, the three modes, the start point, and the inverse of a written point.
#include <catch2/catch.hpp>

#include <toml++/toml.h>

#include "sim/calibration/parameter_space.hpp"
#include "sim/core/errors.hpp"

using namespace mmsim;
using namespace mmsim::calibration;

namespace {

Parameter parameter(std::string name, std::vector<std::string> paths, Mode mode, double lower, double upper) {
  Parameter p;
  p.name = std::move(name);
  p.weights.assign(paths.size(), 1.0);
  p.paths = std::move(paths);
  p.mode = mode;
  p.lower = lower;
  p.upper = upper;
  return p;
}

const toml::table kHandSet = toml::parse("a.x = 0.4\nb.y = 10.0\nb.z = 20\nc.cr = 0.3\nc.vgpr = 0.2\n");

ParameterSpace space() {
  Parameter shift = parameter("cr_shift", {"c.cr", "c.vgpr"}, Mode::shift, -0.1, 0.3);
  shift.weights = {1.0, -1.0};
  return ParameterSpace({parameter("x", {"a.x"}, Mode::set, 0.0, 0.8),
                         parameter("ttp", {"b.y", "b.z"}, Mode::scale, 0.5, 2.5), shift},
                        kHandSet);
}

}  // namespace

TEST_CASE("unit coordinates: the range mapped to [0, 1], clamped on the way in") {
  const ParameterSpace s = space();
  CHECK(s.size() == 3);
  CHECK(s.path_count() == 5);
  CHECK(s.value(0, 0.25) == Approx(0.2));
  CHECK(s.value(1, 0.5) == Approx(1.5));
  CHECK(s.value(0, -1.0) == 0.0);
  CHECK(s.value(0, 2.0) == 0.8);
  CHECK(s.unit(1, 1.5) == Approx(0.5));
  CHECK(s.unit(0, 1.6) == Approx(2.0));  // not clamped: a written value outside the range shows as such
}

TEST_CASE("overrides: set, scale and shift from the hand-set values") {
  const ParameterSpace s = space();
  const auto ov = s.overrides({0.5, 2.0, 0.1});
  REQUIRE(ov.size() == 5);
  CHECK(ov[0].path == "a.x");
  CHECK(ov[0].value == 0.5);
  CHECK(ov[1].value == Approx(20.0));  // 10 x 2
  CHECK(ov[2].value == Approx(40.0));  // 20 x 2 (an integer node scales too)
  CHECK(ov[3].value == Approx(0.4));   // 0.3 + 0.1: mass moved from VGPR to CR
  CHECK(ov[4].value == Approx(0.1));   // 0.2 - 0.1
  CHECK(ov[3].value + ov[4].value == Approx(0.5));
}

TEST_CASE("start: the parameter's start, else the hand-set point, point_of inverts the overrides") {
  ParameterSpace s = space();
  const auto x0 = s.start();
  CHECK(x0[0] == Approx(0.5));   // set: the hand-set 0.4 in [0, 0.8]
  CHECK(x0[1] == Approx(0.25));  // scale: multiplier 1 in [0.5, 2.5]
  CHECK(x0[2] == Approx(0.25));  // shift: 0 in [-0.1, 0.3]
  Parameter started = parameter("x", {"a.x"}, Mode::set, 0.0, 0.8);
  started.start = 0.6;
  CHECK(ParameterSpace({started}, kHandSet).start()[0] == Approx(0.75));
  // A config with the overrides of a point written in gives that point back.
  const std::vector<double> u{0.1, 0.7, 0.9};
  toml::table written = kHandSet;
  for (const auto& o : s.overrides(s.values(u))) {
    const auto dot = o.path.find('.');
    written[o.path.substr(0, dot)].as_table()->insert_or_assign(o.path.substr(dot + 1), o.value);
  }
  const auto back = s.point_of(written);
  for (std::size_t i = 0; i < u.size(); ++i) CHECK(back[i] == Approx(u[i]).epsilon(1e-12));
}

TEST_CASE("a path that is not a number of the hand-set config is an input error") {
  CHECK_THROWS_AS(ParameterSpace({parameter("q", {"a.missing"}, Mode::set, 0, 1)}, kHandSet), InputError);
}
