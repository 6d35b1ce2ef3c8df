// Kaplan-Meier, landmark survival, quantiles and RMST against values worked out by hand or in closed form.
// The R oracle (test_stats_oracle.cpp) covers the same functions on larger data; these tests pin the
// definitions down with numbers that cannot come out right by accident.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "sim/core/errors.hpp"
#include "sim/core/numeric.hpp"
#include "sim/stats/kaplan_meier.hpp"

namespace {

using Catch::Matchers::WithinRel;
using mmsim::stats::SurvivalSample;

using mmsim::kNaN;
constexpr double kZ95 = 1.959963984540054;  // qnorm(0.975)

double uniform01(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53 + 0x1.0p-54;
}

// The 8-patient example: events at 1, 2, 3, 5, 5, 6; censored at 2 and 4.
const std::vector<double> kTime = {1, 2, 2, 3, 4, 5, 5, 6};
const std::vector<std::uint8_t> kEvent = {1, 1, 0, 1, 0, 1, 1, 1};

double loglog_lower(double s, double se_log) {
  return std::exp(-std::exp(std::log(-std::log(s)) - kZ95 * se_log / std::log(s)));
}
double loglog_upper(double s, double se_log) {
  return std::exp(-std::exp(std::log(-std::log(s)) + kZ95 * se_log / std::log(s)));
}

}  // namespace

TEST_CASE("Kaplan-Meier table of a hand-worked example", "[stats][km]") {
  const auto km = mmsim::stats::kaplan_meier(SurvivalSample{kTime, kEvent});
  REQUIRE(km.n == 8);
  REQUIRE(km.time == std::vector<double>{1, 2, 3, 4, 5, 6});
  REQUIRE(km.n_risk == std::vector<std::int64_t>{8, 7, 5, 4, 3, 1});
  REQUIRE(km.n_event == std::vector<std::int64_t>{1, 1, 1, 0, 2, 1});
  std::vector<std::int64_t> n_censor;
  for (std::size_t j = 0; j < km.time.size(); ++j) n_censor.push_back(km.n_censor(j));
  REQUIRE(n_censor == std::vector<std::int64_t>{0, 1, 0, 1, 0, 0});
  // S: 7/8, 7/8*6/7 = 3/4, 3/4*4/5 = 3/5, 3/5, 3/5*1/3 = 1/5, 0.
  const std::vector<double> surv = {7.0 / 8, 0.75, 0.6, 0.6, 0.2, 0.0};
  // Greenwood sums d/(r(r-d)): 1/56, +1/42, +1/20, +0, +2/3.
  const std::vector<double> greenwood = {1.0 / 56, 1.0 / 56 + 1.0 / 42, 11.0 / 120, 11.0 / 120,
                                         11.0 / 120 + 2.0 / 3};
  for (std::size_t j = 0; j < 5; ++j) {
    CHECK_THAT(km.surv[j], WithinRel(surv[j], 1e-14));
    CHECK_THAT(km.se_log_surv[j], WithinRel(std::sqrt(greenwood[j]), 1e-14));
    CHECK_THAT(km.se_surv(j), WithinRel(surv[j] * std::sqrt(greenwood[j]), 1e-14));
    CHECK_THAT(km.lower[j], WithinRel(loglog_lower(surv[j], std::sqrt(greenwood[j])), 1e-12));
    CHECK_THAT(km.upper[j], WithinRel(loglog_upper(surv[j], std::sqrt(greenwood[j])), 1e-12));
  }
  // The last patient at risk dies: S = 0, Greenwood infinite, log-log limits undefined (as R).
  CHECK(km.surv[5] == 0.0);
  CHECK(std::isinf(km.se_log_surv[5]));
  CHECK(std::isnan(km.lower[5]));
  CHECK(std::isnan(km.upper[5]));
}

