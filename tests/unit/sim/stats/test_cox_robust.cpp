// The cluster-robust (sandwich) variance of the Cox log hazard ratio for two arms on the same patients
// (sim/stats/cox_robust.hpp). R's coxph(..., cluster = id) is the reference in the oracle test
// (test_stats_oracle.cpp); here, independent checks of what it must be:
//   * it is the infinitesimal jackknife over patients, so the leave-one-patient-out jackknife variance
//     (n - 1)/n sum (beta_(-i) - mean)^2, computed with the ordinary Cox fit on the data without patient i,
//     agrees with it to O(1/n): within 5% at n = 400 (0.9% when written);
//   * identical arms: HR 1 and robust SE 0 (the naive SE is not 0);
//   * the point estimate and naive SE are the ordinary fit's, bit for bit;
//   * arms of different lengths are refused.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "sim/core/errors.hpp"
#include "sim/core/numeric.hpp"
#include "sim/stats/cox.hpp"
#include "sim/stats/cox_robust.hpp"

namespace {

using mmsim::stats::SurvivalSample;

double uniform01(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53 + 0x1.0p-54;
}

// Two arms on the same patients: one uniform drives both event times (correlated), ties on a 1/4 grid.
struct PairedArms {
  std::vector<double> t_ref, t_trt;
  std::vector<std::uint8_t> e_ref, e_trt;
};
PairedArms paired_arms(int n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  PairedArms a;
  for (int i = 0; i < n; ++i) {
    const double base = -std::log(uniform01(rng)) / 0.08;
    const double trt = base / 0.75 * (0.7 + 0.6 * uniform01(rng));
    const double cens = 30.0 * uniform01(rng);
    auto grid = [](double x) { return std::ceil(x * 4.0) / 4.0; };
    a.t_ref.push_back(grid(std::min(base, cens)));
    a.e_ref.push_back(base <= cens ? 1 : 0);
    a.t_trt.push_back(i % 53 == 7 ? mmsim::kNaN : grid(std::min(trt, cens)));
    a.e_trt.push_back(trt <= cens ? 1 : 0);
  }
  return a;
}

// The ordinary Cox log HR of the arms stacked, patients flagged in `drop` left out of both.
double stacked_log_hr(const PairedArms& a, std::size_t drop) {
  std::vector<double> t;
  std::vector<std::uint8_t> e;
  std::vector<std::uint32_t> g;
  for (std::size_t i = 0; i < a.t_ref.size(); ++i) {
    if (i == drop) continue;
    t.push_back(a.t_ref[i]);
    e.push_back(a.e_ref[i]);
    g.push_back(0);
    t.push_back(a.t_trt[i]);
    e.push_back(a.e_trt[i]);
    g.push_back(1);
  }
  const auto fit = mmsim::stats::cox_hazard_ratio(SurvivalSample{t, e}, g, 1, 0);
  REQUIRE(fit.finite);
  return fit.log_hr;
}

}  // namespace

TEST_CASE("cluster-robust Cox variance is the jackknife over patients to O(1/n)", "[stats][cox]") {
  const int n = 400;
  const PairedArms a = paired_arms(n, 77);
  const auto robust = mmsim::stats::cox_hazard_ratio_clustered(SurvivalSample{a.t_trt, a.e_trt},
                                                               SurvivalSample{a.t_ref, a.e_ref});
  REQUIRE(robust.fit.finite);
  std::vector<double> leave_one_out;
  double mean = 0.0;
  for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) {
    leave_one_out.push_back(stacked_log_hr(a, i));
    mean += leave_one_out.back() / n;
  }
  double jackknife = 0.0;
  for (const double b : leave_one_out) jackknife += (b - mean) * (b - mean);
  jackknife *= static_cast<double>(n - 1) / n;
  INFO("robust SE " << robust.se_log_hr_robust << ", jackknife SE " << std::sqrt(jackknife) << ", naive SE "
                    << robust.fit.se_log_hr);
  CHECK_THAT(robust.se_log_hr_robust * robust.se_log_hr_robust, Catch::Matchers::WithinRel(jackknife, 0.05));
  // The pairing matters here: the robust SE is well below the naive one.
  CHECK(robust.se_log_hr_robust < 0.7 * robust.fit.se_log_hr);
  CHECK(robust.lower_robust < robust.fit.hr);
  CHECK(robust.upper_robust > robust.fit.hr);
  CHECK_THAT(std::log(robust.upper_robust / robust.lower_robust) / (2 * 1.959963984540054),
             Catch::Matchers::WithinRel(robust.se_log_hr_robust, 1e-9));
}

TEST_CASE("cluster-robust Cox: the estimate is the ordinary fit's, identical arms have SE 0",
          "[stats][cox]") {
  const PairedArms a = paired_arms(300, 5);
  const SurvivalSample trt{a.t_trt, a.e_trt}, ref{a.t_ref, a.e_ref};
  const auto robust = mmsim::stats::cox_hazard_ratio_clustered(trt, ref);
  const auto plain =
      mmsim::stats::cox_hazard_ratio(mmsim::stats::kaplan_meier(trt), mmsim::stats::kaplan_meier(ref));
  CHECK(robust.fit.log_hr == plain.log_hr);
  CHECK(robust.fit.se_log_hr == plain.se_log_hr);

  const auto same = mmsim::stats::cox_hazard_ratio_clustered(ref, ref);
  REQUIRE(same.fit.finite);
  CHECK_THAT(same.fit.log_hr, Catch::Matchers::WithinAbs(0.0, 1e-12));
  CHECK(same.fit.se_log_hr > 0.05);
  CHECK_THAT(same.se_log_hr_robust, Catch::Matchers::WithinAbs(0.0, 1e-9));
}

TEST_CASE("cluster-robust Cox refuses arms of different sizes and has no CI without a finite fit",
          "[stats][cox]") {
  const std::vector<double> t3{1, 2, 3}, t2{1, 2};
  const std::vector<std::uint8_t> e3{1, 1, 0}, e2{1, 0}, none{0, 0, 0};
  CHECK_THROWS_AS(mmsim::stats::cox_hazard_ratio_clustered(SurvivalSample{t3, e3}, SurvivalSample{t2, e2}),
                  mmsim::InputError);
  const auto no_events =
      mmsim::stats::cox_hazard_ratio_clustered(SurvivalSample{t3, none}, SurvivalSample{t3, none});
  CHECK_FALSE(no_events.fit.finite);
  CHECK(std::isnan(no_events.se_log_hr_robust));
  CHECK(std::isnan(no_events.lower_robust));
}
