// The statistics of a run do not depend on the threads they run on (ReportOptions::threads, what --threads
// gives them): the two-strategy reference model's report, every format and every stored curve, computed on
// one thread, on two and on all cores, is the same byte for byte.
#include <catch2/catch.hpp>

#include "sim/report/column_sources.hpp"
#include "sim/report/report.hpp"
#include "sim/runner/cohort_runner.hpp"
#include "tests/unit/multistate_scenario.hpp"
#include "tests/unit/sim/report/same_steps.hpp"

TEST_CASE("the report is the same on one thread, two and all cores", "[report][threads]") {
  const auto model = mmsim::test::load_multistate("tests/data/report/two_strategies.toml");
  const auto& schema = model->schema();
  mmsim::RunOptions opt;
  opt.patients = 5000;
  opt.seed = 11;
  opt.threads = 2;
  opt.mode = mmsim::OutputMode::summary_only;
  opt.collect = mmsim::ColumnCollection::memory;
  const auto run = mmsim::run_cohort(*model, opt, nullptr);
  const mmsim::report::MemoryColumns columns(run, schema.endpoints, schema.outcomes);
  const auto report_on = [&](unsigned threads) {
    mmsim::report::ReportOptions options;
    options.threads = threads;
    return mmsim::report::compute_report(columns, model->strategies(), schema.endpoints, schema.outcomes,
                                         model->horizon(), options);
  };
  const auto one = report_on(1);
  REQUIRE(one.comparisons.size() == schema.endpoints.size());
  for (const unsigned threads : {2U, 0U}) {
    const auto other = report_on(threads);
    INFO(threads << " threads");
    for (const auto f : {mmsim::report::Format::json, mmsim::report::Format::csv}) {
      CHECK(mmsim::report::format_report(other, f) == mmsim::report::format_report(one, f));
    }
    for (std::size_t s = 0; s < one.strategies.size(); ++s) {
      for (std::size_t e = 0; e < one.strategies[s].endpoints.size(); ++e) {
        CHECK(mmsim::test::same_steps(other.strategies[s].endpoints[e].steps,
                                      one.strategies[s].endpoints[e].steps));
      }
    }
  }
}
