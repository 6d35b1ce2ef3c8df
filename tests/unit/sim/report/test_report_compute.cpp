// The report layer (sim/report): its numbers equal direct calls of the statistics layer on the same columns,
// pairing narrows the SE of differences under common random numbers, the JSON form parses and carries every
// documented key (null where undefined), and a stored report reads back identical.
#include <fmt/format.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "sim/core/numeric.hpp"
#include "sim/io/run_file.hpp"
#include "sim/io/run_layout.hpp"
#include "sim/report/report.hpp"
#include "sim/report/report_h5.hpp"
#include "sim/stats/cox.hpp"
#include "sim/stats/kaplan_meier.hpp"
#include "sim/stats/log_rank.hpp"
#include "sim/stats/monte_carlo.hpp"
#include "sim/stats/paired.hpp"

namespace {

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using mmsim::stats::SurvivalSample;
namespace fs = std::filesystem;

using mmsim::kNaN;

// Two strategies on the same patients: a shared frailty u drives both arms (strong positive correlation);
// strategy 1 slows progression by 1.3. Endpoint "pfs" is censored at 40 months and undefined (NaN) for every
// 50th patient; endpoint "late" is censored at 3 months so its median is never reached and landmarks past 3
// are beyond follow-up. Outcome "resp" is correlated across arms.
struct FakeRun final : mmsim::report::ColumnSource {
  std::size_t n;
  std::vector<std::vector<double>> pfs_t, late_t;
  std::vector<std::vector<std::uint8_t>> pfs_e, late_e, resp;
  explicit FakeRun(std::size_t patients) : n(patients) {
    std::mt19937_64 gen(20261123);
    std::exponential_distribution<double> ex(1.0);
    std::uniform_real_distribution<double> un(0.0, 1.0);
    for (auto* v : {&pfs_t, &late_t}) v->assign(2, std::vector<double>(n));
    for (auto* v : {&pfs_e, &late_e, &resp}) v->assign(2, std::vector<std::uint8_t>(n));
    for (std::size_t i = 0; i < n; ++i) {
      const double u = ex(gen) * 10.0, extra = ex(gen) * 2.0, r = un(gen);
      for (std::size_t s = 0; s < 2; ++s) {
        // Times on a 1/8 grid: ties, as a model with monthly visits produces.
        const double x = std::round((u * (s == 1 ? 1.3 : 1.0) + extra) * 8.0) / 8.0;
        pfs_t[s][i] = i % 50 == 7 ? kNaN : std::min(x, 40.0);
        pfs_e[s][i] = i % 50 == 7 ? 0 : (x <= 40.0 ? 1 : 0);
        late_t[s][i] = std::min(x + 2.5, 3.0);
        late_e[s][i] = x + 2.5 <= 3.0 ? 1 : 0;
        resp[s][i] = r < (s == 1 ? 0.45 : 0.35) ? 1 : 0;
      }
    }
  }
  void endpoint(std::size_t s, const std::string& name, std::vector<double>& time,
                std::vector<std::uint8_t>& event) const override {
    time = name == "pfs" ? pfs_t[s] : late_t[s];
    event = name == "pfs" ? pfs_e[s] : late_e[s];
  }
  std::vector<std::uint8_t> outcome(std::size_t s, const std::string&) const override { return resp[s]; }
  SurvivalSample sample(std::size_t s, const std::string& name) const {
    return name == "pfs" ? SurvivalSample{pfs_t[s], pfs_e[s]} : SurvivalSample{late_t[s], late_e[s]};
  }
};

bool same(double a, double b, double rel = 1e-13) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return std::fabs(a - b) <= rel * std::max(1.0, std::fabs(b));
}

const std::vector<std::string> kStrategies{"standard", "better"};
const std::vector<std::string> kEndpoints{"pfs", "late"};
const std::vector<std::string> kOutcomes{"resp"};

}  // namespace

