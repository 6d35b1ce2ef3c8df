// The curve without patients' rows is sorted as packed 64-bit keys and its count columns built in the sort's
// buffers (kaplan_meier.cpp); the curve with rows goes through 16-byte records. Both must give the same table
// bit for bit, and the columns the table derives (n_censor, se_surv) must equal counts and products taken
// independently from the sample.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <random>
#include <vector>

#include "sim/core/errors.hpp"
#include "sim/core/numeric.hpp"
#include "sim/stats/kaplan_meier.hpp"
#include "sim/stats/km_workspace.hpp"
#include "tests/unit/sim/stats/km_test_support.hpp"

namespace {

using mmsim::stats::KaplanMeier;
using mmsim::stats::PointwiseCiRows;
using mmsim::stats::SurvivalSample;

using mmsim::test::check_same;

// Censored patients per distinct time, counted straight from the sample.
std::map<double, std::int64_t> censored_by_time(const std::vector<double>& time,
                                                const std::vector<std::uint8_t>& event) {
  std::map<double, std::int64_t> out;
  for (std::size_t i = 0; i < time.size(); ++i) {
    if (std::isnan(time[i])) continue;
    out[time[i]] += event[i] == 0 ? 1 : 0;
  }
  return out;
}

struct Cohort {
  std::vector<double> time;
  std::vector<std::uint8_t> event;
};

// n patients; `grid` > 0 rounds times to multiples of 1/grid (ties), 0 leaves them continuous.
Cohort cohort(std::size_t n, double grid, double event_share, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::exponential_distribution<double> life(0.1);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  Cohort c{std::vector<double>(n), std::vector<std::uint8_t>(n)};
  for (std::size_t i = 0; i < n; ++i) {
    const double t = life(rng);
    c.time[i] = unit(rng) < 0.03 ? mmsim::kNaN : grid > 0.0 ? std::round(t * grid) / grid : t;
    c.event[i] = unit(rng) < event_share ? 1 : 0;
  }
  return c;
}

}  // namespace

TEST_CASE("the keys' table equals the records' table bit for bit", "[stats][km]") {
  // Sizes on both sides of the radix sort's threshold (4096), continuous and tied times, no events, only
  // events, and one time for everyone.
  struct Case {
    std::size_t n;
    double grid;
    double event_share;
  };
  const std::vector<Case> cases = {{0, 0, 0.5},     {1, 0, 1.0},     {7, 4, 0.5},     {4095, 0, 0.6},
                                   {4096, 2, 0.6},  {20000, 0, 0.7}, {20000, 4, 0.7}, {30000, 0.01, 0.5},
                                   {10000, 0, 0.0}, {10000, 8, 1.0}};
  std::uint64_t seed = 11;
  for (const Case& k : cases) {
    const Cohort c = cohort(k.n, k.grid, k.event_share, ++seed);
    const SurvivalSample sample{c.time, c.event};
    for (const PointwiseCiRows ci : {PointwiseCiRows::every_row, PointwiseCiRows::on_demand}) {
      INFO("n " << k.n << ", grid " << k.grid << ", events " << k.event_share);
      const KaplanMeier keys = mmsim::stats::kaplan_meier(sample, 0.9, ci);
      const KaplanMeier records = mmsim::stats::kaplan_meier_with_rows(sample, 0.9, ci).km;
      check_same(keys, records);
      const auto censored = censored_by_time(c.time, c.event);
      REQUIRE(censored.size() == keys.time.size());
      std::size_t j = 0;
      for (const auto& [t, count] : censored) {
        CHECK(keys.time[j] == t);
        CHECK(keys.n_censor(j) == count);
        CHECK(keys.n_leaving(j) == keys.n_event[j] + count);
        ++j;
      }
    }
  }
  SECTION("one time for everyone") {
    const std::vector<double> time(5000, 3.5);
    std::vector<std::uint8_t> event(5000, 0);
    event[17] = 1;
    const KaplanMeier km = mmsim::stats::kaplan_meier(SurvivalSample{time, event});
    REQUIRE(km.time.size() == 1);
    CHECK(km.n_risk[0] == 5000);
    CHECK(km.n_event[0] == 1);
    CHECK(km.n_censor(0) == 4999);
    check_same(km, mmsim::stats::kaplan_meier_with_rows(SurvivalSample{time, event}).km);
  }
}

TEST_CASE("a time of -0.0 takes the records' path and keeps its sign", "[stats][km]") {
  for (const std::size_t n : {std::size_t{10}, std::size_t{6000}}) {
    Cohort c = cohort(n, 4, 0.5, 3);
    c.time[0] = -0.0;
    c.time[1] = 0.0;
    const SurvivalSample sample{c.time, c.event};
    const KaplanMeier km = mmsim::stats::kaplan_meier(sample);
    check_same(km, mmsim::stats::kaplan_meier_with_rows(sample).km);
    mmsim::stats::KmWorkspace workspace;
    check_same(mmsim::stats::kaplan_meier(sample, 0.95, PointwiseCiRows::every_row, workspace), km);
  }
}

TEST_CASE("the keys' path reports an invalid sample as the records' path does", "[stats][km]") {
  std::vector<double> time = {1.0, -0.0, 2.0, -1.0};
  std::vector<std::uint8_t> event = {1, 0, 2, 1};
  // -0.0 first, then an event code 2 and a negative time: the first invalid patient is named either way.
  CHECK_THROWS_WITH(mmsim::stats::kaplan_meier(SurvivalSample{time, event}),
                    Catch::Contains("patient 2 has event code 2"));
  time[1] = 1.5;
  CHECK_THROWS_WITH(mmsim::stats::kaplan_meier(SurvivalSample{time, event}),
                    Catch::Contains("patient 2 has event code 2"));
  event[2] = 0;
  CHECK_THROWS_WITH(mmsim::stats::kaplan_meier(SurvivalSample{time, event}),
                    Catch::Contains("patient 3 has follow-up time -1"));
  CHECK_THROWS_AS(mmsim::stats::kaplan_meier(SurvivalSample{{time.data(), 3}, event}), mmsim::InputError);
}

TEST_CASE("se_surv is surv times se_log_surv, NaN where S is 0", "[stats][km]") {
  Cohort c = cohort(3000, 2, 0.9, 8);
  c.time.push_back(1000.0);  // the last patient alone at the last time, with an event: S reaches 0
  c.event.push_back(1);
  const KaplanMeier km = mmsim::stats::kaplan_meier(SurvivalSample{c.time, c.event});
  REQUIRE(km.surv.back() == 0.0);
  for (std::size_t j = 0; j < km.time.size(); ++j) {
    const double want = km.surv[j] * km.se_log_surv[j];
    const double got = km.se_surv(j);
    CHECK(std::memcmp(&want, &got, sizeof got) == 0);
  }
  CHECK(std::isnan(km.se_surv(km.time.size() - 1)));
  const double t = km.time[km.time.size() / 3];
  CHECK(mmsim::stats::survival_at(km, t).se == km.se_surv(km.time.size() / 3));
}
