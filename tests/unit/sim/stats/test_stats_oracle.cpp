// R oracle for the statistics layer: datasets made here are written to a temporary directory,
// tests/oracle/survival_oracle.R runs R's survival package on them, and every number is compared.
//   Kaplan-Meier table, Greenwood SE, log-log CI, quantiles and their CIs, landmark survival, RMST and its
//   SE, log-rank chi-square / observed / expected / variance, Aalen-Johansen pstate and std.err: 1e-8
//   relative; Cox log HR, its SE and the log partial likelihoods: 1e-6 relative; for two arms simulated on
//   the same patients, the cluster-robust SE of the log HR (coxph(..., cluster = id)): 1e-6 relative.
// Without Rscript this test FAILS (R is a declared test dependency: r-base-core, r-cran-survival).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "sim/core/numeric.hpp"
#include "sim/stats/cox.hpp"
#include "sim/stats/cox_robust.hpp"
#include "sim/stats/cumulative_incidence.hpp"
#include "sim/stats/kaplan_meier.hpp"
#include "sim/stats/log_rank.hpp"

namespace {

namespace fs = std::filesystem;
using mmsim::stats::SurvivalSample;

using mmsim::kNaN;
constexpr double kClosedFormTol = 1e-8;
constexpr double kCoxTol = 1e-6;

fs::path repo_root() {
#ifdef MMSIM_SOURCE_DIR
  return fs::path(MMSIM_SOURCE_DIR);
#else
  return fs::path(__FILE__).parent_path().parent_path().parent_path();
#endif
}

double uniform01(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53 + 0x1.0p-54;
}

struct Dataset {
  std::string name;
  bool competing = false;
  std::vector<double> time;
  std::vector<std::uint8_t> status;
  std::vector<std::uint32_t> group;
  std::vector<std::uint32_t> id;  // cluster: the patient a row belongs to
  std::vector<double> landmarks;
  std::vector<double> taus;
  std::vector<std::vector<double>> probs;
  bool log_rank = false;
  bool cox = false;
  // Paired arms: rows 0..n-1 are patients 0..n-1 in the reference arm (group 0), rows n..2n-1 the same
  // patients in the treated arm (group 1); the Cox fit is compared with coxph(..., cluster = id).
  bool clustered = false;
  std::uint32_t treated = 1;
  std::uint32_t reference = 0;

