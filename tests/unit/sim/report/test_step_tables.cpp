// The curves stored for figures (sim/report/step_tables.hpp, incidence.hpp): every stored row is a row of the
// full estimator table, thinning keeps the first and last row of every cell, and the risk table's counts
// equal counts over the patients (the independent truth: a direct count of time >= t and events <= t).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <vector>

#include "sim/core/errors.hpp"
#include "sim/report/incidence.hpp"
#include "sim/report/step_tables.hpp"
#include "sim/stats/cumulative_incidence.hpp"
#include "sim/stats/kaplan_meier.hpp"
#include "tests/unit/sim/report/same_steps.hpp"

namespace {

using mmsim::report::StepOptions;

struct Cohort {
  std::vector<double> time;
  std::vector<std::uint8_t> event;  // 0 censored, 1..causes
};

// Exponential event times censored by a uniform time on [0, 60] and at 48 months (administrative).
Cohort cohort(std::size_t n, unsigned seed, std::uint8_t causes = 1) {
  std::mt19937_64 rng(seed);
  std::exponential_distribution<double> ev(1.0 / 12.0);
  std::uniform_real_distribution<double> cens(0.0, 60.0);
  std::uniform_int_distribution<int> cause(1, causes);
  Cohort c;
  for (std::size_t i = 0; i < n; ++i) {
    const double t = ev(rng), u = std::min(48.0, cens(rng));
    c.time.push_back(std::min(t, u));
    c.event.push_back(t <= u ? static_cast<std::uint8_t>(cause(rng)) : 0);
  }
  return c;
}

std::uint64_t count_at_risk(const Cohort& c, double t) {
  return static_cast<std::uint64_t>(
      std::count_if(c.time.begin(), c.time.end(), [&](double x) { return x >= t; }));
}
std::uint64_t count_events(const Cohort& c, double t, std::uint8_t cause = 0) {
  std::uint64_t k = 0;
  for (std::size_t i = 0; i < c.time.size(); ++i)
    k += c.time[i] <= t && c.event[i] != 0 && (cause == 0 || c.event[i] == cause);
  return k;
}

}  // namespace

TEST_CASE("km_steps keeps every row of a small curve, with counts equal to direct counts") {
  const Cohort c = cohort(500, 7);
  const auto km = mmsim::stats::kaplan_meier({c.time, c.event});
  const auto st = mmsim::report::km_steps("pfs", c.time, c.event, 0.95);
  REQUIRE(st.steps.size() == km.time.size());
  CHECK(st.n == 500);
  for (std::size_t j = 0; j < km.time.size(); j += 37) {
    const auto& s = st.steps[j];
    CHECK(s.time == km.time[j]);
    CHECK(s.surv == km.surv[j]);
    CHECK(s.n_risk == count_at_risk(c, s.time));
    CHECK(s.events == count_events(c, s.time));
  }
  CHECK(st.steps.back().events + st.steps.back().censored == 500);
  // The risk table: every month from 0 to the last time (48), counted directly.
  REQUIRE(st.risk.size() == 49);
  for (const auto& r : st.risk) {
    CHECK(r.time == std::round(r.time));
    CHECK(r.n_risk == count_at_risk(c, r.time));
    CHECK(r.events == count_events(c, r.time));
  }
  REQUIRE(!st.censor_marks.empty());
  CHECK(st.censor_marks.size() <= StepOptions{}.max_censor_marks);
  for (const auto& m : st.censor_marks) {
    const auto j = std::find(km.time.begin(), km.time.end(), m.time) - km.time.begin();
    REQUIRE(j < static_cast<std::ptrdiff_t>(km.time.size()));
    CHECK(km.n_censor(static_cast<std::size_t>(j)) > 0);
    CHECK(m.surv == km.surv[static_cast<std::size_t>(j)]);
  }
}