TEST_CASE("Landmark survival follows the step function and its edge rules", "[stats][km]") {
  const auto km = mmsim::stats::kaplan_meier(SurvivalSample{kTime, kEvent});
  const auto before = mmsim::stats::survival_at(km, 0.5);
  CHECK(before.surv == 1.0);
  CHECK(before.se == 0.0);
  CHECK(before.lower == 1.0);
  CHECK(before.upper == 1.0);
  CHECK(before.n_risk == 8);

  const auto mid = mmsim::stats::survival_at(km, 3.5);  // S = 3/5 from t = 3
  CHECK_THAT(mid.surv, WithinRel(0.6, 1e-14));
  CHECK_THAT(mid.se, WithinRel(0.6 * std::sqrt(11.0 / 120), 1e-14));
  CHECK_THAT(mid.lower, WithinRel(loglog_lower(0.6, std::sqrt(11.0 / 120)), 1e-12));
  CHECK(mid.n_risk == 4);
  CHECK_FALSE(mid.beyond_follow_up);

  const auto at_event = mmsim::stats::survival_at(km, 5.0);  // right-continuous: includes the deaths at 5
  CHECK_THAT(at_event.surv, WithinRel(0.2, 1e-14));

  const auto dead = mmsim::stats::survival_at(km, 100.0);  // S reached 0: estimable, zero variance
  CHECK(dead.surv == 0.0);
  CHECK(dead.se == 0.0);
  CHECK_FALSE(dead.beyond_follow_up);

  // Last patient censored: beyond the last time S is not estimable.
  const std::vector<double> t2 = {1, 2, 3};
  const std::vector<std::uint8_t> e2 = {1, 0, 0};
  const auto km2 = mmsim::stats::kaplan_meier(SurvivalSample{t2, e2});
  const auto beyond = mmsim::stats::survival_at(km2, 3.5);
  CHECK(beyond.beyond_follow_up);
  CHECK(std::isnan(beyond.surv));
  CHECK_THAT(mmsim::stats::survival_at(km2, 3.0).surv, WithinRel(2.0 / 3, 1e-14));
}

TEST_CASE("Quantiles take the midpoint where the curve is flat at 1 - p", "[stats][km]") {
  const auto km = mmsim::stats::kaplan_meier(SurvivalSample{kTime, kEvent});
  // S = 0.75 on [2, 3): the 25th percentile is (2 + 3) / 2. S first < 0.5 at 5. S = 0 at 6.
  const std::vector<double> probs = {0.25, 0.5, 0.75, 0.9, 1.0};
  const auto q = mmsim::stats::survival_quantiles(km, probs);
  CHECK(q[0].time == 2.5);
  CHECK(q[1].time == 5.0);
  CHECK(q[2].time == 5.0);
  CHECK(q[3].time == 6.0);
  CHECK(q[4].time == 6.0);
  // Upper limit curve never falls to 0.5: the median's upper confidence limit is not reached.
  CHECK(std::isnan(q[1].upper));
  CHECK(q[1].lower == 1.0);

  // Events at 1..4 bring S to exactly 1/2, flat until the next event at 6: median (4 + 6) / 2.
  const std::vector<double> t = {1, 2, 3, 4, 5, 6, 7, 8};
  const std::vector<std::uint8_t> e = {1, 1, 1, 1, 0, 1, 1, 1};
  const auto km2 = mmsim::stats::kaplan_meier(SurvivalSample{t, e});
  CHECK(mmsim::stats::median_survival(km2).time == 5.0);

  // A curve that ends flat at exactly 1/2: R gives the midpoint of the last drop and the last time.
  const std::vector<double> t3 = {1, 2, 3, 4};
  const std::vector<std::uint8_t> e3 = {1, 1, 0, 0};
  const auto km3 = mmsim::stats::kaplan_meier(SurvivalSample{t3, e3});
  CHECK(mmsim::stats::median_survival(km3).time == 3.0);

  // No events: nothing is reached.
  const std::vector<std::uint8_t> none = {0, 0, 0, 0};
  const auto km4 = mmsim::stats::kaplan_meier(SurvivalSample{t3, none});
  CHECK(std::isnan(mmsim::stats::median_survival(km4).time));
}

TEST_CASE("RMST and its SE for the hand example", "[stats][km][rmst]") {
  const auto km = mmsim::stats::kaplan_meier(SurvivalSample{kTime, kEvent});
  // Area to 3.5: 1*1 + 1*7/8 + 1*3/4 + 0.5*3/5 = 2.925. Areas beyond the event times 1, 2, 3 are
  // 1.925, 1.05, 0.3, so var = 1.925^2/56 + 1.05^2/42 + 0.3^2/20.
  const auto r = mmsim::stats::restricted_mean(km, 3.5);
  CHECK_THAT(r.estimate, WithinRel(2.925, 1e-14));
  CHECK_THAT(r.se, WithinRel(std::sqrt(1.925 * 1.925 / 56 + 1.05 * 1.05 / 42 + 0.09 / 20), 1e-13));
  CHECK_THAT(r.lower, WithinRel(r.estimate - kZ95 * r.se, 1e-14));
  CHECK_FALSE(r.extrapolated);
  // Before the first event the area is tau with no uncertainty.
  const auto early = mmsim::stats::restricted_mean(km, 0.5);
  CHECK(early.estimate == 0.5);
  CHECK(early.se == 0.0);
}

