// Sweep designs (sim/sweep/): PSA draws (moments within SE-based tolerances, and Kolmogorov-Smirnov against
// Boost.Math's beta, gamma, lognormal and normal laws), LHS stratification, sum-to-one groups kept at 1, and
// the design being a pure function of the sweep file. The path grammar is tested in test_config_path.cpp.
#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "sim/core/errors.hpp"
#include "sim/sweep/sweep_spec.hpp"
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

std::vector<double> draws(const Law& law, std::size_t n, std::uint32_t purpose) {
  std::vector<double> x;
  for (std::size_t i = 0; i < n; ++i) {
    RandomStream rng({77, kParameterDomain, i, purpose, 0});
    x.push_back(draw(law, rng));
  }
  return x;
}

// Sample mean within 4 SE of the law's mean; sample variance within 4 SE (SE from the sample's 4th moment).
void check_moments(const Law& law, const std::vector<double>& x) {
  const double n = static_cast<double>(x.size());
  double m = 0.0;
  for (double v : x) m += v;
  m /= n;
  double m2 = 0.0, m4 = 0.0;
  for (double v : x) {
    m2 += (v - m) * (v - m);
    m4 += std::pow(v - m, 4);
  }
  m2 /= n - 1.0;
  m4 /= n;
  INFO(law.describe() << ": mean " << m << " vs " << law.mean() << ", variance " << m2 << " vs "
                      << law.variance());
  CHECK(std::fabs(m - law.mean()) < 4.0 * std::sqrt(law.variance() / n));
  CHECK(std::fabs(m2 - law.variance()) < 4.0 * std::sqrt((m4 - m2 * m2) / n));
}

}  // namespace

TEST_CASE("PSA draws: moments and distribution of every law", "[sweep][statistical]") {
  const std::size_t n = test::kGofSamples;
  const Law beta{LawKind::beta, 12.6, 50.4};
  const Law small_beta{LawKind::beta, 0.6, 0.9};  // shape < 1: the boosted gamma path
  const Law gamma{LawKind::gamma, 36.0, 1.0 / 3.0};
  const Law small_gamma{LawKind::gamma, 0.4, 2.0};
  const Law lognormal{LawKind::lognormal, -0.37, 0.14};
  const Law normal{LawKind::normal, 1.1, 0.05};
  const Law uniform{LawKind::uniform, 0.005, 0.02};
  std::uint32_t purpose = 0;
  for (const Law& law : {beta, small_beta, gamma, small_gamma, lognormal, normal, uniform}) {
    check_moments(law, draws(law, n, purpose++));
  }
  const auto ks = [&](const Law& law, auto cdf) {
    const double d = test::ks_statistic(draws(law, n, purpose++), cdf);
    INFO(law.describe() << ": KS " << d);
    CHECK(d < test::ks_critical(n));
  };
  ks(beta, [](double x) { return boost::math::cdf(boost::math::beta_distribution<>(12.6, 50.4), x); });
  ks(small_beta, [](double x) { return boost::math::cdf(boost::math::beta_distribution<>(0.6, 0.9), x); });
  ks(gamma, [](double x) { return boost::math::cdf(boost::math::gamma_distribution<>(36.0, 1.0 / 3.0), x); });
  ks(small_gamma, [](double x) { return boost::math::cdf(boost::math::gamma_distribution<>(0.4, 2.0), x); });
  ks(lognormal,
     [](double x) { return boost::math::cdf(boost::math::lognormal_distribution<>(-0.37, 0.14), x); });
  ks(normal, [](double x) { return boost::math::cdf(boost::math::normal_distribution<>(1.1, 0.05), x); });
  CHECK(draws(Law{LawKind::fixed, 1.5, 0.0}, 3, 99) == std::vector<double>{1.5, 1.5, 1.5});
}

TEST_CASE("PSA laws: mean/sd forms convert by the method of moments", "[sweep]") {
  const SweepSpec s = read_sweep(kSweeps / "psa.toml", check_scenario);
  REQUIRE(s.parameters.size() == 6);
  CHECK(s.parameters[0].law.kind == LawKind::lognormal);
  CHECK(s.parameters[0].law.mean() == Approx(0.7).epsilon(1e-12));
  CHECK(std::sqrt(s.parameters[0].law.variance()) == Approx(0.1).epsilon(1e-12));
  CHECK(s.parameters[1].law.mean() == Approx(12.0).epsilon(1e-12));
  CHECK(std::sqrt(s.parameters[1].law.variance()) == Approx(2.0).epsilon(1e-12));
  CHECK(s.parameters[2].law.mean() == Approx(0.2).epsilon(1e-12));
  CHECK(std::sqrt(s.parameters[2].law.variance()) == Approx(0.05).epsilon(1e-12));
  CHECK(s.points.size() == 12);
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
