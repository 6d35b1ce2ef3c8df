// Log-rank, Cox, cumulative incidence, paired (common-random-number) comparisons and patients_needed,
// against closed forms worked out by hand.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "sim/core/errors.hpp"
#include "sim/stats/cox.hpp"
#include "sim/stats/cumulative_incidence.hpp"
#include "sim/stats/kaplan_meier.hpp"
#include "sim/stats/log_rank.hpp"
#include "sim/stats/monte_carlo.hpp"
#include "sim/stats/paired.hpp"

namespace {

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using mmsim::stats::SurvivalSample;

double uniform01(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53 + 0x1.0p-54;
}

// Weighted Kaplan-Meier S(t) and RMST(tau) by direct definition, O(n^2): used to differentiate
// numerically with respect to one patient's weight.
struct WeightedKm {
  double surv_at;
  double rmst;
};
WeightedKm weighted_km(const std::vector<double>& t, const std::vector<std::uint8_t>& e,
                       const std::vector<double>& w, double landmark, double tau) {
  std::vector<double> times = t;
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end()), times.end());
  double s = 1.0, s_at = 1.0, area = 0.0, last = 0.0;
  for (double u : times) {
    if (u > tau) break;
    area += (u - last) * s;
    last = u;
    double r = 0.0, d = 0.0;
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (t[i] >= u) r += w[i];
      if (t[i] == u && e[i] == 1) d += w[i];
    }
    s *= 1.0 - d / r;
    if (u <= landmark) s_at = s;
  }
  area += (tau - last) * s;
  return {s_at, area};
}

}  // namespace

TEST_CASE("Log-rank statistic of a hand-worked two-group example", "[stats][logrank]") {
  // Group 1: events at 1, 2. Group 0: event at 1, censored at 3.
  // t=1: r=4, d=2, n1=2 -> E1 = 1, V = 2*2/(16*3) * 2*2 = 1/3. t=2: r=2, d=1, n1=1 -> E1 += 1/2, V += 1/4.
  // O1 - E1 = 1/2, V = 7/12, chi-square = (1/4) / (7/12) = 3/7.
  const std::vector<double> t = {1, 2, 1, 3};
  const std::vector<std::uint8_t> e = {1, 1, 1, 0};
  const std::vector<std::uint32_t> g = {1, 1, 0, 0};
  const auto lr = mmsim::stats::log_rank_test(SurvivalSample{t, e}, g);
  REQUIRE(lr.groups == std::vector<std::uint32_t>{0, 1});
  CHECK(lr.df == 1);
  CHECK_THAT(lr.chi_square, WithinRel(3.0 / 7.0, 1e-14));
  CHECK_THAT(lr.expected[1], WithinRel(1.5, 1e-15));
  CHECK_THAT(lr.observed[1], WithinRel(2.0, 1e-15));
  CHECK_THAT(lr.variance[3], WithinRel(7.0 / 12.0, 1e-14));
  CHECK_THAT(lr.variance[1], WithinRel(-7.0 / 12.0, 1e-14));
  CHECK_THAT(lr.p_value, WithinRel(std::erfc(std::sqrt(3.0 / 7.0 / 2.0)), 1e-12));

  // Three groups where one has nothing expected: dropped, as R does; no events at all: chi 0, df 0.
  const std::vector<double> t0 = {1, 2, 3};
  const std::vector<std::uint8_t> e0 = {0, 0, 0};
  const std::vector<std::uint32_t> g0 = {0, 1, 2};
  const auto none = mmsim::stats::log_rank_test(SurvivalSample{t0, e0}, g0);
  CHECK(none.df == 0);
  CHECK(none.chi_square == 0.0);
}

TEST_CASE("Cox hazard ratio without ties solves u^2 - u - 4 = 0", "[stats][cox]") {
  // Treated: events at 1 and 3. Reference: event at 2, censored at 4. With u = exp(beta) the score is
  // 2/(u+1) - u/(u+2) = 0, so u = (1 + sqrt(17))/2; information 2u/(u+1)^2 + 2u/(u+2)^2.
  const std::vector<double> t = {1, 3, 2, 4};
  const std::vector<std::uint8_t> e = {1, 1, 1, 0};
  const std::vector<std::uint32_t> g = {7, 7, 3, 3};
  const auto fit = mmsim::stats::cox_hazard_ratio(SurvivalSample{t, e}, g, 7, 3);
  const double u = (1.0 + std::sqrt(17.0)) / 2.0;
  const double info = 2 * u / ((u + 1) * (u + 1)) + 2 * u / ((u + 2) * (u + 2));
  REQUIRE(fit.finite);
  CHECK_THAT(fit.hr, WithinRel(u, 1e-12));
  CHECK_THAT(fit.log_hr, WithinRel(std::log(u), 1e-12));
  CHECK_THAT(fit.se_log_hr, WithinRel(1.0 / std::sqrt(info), 1e-12));
  CHECK_THAT(fit.lower, WithinRel(std::exp(std::log(u) - 1.959963984540054 / std::sqrt(info)), 1e-12));
  CHECK_THAT(fit.loglik_null, WithinRel(-std::log(4.0) - std::log(3.0) - std::log(2.0), 1e-14));
  CHECK(fit.n == 4);
  CHECK(fit.n_events == 3);
}

