// Calibration targets (docs/calibration.md): the objective's weighting, the pass rule, the band term, labels,
// and each statistic computed from named columns.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "sim/calibration/targets.hpp"
#include "sim/core/errors.hpp"

using namespace mmsim;
using namespace mmsim::calibration;

namespace {

Target make(Statistic statistic, double value, double lo = kNaN, double hi = kNaN, double n = kNaN) {
  Target t;
  t.kind.statistic = statistic;
  t.kind.column = statistic == Statistic::rate ? "resp" : "pfs";
  t.value = value;
  t.ci_low = lo;
  t.ci_high = hi;
  t.n = n;
  t.arm.push_back('a');  // (GCC 12 -Wrestrict false positive on assigning a literal)
  return t;
}

}  // namespace

TEST_CASE("published SE: CI width, log scale for HR and medians, binomial from n, 10% fallback") {
  const double z = 1.959963984540054;
  // HR 0.49 (0.38-0.63): SE of log HR.
  CHECK(published_se(make(Statistic::hazard_ratio, 0.49, 0.38, 0.63)) ==
        Approx((std::log(0.63) - std::log(0.38)) / (2 * z)));
  // Landmark with CI: natural scale.
  CHECK(published_se(make(Statistic::survival_at, 0.766, 0.66, 0.843)) == Approx((0.843 - 0.66) / (2 * z)));
  // Rate without CI: binomial; a landmark with n likewise.
  CHECK(published_se(make(Statistic::rate, 0.73, kNaN, kNaN, 128)) == Approx(std::sqrt(0.73 * 0.27 / 128)));
  CHECK(published_se(make(Statistic::survival_at, 0.33, kNaN, kNaN, 97)) ==
        Approx(std::sqrt(0.33 * 0.67 / 97)));
  // A rate of 1 from n patients is kept off the boundary.
  CHECK(published_se(make(Statistic::rate, 1.0, kNaN, kNaN, 50)) == Approx(std::sqrt(0.99 * 0.01 / 50)));
  // Median without CI, with n: exponential approximation on the log scale.
  CHECK(published_se(make(Statistic::median, 35, kNaN, kNaN, 97)) == Approx(1 / std::sqrt(48.5)));
  // Nothing known: 10% (relative on the log scale).
  CHECK(published_se(make(Statistic::median, 4.4)) == Approx(0.1));
  CHECK(published_se(make(Statistic::rate, 0.42)) == Approx(0.042));
}

TEST_CASE("objective terms are squared residuals in published SEs") {
  const Target hr = make(Statistic::hazard_ratio, 0.5, 0.4, 0.625);
  const double se = published_se(hr);
  CHECK(residual(hr, 0.5) == Approx(0.0).margin(1e-12));
  CHECK(residual(hr, 0.5 * std::exp(2 * se)) == Approx(2.0));
  CHECK(objective_term(hr, 0.5 * std::exp(-se)) == Approx(1.0));
  const Target orr = make(Statistic::rate, 0.7, kNaN, kNaN, 100);
  CHECK(objective_term(orr, 0.7 + std::sqrt(0.21 / 100)) == Approx(1.0));
  // A median not reached scores badly but finitely.
  CHECK(objective_term(make(Statistic::median, 12, 10, 14), kNaN) == Approx(103.0 * 103.0));
}

TEST_CASE("a target's weight scales its objective term and residuals, not its pass rule") {
  Target orr = make(Statistic::rate, 0.7, 0.6, 0.8);
  const double sim = 0.9;  // outside the band: residual and band term both non-zero
  const double full = objective_term(orr, sim);
  const auto r_full = target_residuals(orr, {sim, kNaN});
  REQUIRE(full > 1.0);
  orr.weight = 0.25;  // a NOT VERIFIED row: its SE doubled
  CHECK(objective_term(orr, sim) == Approx(0.25 * full));
  const auto r = target_residuals(orr, {sim, kNaN});
  CHECK(r[0] == Approx(0.5 * r_full[0]));
  CHECK(r[1] == Approx(0.5 * r_full[1]));
  CHECK(r[0] * r[0] + r[1] * r[1] == Approx(objective_term(orr, sim)));
  CHECK_FALSE(passes(orr, sim));
  CHECK(passes(orr, 0.75));
}