TEST_CASE("Without censoring KM quantities equal their empirical closed forms", "[stats][km][scale]") {
  // n = 10^6 distinct times: S after k deaths is (n - k)/n exactly, RMST is mean(min(T, tau)) and its
  // variance sum((x - mean)^2)/n^2, landmark variance S(1 - S)/n. Long products and sums must not drift.
  const std::size_t n = 1'000'000;
  std::mt19937_64 rng(20240611);
  std::vector<double> t(n);
  for (auto& v : t) v = -std::log(uniform01(rng)) / 0.2;
  const std::vector<std::uint8_t> e(n, 1);
  const auto km = mmsim::stats::kaplan_meier(SurvivalSample{t, e});
  REQUIRE(km.time.size() == n);  // continuous draws: no ties
  for (std::size_t k : {std::size_t{0}, n / 3, n / 2, n - 2}) {
    CHECK_THAT(km.surv[k], WithinRel(static_cast<double>(n - k - 1) / static_cast<double>(n), 1e-13));
  }
  const double tau = 6.0;
  long double sum = 0.0L;
  for (double v : t) sum += std::min(v, tau);
  const long double mean = sum / static_cast<long double>(n);
  long double ss = 0.0L;
  for (double v : t) ss += (std::min(v, tau) - mean) * (std::min(v, tau) - mean);
  const auto r = mmsim::stats::restricted_mean(km, tau);
  CHECK_THAT(r.estimate, WithinRel(static_cast<double>(mean), 1e-12));
  CHECK_THAT(r.se, WithinRel(std::sqrt(static_cast<double>(ss)) / static_cast<double>(n), 1e-9));
  const auto lm = mmsim::stats::survival_at(km, 3.0);
  CHECK_THAT(lm.se, WithinRel(std::sqrt(lm.surv * (1 - lm.surv) / static_cast<double>(n)), 1e-9));
}

TEST_CASE("Exponential data: RMST within 4 SE of (1 - exp(-lambda tau)) / lambda", "[stats][km][rmst]") {
  // Exponential(lambda = 0.3) events, independent exponential(0.1) censoring, n = 200000 (fixed seed).
  // True RMST(tau = 4) = (1 - exp(-1.2)) / 0.3; k = 4 standard errors (two-sided 6e-5 under the null).
  const double lambda = 0.3, tau = 4.0;
  const std::size_t n = 200'000;
  std::mt19937_64 rng(7);
  std::vector<double> t(n);
  std::vector<std::uint8_t> e(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double event = -std::log(uniform01(rng)) / lambda;
    const double censor = -std::log(uniform01(rng)) / 0.1;
    t[i] = std::min(event, censor);
    e[i] = event <= censor ? 1 : 0;
  }
  const auto km = mmsim::stats::kaplan_meier(SurvivalSample{t, e});
  const auto r = mmsim::stats::restricted_mean(km, tau);
  const double truth = (1.0 - std::exp(-lambda * tau)) / lambda;
  CHECK(std::fabs(r.estimate - truth) < 4.0 * r.se);
  const auto lm = mmsim::stats::survival_at(km, 2.0);
  CHECK(std::fabs(lm.surv - std::exp(-lambda * 2.0)) < 4.0 * lm.se);
  // Median ln 2 / lambda: within 4 SE-equivalents of the Brookmeyer-Crowley interval.
  const auto med = mmsim::stats::median_survival(km);
  CHECK(std::fabs(med.time - std::log(2.0) / lambda) < 4.0 * med.se_equivalent);
}

TEST_CASE("Greenwood and RMST SEs match the spread over replicate cohorts", "[stats][km][mcse]") {
  // 400 cohorts of 1000 patients: the mean reported SE must match the SD of the estimates. The SD of a
  // sample SD from 400 draws is about 3.5%; the tolerance is 15% (over 4 of those SEs).
  const int reps = 400;
  const std::size_t n = 1000;
  std::mt19937_64 rng(99);
  double sum_est = 0, sum_est2 = 0, sum_se = 0, sum_s = 0, sum_s2 = 0, sum_sse = 0;
  std::vector<double> t(n);
  std::vector<std::uint8_t> e(n);
  for (int rep = 0; rep < reps; ++rep) {
    for (std::size_t i = 0; i < n; ++i) {
      const double event = -std::log(uniform01(rng)) / 0.3;
      const double censor = 8.0 * uniform01(rng);
      t[i] = std::min(event, censor);
      e[i] = event <= censor ? 1 : 0;
    }
    const auto km = mmsim::stats::kaplan_meier(SurvivalSample{t, e});
    const auto r = mmsim::stats::restricted_mean(km, 5.0);
    sum_est += r.estimate;
    sum_est2 += r.estimate * r.estimate;
    sum_se += r.se;
    const auto s = mmsim::stats::survival_at(km, 3.0);
    sum_s += s.surv;
    sum_s2 += s.surv * s.surv;
    sum_sse += s.se;
  }
  const double sd_est = std::sqrt((sum_est2 - sum_est * sum_est / reps) / (reps - 1));
  const double sd_s = std::sqrt((sum_s2 - sum_s * sum_s / reps) / (reps - 1));
  CHECK_THAT(sum_se / reps, WithinRel(sd_est, 0.15));
  CHECK_THAT(sum_sse / reps, WithinRel(sd_s, 0.15));
}

