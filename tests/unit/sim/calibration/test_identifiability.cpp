// The curvature estimate against linear residuals (for which central differences are exact: J'J = A'A), and
// the section's reading of bounds, sensitivities and flat directions.
#include <catch2/catch.hpp>

#include <toml++/toml.h>

#include "sim/calibration/identifiability.hpp"
#include "sim/core/errors.hpp"

using namespace mmsim;
using namespace mmsim::calibration;

namespace {

// r = A u - b with A 3 targets x 2 parameters.
const Matrix kA{{2.0, 0.5}, {0.0, 1.0}, {1.0, -1.0}};

std::vector<double> linear(const std::vector<double>& u) {
  std::vector<double> r;
  for (const auto& row : kA) r.push_back(row[0] * u[0] + row[1] * u[1] - 0.3);
  return r;
}

Parameter parameter(std::string name) {
  Parameter p;
  p.name = std::move(name);
  p.paths = {"t." + p.name};
  p.weights = {1.0};
  return p;
}

}  // namespace

TEST_CASE("curvature: J'J of linear residuals is A'A, also one-sided at a bound") {
  for (const std::vector<double>& u : {std::vector<double>{0.4, 0.6}, std::vector<double>{0.0, 1.0}}) {
    const Matrix jtj = curvature(linear, u);
    for (std::size_t i = 0; i < 2; ++i) {
      for (std::size_t j = 0; j < 2; ++j) {
        double ata = 0;
        for (const auto& row : kA) ata += row[i] * row[j];
        CHECK(jtj[i][j] == Approx(ata).epsilon(1e-9).margin(1e-12));
      }
    }
  }
}

TEST_CASE("curvature: a parameter whose shifted points are invalid keeps a zero row") {
  const auto invalid_high_x = [](const std::vector<double>& u) {
    if (u[0] > 0.5) throw InputError("probability above 1");
    return linear(u);
  };
  const Matrix jtj = curvature(invalid_high_x, {0.5, 0.3});  // u0 + h is invalid
  CHECK(jtj[0][0] == 0.0);
  CHECK(jtj[0][1] == 0.0);
  CHECK(jtj[1][1] == Approx(0.25 + 1.0 + 1.0).epsilon(1e-9));
}

TEST_CASE("identifiability section: bounds, weak parameters and flat directions") {
  const toml::table hand_set = toml::parse("t.a = 0.5\nt.b = 0.5\nt.c = 0.5\n");
  const ParameterSpace space({parameter("a"), parameter("b"), parameter("c")}, hand_set);
  // a is pinned (curvature 16), b barely (0.25), c not at all; c sits at its upper bound.
  const Matrix jtj{{16.0, 0.0, 0.0}, {0.0, 0.25, 0.0}, {0.0, 0.0, 0.0}};
  const std::string md = identifiability_section(space, {0.5, 0.005, 1.0}, jtj);
  CHECK_THAT(md, Catch::Contains("| a | 0.5 | 0 .. 1 | no | 4.00 |"));
  CHECK_THAT(md, Catch::Contains("| b | 0.005 | 0 .. 1 | lower | 0.50 |"));
  CHECK_THAT(md, Catch::Contains("| c | 1 | 0 .. 1 | upper | 0.00 |"));
  CHECK_THAT(md, Catch::Contains("Parameters at a bound: b, c."));
  CHECK_THAT(md, Catch::Contains("Parameters the targets barely move (sensitivity < 1): b, c."));
  CHECK_THAT(md, Catch::Contains("Flat directions: 2."));
  // Flattest first: 0 (c), then 0.25 (b), then 16 (a).
  const auto c = md.find("| 0 | yes | +1.00 c |"), b = md.find("| 0.25 | yes | +1.00 b |"),
             a = md.find("| 16 | no | +1.00 a |");
  CHECK(c != std::string::npos);
  CHECK(b > c);
  CHECK(a > b);
}
