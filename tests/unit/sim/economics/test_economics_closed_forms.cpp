// Costs, QALYs and life years simulated on the reference illness-death model against truths computed
// independently of the economics code: closed forms with exponential laws, and a numerical integration of the
// state probabilities with the reference model's Weibull laws. Tolerance: 4 Monte Carlo SEs of the simulated
// mean (the SE the run itself reports; fixed seeds). Also: the paired SE of an increment against the spread
// of independent replicates, no random numbers consumed, and results independent of threads and block size.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "sim/config/diagnostics.hpp"
#include "sim/config/loader.hpp"
#include "sim/economics/economics_report.hpp"
#include "sim/economics/run_economics.hpp"
#include "sim/runner/cohort_runner.hpp"
#include "tests/unit/multistate_scenario.hpp"

namespace {

using namespace mmsim;
using namespace mmsim::economics;

struct Scenario {
  std::unique_ptr<multistate::MultistateModel> model;
  std::unique_ptr<PatientEconomics> economics;
};

Scenario build(const config::ConfigDocument& doc) {
  Scenario s;
  s.model = test::build_multistate(doc);
  config::Diagnostics diag;
  auto spec = read_economics(doc.root, *s.model, s.model->horizon(), diag);
  if (!diag.ok()) FAIL(diag.format());
  REQUIRE(spec);
  s.economics = std::make_unique<PatientEconomics>(std::move(*spec));
  return s;
}

Moments run(const Scenario& s, std::uint64_t patients, std::uint64_t seed, std::uint64_t domain = 0,
            unsigned threads = 2, std::size_t block = 4096) {
  const RunEconomics econ(*s.economics, s.model->schema());
  RunOptions opt;
  opt.patients = patients;
  opt.seed = seed;
  opt.domain = domain;
  opt.threads = threads;
  opt.block_size = block;
  opt.mode = OutputMode::summary_only;
  opt.economics = &econ;
  RunOutcome out = run_cohort(*s.model, opt, nullptr);
  REQUIRE(out.economics);
  return *out.economics;
}

// Exponential illness-death: rates a (on_therapy -> progressed), b (on_therapy -> dead), c (progressed ->
// dead) per month; horizon H months.
constexpr double a = 0.05, b = 0.01, c = 0.08, H = 60.0;
constexpr double m1 = 1000.0, m2 = 200.0, death_cost = 5000.0, u1 = 0.8, u2 = 0.5;

std::string exponential_config(const std::string& strategies = "") {
  return R"(
model = "multistate"
[simulation]
patients = 1000
seed = 1
horizon = 60.0
[multistate]
states = ["on_therapy", "progressed", "dead"]
initial = "on_therapy"
absorbing = ["dead"]
[[multistate.transitions]]
from = "on_therapy"
to = "progressed"
distribution = { dist = "exponential", rate = 0.05 }
[[multistate.transitions]]
from = "on_therapy"
to = "dead"
distribution = { dist = "exponential", rate = 0.01 }
[[multistate.transitions]]
from = "progressed"
to = "dead"
distribution = { dist = "exponential", rate = 0.08 }
[[multistate.endpoints]]
name = "os"
start = "time_zero"
end = ["dead"]
)" + strategies +
         R"(
[economics]
currency = "USD"
price_year = 2024
perspective = "test"
discount_costs = 0.03
discount_effects = 0.035
willingness_to_pay = [50000]
source = "test"
[economics.columns]
follow_up = "os"
events = "events"
initial_state = "on_therapy"
[[economics.costs.state]]
name = "therapy"
states = ["on_therapy"]
cost = 1000
source = "test"
[[economics.costs.state]]
name = "care"
states = ["progressed"]
cost = 200
source = "test"
[[economics.costs.event]]
name = "end of life"
match = { to = "dead" }
cost = 5000
source = "test"
[economics.utilities]
states = { on_therapy = 0.8, progressed = 0.5, dead = 0.0 }
source = "test"
)";
}