TEST_CASE("km_steps thins a long curve to the first and last row of each cell, exact at each") {
  const Cohort c = cohort(20000, 11);
  const auto km = mmsim::stats::kaplan_meier({c.time, c.event});
  StepOptions opt;
  opt.max_rows = 1000;
  opt.grid_cells = 200;
  const auto st = mmsim::report::km_steps("os", km, opt);
  REQUIRE(km.time.size() > opt.max_rows);
  CHECK(st.steps.size() <= 2 * opt.grid_cells);
  CHECK(st.steps.front().time == km.time.front());
  CHECK(st.steps.back().time == km.time.back());
  std::set<double> kept;
  for (const auto& s : st.steps) {
    const auto j =
        static_cast<std::size_t>(std::lower_bound(km.time.begin(), km.time.end(), s.time) - km.time.begin());
    REQUIRE(km.time[j] == s.time);
    CHECK(s.surv == km.surv[j]);
    CHECK(s.n_risk == static_cast<std::uint64_t>(km.n_risk[j]));
    kept.insert(s.time);
  }
  // Each cell's first and last time is kept: no step is drawn more than one cell away from its place.
  const double last = km.time.back();
  for (std::size_t j = 1; j < km.time.size(); ++j) {
    const auto cell = [&](double t) {
      return std::min<std::size_t>(199, static_cast<std::size_t>(t / last * 200));
    };
    if (cell(km.time[j]) != cell(km.time[j - 1])) {
      CHECK(kept.count(km.time[j]) == 1);
      CHECK(kept.count(km.time[j - 1]) == 1);
    }
  }
}

TEST_CASE("risk_times take the smallest step that fits the row cap") {
  StepOptions opt;
  CHECK(mmsim::report::risk_times(120.0, opt).size() == 121);
  opt.max_risk_rows = 50;
  const auto t = mmsim::report::risk_times(120.0, opt);  // step 3: 41 rows
  REQUIRE(t.size() == 41);
  CHECK(t[1] == 3.0);
  CHECK(mmsim::report::risk_times(0.0, opt) == std::vector<double>{0.0});
  CHECK(mmsim::report::risk_times(std::nan(""), opt).empty());
}

TEST_CASE("causes of competing events come from a cause column or from a second endpoint") {
  const std::vector<double> pfs{1.0, 2.0, 3.0, 4.0}, os{1.0, 5.0, 3.0, 4.0};
  const std::vector<std::uint8_t> pfs_ev{1, 1, 0, 1}, os_ev{1, 0, 0, 0};
  CHECK(mmsim::report::causes_from_split(pfs, pfs_ev, os, os_ev) == std::vector<std::uint8_t>{2, 1, 0, 1});
  // A cause is read only where the endpoint has its event (a death after the cut-off is censored).
  const std::vector<std::uint8_t> death{1, 0, 0, 1}, cause{3, 0, 2, 1};
  CHECK(mmsim::report::causes_from_column(death, cause, 3, "death_cause") ==
        std::vector<std::uint8_t>{3, 0, 0, 1});
  const std::vector<std::uint8_t> bad{0, 1, 1, 1};
  CHECK_THROWS_AS(mmsim::report::causes_from_column(death, bad, 3, "death_cause"), mmsim::InputError);
  CHECK_THROWS_AS(mmsim::report::causes_from_column(death, cause, 2, "death_cause"), mmsim::InputError);
}

TEST_CASE("incidence_steps: curves of the full table, summing with the event-free probability to one") {
  const Cohort c = cohort(30000, 5, 3);
  const auto ci = mmsim::stats::cumulative_incidence({c.time, c.event}, 3);
  StepOptions opt;
  opt.max_rows = 500;
  opt.grid_cells = 100;
  const auto st = mmsim::report::incidence_steps("death_cause", ci, opt);
  REQUIRE(st.n_causes == 3);
  REQUIRE(st.time.size() <= 200);
  REQUIRE(st.time.back() == ci.time.back());
  for (std::size_t j = 0; j < st.time.size(); ++j) {
    const auto row = static_cast<std::size_t>(std::lower_bound(ci.time.begin(), ci.time.end(), st.time[j]) -
                                              ci.time.begin());
    double total = ci.surv[row];
    for (std::size_t k = 0; k < 3; ++k) {
      CHECK(st.estimate[k][j] == ci.cif[k][row]);
      CHECK(st.se[k][j] == ci.se_cif[k][row]);
      total += st.estimate[k][j];
    }
    CHECK(std::abs(total - 1.0) < 1e-9);
  }
  for (const auto& r : st.risk) {
    CHECK(r.n_risk == count_at_risk(c, r.time));
    for (std::uint8_t k = 1; k <= 3; ++k) CHECK(r.events[k - 1] == count_events(c, r.time, k));
  }
}