TEST_CASE("report numbers equal direct statistics-layer calls", "[report]") {
  const FakeRun run(3000);
  mmsim::report::ReportOptions opt;
  opt.landmarks = {6, 12, 24, 60};
  const double tau = 30.0;
  opt.rmst_horizon = tau;
  const auto r = mmsim::report::compute_report(run, kStrategies, kEndpoints, kOutcomes, 120.0, opt);
  REQUIRE(r.strategies.size() == 2);
  REQUIRE(r.comparisons.size() == 2);
  CHECK(r.reference == "standard");
  CHECK(r.patients == 3000);

  for (std::size_t s = 0; s < 2; ++s) {
    for (std::size_t k = 0; k < kEndpoints.size(); ++k) {
      const auto& e = r.strategies[s].endpoints[k];
      const auto km = mmsim::stats::kaplan_meier(run.sample(s, kEndpoints[k]));
      CHECK(e.n == km.n);
      const auto med = mmsim::stats::median_survival(km);
      CHECK(same(e.median, med.time));
      CHECK(same(e.median_ci_low, med.lower));
      CHECK(same(e.median_ci_high, med.upper));
      const auto rm = mmsim::stats::restricted_mean(km, tau);
      CHECK(same(e.rmst, rm.estimate));
      CHECK(same(e.rmst_se, rm.se));
      CHECK(e.rmst_horizon == tau);
      REQUIRE(e.survival.size() == 4);
      for (const auto& l : e.survival) {
        const auto d = mmsim::stats::survival_at(km, l.time);
        CHECK(same(l.surv, d.surv));
        CHECK(same(l.se, d.se));
        CHECK(same(l.ci_low, d.lower));
        CHECK(same(l.ci_high, d.upper));
      }
    }
  }
  CHECK(r.strategies[0].endpoints[0].n == 3000 - 60);  // every 50th patient has pfs undefined

  for (std::size_t k = 0; k < kEndpoints.size(); ++k) {
    const auto& c = r.comparisons[k];
    CHECK(c.strategy == "better");
    CHECK(c.endpoint == kEndpoints[k]);
    // HR and log-rank: the two arms stacked as independent samples, group 1 = strategy.
    std::vector<double> t(run.sample(0, kEndpoints[k]).time.begin(), run.sample(0, kEndpoints[k]).time.end());
    std::vector<std::uint8_t> ev(run.sample(0, kEndpoints[k]).event.begin(),
                                 run.sample(0, kEndpoints[k]).event.end());
    t.insert(t.end(), run.sample(1, kEndpoints[k]).time.begin(), run.sample(1, kEndpoints[k]).time.end());
    ev.insert(ev.end(), run.sample(1, kEndpoints[k]).event.begin(), run.sample(1, kEndpoints[k]).event.end());
    std::vector<std::uint32_t> g(t.size(), 0);
    std::fill(g.begin() + static_cast<long>(run.n), g.end(), 1u);
    const auto cox = mmsim::stats::cox_hazard_ratio(SurvivalSample{t, ev}, g, 1, 0);
    REQUIRE(cox.finite);
    CHECK(same(c.hr, cox.hr, 1e-12));
    CHECK(same(c.hr_ci_low, cox.lower, 1e-12));
    CHECK(same(c.hr_ci_high, cox.upper, 1e-12));
    const auto lr = mmsim::stats::log_rank_test(SurvivalSample{t, ev}, g);
    CHECK(same(c.logrank_chisq, lr.chi_square, 1e-12));
    CHECK(same(c.logrank_p, lr.p_value, 1e-10));
    // Paired RMST and landmark differences.
    const auto d =
        mmsim::stats::compare_rmst_paired(run.sample(1, kEndpoints[k]), run.sample(0, kEndpoints[k]), tau);
    CHECK(same(c.rmst_diff, d.difference));
    CHECK(same(c.rmst_diff_se, d.se_paired, 1e-12));
    CHECK(same(c.rmst_diff_se_unpaired, d.se_unpaired, 1e-12));
    CHECK(same(c.rmst_diff_ci_low, d.lower, 1e-12));
    CHECK(same(c.rmst_diff_ci_high, d.upper, 1e-12));
    CHECK(c.rmst_diff_se < c.rmst_diff_se_unpaired);  // positively correlated arms
    if (k == 0) CHECK(c.rmst_diff_se < 0.5 * c.rmst_diff_se_unpaired);
    REQUIRE(c.survival_diff.size() == 4);
    for (const auto& l : c.survival_diff) {
      const auto km1 = mmsim::stats::kaplan_meier(run.sample(1, kEndpoints[k]));
      if (mmsim::stats::survival_at(km1, l.time).beyond_follow_up) {
        CHECK(std::isnan(l.diff));
        continue;
      }
      const auto sd = mmsim::stats::compare_survival_paired(run.sample(1, kEndpoints[k]),
                                                            run.sample(0, kEndpoints[k]), l.time);
      CHECK(same(l.diff, sd.difference));
      CHECK(same(l.se, sd.se_paired, 1e-12));
      CHECK(same(l.se_unpaired, sd.se_unpaired, 1e-12));
      CHECK(same(l.ci_low, sd.lower, 1e-12));
      if (l.time == 12 && k == 0) CHECK(l.se < 0.7 * l.se_unpaired);
    }
  }
  // Endpoint "late": median not reached, landmarks past 3 months beyond follow-up.
  const auto& late = r.strategies[0].endpoints[1];
  CHECK(std::isnan(late.median));
  CHECK(std::isnan(late.survival[1].surv));
  CHECK(std::isnan(r.comparisons[1].survival_diff[1].diff));

  // Rates and the paired rate difference.
  const auto pd = mmsim::stats::compare_proportions_paired(run.resp[1], run.resp[0]);
  REQUIRE(r.proportion_comparisons.size() == 1);
  CHECK(same(r.strategies[1].proportions[0].rate, pd.estimate_a));
  CHECK(same(r.strategies[1].proportions[0].se, pd.se_a, 1e-12));
  CHECK(same(r.proportion_comparisons[0].diff, pd.difference));
  CHECK(same(r.proportion_comparisons[0].diff_se, pd.se_paired, 1e-12));
  CHECK(r.proportion_comparisons[0].diff_se < r.proportion_comparisons[0].diff_se_unpaired);

  // Another reference: the comparisons flip sign.
  opt.reference = 1;
  const auto flipped = mmsim::report::compute_report(run, kStrategies, {"pfs"}, {}, 120.0, opt);
  REQUIRE(flipped.comparisons.size() == 1);
  CHECK(flipped.comparisons[0].strategy == "standard");
  CHECK(same(flipped.comparisons[0].rmst_diff, -r.comparisons[0].rmst_diff));
  CHECK(same(flipped.comparisons[0].hr, 1.0 / r.comparisons[0].hr, 1e-9));

  // Monte Carlo planning.
  auto planned = r;
  mmsim::report::apply_target_se(planned, 0.01);
  const auto& e0 = planned.strategies[0].endpoints[0];
  REQUIRE(e0.rmst_patients_needed.has_value());
  CHECK(*e0.rmst_patients_needed == mmsim::stats::patients_needed(e0.rmst_se, 3000, 0.01));
  REQUIRE(planned.comparisons[0].rmst_diff_patients_needed.has_value());
  CHECK(*planned.comparisons[0].rmst_diff_patients_needed <
        *planned.comparisons[0].rmst_diff_patients_needed_unpaired);
  CHECK_THROWS(mmsim::report::apply_target_se(planned, 0.0));
}