// integral_0^H exp(-k t) dt
double tail(double k) {
  return -std::expm1(-k * H) / k;
}
// Expected discounted months in each state at monthly discount rate rho, and E[exp(-rho T) 1{T <= H}].
struct Truth {
  double state1, state2, death;
};
Truth exponential_truth(double annual_rate) {
  const double rho = std::log1p(annual_rate) / 12.0;
  const double s1 = tail(a + b + rho);
  const double s2 = a / (c - a - b) * (tail(a + b + rho) - tail(c + rho));
  return {s1, s2, b * s1 + c * s2};
}

void check_within(double simulated, double se, double truth, const char* what) {
  INFO(what << ": simulated " << simulated << " (SE " << se << "), truth " << truth);
  CHECK(std::abs(simulated - truth) < 4.0 * se);
}

double se(const Moments& m, std::size_t i) {
  return std::sqrt(m.covariance(i, i) / static_cast<double>(m.n()));
}

}  // namespace

TEST_CASE("exponential illness-death: discounted costs, QALYs and LYs match the closed forms",
          "[economics]") {
  const Scenario s = build(config::load_config_text(exponential_config(), "exponential.toml"));
  const Moments m = run(s, 40000, 20261201);
  const Truth e = exponential_truth(0.035), k = exponential_truth(0.03), u = exponential_truth(0.0);
  check_within(m.mean(2), se(m, 2), (e.state1 + e.state2) / 12.0, "discounted life years");
  check_within(m.mean(1), se(m, 1), (u1 * e.state1 + u2 * e.state2) / 12.0, "discounted QALYs");
  check_within(m.mean(0), se(m, 0), m1 * k.state1 + m2 * k.state2 + death_cost * k.death, "discounted cost");
  check_within(m.mean(5), se(m, 5), (u.state1 + u.state2) / 12.0, "undiscounted life years");
  check_within(m.mean(4), se(m, 4), (u1 * u.state1 + u2 * u.state2) / 12.0, "undiscounted QALYs");
  check_within(m.mean(3), se(m, 3), m1 * u.state1 + m2 * u.state2 + death_cost * u.death,
               "undiscounted cost");
  // Discounting lowers every value (a sanity bound, not the test).
  CHECK(m.mean(0) < m.mean(3));
}

TEST_CASE("Weibull reference model: discounted QALYs, LYs and costs match a numerical integration",
          "[economics]") {
  const Scenario s = build(config::load_config(std::filesystem::path(MMSIM_SOURCE_DIR) /
                                               "tests/data/economics/illness_death_economics.toml"));
  const Moments m = run(s, 40000, 7);  // strategy 0 ("standard") has the reference model's laws
  // P1(t) = exp(-(t/12)^1.2 - 0.01 t); P2(t) = int_0^t h12(v) P1(v) S23(t - v) dv, S23(x) = exp(-(x/18)^1.1).
  auto p1 = [](double t) { return std::exp(-std::pow(t / 12.0, 1.2) - 0.01 * t); };
  auto h12 = [](double t) { return t <= 0 ? 0.0 : 1.2 / 12.0 * std::pow(t / 12.0, 0.2); };
  auto s23 = [](double x) { return std::exp(-std::pow(x / 18.0, 1.1)); };
  auto h23 = [](double x) { return x <= 0 ? 0.0 : 1.1 / 18.0 * std::pow(x / 18.0, 0.1); };
  const double horizon = 120.0;
  const int n = 2400;
  const double dt = horizon / n;
  // Midpoint rule in t and v (the integrands are smooth, the error is far below the Monte Carlo SE).
  std::vector<double> w1(n), p2(n), dens(n);
  for (int i = 0; i < n; ++i) {
    const double t = (i + 0.5) * dt;
    double inner = 0.0, inner_death = 0.0;
    for (int j = 0; j <= i; ++j) {
      const double v = (j + 0.5) * dt * (t / ((i + 1) * dt));  // v in (0, t)
      const double dv = t / (i + 1);
      inner += h12(v) * p1(v) * s23(t - v) * dv;
      inner_death += h12(v) * p1(v) * h23(t - v) * s23(t - v) * dv;
    }
    w1[static_cast<std::size_t>(i)] = p1(t);
    p2[static_cast<std::size_t>(i)] = inner;
    dens[static_cast<std::size_t>(i)] = 0.01 * p1(t) + inner_death;
  }
  auto expect = [&](double annual, double wt1, double wt2, double wdeath) {
    const double rho = std::log1p(annual) / 12.0;
    double sum = 0.0;
    for (int i = 0; i < n; ++i) {
      const double t = (i + 0.5) * dt;
      const auto k = static_cast<std::size_t>(i);
      sum += (wt1 * w1[k] + wt2 * p2[k] + wdeath * dens[k]) * std::exp(-rho * t) * dt;
    }
    return sum;
  };
  check_within(m.mean(2), se(m, 2), expect(0.035, 1.0, 1.0, 0.0) / 12.0, "discounted life years");
  check_within(m.mean(1), se(m, 1), expect(0.035, 0.8, 0.5, 0.0) / 12.0, "discounted QALYs");
  check_within(m.mean(0), se(m, 0), expect(0.03, 1000.0, 200.0, 5000.0), "discounted cost");
  check_within(m.mean(4), se(m, 4), expect(0.0, 0.8, 0.5, 0.0) / 12.0, "undiscounted QALYs");
}

