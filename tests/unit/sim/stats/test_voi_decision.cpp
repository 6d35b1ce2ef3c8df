// CEAC, CEAF and EVPI (sim/stats/voi_decision.hpp): hand-made matrices, and EVPI against closed forms and a
// brute-force quadrature. Stochastic checks use fixed seeds and a tolerance of 4 standard errors, the SE
// being the estimator's own Monte Carlo SE (DecisionAtWtp::evpi_se), itself checked against the closed-form
// SD.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "sim/stats/voi_decision.hpp"
#include "tests/unit/sim/stats/voi_test_support.hpp"

using namespace mmsim::stats::voi;

namespace {

// Two strategies at WTP 1: strategy 0 has NB 0, strategy 1 has NB = INB.
PsaSample two_strategy_sample(const std::vector<double>& inb) {
  PsaSample s;
  s.strategies = {"reference", "new"};
  s.simulations = inb.size();
  for (const double v : inb) {
    s.costs.insert(s.costs.end(), {0.0, 0.0});
    s.effects.insert(s.effects.end(), {0.0, v});
  }
  return s;
}

}  // namespace

TEST_CASE("CEAC, CEAF and EVPI of hand-made matrices", "[stats][voi]") {
  // 4 simulations x 3 strategies; NB at WTP w is w E - C.
  PsaSample s;
  s.strategies = {"a", "b", "c"};
  s.simulations = 4;
  s.costs = {0, 10, 30,  //
             0, 10, 30,  //
             0, 20, 30,  //
             0, 20, 30};
  s.effects = {0.0, 1.0, 2.0,  //
               0.0, 0.5, 0.5,  //
               0.0, 1.0, 3.0,  //
               0.0, 2.0, 1.0};
  const std::vector<double> wtp{0.0, 20.0};
  const auto r = analyse_decision(s, wtp);
  REQUIRE(r.size() == 2);
  // WTP 0: a (cost 0) is best everywhere.
  CHECK(r[0].probability_cost_effective == std::vector<double>{1.0, 0.0, 0.0});
  CHECK(r[0].optimal == 0);
  CHECK(r[0].evpi == 0.0);
  CHECK(r[0].expected_cost == std::vector<double>{0.0, 15.0, 30.0});
  // WTP 20. NB rows: (0,10,10) tie b/c -> b; (0,0,-20) tie a/b -> a; (0,0,30) -> c; (0,20,-10) -> b.
  CHECK(r[1].probability_cost_effective == std::vector<double>{0.25, 0.5, 0.25});
  // Expected NB: a 0, b (10+0+0+20)/4 = 7.5, c (10-20+30-10)/4 = 2.5.
  CHECK(r[1].expected_nmb[0] == 0.0);
  CHECK(r[1].expected_nmb[1] == Approx(7.5));
  CHECK(r[1].expected_nmb[2] == Approx(2.5));
  CHECK(r[1].optimal == 1);
  CHECK(r[1].frontier_probability == 0.5);
  // EVPI: mean of the row maxima (10 + 0 + 30 + 20) / 4 = 15, minus 7.5.
  CHECK(r[1].evpi == Approx(7.5));
  // Losses 0, 0, 30, 0: SE = sd / 2 = sqrt(225) / 2.
  CHECK(r[1].evpi_se == Approx(7.5));
}

TEST_CASE("A bad PSA sample is refused", "[stats][voi]") {
  PsaSample s = two_strategy_sample({1.0, 2.0});
  s.costs.pop_back();
  CHECK_THROWS_AS(analyse_decision(s, std::vector<double>{1.0}), std::invalid_argument);
  PsaSample t = two_strategy_sample({1.0, NAN});
  CHECK_THROWS_AS(analyse_decision(t, std::vector<double>{1.0}), std::invalid_argument);
}

TEST_CASE("EVPI of a normal incremental net benefit matches the closed form", "[stats][voi]") {
  // INB ~ N(mu, sigma^2): EVPI = E[max(0, INB)] - max(0, mu) = sigma phi(mu/sigma) - |mu| Phi(-|mu|/sigma).
  for (const double mu : {0.3, -0.5, 0.0}) {
    INFO("mu " << mu);
    const double sigma = 1.0;
    mmsim::test::Deviates dev(20260101);
    std::vector<double> inb(200000);
    for (auto& v : inb) v = mu + sigma * dev.normal();
    const auto r = analyse_decision(two_strategy_sample(inb), std::vector<double>{1.0});
    const double truth =
        sigma * mmsim::normal_pdf(mu / sigma) - std::abs(mu) * mmsim::normal_cdf(-std::abs(mu) / sigma);
    CHECK(std::abs(r[0].evpi - truth) <= 4.0 * r[0].evpi_se);
    // The loss is max(0, INB) - max(0, mu)-side part: its SD in closed form. For mu >= 0 the loss is
    // max(0, -INB), whose second moment is (mu^2 + sigma^2) Phi(-mu/sigma) - mu sigma phi(mu/sigma).
    const double m = std::abs(mu);
    const double second =
        (m * m + sigma * sigma) * mmsim::normal_cdf(-m / sigma) - m * sigma * mmsim::normal_pdf(m / sigma);
    const double sd = std::sqrt(second - truth * truth);
    CHECK(r[0].evpi_se == Approx(sd / std::sqrt(200000.0)).epsilon(0.02));
  }
}

TEST_CASE("EVPI of three strategies matches a brute-force quadrature", "[stats][voi]") {
  // NB_0 = 0, NB_1 ~ N(0.2, 1), NB_2 ~ N(0.1, 1.5^2) independent: EVPI = E[max(0, X1, X2)] - 0.2, and
  // E[max(0, X1, X2)] = integral over t > 0 of 1 - F1(t) F2(t) (the maximum is never below 0).
  const double m1 = 0.2, s1 = 1.0, m2 = 0.1, s2 = 1.5;
  double integral = 0.0;
  const double h = 1e-4;
  for (double t = h / 2; t < 20.0; t += h)
    integral += h * (1.0 - mmsim::normal_cdf((t - m1) / s1) * mmsim::normal_cdf((t - m2) / s2));
  const double truth = integral - 0.2;
  mmsim::test::Deviates dev(777);
  PsaSample s;
  s.strategies = {"zero", "one", "two"};
  s.simulations = 100000;
  for (std::size_t i = 0; i < s.simulations; ++i) {
    s.costs.insert(s.costs.end(), {0.0, 0.0, 0.0});
    const double x1 = m1 + s1 * dev.normal(), x2 = m2 + s2 * dev.normal();
    s.effects.insert(s.effects.end(), {0.0, x1, x2});
  }
  const auto r = analyse_decision(s, std::vector<double>{1.0});
  INFO("EVPI " << r[0].evpi << " truth " << truth << " SE " << r[0].evpi_se);
  CHECK(std::abs(r[0].evpi - truth) <= 4.0 * r[0].evpi_se);
  CHECK(r[0].optimal == 1);
  // The WTP scales the problem: at WTP 1000 with effects / 1000 the same decisions and EVPI.
  for (auto& e : s.effects) e /= 1000.0;
  const auto scaled = analyse_decision(s, std::vector<double>{1000.0});
  CHECK(scaled[0].evpi == Approx(r[0].evpi).epsilon(1e-9));
  CHECK(scaled[0].probability_cost_effective == r[0].probability_cost_effective);
}