TEST_CASE("band term: distance outside the acceptance band in published SEs, zero inside") {
  // No CI: the band is +-10%, the SE binomial (CARTITUDE-1's 5-year PFS, n = 97).
  const Target landmark = make(Statistic::survival_at, 0.33, kNaN, kNaN, 97);
  const double se = std::sqrt(0.33 * 0.67 / 97);
  CHECK(band_residual(landmark, 0.36) == 0.0);
  CHECK(band_residual(landmark, 0.30) == 0.0);
  CHECK(band_residual(landmark, 0.40) == Approx((0.40 - 0.363) / se));
  CHECK(band_residual(landmark, 0.25) == Approx((0.25 - 0.297) / se));
  CHECK(objective_term(landmark, 0.40) ==
        Approx(std::pow((0.40 - 0.33) / se, 2) + std::pow((0.40 - 0.363) / se, 2)));
  // With a CI: the band is the CI, on the log scale for an HR.
  const Target hr = make(Statistic::hazard_ratio, 0.29, 0.22, 0.39);
  const double se_log = (std::log(0.39) - std::log(0.22)) / (2 * 1.959963984540054);
  CHECK(band_residual(hr, 0.3) == 0.0);
  CHECK(band_residual(hr, 0.45) == Approx((std::log(0.45) - std::log(0.39)) / se_log));
  // The objective's band term and the pass rule agree on where the band ends.
  for (double v : {0.296, 0.297, 0.2975, 0.363, 0.3635, 0.364})
    CHECK(passes(landmark, v) == (band_residual(landmark, v) == 0.0));
  CHECK(band_residual(landmark, kNaN) == 0.0);
  // The fit's margin narrows the band at both ends (two MC SEs of its own evaluation).
  CHECK(band_residual(landmark, 0.36, 0.01) == Approx((0.36 - 0.353) / se));
  CHECK(band_residual(landmark, 0.30, 0.01) == Approx((0.30 - 0.307) / se));
  CHECK(target_residuals(landmark, Simulated{0.36, 0.005})[1] == Approx((0.36 - 0.353) / se));
  CHECK(band_residual(landmark, 0.34, 1.0) == Approx((0.34 - 0.33) / se));  // collapses to the midpoint
}

TEST_CASE("pass rule: inside the CI where given, else within 10% relative") {
  const Target with_ci = make(Statistic::median, 8.8, 5.6, 11.6);
  CHECK(passes(with_ci, 5.7));
  CHECK(passes(with_ci, 11.6));
  CHECK_FALSE(passes(with_ci, 5.5));
  const Target no_ci = make(Statistic::rate, 0.73);
  CHECK(passes(no_ci, 0.66));
  CHECK(passes(no_ci, 0.80));
  CHECK_FALSE(passes(no_ci, 0.65));
  CHECK_FALSE(passes(no_ci, kNaN));
}

TEST_CASE("labels fill the kind's template") {
  Target t = make(Statistic::survival_at, 0.5);
  t.kind.label = "PFS at {time} mo ({arm})";
  t.time = 12.0;
  CHECK(t.label() == "PFS at 12 mo (a)");
  t.time = 2.5;
  CHECK(t.label() == "PFS at 2.5 mo (a)");
  Target hr = make(Statistic::hazard_ratio, 0.5);
  hr.kind.label = "HR {arm} : {reference} {unknown}";
  hr.reference = "ref";
  CHECK(hr.label() == "HR a : ref {unknown}");
}

