// The pointwise limits on demand (sim/stats/pointwise_ci.*): a table built with PointwiseCiRows::on_demand
// gives the stored table's limits bit for bit, and limit_quantiles, which computes a limit (or reads S) only
// near its crossings, gives the quantiles of the whole column as the direct transcription of R's findq
// (find_quantiles_reference) reads them, on small and adversarial curves (few patients, ties, censoring at
// the start, S reaching 0, limits that fall and rise, probabilities at a value +- sqrt(eps)) and on large
// ones, where it must also skip almost every row.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include "sim/core/numeric.hpp"
#include "sim/stats/kaplan_meier.hpp"
#include "sim/stats/pointwise_ci.hpp"
#include "sim/stats/stats_detail.hpp"

namespace {

using mmsim::kNaN;
using mmsim::stats::KaplanMeier;
using mmsim::stats::PointwiseCiRows;
using mmsim::stats::SurvivalSample;
using mmsim::stats::detail::Limit;
using mmsim::stats::detail::LimitScanCounts;

constexpr double kTol = 1.4901161193847656e-08;
constexpr double kZ95 = 1.959963984540054;

bool same_bits(double a, double b) {
  if (std::isnan(a) && std::isnan(b)) return true;
  std::uint64_t ua = 0, ub = 0;
  std::memcpy(&ua, &a, sizeof a);
  std::memcpy(&ub, &b, sizeof b);
  return ua == ub;
}

double limit_of(const KaplanMeier& km, double z, Limit which, std::size_t j) {
  if (which == Limit::estimate) return km.surv[j];
  double lower = 0.0, upper = 0.0;
  mmsim::stats::detail::loglog_limits(km.surv[j], km.se_log_surv[j], z, lower, upper);
  return which == Limit::lower ? lower : upper;
}

// The truth: every row's limit, and the findq transcription on x = c(0, time), y = c(0, 1 - limit).
std::vector<double> reference_quantiles(const KaplanMeier& km, double z, Limit which,
                                        const std::vector<double>& probs) {
  std::vector<double> x = {0.0}, y = {0.0};
  for (std::size_t j = 0; j < km.time.size(); ++j) {
    x.push_back(km.time[j]);
    y.push_back(1.0 - limit_of(km, z, which, j));
  }
  return mmsim::stats::detail::find_quantiles_reference(x, y, probs);
}

// Probabilities where the result turns: 0.5, and each limit's 1 - value, +- tol and half of it.
std::vector<double> probes(std::mt19937_64& rng, const KaplanMeier& km, double z, Limit which) {
  std::vector<double> p = {0.5};
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (std::size_t j = 0; j < km.time.size(); ++j) {
    const double y = 1.0 - limit_of(km, z, which, j);
    if (std::isnan(y)) continue;
    for (double d : {0.0, kTol, -kTol, 0.5 * kTol, -0.5 * kTol, 2.0 * kTol, 1e-9, -1e-9}) {
      const double q = y + d;
      if (q >= 0.0 && q <= 1.0 && unit(rng) < 0.2) p.push_back(q);
    }
  }
  p.push_back(unit(rng));
  return p;
}

struct Tally {
  std::size_t cases = 0, lazy = 0, skipping = 0;
};

// limit_quantiles against the truth for each probability alone and for all at once.
void check_curve(std::mt19937_64& rng, const KaplanMeier& km, Tally& tally) {
  const double z = mmsim::stats::detail::normal_critical_value(km.conf_level);
  for (const Limit which : {Limit::lower, Limit::upper, Limit::estimate}) {
    const std::vector<double> probs = probes(rng, km, z, which);
    for (std::size_t q = 0; q <= probs.size(); ++q) {
      const std::vector<double> asked = q < probs.size() ? std::vector<double>{probs[q]} : probs;
      LimitScanCounts counts;
      const auto got = mmsim::stats::detail::limit_quantiles(km, z, which, asked, &counts);
      const auto want = reference_quantiles(km, z, which, asked);
      REQUIRE(got.size() == want.size());
      for (std::size_t k = 0; k < asked.size(); ++k) {
        INFO("m = " << km.time.size() << ", limit " << (which == Limit::lower ? "lower" : "upper")
                    << ", p = " << asked[k] << ", got " << got[k] << ", want " << want[k]);
        CHECK(same_bits(got[k], want[k]));
      }
      ++tally.cases;
      if (!counts.full_scan) ++tally.lazy;
      if (!counts.full_scan && counts.exact_rows < km.time.size()) ++tally.skipping;
    }
  }
}

// A random small sample: few patients, tied times, censoring first or only, everyone failing.
SurvivalSample random_sample(std::mt19937_64& rng, std::vector<double>& time,
                             std::vector<std::uint8_t>& event) {
  std::uniform_int_distribution<int> size(1, 60);
  std::uniform_int_distribution<int> kind(0, 9);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const int n = size(rng);
  const int shape = kind(rng);
  const double censored = shape < 2 ? 0.0 : shape < 4 ? 0.8 : unit(rng) * 0.6;
  time.clear();
  event.clear();
  for (int i = 0; i < n; ++i) {
    double t = std::floor(unit(rng) * (shape == 9 ? 3.0 : 30.0));  // ties; one time shared by all sometimes
    std::uint8_t e = unit(rng) < censored ? 0 : 1;
    if (shape == 5 && i < n / 3) {
      t = 0.0;  // censored at the start
      e = 0;
    }
    time.push_back(t);
    event.push_back(e);
  }
  return {time, event};
}

// A table with made-up S and se columns (the scan reads only time, surv and se_log_surv): S from 1 down with
// plateaus, se that may fall or jump (limits that are not monotone), S reaching 0 or not.
KaplanMeier synthetic_table(std::mt19937_64& rng) {
  std::uniform_int_distribution<int> size(1, 80);
  std::uniform_int_distribution<int> kind(0, 9);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  KaplanMeier km;
  const int m = size(rng);
  km.n = static_cast<std::size_t>(m);
  double s = 1.0, v = 0.0;
  const bool plateau_first = kind(rng) < 3;
  const double wild = kind(rng) < 4 ? 0.0 : kind(rng) < 5 ? 0.02 : 0.2;  // se falls or jumps how often
  for (int j = 0; j < m; ++j) {
    const int k = kind(rng);
    if (!(plateau_first && j < 3) && k >= 2) {
      s *= k < 5 ? 1.0 - 0.3 * unit(rng) : k < 8 ? 1.0 - 1e-6 * unit(rng) : 1.0 - 0.05 * unit(rng);
      const double w = unit(rng);
      v = w < wild / 2 ? v * unit(rng) : v + (w < wild ? unit(rng) : 0.02 * unit(rng));
    }
    if (j == m - 1 && kind(rng) < 2) s = 0.0;
    km.time.push_back(static_cast<double>(j + 1));
    km.surv.push_back(s);
    km.se_log_surv.push_back(s == 0.0 ? mmsim::kInf : v);
  }
  return km;
}

// A large cohort: exponential times with uniform censoring.
SurvivalSample large_sample(std::mt19937_64& rng, std::size_t n, double censored, std::vector<double>& time,
                            std::vector<std::uint8_t>& event) {
  std::exponential_distribution<double> life(1.0 / 20.0);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  time.resize(n);
  event.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = life(rng);
    const double c = unit(rng) < censored ? unit(rng) * 60.0 : 1e9;
    time[i] = std::min(t, c);
    event[i] = t <= c ? 1 : 0;
  }
  return {time, event};
}

}  // namespace

