// Rates among an outcome's denominator (OutputSchema::outcome_denominators) in compute_report, against values
// worked out from their definitions on a hand-made cohort: the conditional rate and its binomial SE, and the
// paired difference of two arms' conditional rates, whose SE is recomputed here from the ratio estimator's
// influence values d_i (y_i - r) / m written out directly. A second check against the spread over seeds:
// 400 cohorts of 400 patients, the SD of 400 differences has a relative SE of 1/sqrt(2*399) = 3.5%; the mean
// paired SE must match it within 15% (~4 of those SEs).
#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "sim/report/report.hpp"

namespace {

using mmsim::report::ColumnSource;

// Two strategies' outcome columns held in memory; no endpoints.
class Columns final : public ColumnSource {
 public:
  std::vector<std::vector<std::uint8_t>> resp, started;  // per strategy
  void endpoint(std::size_t, const std::string&, std::vector<double>&,
                std::vector<std::uint8_t>&) const override {}
  std::vector<std::uint8_t> outcome(std::size_t s, const std::string& name) const override {
    return name == "resp" ? resp.at(s) : started.at(s);
  }
};

mmsim::report::Report report_of(const Columns& c) {
  mmsim::report::ReportOptions opt;
  opt.outcome_denominators = {"started"};
  return mmsim::report::compute_report(c, {"a", "b"}, {}, {"resp"}, 12.0, opt);
}

}  // namespace

TEST_CASE("rates among a denominator: values from their definitions", "[report][denominator]") {
  Columns c;
  // Strategy a: 6 of 10 started, 4 of them responded (and one who did not start is marked 0).
  c.resp = {{1, 1, 0, 1, 1, 0, 0, 0, 0, 0}, {1, 0, 0, 1, 1, 1, 0, 0, 1, 0}};
  c.started = {{1, 1, 1, 1, 1, 1, 0, 0, 0, 0}, {1, 1, 0, 1, 1, 1, 1, 0, 1, 0}};
  const auto r = report_of(c);
  REQUIRE(r.strategies.size() == 2);
  const auto& pa = r.strategies[0].proportions.at(0);
  const auto& pb = r.strategies[1].proportions.at(0);
  CHECK(pa.rate == Approx(0.4));
  CHECK(pa.denominator_n == 6);
  CHECK(pa.denominator_rate == Approx(4.0 / 6.0));
  CHECK(pa.denominator_se == Approx(std::sqrt((4.0 / 6.0) * (2.0 / 6.0) / 6.0)));
  CHECK(pb.denominator_n == 7);
  CHECK(pb.denominator_rate == Approx(5.0 / 7.0));
  // b minus a (a is the reference).
  REQUIRE(r.proportion_comparisons.size() == 1);
  const auto& d = r.proportion_comparisons[0];
  CHECK(d.denominator_diff == Approx(5.0 / 7.0 - 4.0 / 6.0));
  double ss = 0.0, ssa = 0.0, ssb = 0.0;
  for (std::size_t i = 0; i < 10; ++i) {
    const double ia = c.started[0][i] ? (c.resp[0][i] - 4.0 / 6.0) / 6.0 : 0.0;
    const double ib = c.started[1][i] ? (c.resp[1][i] - 5.0 / 7.0) / 7.0 : 0.0;
    ss += (ib - ia) * (ib - ia);
    ssa += ia * ia;
    ssb += ib * ib;
  }
  CHECK(d.denominator_diff_se == Approx(std::sqrt(ss)));
  CHECK(d.denominator_diff_se_unpaired == Approx(std::sqrt(ssa + ssb)));
  CHECK(d.denominator_diff_ci_low == Approx(d.denominator_diff - 1.959963984540054 * std::sqrt(ss)));
}

TEST_CASE("rates among a denominator: none named, or an empty denominator", "[report][denominator]") {
  Columns c;
  c.resp = {{1, 0}, {0, 0}};
  c.started = {{0, 0}, {1, 1}};
  mmsim::report::ReportOptions opt;
  const auto plain = mmsim::report::compute_report(c, {"a", "b"}, {}, {"resp"}, 12.0, opt);
  CHECK(plain.strategies[0].proportions[0].denominator_n == 0);
  CHECK(std::isnan(plain.strategies[0].proportions[0].denominator_rate));
  CHECK(std::isnan(plain.proportion_comparisons[0].denominator_diff));
  const auto r = report_of(c);
  CHECK(r.strategies[0].proportions[0].denominator_n == 0);  // nobody started under a
  CHECK(std::isnan(r.strategies[0].proportions[0].denominator_rate));
  CHECK(r.strategies[1].proportions[0].denominator_rate == 0.0);
  CHECK(std::isnan(r.proportion_comparisons[0].denominator_diff_se));
}

TEST_CASE("paired SE of a difference among denominators matches the spread over seeds",
          "[report][denominator]") {
  // Each patient has a frailty shared by both arms (common random numbers): starting the line and
  // responding are correlated across arms, and arm b starts more often than a.
  std::mt19937_64 rng(99);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const int cohorts = 400, n = 400;
  double sum = 0, sum2 = 0, sum_se = 0;
  for (int k = 0; k < cohorts; ++k) {
    Columns c;
    c.resp.assign(2, std::vector<std::uint8_t>(n));
    c.started.assign(2, std::vector<std::uint8_t>(n));
    for (int i = 0; i < n; ++i) {
      const double frail = u(rng), start = u(rng), respond = u(rng);
      c.started[0][i] = start < 0.4 + 0.3 * frail;
      c.started[1][i] = start < 0.5 + 0.3 * frail;
      c.resp[0][i] = c.started[0][i] && respond < 0.3 + 0.4 * frail;
      c.resp[1][i] = c.started[1][i] && respond < 0.4 + 0.4 * frail;
    }
    const auto r = report_of(c);  // kept: a reference into the temporary's member would dangle
    const auto& d = r.proportion_comparisons.at(0);
    sum += d.denominator_diff;
    sum2 += d.denominator_diff * d.denominator_diff;
    sum_se += d.denominator_diff_se;
  }
  const double sd = std::sqrt((sum2 - sum * sum / cohorts) / (cohorts - 1));
  INFO("empirical SD " << sd << ", mean paired SE " << sum_se / cohorts);
  CHECK(std::abs(sum_se / cohorts - sd) < 0.15 * sd);
}
