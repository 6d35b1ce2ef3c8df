// Sweep designs (sim/sweep/): PSA parameters (their value laws, read from mean/sd or natural forms, drawn
// from the documented streams; the samplers themselves are tested in tests/unit/sim/dist), LHS
// stratification, sum-to-one groups kept at 1, and the design being a pure function of the sweep file. The
// path grammar is tested in test_config_path.cpp.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "sim/core/errors.hpp"
#include "sim/dist/value_laws.hpp"
#include "sim/sweep/psa_law.hpp"
#include "sim/sweep/sweep_spec.hpp"
#include "tests/unit/input_error.hpp"
#include "tests/unit/multistate_scenario.hpp"
#include "tests/unit/test_dist_support.hpp"

namespace {

using namespace mmsim;
using namespace mmsim::sweep;

const std::filesystem::path kSweeps = std::filesystem::path(MMSIM_SOURCE_DIR) / "tests/data/sweeps";

void check_scenario(config::ConfigDocument d) {
  (void)test::build_multistate(d);
}

SweepSpec sweep_text(const std::string& text) {
  return read_sweep_text(text, kSweeps / "inline_test.toml", check_scenario);
}

using mmsim::test::input_error_of;

}  // namespace

TEST_CASE("PSA parameters hold value laws, draw j of point i from stream {seed, domain, i, j, 0}",
          "[sweep]") {
  // The laws' samplers are tested in tests/unit/sim/dist; here, that the design uses them as documented
  // (docs/sweeps.md, "Randomness"), so adding a parameter never changes the draws of the others.
  const SweepSpec s = read_sweep(kSweeps / "psa.toml", check_scenario);
  REQUIRE(s.parameters.size() == 6);
  REQUIRE(s.points.size() == 12);
  CHECK(s.seed == 99);
  for (const auto& pt : s.points) {
    for (std::size_t j = 0; j < s.parameters.size(); ++j) {
      RandomStream rng({99, kParameterDomain, pt.index, static_cast<std::uint32_t>(j), 0});
      CHECK(pt.values[j] == s.parameters[j].law->sample(rng));
    }
  }
  CHECK(s.points[3].values[5] == 1.5);  // fixed
}

TEST_CASE("PSA laws: mean/sd forms convert by the method of moments", "[sweep]") {
  const SweepSpec s = read_sweep(kSweeps / "psa.toml", check_scenario);
  REQUIRE(s.parameters.size() == 6);
  // Closed-form moments of the laws built from the mean/sd forms of psa.toml.
  const auto* lognormal = dynamic_cast<const LogNormalValue*>(s.parameters[0].law.get());
  REQUIRE(lognormal != nullptr);
  const double s2 = lognormal->sdlog() * lognormal->sdlog();
  CHECK(lognormal->mean() == Approx(0.7).epsilon(1e-12));
  CHECK(std::sqrt(std::expm1(s2) * std::exp(2.0 * lognormal->meanlog() + s2)) == Approx(0.1).epsilon(1e-12));
  const auto* gamma = dynamic_cast<const GammaValue*>(s.parameters[1].law.get());
  REQUIRE(gamma != nullptr);
  CHECK(gamma->mean() == Approx(12.0).epsilon(1e-12));
  CHECK(std::sqrt(gamma->shape()) * gamma->scale() == Approx(2.0).epsilon(1e-12));
  const auto* beta = dynamic_cast<const BetaValue*>(s.parameters[2].law.get());
  REQUIRE(beta != nullptr);
  const double a = beta->alpha(), b = beta->beta();
  CHECK(beta->mean() == Approx(0.2).epsilon(1e-12));
  CHECK(std::sqrt(a * b / ((a + b) * (a + b) * (a + b + 1.0))) == Approx(0.05).epsilon(1e-12));
  CHECK(dynamic_cast<const NormalValue*>(s.parameters[3].law.get()) != nullptr);
  CHECK(dynamic_cast<const UniformValue*>(s.parameters[4].law.get()) != nullptr);
  CHECK(dynamic_cast<const FixedValue*>(s.parameters[5].law.get()) != nullptr);
}

TEST_CASE("PSA laws: --list describes them in the sweep file's words", "[sweep]") {
  CHECK(describe_psa_law(BetaValue(12.6, 50.4)) == "beta(alpha=12.6, beta=50.4)");
  CHECK(describe_psa_law(GammaValue(36.0, 1.0 / 3.0)) == "gamma(shape=36, scale=0.333333)");
  CHECK(describe_psa_law(LogNormalValue(-0.37, 0.14)) == "lognormal(meanlog=-0.37, sdlog=0.14)");
  CHECK(describe_psa_law(NormalValue(1.1, 0.05)) == "normal(mean=1.1, sd=0.05)");
  CHECK(describe_psa_law(UniformValue(0.005, 0.02)) == "uniform(low=0.005, high=0.02)");
  CHECK(describe_psa_law(FixedValue(1.5)) == "fixed(1.5)");
}