TEST_CASE("a table built on demand gives the stored table's limits and quantiles", "[stats][pointwise_ci]") {
  std::mt19937_64 rng(31);
  std::vector<double> time;
  std::vector<std::uint8_t> event;
  for (int rep = 0; rep < 300; ++rep) {
    const SurvivalSample sample = random_sample(rng, time, event);
    const KaplanMeier stored = mmsim::stats::kaplan_meier(sample, 0.9);
    const KaplanMeier lazy = mmsim::stats::kaplan_meier(sample, 0.9, PointwiseCiRows::on_demand);
    CHECK(lazy.lower.empty());
    CHECK(lazy.upper.empty());
    REQUIRE(lazy.surv == stored.surv);
    const mmsim::stats::PointwiseCi ci(lazy);
    for (std::size_t j = 0; j < stored.time.size(); ++j) {
      CHECK(same_bits(ci(j).lower, stored.lower[j]));
      CHECK(same_bits(ci(j).upper, stored.upper[j]));
    }
    const double probs[] = {0.5, 0.25, 0.75};
    const auto a = mmsim::stats::survival_quantiles(stored, probs);
    const auto b = mmsim::stats::survival_quantiles(lazy, probs);
    for (std::size_t q = 0; q < a.size(); ++q) {
      CHECK(same_bits(a[q].lower, b[q].lower));
      CHECK(same_bits(a[q].upper, b[q].upper));
      CHECK(same_bits(a[q].se_equivalent, b[q].se_equivalent));
    }
  }
}

