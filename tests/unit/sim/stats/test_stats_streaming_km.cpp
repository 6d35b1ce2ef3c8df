// The Kaplan-Meier summaries streamed from a curve's rows (streaming_km.hpp) against the in-memory path
// (kaplan_meier_with_rows + survival_at, median_survival, restricted_mean): bit for bit, on samples with and
// without ties, NaN times, heavy censoring, curves that reach 0, horizons inside and past follow-up,
// landmarks beyond follow-up, and curves long enough to span several of the RMST's 4096-row checkpoint
// blocks.
#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "sim/core/numeric.hpp"
#include "sim/stats/kaplan_meier.hpp"
#include "sim/stats/streaming_km.hpp"

namespace {

using mmsim::stats::KaplanMeier;
using mmsim::stats::KmTimeCount;

// Replays a curve's rows from its table (the disk path's merge of sorted runs is tested in
// test_report_spill).
mmsim::stats::KmRowReplay replay_of(const KaplanMeier& km) {
  return [&km](bool backward, const std::function<void(const KmTimeCount&)>& f) {
    const std::size_t m = km.time.size();
    for (std::size_t k = 0; k < m; ++k) {
      const std::size_t j = backward ? m - 1 - k : k;
      f({km.time[j], km.n_event[j], km.n_censor(j)});
    }
  };
}

bool same(double a, double b) {
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

void check_same(const std::vector<double>& time, const std::vector<std::uint8_t>& event,
                const std::vector<double>& landmarks, double tau) {
  const auto fit = mmsim::stats::kaplan_meier_with_rows({time, event});
  const KaplanMeier& km = fit.km;
  const auto s = mmsim::stats::streamed_summary(replay_of(km), km.n, landmarks, tau, 0.95);
  REQUIRE(s.n == km.n);
  std::uint64_t events = 0;
  for (auto d : km.n_event) events += static_cast<std::uint64_t>(d);
  CHECK(s.events == events);
  if (km.n == 0) return;
  for (std::size_t l = 0; l < landmarks.size(); ++l) {
    const auto a = mmsim::stats::survival_at(km, landmarks[l]);
    const auto& b = s.landmarks[l];
    INFO("landmark " << landmarks[l]);
    CHECK(a.beyond_follow_up == b.beyond_follow_up);
    CHECK(same(a.surv, b.surv));
    CHECK(same(a.se, b.se));
    CHECK(same(a.lower, b.lower));
    CHECK(same(a.upper, b.upper));
  }
  const auto med = mmsim::stats::median_survival(km);
  CHECK(same(med.time, s.median.time));
  CHECK(same(med.lower, s.median.lower));
  CHECK(same(med.upper, s.median.upper));
  const auto rm = mmsim::stats::restricted_mean(km, tau);
  CHECK(same(rm.estimate, s.rmst.estimate));
  CHECK(same(rm.se, s.rmst.se));
  CHECK(rm.extrapolated == s.rmst.extrapolated);
}

struct Sample {
  std::vector<double> time;
  std::vector<std::uint8_t> event;
};

// Exponential event times censored at `horizon` and by uniform dropout; `grid` > 0 rounds times to it (ties).
Sample draw(std::size_t n, std::uint64_t seed, double grid, double dropout, double horizon,
            double nan_share) {
  std::mt19937_64 rng(seed);
  std::exponential_distribution<double> ev(0.05);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  Sample s;
  for (std::size_t i = 0; i < n; ++i) {
    if (u(rng) < nan_share) {
      s.time.push_back(mmsim::kNaN);
      s.event.push_back(0);
      continue;
    }
    double t = ev(rng);
    std::uint8_t e = 1;
    if (u(rng) < dropout) {
      t = u(rng) * horizon;
      e = 0;
    }
    if (t >= horizon) {
      t = horizon;
      e = 0;
    }
    if (grid > 0) t = std::round(t / grid) * grid;
    s.time.push_back(t);
    s.event.push_back(e);
  }
  return s;
}

}  // namespace

TEST_CASE("streamed Kaplan-Meier summaries equal the in-memory ones bit for bit", "[stats][streaming]") {
  const std::vector<double> landmarks{0.0, 6.0, 12.0, 24.0, 60.0, 200.0};
  SECTION("continuous times over several checkpoint blocks") {
    const Sample s = draw(20000, 1, 0.0, 0.2, 120.0, 0.01);
    for (const double tau : {120.0, 30.0, 500.0, 0.5}) check_same(s.time, s.event, landmarks, tau);
  }
  SECTION("heavy ties") {
    const Sample s = draw(30000, 2, 1.0, 0.3, 60.0, 0.0);
    check_same(s.time, s.event, landmarks, 60.0);
    check_same(s.time, s.event, landmarks, 24.5);
  }
  SECTION("a curve that reaches zero, and a short one") {
    const Sample s = draw(5000, 3, 0.0, 0.0, 1e9, 0.0);
    check_same(s.time, s.event, landmarks, 120.0);
    check_same({1, 2, 2, 3, 4, 5, 5, 6}, {1, 1, 0, 1, 0, 1, 1, 1}, landmarks, 4.5);
    check_same({3.0}, {0}, landmarks, 10.0);
  }
  SECTION("heavy censoring, where the confidence limits need not be monotone") {
    const Sample s = draw(3000, 4, 0.0, 0.97, 120.0, 0.0);
    check_same(s.time, s.event, landmarks, 120.0);
  }
  SECTION("no patients with a time") {
    check_same({mmsim::kNaN, mmsim::kNaN}, {0, 1}, landmarks, 10.0);
  }
}