  void add(double t, int s, std::uint32_t g = 0) { add(t, s, g, static_cast<std::uint32_t>(time.size())); }
  void add(double t, int s, std::uint32_t g, std::uint32_t patient) {
    time.push_back(t);
    status.push_back(static_cast<std::uint8_t>(s));
    group.push_back(g);
    id.push_back(patient);
  }
  SurvivalSample sample() const { return SurvivalSample{time, status}; }
};

// Times are integers or multiples of 1/8, so their decimal text is exact and R reads the same doubles.
std::string text(double v) {
  return std::isnan(v) ? std::string("NA") : fmt::format("{:.17g}", v);
}

std::vector<Dataset> make_datasets() {
  std::vector<Dataset> all;
  {  // The hand-worked example, two groups, one patient with an undefined endpoint.
    Dataset d;
    d.name = "hand8";
    const double t[] = {1, 2, 2, 3, 4, 5, 5, 6};
    const int e[] = {1, 1, 0, 1, 0, 1, 1, 1};
    for (int i = 0; i < 8; ++i) d.add(t[i], e[i], static_cast<std::uint32_t>(i % 2));
    d.add(kNaN, 1, 0);
    d.landmarks = {0.5, 1, 2.5, 5, 6, 7};
    d.taus = {1, 3.5, 6, 10};  // R refuses tau below the first time (the unit tests cover it)
    d.probs = {{0.25, 0.5, 0.75, 0.9, 1.0}, {0.5}, {0.0, 0.1}};
    d.log_rank = d.cox = true;
    all.push_back(d);
  }
  {  // Heavy ties: integer times 1..10, 70% events, groups of 25 and 35.
    Dataset d;
    d.name = "ties_two_groups";
    std::mt19937_64 rng(101);
    for (int i = 0; i < 60; ++i) {
      d.add(std::ceil(uniform01(rng) * 10.0), uniform01(rng) < 0.7 ? 1 : 0, i < 25 ? 0U : 1U);
    }
    d.landmarks = {0.5, 3, 5.5, 10};
    d.taus = {2, 5.5, 10, 12};
    d.probs = {{0.1, 0.25, 0.5, 0.75, 0.9}};
    d.log_rank = d.cox = true;
    all.push_back(d);
  }
  {  // Heavy censoring (about 90%), three unequal groups, times on a 1/8 grid, a few undefined endpoints.
    Dataset d;
    d.name = "heavy_censoring";
    std::mt19937_64 rng(202);
    for (int i = 0; i < 300; ++i) {
      const std::uint32_t g = i < 30 ? 0U : (i < 120 ? 1U : 2U);
      const double rate = 0.02 * (1.0 + 0.5 * g);
      const double ev = -std::log(uniform01(rng)) / rate;
      const double cens = 10.0 * uniform01(rng);
      const double t = std::ceil(std::min(ev, cens) * 8.0) / 8.0;
      d.add(i % 61 == 7 ? kNaN : t, ev <= cens ? 1 : 0, g);
    }
    d.landmarks = {1, 5, 9.5};
    d.taus = {2, 8, 20};
    d.probs = {{0.05, 0.1, 0.5}};
    d.log_rank = d.cox = true;
    d.treated = 2;
    d.reference = 0;
    all.push_back(d);
  }
  {  // No events at all.
    Dataset d;
    d.name = "no_events";
    for (int i = 1; i <= 12; ++i) d.add(i, 0, static_cast<std::uint32_t>(i % 2));
    d.landmarks = {3, 12};
    d.taus = {5, 15};
    d.probs = {{0.25, 0.5}};
    d.log_rank = true;
    all.push_back(d);
  }
  {  // Every patient has the event, with ties.
    Dataset d;
    d.name = "all_events";
    std::mt19937_64 rng(303);
    for (int i = 0; i < 40; ++i) d.add(std::ceil(uniform01(rng) * 15.0), 1, i < 15 ? 0U : 1U);
    d.landmarks = {2, 7, 14};
    d.taus = {5, 15, 20};
    d.probs = {{0.25, 0.5, 0.75, 1.0}};
    d.log_rank = d.cox = true;
    all.push_back(d);
  }
  {  // A single patient with an event, and one censored.
    Dataset d;
    d.name = "single_event";
    d.add(2.5, 1);
    d.landmarks = {1, 2.5};
    d.taus = {2.5, 4};
    d.probs = {{0.5}};
    all.push_back(d);
    d.name = "single_censored";
    d.status = {0};
    d.landmarks = {1, 2.5};
    all.push_back(d);
  }
  {  // Four groups of very unequal size and hazard.
    Dataset d;
    d.name = "unequal_groups";
    std::mt19937_64 rng(404);
    const int sizes[] = {3, 10, 50, 400};
    for (std::uint32_t g = 0; g < 4; ++g) {
      for (int i = 0; i < sizes[g]; ++i) {
        const double ev = -std::log(uniform01(rng)) / (0.1 * (1.0 + g));
        const double cens = 20.0 * uniform01(rng);
        d.add(std::ceil(std::min(ev, cens) * 4.0) / 4.0, ev <= cens ? 1 : 0, g);
      }
    }
    d.landmarks = {1, 4, 10};
    d.taus = {3, 10};
    d.probs = {{0.25, 0.5, 0.75}};
    d.log_rank = d.cox = true;
    d.treated = 1;
    d.reference = 3;
    all.push_back(d);
  }
  {  // Flat stretches at exactly 1 - p, and a curve that ends flat at exactly 1/2.
    Dataset d;
    d.name = "flat_quantiles";
    const int e[] = {1, 1, 1, 1, 0, 1, 1, 1};
    for (int i = 0; i < 8; ++i) d.add(i + 1, e[i]);
    d.landmarks = {4.5};
    d.taus = {8};
    d.probs = {{0.1, 0.25, 0.5, 0.75, 1.0}};
    all.push_back(d);
    Dataset h;
    h.name = "ends_at_half";
    h.add(1, 1);
    h.add(2, 1);
    h.add(3, 0);
    h.add(4, 0);
    h.landmarks = {3};
    h.taus = {4, 6};
    h.probs = {{0.5}, {0.25, 0.5}, {0.5, 0.75}};
    all.push_back(h);
  }
  {  // A realistic cohort: 5000 patients in days, Weibull events, dropout and administrative censoring,
     // three arms (reference, HR 0.75, HR 1.2), 1% undefined endpoints.
    Dataset d;
    d.name = "realistic_5000";
    std::mt19937_64 rng(20240601);
    const double shape = 1.3, scale = 1500.0;
    const double hr[] = {1.0, 0.75, 1.2};
    for (int i = 0; i < 5000; ++i) {
      const std::uint32_t g = static_cast<std::uint32_t>((i % 5) / 2);
      const double ev = scale * std::pow(-std::log(uniform01(rng)) / hr[g], 1.0 / shape);
      const double drop = -std::log(uniform01(rng)) * 8000.0;
      const double admin = 3650.0 + 1825.0 * uniform01(rng);
      const double cens = std::min(drop, admin);
      const double t = std::ceil(std::min(ev, cens));
      d.add(i % 100 == 42 ? kNaN : t, ev <= cens ? 1 : 0, g);
    }
    d.landmarks = {365, 730, 1825, 3000};
    d.taus = {365, 1825, 3650, 6000};
    d.probs = {{0.1, 0.25, 0.5, 0.75}};
    d.log_rank = d.cox = true;
    all.push_back(d);
  }
  {  // Two arms on the same patients (common random numbers): one uniform per patient drives both arms'
     // event times (HR 0.7), a shared dropout, times on a 1/8 grid (ties within and across arms), a few
     // endpoints undefined in one arm only. Then identical arms (HR 1 exactly, robust SE 0) are left out:
     // R's robust variance there is 0 as well, but its estimate is not exactly 0.
    for (const int n : {40, 3000}) {
      Dataset d;
      d.name = fmt::format("paired_{}", n);
      std::mt19937_64 rng(606 + static_cast<unsigned>(n));
      std::vector<double> t_ref, t_trt;
      std::vector<int> e_ref, e_trt;
      for (int i = 0; i < n; ++i) {
        const double u = uniform01(rng), noise = uniform01(rng);
        const double base = -std::log(u) / 0.05;
        const double ev_ref = base;
        const double ev_trt = base / 0.7 * (0.8 + 0.4 * noise);
        const double cens = 40.0 * uniform01(rng);
        auto grid = [](double x) { return std::ceil(x * 8.0) / 8.0; };
        t_ref.push_back(i % 97 == 5 ? kNaN : grid(std::min(ev_ref, cens)));
        e_ref.push_back(ev_ref <= cens ? 1 : 0);
        t_trt.push_back(i % 89 == 11 ? kNaN : grid(std::min(ev_trt, cens)));
        e_trt.push_back(ev_trt <= cens ? 1 : 0);
      }
      for (int i = 0; i < n; ++i) d.add(t_ref[i], e_ref[i], 0, static_cast<std::uint32_t>(i));
      for (int i = 0; i < n; ++i) d.add(t_trt[i], e_trt[i], 1, static_cast<std::uint32_t>(i));
      d.landmarks = {5};
      d.taus = {10};
      d.probs = {{0.5}};
      d.cox = d.clustered = true;
      all.push_back(d);
    }
  }
  {  // Competing risks, hand-sized and realistic.
    Dataset d;
    d.name = "competing_small";
    d.competing = true;
    const double t[] = {1, 2, 2, 3, 4, 5, 5, 6, 7, 8};
    const int c[] = {1, 2, 0, 1, 0, 2, 1, 1, 0, 2};
    for (int i = 0; i < 10; ++i) d.add(t[i], c[i]);
    all.push_back(d);
    Dataset r;
    r.name = "competing_5000";
    r.competing = true;
    std::mt19937_64 rng(505);
    for (int i = 0; i < 5000; ++i) {
      const double e1 = -std::log(uniform01(rng)) / 0.0004;
      const double e2 = -std::log(uniform01(rng)) / 0.0002;
      const double cens = 3650.0 * uniform01(rng);
      const double tt = std::ceil(std::min({e1, e2, cens}));
      const int cause = cens < std::min(e1, e2) ? 0 : (e1 < e2 ? 1 : 2);
      r.add(i % 250 == 3 ? kNaN : tt, cause);
    }
    all.push_back(r);
  }
  return all;
}

void write_inputs(const fs::path& dir, const std::vector<Dataset>& sets) {
  std::ofstream manifest(dir / "manifest.txt");
  for (const auto& d : sets) {
    manifest << d.name << "\n";
    std::ofstream csv(dir / (d.name + ".csv"));
    csv << "time,status,group,id\n";
    for (std::size_t i = 0; i < d.time.size(); ++i) {
      csv << text(d.time[i]) << "," << static_cast<int>(d.status[i]) << "," << d.group[i] << "," << d.id[i]
          << "\n";
    }
    std::ofstream params(dir / (d.name + ".params"));
    params << "kind " << (d.competing ? "competing" : "survival") << "\n";
    auto line = [&](const char* key, const std::vector<double>& v) {
      params << key;
      for (double x : v) params << " " << text(x);
      params << "\n";
    };
    line("landmarks", d.landmarks);
    line("taus", d.taus);
    for (const auto& p : d.probs) line("probs", p);
    if (d.log_rank) params << "groups 1\n";
    if (d.cox) params << "cox " << d.treated << " " << d.reference << "\n";
    if (d.clustered) params << "cluster 1\n";
  }
}

using Results = std::map<std::string, std::vector<double>>;

Results read_results(const fs::path& path) {
  Results out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ss(line);
    std::string key, word;
    ss >> key;
    auto& v = out[key];
    while (ss >> word) {
      if (word == "NA" || word == "NaN") {
        v.push_back(kNaN);
      } else if (word == "Inf") {
        v.push_back(std::numeric_limits<double>::infinity());
      } else if (word == "-Inf") {
        v.push_back(-std::numeric_limits<double>::infinity());
      } else {
        v.push_back(std::strtod(word.c_str(), nullptr));
      }
    }
  }
  return out;
}