TEST_CASE("rates among a population, survival figures and HR from named columns") {
  const std::vector<double> time{1, 2, 3, 4, std::nan("")};
  const std::vector<std::uint8_t> event{1, 1, 1, 1, 0};
  const std::vector<std::uint8_t> resp{1, 0, 1, 1, 0}, treated{1, 1, 1, 1, 0};
  ArmColumns arm;
  arm.endpoints["pfs"] = SurvivalColumns{time, event};
  arm.outcomes["resp"] = resp;
  arm.outcomes["treated"] = treated;
  Target orr = make(Statistic::rate, 0.7);
  CHECK(simulate_target(orr, arm, nullptr).value == Approx(0.6));  // ITT: 3 of 5
  CHECK(simulate_target(orr, arm, nullptr).se == Approx(std::sqrt(0.6 * 0.4 / 5)));
  orr.denominator = "treated";
  CHECK(simulate_target(orr, arm, nullptr).value == Approx(0.75));  // 3 of 4 treated
  // The population's own column as a rate is taken among everyone (a population cannot define its rate).
  Target share = make(Statistic::rate, 0.9);
  share.kind.column = "treated";
  share.denominator = "treated";
  CHECK(simulate_target(share, arm, nullptr).value == Approx(0.8));
  // S = 0.5 exactly on [2, 3): the midpoint, as R.
  CHECK(simulate_target(make(Statistic::median, 2), arm, nullptr).value == Approx(2.5));
  Target land = make(Statistic::survival_at, 0.5);
  land.time = 2.5;
  CHECK(simulate_target(land, arm, nullptr).value == Approx(0.5));
  // The share with the event by the landmark (early progression): 1 - S(t), with S(t)'s SE.
  Target early = make(Statistic::failure_at, 0.5);
  early.time = 1.5;
  // 1 of the 4 with a time by 1.5 months (the fifth has none: not analysed).
  CHECK(simulate_target(early, arm, nullptr).value == Approx(0.25));
  CHECK(simulate_target(early, arm, nullptr).se == Approx(std::sqrt(0.25 * 0.75 / 4)));
  CHECK(published_se(make(Statistic::failure_at, 0.2, kNaN, kNaN, 100)) == Approx(0.04));  // a proportion
  // A median or landmark among a population: only the patients its column admits (here the responders,
  // times 1, 3, 4: S = 2/3 on [1, 3), 1/3 on [3, 4)).
  Target among = make(Statistic::survival_at, 0.5);
  among.time = 2.5;
  among.denominator = "resp";
  CHECK(simulate_target(among, arm, nullptr).value == Approx(2.0 / 3.0));
  Target median_among = make(Statistic::median, 3);
  median_among.denominator = "resp";
  CHECK(simulate_target(median_among, arm, nullptr).value == Approx(3.0));
  // HR of an arm against itself is 1.
  Target hr = make(Statistic::hazard_ratio, 0.5);
  hr.reference.push_back('a');
  CHECK(simulate_target(hr, arm, &arm).value == Approx(1.0));
  CHECK_THROWS_AS(simulate_target(hr, arm, nullptr), InputError);
  // A column the run does not have is an error naming it.
  Target missing = make(Statistic::rate, 0.8);
  missing.kind.column = "crs";
  CHECK_THROWS_WITH(simulate_target(missing, arm, nullptr), Catch::Contains("no outcome column crs"));
  Target os = make(Statistic::median, 10);
  os.kind.column = "os";
  CHECK_THROWS_WITH(simulate_target(os, arm, nullptr), Catch::Contains("no endpoint os"));
}

TEST_CASE("a median not reached is compared as the interval beyond the curve's last time") {
  // S stays above 0.5: 2 events among 6 patients, the last time 8 months.
  const std::vector<double> time{1, 2, 5, 6, 7, 8};
  const std::vector<std::uint8_t> event{1, 1, 0, 0, 0, 0};
  ArmColumns arm;
  arm.endpoints["pfs"] = SurvivalColumns{time, event};
  const Target median = make(Statistic::median, 7, 6, 10);
  const Simulated sim = simulate_target(median, arm, nullptr);
  CHECK(std::isnan(sim.value));
  CHECK(sim.beyond == 8.0);
  // Follow-up past the published median: compared through its nearest point, 8 (inside the band [6, 10]).
  CHECK(compared_value(median, sim) == 8.0);
  CHECK(passes(median, sim));
  CHECK(residual(median, compared_value(median, sim)) == Approx(std::log(8.0 / 7.0) / published_se(median)));
  CHECK(objective_term(median, sim) == Approx(objective_term(median, 8.0)));
  // Beyond the band's upper end: fails, with the band term of that end.
  const Target narrow = make(Statistic::median, 7, 6, 7.5);
  CHECK_FALSE(passes(narrow, sim));
  CHECK(target_residuals(narrow, sim)[1] == Approx(std::log(8.0 / 7.5) / published_se(narrow)));
  // Follow-up shorter than the published median: nothing to compare; scored and failed as not reached.
  const Target later = make(Statistic::median, 12, 9, 16);
  CHECK(std::isnan(compared_value(later, sim)));
  CHECK_FALSE(passes(later, sim));
  CHECK(objective_term(later, sim) == Approx(103.0 * 103.0));
  // Only medians are censored values: a landmark's NaN stays NaN.
  Simulated landmark{kNaN, kNaN, 8.0};
  CHECK(std::isnan(compared_value(make(Statistic::survival_at, 0.5), landmark)));
}