TEST_CASE("Cox hazard ratio with a tie uses Efron's correction", "[stats][cox]") {
  // Treated: events at 1, 2. Reference: event at 1, censored at 3. The tie at 1 has Efron denominators
  // 2(u+1) and 1.5(u+1); the score 2 - 3u/(u+1) = 0 gives u = 2, information 3u/(u+1)^2 = 2/3.
  const std::vector<double> t = {1, 2, 1, 3};
  const std::vector<std::uint8_t> e = {1, 1, 1, 0};
  const std::vector<std::uint32_t> g = {1, 1, 0, 0};
  const auto fit = mmsim::stats::cox_hazard_ratio(SurvivalSample{t, e}, g, 1, 0);
  REQUIRE(fit.finite);
  CHECK_THAT(fit.hr, WithinRel(2.0, 1e-12));
  CHECK_THAT(fit.se_log_hr, WithinRel(std::sqrt(1.5), 1e-12));
  // log L(log 2) = 2 log 2 - log(6) - log(4.5) - log(3).
  CHECK_THAT(fit.loglik, WithinRel(2 * std::log(2.0) - std::log(6.0) - std::log(4.5) - std::log(3.0), 1e-13));
}

TEST_CASE("Cox with a monotone likelihood reports an infinite estimate", "[stats][cox]") {
  // Every event is in the treated group while both groups are at risk: beta -> +Inf.
  const std::vector<double> t = {1, 2, 3, 4};
  const std::vector<std::uint8_t> e = {1, 1, 0, 0};
  const std::vector<std::uint32_t> g = {1, 1, 0, 0};
  const auto up = mmsim::stats::cox_hazard_ratio(SurvivalSample{t, e}, g, 1, 0);
  CHECK_FALSE(up.finite);
  CHECK(up.log_hr == std::numeric_limits<double>::infinity());
  CHECK(std::isnan(up.se_log_hr));
  const auto down = mmsim::stats::cox_hazard_ratio(SurvivalSample{t, e}, g, 0, 1);
  CHECK(down.log_hr == -std::numeric_limits<double>::infinity());
  CHECK(down.hr == 0.0);
  const std::vector<std::uint8_t> none = {0, 0, 0, 0};
  CHECK(std::isnan(mmsim::stats::cox_hazard_ratio(SurvivalSample{t, none}, g, 1, 0).log_hr));
  CHECK_THROWS_AS(mmsim::stats::cox_hazard_ratio(SurvivalSample{t, e}, g, 1, 1), mmsim::InputError);
}

TEST_CASE("Cumulative incidence of a hand-worked competing-risks example", "[stats][cif]") {
  // Cause 1 at 1, cause 2 at 2, censored at 3, cause 1 at 4.
  // F1: 1/4 at t=1, then + S(3) * 1/1 = 1/4 + 1/2 at t=4. F2: S(1) * 1/3 = 1/4 at t=2. S: 3/4, 1/2, 1/2, 0.
  const std::vector<double> t = {1, 2, 3, 4};
  const std::vector<std::uint8_t> c = {1, 2, 0, 1};
  const auto ci = mmsim::stats::cumulative_incidence(SurvivalSample{t, c});
  REQUIRE(ci.n_causes == 2);
  CHECK(ci.cif[0] == std::vector<double>{0.25, 0.25, 0.25, 0.75});
  CHECK(ci.cif[1] == std::vector<double>{0.0, 0.25, 0.25, 0.25});
  CHECK(ci.surv == std::vector<double>{0.75, 0.5, 0.5, 0.0});
  // At t=1 only the multinomial term counts: var = (S/r)^2 d1 (r - d1)/r = (1/16)(3/4).
  CHECK_THAT(ci.se_cif[0][0], WithinRel(std::sqrt(3.0) / 8.0, 1e-14));
  CHECK(ci.se_cif[1][0] == 0.0);
  CHECK_THAT(ci.se_surv[0], WithinRel(std::sqrt(3.0) / 8.0, 1e-14));
  CHECK(ci.se_surv[3] == 0.0);
  CHECK(mmsim::stats::cumulative_incidence_at(ci, 1, 3.9).estimate == 0.25);
  CHECK(mmsim::stats::cumulative_incidence_at(ci, 1, 10.0).estimate == 0.75);
  CHECK(mmsim::stats::cumulative_incidence_at(ci, 2, 0.5).estimate == 0.0);
  // A declared cause without events gets a zero curve; a code above the declared count is rejected.
  const auto ci3 = mmsim::stats::cumulative_incidence(SurvivalSample{t, c}, 3);
  CHECK(ci3.cif[2] == std::vector<double>{0.0, 0.0, 0.0, 0.0});
  CHECK_THROWS_AS(mmsim::stats::cumulative_incidence(SurvivalSample{t, c}, 1), mmsim::InputError);
}