TEST_CASE("PSA laws: bad parameters are located errors, all at once", "[sweep]") {
  try {
    sweep_text(R"(
base = "two_arm.toml"
design = "psa"
samples = 4
[[parameter]]
path = "multistate.transitions[0].distribution.scale"
dist = "beta"
mean = 0.5
sd = 0.6
[[parameter]]
path = "multistate.transitions[1].distribution.rate"
dist = "uniform"
low = 0.02
high = 0.01
[[parameter]]
path = "simulation.patients"
dist = "normal"
mean = 100
sd = 10
[[parameter]]
path = "multistate.transitions[2].distribution.shape"
dist = "weibull"
[[parameter]]
path = "multistate.transitions[2].distribution.scale"
dist = "gamma"
mean = 1e300
sd = 1e-300
)");
    FAIL("no error");
  } catch (const InputError& e) {
    const std::string m = e.what();
    INFO(m);
    CHECK(m.find("inline_test.toml:9:6: error: parameter[0].sd: a beta law with mean 0.5 needs sd < "
                 "sqrt(mean*(1-mean)) = 0.5") != std::string::npos);
    CHECK(m.find("inline_test.toml:14:8: error: parameter[1].high: must be greater than low") !=
          std::string::npos);
    CHECK(m.find("inline_test.toml:16:8: error: parameter[2].path: an integer can only be fixed in a PSA") !=
          std::string::npos);
    CHECK(m.find("inline_test.toml:22:8: error: parameter[3].dist: unknown value \"weibull\"") !=
          std::string::npos);
    CHECK(m.find("inline_test.toml:25:8: error: parameter[4].dist: these parameters make no gamma law") !=
          std::string::npos);
  }
}

TEST_CASE("LHS: every stratum of every parameter used exactly once", "[sweep]") {
  const SweepSpec s = sweep_text(R"(
base = "two_arm.toml"
design = "lhs"
samples = 50
[[parameter]]
path = "multistate.transitions[0].distribution.scale"
low = 6.0
high = 24.0
scale = "log"
[[parameter]]
path = "multistate.transitions[1].distribution.rate"
low = 0.005
high = 0.02
)");
  REQUIRE(s.points.size() == 50);
  for (std::size_t j = 0; j < 2; ++j) {
    std::set<int> strata;
    for (const auto& pt : s.points) {
      const double v = pt.values[j];
      const double u = j == 0 ? std::log(v / 6.0) / std::log(24.0 / 6.0) : (v - 0.005) / 0.015;
      REQUIRE(u > 0.0);
      REQUIRE(u < 1.0);
      strata.insert(static_cast<int>(std::floor(u * 50.0)));
    }
    CHECK(strata.size() == 50);
  }
  // The strata orders of the two parameters are not the same permutation.
  bool differ = false;
  for (const auto& pt : s.points) {
    const int a = static_cast<int>(std::floor(std::log(pt.values[0] / 6.0) / std::log(4.0) * 50.0));
    const int b = static_cast<int>(std::floor((pt.values[1] - 0.005) / 0.015 * 50.0));
    differ = differ || a != b;
  }
  CHECK(differ);
}

TEST_CASE("sum-to-one groups: the other members are rescaled, the sum stays 1", "[sweep]") {
  const SweepSpec s = read_sweep(kSweeps / "psa.toml", check_scenario);
  REQUIRE(s.groups.size() == 1);
  for (const auto& pt : s.points) {
    const auto doc = point_document(s, pt);
    const toml::array& probs = *doc.root["multistate"]["attributes"][0]["distribution"]["probs"].as_array();
    const double p0 = *probs.get(0)->value<double>(), p1 = *probs.get(1)->value<double>();
    const double p2 = *probs.get(2)->value<double>();
    CHECK(p2 == pt.values[2]);
    CHECK(p0 + p1 + p2 == Approx(1.0).epsilon(1e-14));
    CHECK(p0 / p1 == Approx(0.5 / 0.3).epsilon(1e-12));  // ratios of the rescaled members kept
  }
}

