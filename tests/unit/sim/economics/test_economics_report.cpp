// The economic evaluation from moments (sim/economics/economics_report.hpp) on hand-made inputs with known
// answers: Welford moments against two-pass sums, means, paired SEs, ICERs, NMB and the efficiency frontier
// with strong and extended dominance.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "sim/economics/economics_report.hpp"
#include "sim/economics/patient_economics.hpp"

namespace {

using namespace mmsim::economics;

const FrontierEntry& entry(const std::vector<FrontierEntry>& f, const std::string& name) {
  for (const auto& e : f) {
    if (e.strategy == name) return e;
  }
  FAIL("no frontier entry " << name);
  return f.front();
}

}  // namespace

TEST_CASE("the frontier names dominated and extendedly dominated strategies", "[economics]") {
  // A (0, 0); B (50, 0.2): ICER 250 from A; C (100, 1.0): ICER 62.5 from B, 100 from A; D (200, 0.9):
  // costlier and less effective than C; E (300, 1.5): ICER 400 from C.
  const std::vector<std::string> names{"D", "C", "B", "A", "E"};
  const auto f = efficiency_frontier(names, {200, 100, 50, 0, 300}, {0.9, 1.0, 0.2, 0.0, 1.5});
  REQUIRE(f.size() == 5);
  CHECK(f[0].strategy == "A");  // by increasing cost
  CHECK(f[4].strategy == "E");
  CHECK(entry(f, "A").status == FrontierStatus::frontier);
  CHECK(std::isnan(entry(f, "A").icer));
  CHECK(entry(f, "B").status == FrontierStatus::extendedly_dominated);
  CHECK(entry(f, "B").compared_with == "A and C");
  CHECK(entry(f, "C").status == FrontierStatus::frontier);
  CHECK(entry(f, "C").compared_with == "A");
  CHECK(entry(f, "C").icer == Approx(100.0));
  CHECK(entry(f, "D").status == FrontierStatus::dominated);
  CHECK(entry(f, "D").compared_with == "C");
  CHECK(entry(f, "E").icer == Approx(400.0));
  CHECK(entry(f, "E").compared_with == "C");
}

TEST_CASE("extended dominance is removed until the frontier's ICERs increase", "[economics]") {
  // B's ICER from A is 100, C's from B is 50 (B goes); then C's from A is 75 but D's from C is 40 (C goes);
  // the frontier is A then D (ICER 60).
  const auto f = efficiency_frontier({"A", "B", "C", "D"}, {0, 100, 150, 300}, {0, 1, 2, 5});
  CHECK(entry(f, "B").status == FrontierStatus::extendedly_dominated);
  CHECK(entry(f, "C").status == FrontierStatus::extendedly_dominated);
  CHECK(entry(f, "D").status == FrontierStatus::frontier);
  CHECK(entry(f, "D").icer == Approx(60.0));
}

TEST_CASE("moments, means, paired SEs, ICER and NMB on four hand-made patients", "[economics]") {
  // Two strategies; per patient (cost, qaly, ly, and undiscounted copies).
  const std::vector<std::vector<double>> ref{
      {100, 1.0, 2.0}, {200, 1.5, 2.5}, {150, 0.5, 1.0}, {250, 2.0, 3.0}};
  const std::vector<std::vector<double>> alt{
      {400, 1.6, 2.2}, {420, 1.9, 2.6}, {390, 1.2, 1.4}, {600, 2.3, 3.1}};
  Moments m(2 * kValues);
  for (std::size_t i = 0; i < 4; ++i) {
    std::vector<double> x;
    for (const auto* p : {&ref[i], &alt[i]}) {
      for (int k = 0; k < 2; ++k) x.insert(x.end(), p->begin(), p->end());
    }
    m.add(x.data());
  }
  EconomicsSettings s;
  s.currency = "USD";
  s.strategies = {"ref", "alt"};
  s.reference = 0;
  s.willingness_to_pay = {1000.0};
  const EconomicsReport r = compute_economics(m, s, 0.95);
  REQUIRE(r.strategies.size() == 2);
  CHECK(r.strategies[0].cost.mean == Approx(175.0));
  // SD of (100, 200, 150, 250) = sqrt(4166.67); SE = SD / 2.
  CHECK(r.strategies[0].cost.se == Approx(std::sqrt(12500.0 / 3.0) / 2.0));
  REQUIRE(r.increments.size() == 1);
  const Increment& inc = r.increments[0];
  // Differences: cost (300, 220, 240, 350) mean 277.5; qaly (0.6, 0.4, 0.7, 0.3) mean 0.5.
  CHECK(inc.cost.diff == Approx(277.5));
  const double sd_cost = std::sqrt(((22.5 * 22.5) + (57.5 * 57.5) + (37.5 * 37.5) + (72.5 * 72.5)) / 3.0);
  CHECK(inc.cost.se == Approx(sd_cost / 2.0));
  CHECK(inc.qaly.diff == Approx(0.5));
  CHECK(inc.icer == Approx(555.0));
  CHECK(inc.cost.ci_low == Approx(277.5 - 1.959963985 * sd_cost / 2.0));
  // NMB at 1000/QALY: ref 1000 x 1.25 - 175 = 1075; alt 1000 x 1.75 - 452.5 = 1297.5; increment 222.5 with
  // the SE of the per-patient (1000 dq - dc) = (300, 180, 460, -50).
  REQUIRE(r.net_benefit.size() == 2);
  CHECK(r.net_benefit[0].nmb.mean == Approx(1075.0));
  CHECK(std::isnan(r.net_benefit[0].incremental.diff));
  CHECK(r.net_benefit[1].nmb.mean == Approx(1297.5));
  CHECK(r.net_benefit[1].incremental.diff == Approx(222.5));
  const std::vector<double> d{300, 180, 460, -50};
  double ss = 0.0;
  for (const double v : d) ss += (v - 222.5) * (v - 222.5);
  CHECK(r.net_benefit[1].incremental.se == Approx(std::sqrt(ss / 3.0) / 2.0));
  CHECK(r.frontier.size() == 2);
}

TEST_CASE("Welford moments equal two-pass sums and survive a round trip", "[economics]") {
  Moments m(3);
  const std::vector<std::vector<double>> xs{{1e6, 2.0, 3.0}, {1e6 + 1, 2.5, 2.0}, {1e6 + 3, 1.0, 5.0}};
  for (const auto& x : xs) m.add(x.data());
  // Covariance of column 0 and 1: deviations (-4/3, -1/3, 5/3) x (0.1667, 0.6667, -0.8333).
  const double mean0 = 1e6 + 4.0 / 3.0, mean1 = 5.5 / 3.0;
  double c01 = 0.0;
  for (const auto& x : xs) c01 += (x[0] - mean0) * (x[1] - mean1);
  CHECK(m.covariance(0, 1) == Approx(c01 / 2.0).epsilon(1e-12));
  CHECK(m.covariance(1, 0) == m.covariance(0, 1));
  const Moments back(m.n(), m.means(), m.comoments());
  CHECK(back.covariance(0, 2) == m.covariance(0, 2));
  CHECK(back.mean(0) == m.mean(0));
}