TEST_CASE("Cumulative incidence with one cause equals 1 - Kaplan-Meier", "[stats][cif]") {
  std::mt19937_64 rng(3);
  std::vector<double> t(500);
  std::vector<std::uint8_t> e(500);
  for (std::size_t i = 0; i < t.size(); ++i) {
    t[i] = std::ceil(uniform01(rng) * 40.0);
    e[i] = uniform01(rng) < 0.6 ? 1 : 0;
  }
  const auto km = mmsim::stats::kaplan_meier(SurvivalSample{t, e});
  const auto ci = mmsim::stats::cumulative_incidence(SurvivalSample{t, e});
  REQUIRE(ci.time == km.time);
  for (std::size_t j = 0; j + 1 < km.time.size(); ++j) {
    CHECK_THAT(ci.cif[0][j], WithinAbs(1.0 - km.surv[j], 1e-14));
    // The influence SE of 1 - S is the Greenwood SE of S.
    CHECK_THAT(ci.se_cif[0][j], WithinRel(km.se_surv(j), 1e-10));
  }
}

TEST_CASE("Influence values are the derivatives with respect to patient weights", "[stats][paired]") {
  // Central differences of a directly-coded weighted Kaplan-Meier, patient by patient, with ties and
  // censoring; and the sum of squared influences equals the Greenwood / R se(rmean) variance exactly.
  std::mt19937_64 rng(11);
  const std::size_t n = 40;
  std::vector<double> t(n);
  std::vector<std::uint8_t> e(n);
  for (std::size_t i = 0; i < n; ++i) {
    t[i] = std::ceil(uniform01(rng) * 12.0);
    e[i] = uniform01(rng) < 0.7 ? 1 : 0;
  }
  const SurvivalSample sample{t, e};
  const auto km = mmsim::stats::kaplan_meier(sample);
  const double landmark = 6.5, tau = 9.25;
  const auto infl_s = mmsim::stats::survival_influence(sample, km, landmark);
  const auto infl_r = mmsim::stats::rmst_influence(sample, km, tau);
  const double h = 1e-6;
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<double> w(n, 1.0);
    w[i] = 1.0 + h;
    const auto plus = weighted_km(t, e, w, landmark, tau);
    w[i] = 1.0 - h;
    const auto minus = weighted_km(t, e, w, landmark, tau);
    CHECK_THAT(infl_s[i], WithinAbs((plus.surv_at - minus.surv_at) / (2 * h), 1e-8));
    CHECK_THAT(infl_r[i], WithinAbs((plus.rmst - minus.rmst) / (2 * h), 1e-7));
  }
  double ss_s = 0, ss_r = 0;
  for (std::size_t i = 0; i < n; ++i) {
    ss_s += infl_s[i] * infl_s[i];
    ss_r += infl_r[i] * infl_r[i];
  }
  // Influence values need the curve of the same sample.
  std::vector<std::uint8_t> other_e = e;
  other_e[0] = other_e[0] == 1 ? 0 : 1;
  CHECK_THROWS_AS(mmsim::stats::rmst_influence(SurvivalSample{t, other_e}, km, tau), mmsim::InputError);
  std::vector<double> other_t = t;
  other_t[3] += 0.5;
  CHECK_THROWS_AS(mmsim::stats::survival_influence(SurvivalSample{other_t, e}, km, landmark),
                  mmsim::InputError);
  CHECK_THAT(std::sqrt(ss_s), WithinRel(mmsim::stats::survival_at(km, landmark).se, 1e-12));
  CHECK_THAT(std::sqrt(ss_r), WithinRel(mmsim::stats::restricted_mean(km, tau).se, 1e-12));
}