TEST_CASE("designs: grid order, one-way around the base, reproducible PSA", "[sweep]") {
  const SweepSpec g = sweep_text(R"(
base = "two_arm.toml"
design = "grid"
[[parameter]]
path = "multistate.transitions[0].distribution.scale"
low = 8.0
high = 16.0
steps = 3
[[parameter]]
path = "simulation.patients"
values = [100, 200]
)");
  REQUIRE(g.points.size() == 6);
  CHECK(g.points[1].values == std::vector<double>{8.0, 200.0});
  CHECK(g.points[5].values == std::vector<double>{16.0, 200.0});
  CHECK(g.parameters[1].integer);
  CHECK(point_document(g, g.points[1]).root["simulation"]["patients"].is_integer());

  const SweepSpec o = read_sweep(kSweeps / "oneway.toml", check_scenario);
  REQUIRE(o.points.size() == 5);
  CHECK(o.points[0].varied == -1);
  CHECK(o.points[0].values == std::vector<double>{0.7, 1.5});
  CHECK(o.points[2].varied == 0);
  CHECK(o.points[2].values == std::vector<double>{0.9, 1.5});
  CHECK(o.points[3].values == std::vector<double>{0.7, 1.2});

  const SweepSpec a = read_sweep(kSweeps / "psa.toml", check_scenario);
  const SweepSpec b = read_sweep(kSweeps / "psa.toml", check_scenario);
  for (std::size_t i = 0; i < a.points.size(); ++i) CHECK(a.points[i].values == b.points[i].values);
  CHECK(a.resolved_text() == b.resolved_text());
}

TEST_CASE("bad sweeps: located errors, all at once", "[sweep]") {
  try {
    sweep_text(R"(
base = "two_arm.toml"
design = "grid"
[[parameter]]
path = "multistate.nope"
values = [1.0]
[[parameter]]
path = "multistate.transitions[0].distribution.scale"
values = [0.0]
)");
    FAIL("no error");
  } catch (const InputError& e) {
    const std::string m = e.what();
    CHECK(m.find("inline_test.toml:5:8: error: parameter[0].path: no key \"nope\"") != std::string::npos);
    CHECK(m.find("inline_test.toml:8:8") ==
          std::string::npos);  // the second is judged only once paths are ok
  }
  try {
    sweep_text(R"(
base = "two_arm.toml"
design = "grid"
[[parameter]]
path = "multistate.transitions[0].distribution.scale"
values = [0.0, 5.0]
)");
    FAIL("no error");
  } catch (const InputError& e) {
    const std::string m = e.what();
    INFO(m);
    CHECK(m.find("inline_test.toml:5:8") != std::string::npos);
    CHECK(m.find("rejected by the base scenario's model") != std::string::npos);
    CHECK(m.find("must be > 0") != std::string::npos);
  }
}

TEST_CASE("PSA laws: a left-out or \"base\" mean is the base scenario's resolved value", "[sweep]") {
  // two_arm.toml: the new drug's hazard multiplier 0.7, the first transition's Weibull scale 12, the high
  // risk group's probability 0.2 (line numbers of the file are checked in the warning below).
  const SweepSpec s = sweep_text(R"(
base = "two_arm.toml"
design = "psa"
samples = 3
[[parameter]]
path = "strategies[1].hazard_multipliers.\"on_therapy->progressed\""
dist = "lognormal"
sd = 0.1
[[parameter]]
path = "multistate.transitions[0].distribution.scale"
dist = "gamma"
mean = "base"
sd = 2.0
[[parameter]]
path = "multistate.attributes[0].distribution.probs[2]"
dist = "beta"
sd = 0.05
renormalize = true
[[parameter]]
path = "multistate.transitions[2].distribution.shape"
dist = "normal"
sd = 0.05
)");
  REQUIRE(s.parameters.size() == 4);
  CHECK(s.parameters[0].law->mean() == Approx(0.7).epsilon(1e-12));
  CHECK(s.parameters[1].law->mean() == Approx(12.0).epsilon(1e-12));
  CHECK(s.parameters[2].law->mean() == Approx(0.2).epsilon(1e-12));
  CHECK(s.parameters[3].law->mean() == Approx(1.1).epsilon(1e-12));
  CHECK(s.warnings.empty());
}