TEST_CASE("thinned_rows keeps exactly the rows with a neighbour in another cell (direct rule)") {
  // The direct rule, each row's cell computed on its own: row j is kept when j is first or last, or a
  // neighbour lies in another of the equal cells of [0, last time].
  const auto direct = [](const std::vector<double>& t, const StepOptions& opt) {
    const auto cell = [&](double x) {
      const double c = std::floor(x / t.back() * static_cast<double>(opt.grid_cells));
      return std::min(opt.grid_cells - 1, static_cast<std::size_t>(std::max(0.0, c)));
    };
    std::vector<std::size_t> rows;
    for (std::size_t j = 0; j < t.size(); ++j) {
      if (j == 0 || j + 1 == t.size() || cell(t[j - 1]) != cell(t[j]) || cell(t[j + 1]) != cell(t[j]))
        rows.push_back(j);
    }
    return rows;
  };
  std::mt19937_64 rng(5);
  for (const std::size_t cells : {std::size_t{1}, std::size_t{7}, std::size_t{200}, std::size_t{1000}}) {
    for (const std::size_t m : {std::size_t{2500}, std::size_t{20000}}) {
      // Continuous times, times on a coarse grid (several rows near each cell edge) and a cluster near 0.
      for (int kind = 0; kind < 3; ++kind) {
        std::set<double> distinct;
        std::uniform_real_distribution<double> unit(0.0, 1.0);
        while (distinct.size() < m) {
          const double u = unit(rng);
          distinct.insert(kind == 0 ? 120.0 * u : kind == 1 ? std::round(u * 40000.0) / 400.0 : u * u * u);
        }
        const std::vector<double> t(distinct.begin(), distinct.end());
        StepOptions opt;
        opt.max_rows = 2000;
        opt.grid_cells = cells;
        INFO("cells " << cells << ", rows " << m << ", kind " << kind);
        CHECK(mmsim::report::thinned_rows(t, opt) == direct(t, opt));
      }
    }
  }
}

TEST_CASE("KmStepsBuilder fed the rows one at a time gives km_steps of the whole table") {
  // The table's rows streamed as a spilled run's merge streams them; the truth is km_steps on the table.
  for (const std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{300}, std::size_t{20000}}) {
    const Cohort c = cohort(n, static_cast<unsigned>(n) + 3);
    const auto km = mmsim::stats::kaplan_meier({c.time, c.event});
    for (const std::size_t max_rows :
         {std::size_t{0}, std::size_t{50}, std::size_t{2000}, std::size_t{100000}}) {
      for (const std::size_t cells : {std::size_t{0}, std::size_t{1}, std::size_t{200}}) {
        StepOptions opt;
        opt.max_rows = max_rows;
        opt.grid_cells = cells;
        opt.max_censor_marks = cells;
        mmsim::report::KmStepsBuilder builder("os", km.n, km.time.empty() ? 0.0 : km.time.back(), opt);
        for (std::size_t j = 0; j < km.time.size(); ++j) {
          builder.add({km.time[j], km.surv[j], km.se_log_surv[j], km.lower[j], km.upper[j], km.n_risk[j],
                       km.n_event[j], km.n_censor(j)});
        }
        INFO("n " << n << ", max_rows " << max_rows << ", cells " << cells);
        CHECK(mmsim::test::same_steps(builder.finish(), mmsim::report::km_steps("os", km, opt)));
      }
    }
  }
}