TEST_CASE("Paired proportions match the McNemar-type closed form", "[stats][paired]") {
  // 2x2 table of (A, B) responses: 30 (1,1), 12 (1,0), 5 (0,1), 53 (0,0); n = 100.
  std::vector<std::uint8_t> a, b;
  auto add = [&](int count, std::uint8_t va, std::uint8_t vb) {
    for (int i = 0; i < count; ++i) {
      a.push_back(va);
      b.push_back(vb);
    }
  };
  add(30, 1, 1);
  add(12, 1, 0);
  add(5, 0, 1);
  add(53, 0, 0);
  const auto d = mmsim::stats::compare_proportions_paired(a, b);
  const double n = 100, pa = 0.42, pb = 0.35;
  CHECK_THAT(d.difference, WithinRel(0.07, 1e-14));
  CHECK_THAT(d.se_paired, WithinRel(std::sqrt(((12.0 + 5.0) / n - 0.07 * 0.07) / n), 1e-12));
  CHECK_THAT(d.se_unpaired, WithinRel(std::sqrt(pa * (1 - pa) / n + pb * (1 - pb) / n), 1e-12));
  CHECK_THAT(d.se_a, WithinRel(std::sqrt(pa * (1 - pa) / n), 1e-12));
}

TEST_CASE("Common random numbers: paired SE is calibrated and smaller than unpaired", "[stats][paired]") {
  // Strategy B multiplies every patient's event time by 1.25 (same uniforms, same censoring): a strong
  // positive correlation. Over 300 replicate cohorts of 800 patients the SD of the differences must match
  // the mean paired SE within 15% (the SD of an SD from 300 draws is about 4%).
  const int reps = 300;
  const std::size_t n = 800;
  std::mt19937_64 rng(5);
  std::vector<double> ta(n), tb(n);
  std::vector<std::uint8_t> ea(n), eb(n);
  double s_diff = 0, s_diff2 = 0, s_se = 0, s_unp = 0, l_diff = 0, l_diff2 = 0, l_se = 0;
  for (int rep = 0; rep < reps; ++rep) {
    for (std::size_t i = 0; i < n; ++i) {
      const double event = -std::log(uniform01(rng)) / 0.25;
      const double censor = 3.0 + 6.0 * uniform01(rng);
      ta[i] = std::min(event, censor);
      ea[i] = event <= censor ? 1 : 0;
      tb[i] = std::min(1.25 * event, censor);
      eb[i] = 1.25 * event <= censor ? 1 : 0;
    }
    const SurvivalSample a{ta, ea}, b{tb, eb};
    const auto r = mmsim::stats::compare_rmst_paired(a, b, 5.0);
    s_diff += r.difference;
    s_diff2 += r.difference * r.difference;
    s_se += r.se_paired;
    s_unp += r.se_unpaired;
    const auto l = mmsim::stats::compare_survival_paired(a, b, 2.5);
    l_diff += l.difference;
    l_diff2 += l.difference * l.difference;
    l_se += l.se_paired;
  }
  const double sd = std::sqrt((s_diff2 - s_diff * s_diff / reps) / (reps - 1));
  const double sd_l = std::sqrt((l_diff2 - l_diff * l_diff / reps) / (reps - 1));
  CHECK_THAT(s_se / reps, WithinRel(sd, 0.15));
  CHECK_THAT(l_se / reps, WithinRel(sd_l, 0.15));
  CHECK(s_se < 0.5 * s_unp);

  // Identical strategies: zero difference with zero paired SE.
  const SurvivalSample same{ta, ea};
  const auto z = mmsim::stats::compare_rmst_paired(same, same, 5.0);
  CHECK(z.difference == 0.0);
  CHECK(z.se_paired == 0.0);
  CHECK_THAT(z.correlation, WithinRel(1.0, 1e-12));
}

TEST_CASE("patients_needed scales with the square of the SE ratio", "[stats][mcse]") {
  CHECK(mmsim::stats::patients_needed(0.02, 10'000, 0.01) == 40'000);
  CHECK(mmsim::stats::patients_needed(0.01, 10'000, 0.02) == 2'500);
  CHECK(mmsim::stats::patients_needed(0.0, 10'000, 0.02) == 1);
  CHECK(mmsim::stats::patients_needed(0.03, 1000, 0.02) == 2250);
  CHECK_THROWS_AS(mmsim::stats::patients_needed(0.01, 0, 0.01), mmsim::InputError);
  CHECK_THROWS_AS(mmsim::stats::patients_needed(0.01, 10, 0.0), mmsim::InputError);
}