TEST_CASE("NaN times are left out and bad input is rejected", "[stats][km][input]") {
  const std::vector<double> t = {1, kNaN, 2, 3, kNaN};
  const std::vector<std::uint8_t> e = {1, 1, 0, 1, 0};
  const auto km = mmsim::stats::kaplan_meier(SurvivalSample{t, e});
  CHECK(km.n == 3);
  CHECK(km.n_excluded == 2);
  CHECK(km.n_risk.front() == 3);

  const std::vector<double> bad_t = {1, -1};
  const std::vector<std::uint8_t> two = {1, 1};
  CHECK_THROWS_AS(mmsim::stats::kaplan_meier(SurvivalSample{bad_t, two}), mmsim::InputError);
  const std::vector<double> inf_t = {1, std::numeric_limits<double>::infinity()};
  CHECK_THROWS_AS(mmsim::stats::kaplan_meier(SurvivalSample{inf_t, two}), mmsim::InputError);
  const std::vector<std::uint8_t> code2 = {1, 2};
  const std::vector<double> ok_t = {1, 2};
  CHECK_THROWS_AS(mmsim::stats::kaplan_meier(SurvivalSample{ok_t, code2}), mmsim::InputError);
  const std::vector<std::uint8_t> short_e = {1};
  CHECK_THROWS_AS(mmsim::stats::kaplan_meier(SurvivalSample{ok_t, short_e}), mmsim::InputError);
  const auto km_ok = mmsim::stats::kaplan_meier(SurvivalSample{ok_t, two});
  CHECK_THROWS_AS(mmsim::stats::restricted_mean(km_ok, -1.0), mmsim::InputError);
  CHECK_THROWS_AS(mmsim::stats::survival_quantile(km_ok, 1.5), mmsim::InputError);
  CHECK_THROWS_AS(mmsim::stats::kaplan_meier(SurvivalSample{ok_t, two}, 1.0), mmsim::InputError);

  // An empty cohort gives NaN summaries rather than failing.
  const auto empty = mmsim::stats::kaplan_meier(SurvivalSample{});
  CHECK(empty.n == 0);
  CHECK(std::isnan(mmsim::stats::restricted_mean(empty, 1.0).estimate));
  CHECK(std::isnan(mmsim::stats::median_survival(empty).time));
  CHECK(std::isnan(mmsim::stats::survival_at(empty, 1.0).surv));
}

// The curve validates its sample while copying it (one pass): the error must be validate_sample's, naming the
// first invalid patient, from both entry points, and an invalid sample's error comes before an invalid
// level's.
TEST_CASE("kaplan_meier reports an invalid sample with validate_sample's message") {
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<std::vector<double>> times = {
      {1, mmsim::kNaN, -1, 2, -3}, {1, inf, 2, 3, 4}, {1, 2, 3, 4, 5}, {-0.0, 1, 2, 3, 4}};
  const std::vector<std::vector<std::uint8_t>> events = {{1, 0, 1, 1, 1}, {1, 1, 1, 1, 1}, {1, 0, 2, 3, 1}};
  const std::vector<std::uint8_t> short_events = {1, 1};
  const auto message = [](const auto& call) -> std::string {
    try {
      call();
    } catch (const mmsim::InputError& e) {
      return e.what();
    }
    return "";
  };
  std::size_t invalid = 0;
  for (const auto& t : times) {
    for (const auto& e : events) {
      const SurvivalSample s{t, e};
      const std::string expected = message([&] { mmsim::stats::validate_sample(s, 1); });
      INFO("expected: " << expected);
      CHECK(message([&] { (void)mmsim::stats::kaplan_meier(s); }) == expected);
      CHECK(message([&] { (void)mmsim::stats::kaplan_meier_with_rows(s); }) == expected);
      if (!expected.empty()) {
        ++invalid;
        CHECK(message([&] { (void)mmsim::stats::kaplan_meier(s, 1.5); }) == expected);
      }
    }
    const SurvivalSample mismatched{t, short_events};
    const std::string expected = message([&] { mmsim::stats::validate_sample(mismatched, 1); });
    CHECK_FALSE(expected.empty());
    CHECK(message([&] { (void)mmsim::stats::kaplan_meier(mismatched); }) == expected);
    CHECK(message([&] { (void)mmsim::stats::kaplan_meier_with_rows(mismatched); }) == expected);
  }
  CHECK(invalid == 8);  // the valid pairs: the last two time vectors with the first two event vectors
}