TEST_CASE("PSA laws: a written mean that is not the base value is warned about, naming both places",
          "[sweep]") {
  const SweepSpec s = sweep_text(R"(
base = "two_arm.toml"
design = "psa"
samples = 3
[[parameter]]
path = "strategies[1].hazard_multipliers.\"on_therapy->progressed\""
name = "hr_new_drug"
dist = "lognormal"
mean = 0.65
sd = 0.1
[[parameter]]
path = "multistate.transitions[0].distribution.scale"
dist = "gamma"
mean = 12.0
sd = 2.0
)");
  REQUIRE(s.warnings.size() == 1);  // 12.0 is the base value: no warning
  const std::string& w = s.warnings[0];
  CHECK(
      w.find(
          "inline_test.toml:6:8: warning: parameter \"hr_new_drug\": mean 0.65 is not the base value 0.7") !=
      std::string::npos);
  CHECK(w.find("two_arm.toml:51:") != std::string::npos);  // where the base scenario sets it
}

TEST_CASE("PSA laws: a base value outside the law's support, or a mean that is not a number, is an error",
          "[sweep]") {
  const std::string e = input_error_of([] {
    sweep_text(R"(
base = "two_arm.toml"
design = "psa"
samples = 3
[[parameter]]
path = "multistate.transitions[0].distribution.scale"
dist = "beta"
sd = 0.1
[[parameter]]
path = "multistate.transitions[2].distribution.shape"
dist = "normal"
mean = "calibrated"
sd = 0.05
)");
  });
  CHECK(e.find("inline_test.toml:8:6: error: parameter[0].sd: the base value 12 cannot be the mean of a beta "
               "law") != std::string::npos);
  CHECK(e.find("parameter[1].mean: expected a number, or \"base\"") != std::string::npos);
}

TEST_CASE("one-way: a parameter with a law moves to its quantiles, 2.5% and 97.5% unless the sweep says",
          "[sweep]") {
  const std::string text = R"(
base = "two_arm.toml"
design = "oneway"
[[parameter]]
path = "strategies[1].hazard_multipliers.\"on_therapy->progressed\""
dist = "lognormal"
sd = 0.1
[[parameter]]
path = "multistate.transitions[0].hazard_ratios.risk"
values = [1.2, 2.0]
)";
  const SweepSpec s = sweep_text(text);
  REQUIRE(s.parameters.size() == 2);
  const auto& law = *s.parameters[0].law;
  CHECK(law.mean() == Approx(0.7).epsilon(1e-12));
  REQUIRE(s.parameters[0].values.size() == 2);
  CHECK(s.parameters[0].values[0] == law.quantile(0.025));
  CHECK(s.parameters[0].values[1] == law.quantile(0.975));
  // Independent check of the quantiles: log-normal, meanlog and sdlog from the moments, z = 1.959964.
  const double s2 = std::log1p(0.01 / 0.49);
  const double meanlog = std::log(0.7) - 0.5 * s2;
  CHECK(s.parameters[0].values[0] == Approx(std::exp(meanlog - 1.959963985 * std::sqrt(s2))).epsilon(1e-8));
  CHECK(s.parameters[0].values[1] == Approx(std::exp(meanlog + 1.959963985 * std::sqrt(s2))).epsilon(1e-8));
  REQUIRE(s.points.size() == 5);  // base, two per parameter
  CHECK(s.points[0].varied == -1);
  CHECK(s.points[1].varied == 0);
  CHECK(s.points[1].values[1] == 1.5);  // the other parameter at its base value
  CHECK(s.points[3].values[1] == 1.2);

  const SweepSpec q = sweep_text("quantiles = [0.1, 0.9]\n" + text);
  CHECK(q.parameters[0].values[0] == law.quantile(0.1));
  CHECK(q.parameters[0].values[1] == law.quantile(0.9));
}

TEST_CASE("one-way: quantiles only in a one-way design, a law or values but not both", "[sweep]") {
  const std::string e = input_error_of([] {
    sweep_text(R"(
base = "two_arm.toml"
design = "oneway"
quantiles = [0.9, 0.1]
[[parameter]]
path = "strategies[1].hazard_multipliers.\"on_therapy->progressed\""
dist = "lognormal"
sd = 0.1
values = [0.5, 0.9]
)");
  });
  CHECK(e.find("quantiles: expected two probabilities, low < high") != std::string::npos);
  CHECK(e.find("parameter[0].values: give either a law") != std::string::npos);
  const std::string psa = input_error_of([] {
    sweep_text(R"(
base = "two_arm.toml"
design = "psa"
samples = 2
quantiles = [0.1, 0.9]
[[parameter]]
path = "strategies[1].hazard_multipliers.\"on_therapy->progressed\""
dist = "lognormal"
sd = 0.1
)");
  });
  CHECK(psa.find("quantiles: only a oneway design has quantiles") != std::string::npos);
}