TEST_CASE("limit_quantiles matches the full column on small samples", "[stats][pointwise_ci]") {
  std::mt19937_64 rng(2026);
  std::vector<double> time;
  std::vector<std::uint8_t> event;
  Tally tally;
  for (int rep = 0; rep < 1500; ++rep) {
    const KaplanMeier km =
        mmsim::stats::kaplan_meier(random_sample(rng, time, event), 0.95, PointwiseCiRows::on_demand);
    if (km.n == 0) continue;
    check_curve(rng, km, tally);
  }
  // The lazy path itself ran, and skipped rows, in most cases (else this test would test the full scan).
  CHECK(tally.lazy > tally.cases / 2);
  CHECK(tally.skipping > tally.cases / 4);
}

TEST_CASE("limit_quantiles matches the full column on adversarial tables", "[stats][pointwise_ci]") {
  std::mt19937_64 rng(404);
  Tally tally;
  for (int rep = 0; rep < 3000; ++rep) check_curve(rng, synthetic_table(rng), tally);
  // Limits that fall and rise send many of these to the full scan; the rest must have taken the lazy path.
  CHECK(tally.lazy > tally.cases / 4);
  CHECK(tally.skipping > tally.cases / 8);
}

TEST_CASE("limit_quantiles on large cohorts computes a few rows and matches the full column",
          "[stats][pointwise_ci]") {
  std::mt19937_64 rng(7);
  std::vector<double> time;
  std::vector<std::uint8_t> event;
  for (const double censored : {0.0, 0.3, 0.9}) {
    const KaplanMeier km = mmsim::stats::kaplan_meier(large_sample(rng, 200000, censored, time, event), 0.95,
                                                      PointwiseCiRows::on_demand);
    const double z = mmsim::stats::detail::normal_critical_value(km.conf_level);
    for (const Limit which : {Limit::lower, Limit::upper, Limit::estimate}) {
      for (const std::vector<double>& probs :
           {std::vector<double>{0.5}, std::vector<double>{0.1, 0.5, 0.9}, std::vector<double>{0.3}}) {
        LimitScanCounts counts;
        const auto got = mmsim::stats::detail::limit_quantiles(km, z, which, probs, &counts);
        const auto want = reference_quantiles(km, z, which, probs);
        for (std::size_t q = 0; q < probs.size(); ++q) CHECK(same_bits(got[q], want[q]));
        INFO("censored " << censored << ": " << counts.exact_rows << " of " << km.time.size() << " rows");
        CHECK_FALSE(counts.full_scan);
        // One probability: the rows near its crossing (and each stretch's ends); several: also the rows
        // between their crossings.
        if (probs.size() == 1) CHECK(counts.exact_rows < 100);
      }
    }
  }
}

TEST_CASE("the computed limits are within the bound limit_quantiles assumes", "[stats][pointwise_ci]") {
  // kLimitError is 1e-9; the analysis in pointwise_ci.cpp gives ~1e-13. Long double is the truth here.
  std::mt19937_64 rng(99);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  double worst = 0.0;
  for (int rep = 0; rep < 200000; ++rep) {
    const double s =
        rep % 2 == 0 ? 1.0 - std::pow(10.0, -16.0 * unit(rng)) : std::pow(10.0, -300.0 * unit(rng));
    const double v = std::pow(10.0, -12.0 + 15.0 * unit(rng));
    const double z = rep % 3 == 0 ? kZ95 : 0.5 + 3.0 * unit(rng);
    if (!(s > 0.0 && s < 1.0)) continue;
    double lower = 0.0, upper = 0.0;
    mmsim::stats::detail::loglog_limits(s, v, z, lower, upper);
    const long double l = -std::log(static_cast<long double>(s));
    const long double shift = static_cast<long double>(z) * static_cast<long double>(v) / l;
    const long double true_lower = std::exp(-std::exp(std::log(l) + shift));
    const long double true_upper = std::exp(-std::exp(std::log(l) - shift));
    worst = std::max({worst, static_cast<double>(std::fabs(lower - true_lower)),
                      static_cast<double>(std::fabs(upper - true_upper))});
  }
  INFO("largest error " << worst);
  CHECK(worst < 1e-12);
}