bool agrees(double ours, double r, double rel) {
  if (std::isnan(r) || std::isnan(ours)) return std::isnan(r) && std::isnan(ours);
  if (std::isinf(r) || std::isinf(ours)) return ours == r;
  return std::fabs(ours - r) <= rel * std::max(std::fabs(ours), std::fabs(r)) + 1e-14;
}

// Compares element by element; reports the first disagreement through Catch's INFO.
void compare(const std::string& what, const std::vector<double>& ours, const Results& r,
             const std::string& key, double rel) {
  INFO(what << " vs R's " << key);
  const auto it = r.find(key);
  REQUIRE(it != r.end());
  const auto& theirs = it->second;
  REQUIRE(ours.size() == theirs.size());
  std::size_t bad = 0;
  std::string first;
  for (std::size_t i = 0; i < ours.size(); ++i) {
    if (!agrees(ours[i], theirs[i], rel)) {
      if (bad++ == 0) first = fmt::format("[{}] ours {:.17g} R {:.17g}", i, ours[i], theirs[i]);
    }
  }
  INFO(bad << " disagreements; first " << first);
  CHECK(bad == 0);
}

template <typename T>
std::vector<double> as_double(const std::vector<T>& v) {
  return std::vector<double>(v.begin(), v.end());
}

void check_survival(const Dataset& d, const Results& r) {
  const auto km = mmsim::stats::kaplan_meier(d.sample());
  compare("time", km.time, r, "km_time", 0.0);
  compare("n_risk", as_double(km.n_risk), r, "km_n_risk", 0.0);
  compare("n_event", as_double(km.n_event), r, "km_n_event", 0.0);
  std::vector<double> n_censor;
  for (std::size_t j = 0; j < km.time.size(); ++j) n_censor.push_back(static_cast<double>(km.n_censor(j)));
  compare("n_censor", n_censor, r, "km_n_censor", 0.0);
  compare("surv", km.surv, r, "km_surv", kClosedFormTol);
  compare("se_log_surv", km.se_log_surv, r, "km_std_err", kClosedFormTol);
  compare("lower", km.lower, r, "km_lower", kClosedFormTol);
  compare("upper", km.upper, r, "km_upper", kClosedFormTol);

  for (std::size_t set = 0; set < d.probs.size(); ++set) {
    const auto q = mmsim::stats::survival_quantiles(km, d.probs[set]);
    std::vector<double> est, low, up;
    for (const auto& x : q) {
      est.push_back(x.time);
      low.push_back(x.lower);
      up.push_back(x.upper);
    }
    const std::string k = fmt::format("q{}_", set + 1);
    compare("quantile", est, r, k + "est", kClosedFormTol);
    compare("quantile lower", low, r, k + "lower", kClosedFormTol);
    compare("quantile upper", up, r, k + "upper", kClosedFormTol);
  }

  if (!d.landmarks.empty()) {
    // R's summary(extend = TRUE) carries the curve flat past the last time and reports NaN at S = 0; this
    // layer reports those as not estimable and 0. Both are compared only where they are defined alike.
    std::vector<double> surv, se, low, up, nrisk, rs, rse, rlow, rup, rn;
    const auto& r_surv = r.at("lm_surv");
    for (std::size_t i = 0; i < d.landmarks.size(); ++i) {
      const auto lm = mmsim::stats::survival_at(km, d.landmarks[i]);
      nrisk.push_back(static_cast<double>(lm.n_risk));
      rn.push_back(r.at("lm_n_risk")[i]);
      if (lm.beyond_follow_up) continue;
      surv.push_back(lm.surv);
      rs.push_back(r_surv[i]);
      if (lm.surv > 0.0 && lm.surv < 1.0) {
        se.push_back(lm.se);
        low.push_back(lm.lower);
        up.push_back(lm.upper);
        rse.push_back(r.at("lm_std_err")[i]);
        rlow.push_back(r.at("lm_lower")[i]);
        rup.push_back(r.at("lm_upper")[i]);
      }
    }
    Results picked{{"surv", rs}, {"se", rse}, {"lower", rlow}, {"upper", rup}, {"n_risk", rn}};
    compare("landmark surv", surv, picked, "surv", kClosedFormTol);
    compare("landmark se", se, picked, "se", kClosedFormTol);
    compare("landmark lower", low, picked, "lower", kClosedFormTol);
    compare("landmark upper", up, picked, "upper", kClosedFormTol);
    compare("landmark n_risk", nrisk, picked, "n_risk", 0.0);
  }

  for (std::size_t i = 0; i < d.taus.size(); ++i) {
    const auto rm = mmsim::stats::restricted_mean(km, d.taus[i]);
    compare(fmt::format("rmst tau={}", d.taus[i]), {rm.estimate, rm.se}, r, fmt::format("rmean_{}", i + 1),
            kClosedFormTol);
  }

  if (d.log_rank) {
    const auto lr = mmsim::stats::log_rank_test(d.sample(), d.group);
    compare("log-rank chi-square", {lr.chi_square}, r, "lr_chisq", kClosedFormTol);
    compare("log-rank df", {static_cast<double>(lr.df)}, r, "lr_df", 0.0);
    compare("log-rank observed", lr.observed, r, "lr_observed", kClosedFormTol);
    compare("log-rank expected", lr.expected, r, "lr_expected", kClosedFormTol);
    compare("log-rank variance", lr.variance, r, "lr_variance", kClosedFormTol);
  }

  if (d.cox) {
    const auto fit = mmsim::stats::cox_hazard_ratio(d.sample(), d.group, d.treated, d.reference);
    REQUIRE(fit.finite);
    compare("Cox log HR, SE, loglik null, loglik", {fit.log_hr, fit.se_log_hr, fit.loglik_null, fit.loglik},
            r, "cox", kCoxTol);
  }
  if (d.clustered) {
    const std::size_t n = d.time.size() / 2;
    const std::span<const double> t(d.time);
    const std::span<const std::uint8_t> e(d.status);
    const SurvivalSample ref{t.first(n), e.first(n)}, trt{t.subspan(n), e.subspan(n)};
    const auto fit = mmsim::stats::cox_hazard_ratio_clustered(trt, ref);
    REQUIRE(fit.fit.finite);
    // The pairing must matter here, or the test could not tell the robust SE from the naive one.
    CHECK(fit.se_log_hr_robust < 0.8 * fit.fit.se_log_hr);
    compare("clustered Cox log HR, robust SE, naive SE",
            {fit.fit.log_hr, fit.se_log_hr_robust, fit.fit.se_log_hr}, r, "cox_robust", kCoxTol);
  }
}