TEST_CASE("subgroups by a count of 0/1 columns: rates, medians and an HR between two subgroups of one arm") {
  // Patients 0-3 have the factor (times 1, 2, 4, 6), 4-7 not (times 3, 5, 7, 8); `other` marks 0, 1, 4 (the
  // count of {factor, other} is 2 for 0 and 1, 1 for 2, 3 and 4, 0 for 5-7).
  const std::vector<double> time{1, 2, 4, 6, 3, 5, 7, 8};
  const std::vector<std::uint8_t> event(8, 1);
  const std::vector<std::uint8_t> factor{1, 1, 1, 1, 0, 0, 0, 0}, other{1, 1, 0, 0, 1, 0, 0, 0},
      resp{1, 0, 0, 0, 1, 1, 1, 0};
  ArmColumns arm;
  arm.endpoints["pfs"] = SurvivalColumns{time, event};
  arm.outcomes["factor"] = factor;
  arm.outcomes["other"] = other;
  arm.outcomes["resp"] = resp;
  Subgroup two;
  two.columns = {"factor", "other"};
  two.at_least = 2;
  Subgroup none = two;
  none.at_least = 0;
  none.at_most = 0;
  Target orr = make(Statistic::rate, 0.5);
  orr.subgroup = two;
  CHECK(simulate_target(orr, arm, nullptr).value == Approx(0.5));  // patients 0, 1: one responder
  orr.subgroup = none;
  CHECK(simulate_target(orr, arm, nullptr).value == Approx(2.0 / 3.0));  // patients 5-7: two responders
  Target median = make(Statistic::median, 6);
  median.subgroup = none;
  CHECK(simulate_target(median, arm, nullptr).value == Approx(7.0));  // times 5, 7, 8
  // The HR between two subgroups of one arm is the HR between two arms holding those patients.
  Subgroup with, without;
  with.columns = without.columns = {"factor"};
  with.at_least = 1;
  without.at_most = 0;
  Target hr = make(Statistic::hazard_ratio, 2.0);
  hr.reference.push_back('a');
  hr.subgroup = with;
  hr.reference_subgroup = without;
  const std::vector<double> t_with{1, 2, 4, 6}, t_without{3, 5, 7, 8};
  const std::vector<std::uint8_t> e4(4, 1);
  ArmColumns arm_with, arm_without;
  arm_with.endpoints["pfs"] = SurvivalColumns{t_with, e4};
  arm_without.endpoints["pfs"] = SurvivalColumns{t_without, e4};
  Target two_arms = make(Statistic::hazard_ratio, 2.0);
  two_arms.reference = "b";
  const double expected = simulate_target(two_arms, arm_with, &arm_without).value;
  REQUIRE(expected > 1.0);
  CHECK(simulate_target(hr, arm, &arm).value == Approx(expected));
  // A subgroup column the run does not have is an error naming it.
  Target missing = make(Statistic::rate, 0.5);
  missing.subgroup.columns = {"pcl"};
  missing.subgroup.at_least = 1;
  CHECK_THROWS_WITH(simulate_target(missing, arm, nullptr), Catch::Contains("no outcome column pcl"));
}

TEST_CASE("a rate of a categorical column counts the kind's codes, only where the endpoint's event is seen") {
  // Death causes 0 none, 1 background, 2 myeloma, 3 treatment; the OS event marks deaths by the cut.
  const std::vector<std::uint8_t> cause{0, 1, 2, 3, 3, 1}, os_event{0, 1, 1, 1, 0, 1};
  const std::vector<double> os_time{9, 3, 4, 2, 9, 5};
  ArmColumns arm;
  arm.endpoints["os"] = SurvivalColumns{os_time, os_event};
  arm.outcomes["death_cause"] = cause;
  Target ae = make(Statistic::rate, 0.2);
  ae.kind.column = "death_cause";
  ae.kind.codes = {3, 1};                                               // treatment and background
  CHECK(simulate_target(ae, arm, nullptr).value == Approx(4.0 / 6.0));  // every death of those causes
  ae.kind.observed_on = "os";
  CHECK(simulate_target(ae, arm, nullptr).value == Approx(3.0 / 6.0));  // patient 4 died after the cut
  ae.kind.codes = {3};
  CHECK(simulate_target(ae, arm, nullptr).value == Approx(1.0 / 6.0));
  ae.kind.observed_on = "pfs";
  CHECK_THROWS_WITH(simulate_target(ae, arm, nullptr), Catch::Contains("no endpoint pfs"));
}

TEST_CASE("labels name the subgroups") {
  Target t = make(Statistic::median, 3.2);
  t.kind.label = "median PFS ({arm})";
  t.subgroup.columns = {"emd", "pcl"};
  t.subgroup.at_least = 2;
  CHECK(t.label() == "median PFS (a) [>= 2 of emd, pcl]");
  t.subgroup.at_least = 0;
  t.subgroup.at_most = 0;
  CHECK(t.label() == "median PFS (a) [none of emd, pcl]");
  t.subgroup.label = "no factor";
  CHECK(t.label() == "median PFS (a) [no factor]");
  Target hr = make(Statistic::hazard_ratio, 1.5);
  hr.kind.label = "HR {subgroup} : {reference_subgroup} ({arm})";
  hr.subgroup.columns = hr.reference_subgroup.columns = {"emd"};
  hr.subgroup.at_least = 1;
  hr.reference_subgroup.at_most = 0;
  CHECK(hr.label() == "HR emd = 1 : emd = 0 (a)");
  hr.kind.label = "HR ({arm})";
  CHECK(hr.label() == "HR (a) [emd = 1 : emd = 0]");
}
