// Statistics computed from columns spilled to disk (a run above its memory budget) against the same run's
// statistics in memory: every field of every format bit-identical, with runs of a few dozen patients so the
// merge of many sorted runs is exercised. The two-strategy reference model of tests/data/report/ (its
// comparisons too), in every output mode's collection.
#include <catch2/catch.hpp>

#include <filesystem>
#include <limits>

#include "sim/io/spill_file.hpp"
#include "sim/report/column_sources.hpp"
#include "sim/report/report.hpp"
#include "sim/runner/cohort_runner.hpp"
#include "tests/unit/multistate_scenario.hpp"
#include "tests/unit/sim/report/same_steps.hpp"

namespace {

std::filesystem::path scratch_folder() {
  return std::filesystem::temp_directory_path() / "mmsim_test_report_spill";
}

}  // namespace

TEST_CASE("summaries from spilled columns equal the in-memory ones", "[report][spill]") {
  const auto model = mmsim::test::load_multistate("tests/data/report/two_strategies.toml");
  const auto& schema = model->schema();
  mmsim::RunOptions opt;
  opt.patients = 3001;
  opt.seed = 7;
  opt.threads = 2;
  opt.block_size = 256;
  opt.mode = mmsim::OutputMode::summary_only;
  mmsim::report::ReportOptions options;
  options.landmarks = {3.0, 12.0, 36.0, 500.0};
  // The model's horizon, and one past every follow-up time (rmst_extrapolated set).
  options.rmst_horizon = GENERATE(as<double>{}, std::numeric_limits<double>::quiet_NaN(), 500.0);

  opt.collect = mmsim::ColumnCollection::memory;
  const auto in_memory = mmsim::run_cohort(*model, opt, nullptr);
  const mmsim::report::MemoryColumns memory(in_memory, schema.endpoints, schema.outcomes);
  const auto expected = mmsim::report::compute_report(memory, model->strategies(), schema.endpoints,
                                                      schema.outcomes, model->horizon(), options);

  std::filesystem::create_directories(scratch_folder());
  std::filesystem::path spill_path;
  {
    mmsim::io::SpillFolder spill(scratch_folder());
    spill_path = spill.path();
    opt.collect = mmsim::ColumnCollection::spill;
    opt.spill_folder = &spill;
    const auto spilled_run = mmsim::run_cohort(*model, opt, nullptr);
    CHECK(spilled_run.columns.empty());
    REQUIRE(spilled_run.spilled != nullptr);
    const mmsim::report::SpilledColumns spilled(spilled_run, schema.endpoints, schema.outcomes);
    REQUIRE(spilled.patient_count() == opt.patients);
    for (const std::size_t run_patients : {std::size_t{37}, std::size_t{1000}, std::size_t{1} << 20}) {
      const auto got =
          mmsim::report::compute_report(spilled, model->strategies(), schema.endpoints, schema.outcomes,
                                        model->horizon(), options, spill, run_patients);
      INFO("runs of " << run_patients << " patients");
      for (const auto f :
           {mmsim::report::Format::json, mmsim::report::Format::csv, mmsim::report::Format::table}) {
        CHECK(mmsim::report::format_report(got, f) == mmsim::report::format_report(expected, f));
      }
      // The figures' step tables, built from the merged runs' rows, equal those of the in-memory curves.
      REQUIRE(got.strategies.size() == expected.strategies.size());
      for (std::size_t s = 0; s < got.strategies.size(); ++s) {
        REQUIRE(got.strategies[s].endpoints.size() == expected.strategies[s].endpoints.size());
        for (std::size_t e = 0; e < got.strategies[s].endpoints.size(); ++e) {
          const auto& a = got.strategies[s].endpoints[e].steps;
          const auto& b = expected.strategies[s].endpoints[e].steps;
          INFO(got.strategies[s].name << " " << a.endpoint);
          CHECK(mmsim::test::same_steps(a, b));
          CHECK(a.steps.size() > 2);
        }
      }
    }
    CHECK(std::filesystem::exists(spill_path));
  }
  CHECK_FALSE(std::filesystem::exists(spill_path));  // the private folder goes with its owner
  std::filesystem::remove_all(scratch_folder());
}