TEST_CASE("Cox, log-rank and influence values from the curves equal the patient-level computations",
          "[report][stats]") {
  const FakeRun run(1500);
  for (const auto& ep : kEndpoints) {
    const auto a = run.sample(1, ep), b = run.sample(0, ep);
    const auto fa = mmsim::stats::kaplan_meier_with_rows(a);
    const auto fb = mmsim::stats::kaplan_meier_with_rows(b);
    const auto ka = mmsim::stats::kaplan_meier(a);
    CHECK(fa.km.surv == ka.surv);
    CHECK(fa.km.n_risk == ka.n_risk);
    for (std::size_t i = 0; i < a.time.size(); ++i) {
      if (std::isnan(a.time[i])) {
        CHECK(fa.row[i] == mmsim::stats::kNoRow);
      } else {
        CHECK(fa.km.time[fa.row[i]] == a.time[i]);
      }
    }
    CHECK(mmsim::stats::rmst_influence(a, fa, 25.0) == mmsim::stats::rmst_influence(a, ka, 25.0));
    CHECK(mmsim::stats::survival_influence(a, fa, 2.0) == mmsim::stats::survival_influence(a, ka, 2.0));
    std::vector<double> t(b.time.begin(), b.time.end());
    std::vector<std::uint8_t> e(b.event.begin(), b.event.end());
    t.insert(t.end(), a.time.begin(), a.time.end());
    e.insert(e.end(), a.event.begin(), a.event.end());
    std::vector<std::uint32_t> g(t.size(), 0);
    std::fill(g.begin() + static_cast<long>(b.time.size()), g.end(), 1u);
    const auto c1 = mmsim::stats::cox_hazard_ratio(fa.km, fb.km);
    const auto c2 = mmsim::stats::cox_hazard_ratio(SurvivalSample{t, e}, g, 1, 0);
    CHECK(c1.log_hr == c2.log_hr);
    CHECK(c1.se_log_hr == c2.se_log_hr);
    CHECK(c1.loglik == c2.loglik);
    CHECK(c1.n == c2.n);
    CHECK(c1.n_events == c2.n_events);
    const auto l1 = mmsim::stats::log_rank_test(fb.km, fa.km);
    const auto l2 = mmsim::stats::log_rank_test(SurvivalSample{t, e}, g);
    CHECK(l1.chi_square == l2.chi_square);
    CHECK(l1.observed == l2.observed);
    CHECK(l1.expected == l2.expected);
    CHECK(l1.variance == l2.variance);
    CHECK(l1.groups == l2.groups);
    CHECK(l1.n_excluded == l2.n_excluded);
  }
  // An empty group: log-rank has one group and df 0, as with the stacked sample.
  const std::vector<double> none_t{kNaN, kNaN};
  const std::vector<std::uint8_t> none_e{0, 0};
  const auto empty = mmsim::stats::kaplan_meier(SurvivalSample{none_t, none_e});
  const auto some = mmsim::stats::kaplan_meier(run.sample(0, "pfs"));
  const auto l = mmsim::stats::log_rank_test(empty, some);
  CHECK(l.df == 0);
  CHECK(l.groups == std::vector<std::uint32_t>{1});
  CHECK_FALSE(mmsim::stats::cox_hazard_ratio(empty, some).finite);
}

