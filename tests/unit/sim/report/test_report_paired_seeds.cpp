// The paired SE of an RMST difference, as `mmsim run` reports it, against the empirical SD of that difference
// over repeated runs with different seeds (the two-strategy reference model of tests/data/report/).
// 120 runs of 1500 patients: the SD estimated from 120 values has a relative SE of about 1/sqrt(2*119)
// = 6.5%, so a 25% tolerance is ~4 of those SEs. The paired SE must also be well below the unpaired one,
// which is what common random numbers buy.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>

#include "sim/report/column_sources.hpp"
#include "sim/runner/cohort_runner.hpp"
#include "tests/unit/multistate_scenario.hpp"

TEST_CASE("paired RMST-difference SE matches the spread over seeds", "[report][paired]") {
  const auto loaded = mmsim::test::load_multistate("tests/data/report/two_strategies.toml");
  const auto& model = *loaded;
  REQUIRE(model.strategies().size() == 2);
  const auto& schema = model.schema();
  mmsim::report::ReportOptions options;
  options.rmst_horizon = 24.0;

  const int runs = 120;
  double sum = 0, sum2 = 0, sum_se = 0, sum_unpaired = 0;
  for (int k = 0; k < runs; ++k) {
    mmsim::RunOptions opt;
    opt.patients = 1500;
    opt.seed = 1000 + static_cast<std::uint64_t>(k);
    opt.threads = 1;
    opt.mode = mmsim::OutputMode::summary_only;
    const auto outcome = mmsim::run_cohort(model, opt, nullptr);
    const mmsim::report::MemoryColumns columns(outcome, schema.endpoints, schema.outcomes);
    const auto r =
        mmsim::report::compute_report(columns, model.strategies(), {"pfs"}, {}, model.horizon(), options);
    REQUIRE(r.comparisons.size() == 1);
    const auto& c = r.comparisons[0];
    sum += c.rmst_diff;
    sum2 += c.rmst_diff * c.rmst_diff;
    sum_se += c.rmst_diff_se;
    sum_unpaired += c.rmst_diff_se_unpaired;
  }
  const double sd = std::sqrt((sum2 - sum * sum / runs) / (runs - 1));
  const double mean_se = sum_se / runs;
  INFO("empirical SD " << sd << ", mean paired SE " << mean_se << ", mean unpaired SE "
                       << sum_unpaired / runs);
  CHECK(std::abs(mean_se - sd) < 0.25 * sd);
  CHECK(mean_se < 0.6 * sum_unpaired / runs);
}