void check_competing(const Dataset& d, const Results& r) {
  const auto ci = mmsim::stats::cumulative_incidence(d.sample());
  REQUIRE(r.at("states").size() == ci.n_causes + 1);
  compare("time", ci.time, r, "time", 0.0);
  compare("n_risk", as_double(ci.n_risk), r, "n_risk", 0.0);
  compare("surv", ci.surv, r, "pstate_0", kClosedFormTol);
  compare("se surv", ci.se_surv, r, "std_err_0", kClosedFormTol);
  for (std::size_t k = 1; k <= ci.n_causes; ++k) {
    compare(fmt::format("cif cause {}", k), ci.cif[k - 1], r, fmt::format("pstate_{}", k), kClosedFormTol);
    compare(fmt::format("se cif cause {}", k), ci.se_cif[k - 1], r, fmt::format("std_err_{}", k),
            kClosedFormTol);
  }
}

}  // namespace

TEST_CASE("Statistics agree with R's survival package", "[stats][oracle][R]") {
  if (std::system("command -v Rscript > /dev/null 2>&1") != 0) {
    FAIL(
        "Rscript was not found on PATH: the R oracle needs R with the survival package "
        "(apt-get install -y r-base-core r-cran-survival)");
  }
  const fs::path script = repo_root() / "tests" / "oracle" / "survival_oracle.R";
  REQUIRE(fs::exists(script));
  std::random_device seed_source;
  const fs::path dir = fs::temp_directory_path() / fmt::format("mmsim_stats_oracle_{:08x}", seed_source());
  fs::create_directories(dir);
  const auto sets = make_datasets();
  write_inputs(dir, sets);
  const fs::path log = dir / "rscript.log";
  const std::string command =
      fmt::format("Rscript '{}' '{}' > '{}' 2>&1", script.string(), dir.string(), log.string());
  const int status = std::system(command.c_str());
  if (status != 0) {
    std::ifstream in(log);
    std::stringstream text_log;
    text_log << in.rdbuf();
    FAIL("Rscript failed (" << status << "); is the survival package installed? Output:\n" << text_log.str());
  }
  // One R run for all datasets (a SECTION per dataset would rerun R for each).
  for (const auto& d : sets) {
    INFO("dataset " << d.name);
    const auto r = read_results(dir / (d.name + ".out"));
    REQUIRE_FALSE(r.empty());
    if (d.competing) {
      check_competing(d, r);
    } else {
      check_survival(d, r);
    }
  }
  std::error_code ignored;
  fs::remove_all(dir, ignored);
}

TEST_CASE("Degenerate data give the documented undefined results", "[stats][oracle]") {
  // Cox is not compared with R where it has no finite estimate (R warns and stops at a large beta).
  const auto sets = make_datasets();
  for (const auto& d : sets) {
    if (d.name == "no_events") {
      const auto fit = mmsim::stats::cox_hazard_ratio(d.sample(), d.group, 1, 0);
      CHECK_FALSE(fit.finite);
      CHECK(std::isnan(fit.log_hr));
    }
  }
}