TEST_CASE("the paired SE of an increment matches the spread of independent replicates", "[economics]") {
  const std::string two = R"(
[[strategies]]
name = "standard"
[[strategies]]
name = "new_drug"
hazard_multipliers = { "on_therapy->progressed" = 0.7 }
)";
  const Scenario s = build(config::load_config_text(exponential_config(two), "two.toml"));
  EconomicsSettings settings = report_settings(s.economics->spec());
  const int replicates = 40;
  std::vector<double> diffs;
  double mean_se = 0.0, mean_se_unpaired = 0.0;
  for (int r = 0; r < replicates; ++r) {
    const Moments m = run(s, 500, 99, static_cast<std::uint64_t>(r + 1));
    const EconomicsReport rep = compute_economics(m, settings);
    diffs.push_back(rep.increments.at(0).qaly.diff);
    mean_se += rep.increments[0].qaly.se / replicates;
    mean_se_unpaired += rep.increments[0].qaly.se_unpaired / replicates;
  }
  double mean = 0.0;
  for (const double d : diffs) mean += d / replicates;
  double ss = 0.0;
  for (const double d : diffs) ss += (d - mean) * (d - mean);
  const double spread = std::sqrt(ss / (replicates - 1));
  // With 40 replicates the sample SD has a relative SE of about 1/sqrt(78) = 0.11: +-35% is over 3 SEs.
  INFO("replicate SD " << spread << ", mean paired SE " << mean_se << ", mean unpaired SE "
                       << mean_se_unpaired);
  CHECK(spread / mean_se > 0.65);
  CHECK(spread / mean_se < 1.35);
  CHECK(mean_se_unpaired > 1.5 * mean_se);  // common random numbers pay off here
}

TEST_CASE("economics draws no random numbers and does not depend on threads or block size", "[economics]") {
  const Scenario s = build(config::load_config_text(exponential_config(), "exponential.toml"));
  const RunEconomics econ(*s.economics, s.model->schema());
  RunOptions opt;
  opt.patients = 3000;
  opt.seed = 5;
  opt.threads = 2;
  opt.mode = OutputMode::summary_only;
  const RunOutcome plain = run_cohort(*s.model, opt, nullptr);
  opt.economics = &econ;
  const RunOutcome with = run_cohort(*s.model, opt, nullptr);
  REQUIRE(plain.columns.size() == with.columns.size());
  CHECK(std::vector<double>(plain.columns[0][0].time.begin(), plain.columns[0][0].time.end()) ==
        std::vector<double>(with.columns[0][0].time.begin(), with.columns[0][0].time.end()));
  const Moments one = run(s, 3000, 5, 0, 1, 100);
  const Moments two = run(s, 3000, 5, 0, 2, 4096);
  CHECK(one.means() == two.means());
  CHECK(one.comoments() == two.comoments());
  CHECK(one.means() == with.economics->means());
}