TEST_CASE("report JSON parses, has every documented key, and the stored report reads back", "[report]") {
  const FakeRun run(800);
  mmsim::report::ReportOptions opt;
  auto r = mmsim::report::compute_report(run, kStrategies, kEndpoints, kOutcomes, 40.0, opt);
  const fs::path dir = fs::temp_directory_path() / fmt::format("mmsim_report_test_{}", ::getpid());
  fs::create_directories(dir);
  const fs::path json = dir / "report.json";
  {
    auto planned = r;
    mmsim::report::apply_target_se(planned, 0.05);
    std::ofstream(json) << mmsim::report::format_report(planned, mmsim::report::Format::json);
  }
  const std::string check = R"PY(
import json, sys
r = json.load(open(sys.argv[1]))
top = {"reference", "conf_level", "patients", "target_se", "strategies", "comparisons", "rate_comparisons"}
assert top <= set(r), top - set(r)
ep = {"n", "events", "median", "median_ci_low", "median_ci_high", "rmst", "rmst_se", "rmst_horizon",
      "rmst_patients_needed", "survival"}
lm = {"time", "surv", "se", "ci_low", "ci_high"}
for s in r["strategies"]:
    assert set(s) >= {"name", "endpoints", "rates"}
    for name, e in s["endpoints"].items():
        assert ep <= set(e), ep - set(e)
        assert all(lm <= set(l) for l in e["survival"])
    for o in s["rates"].values():
        assert set(o) >= {"n", "rate", "se"}
cm = {"strategy", "reference", "endpoint", "hr", "hr_ci_low", "hr_ci_high", "logrank_chisq", "logrank_p",
      "rmst_diff", "rmst_diff_se", "rmst_diff_se_unpaired", "rmst_diff_ci_low", "rmst_diff_ci_high",
      "rmst_diff_patients_needed", "rmst_diff_patients_needed_unpaired", "survival_diff"}
for c in r["comparisons"]:
    assert cm <= set(c), cm - set(c)
    for l in c["survival_diff"]:
        assert set(l) >= {"time", "diff", "se", "se_unpaired", "ci_low", "ci_high"}
for c in r["rate_comparisons"]:
    assert set(c) >= {"strategy", "reference", "outcome", "diff", "diff_se", "diff_se_unpaired", "diff_ci_low",
                      "diff_ci_high"}
late = r["strategies"][0]["endpoints"]["late"]
assert late["median"] is None and late["median_ci_high"] is None, late
assert late["survival"][3]["surv"] is None
assert r["comparisons"][1]["survival_diff"][3]["diff"] is None
assert isinstance(r["strategies"][0]["endpoints"]["pfs"]["rmst_patients_needed"], int)
assert r["target_se"] == 0.05
)PY";
  const fs::path script = dir / "check.py";
  std::ofstream(script) << check;
  const std::string cmd = fmt::format("/usr/bin/python3 {} {}", script.string(), json.string());
  CHECK(std::system(cmd.c_str()) == 0);

  // Stored and read back: the same report.
  mmsim::io::RunAttributes attrs;
  attrs.strategy_order = kStrategies;
  namespace layout = mmsim::io::layout;
  attrs.extra = {{layout::kPatients, "800"},
                 {layout::kEndpoints, "pfs,late"},
                 {layout::kOutcomes, "resp"},
                 {layout::kHorizonMonths, "40"}};
  const fs::path h5 = dir / "run.h5";
  {
    mmsim::io::RunFileWriter w(h5, attrs);
    mmsim::report::write_report(w, r, kEndpoints, kOutcomes);
    w.commit();
  }
  const mmsim::io::RunFileReader reader(h5);
  REQUIRE(mmsim::report::has_stored_report(reader));
  const auto back = mmsim::report::read_report(reader);
  for (const auto f :
       {mmsim::report::Format::json, mmsim::report::Format::csv, mmsim::report::Format::table}) {
    CHECK(mmsim::report::format_report(back, f) == mmsim::report::format_report(r, f));
  }
  fs::remove_all(dir);
}
