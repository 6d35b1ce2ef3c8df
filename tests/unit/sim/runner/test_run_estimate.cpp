// The run estimate's two details (sim/runner/run_estimate.cpp): the bound a run checks itself against when
// the disk plainly holds it (pilot simulated, not deflated) is never below the exact estimate that --estimate
// prints, and every field that does not depend on the pilot's compression is the exact estimate's.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "sim/core/table.hpp"
#include "sim/runner/cohort_runner.hpp"
#include "sim/runner/run_estimate.hpp"
#include "tests/unit/multistate_scenario.hpp"

namespace {

using namespace mmsim;

void check_bound_covers_exact(const Model& model, const RunOptions& opt, bool statistics,
                              std::uint64_t budget) {
  const RunEstimate exact = estimate_run(model, opt, statistics, budget, EstimateDetail::exact);
  const RunEstimate bound = estimate_run(model, opt, statistics, budget, EstimateDetail::bound);
  CHECK_FALSE(exact.upper_bound);
  CHECK(bound.upper_bound);
  CHECK(bound.output_bytes >= exact.output_bytes);
  CHECK(bound.pipeline_memory >= exact.pipeline_memory);
  CHECK(bound.columns_bytes == exact.columns_bytes);
  CHECK(bound.stats_memory == exact.stats_memory);
  CHECK(bound.spill_bytes == exact.spill_bytes);
  CHECK(bound.spilled_memory == exact.spilled_memory);
  CHECK(bound.spill == exact.spill);
  // The default argument is the exact estimate (what every caller but the run's own check gets).
  CHECK(estimate_run(model, opt, statistics, budget).output_bytes == exact.output_bytes);
}

}  // namespace

TEST_CASE("run estimate: the uncompressed bound covers the exact estimate in every mode", "[runner]") {
  const auto model = test::load_multistate("configs/reference/illness_death.toml");
  for (const OutputMode mode :
       {OutputMode::trajectories, OutputMode::no_trajectories, OutputMode::summary_only}) {
    for (const int level : {0, 1, 6}) {
      for (const std::uint64_t patients : {1ull, 37ull, 5000ull}) {
        RunOptions opt;
        opt.patients = patients;
        opt.mode = mode;
        opt.deflate_level = level;
        opt.threads = 2;
        CAPTURE(static_cast<int>(mode), level, patients);
        check_bound_covers_exact(*model, opt, true, std::uint64_t{1} << 30);
        check_bound_covers_exact(*model, opt, false, std::uint64_t{1} << 30);
        check_bound_covers_exact(*model, opt, true, std::uint64_t{1} << 12);  // spilled statistics
      }
    }
  }
}

TEST_CASE("run estimate: deflated rows make the bound strictly larger", "[runner]") {
  // A check that the bound is not the exact estimate under another name: the reference model's rows deflate
  // to well under their raw size, so the bound must exceed the exact figure.
  const auto model = test::load_multistate("configs/reference/illness_death.toml");
  RunOptions opt;
  opt.patients = 100000;
  const RunEstimate exact = estimate_run(*model, opt, true, std::uint64_t{1} << 30, EstimateDetail::exact);
  const RunEstimate bound = estimate_run(*model, opt, true, std::uint64_t{1} << 30, EstimateDetail::bound);
  CHECK(bound.output_bytes > exact.output_bytes + exact.output_bytes / 4);
}

TEST_CASE("run estimate: the pilot's strategies on several threads give the one-thread estimate and rows",
          "[runner]") {
  const auto model = test::load_multistate("tests/data/sweeps/two_arm.toml");
  REQUIRE(model->strategies().size() > 1);
  RunOptions opt;
  opt.patients = 3000;
  opt.threads = 1;
  PilotRows one, two;
  const RunEstimate a = estimate_run(*model, opt, true, std::uint64_t{1} << 30, EstimateDetail::exact, &one);
  opt.threads = 2;
  const RunEstimate b = estimate_run(*model, opt, true, std::uint64_t{1} << 30, EstimateDetail::exact, &two);
  CHECK(a.output_bytes == b.output_bytes);
  for (std::size_t s = 0; s < model->strategies().size(); ++s) {
    const TableBuffer& p1 = one.patients(s);
    const TableBuffer& p2 = two.patients(s);
    REQUIRE(p1.rows() == 1024);
    REQUIRE(p2.size_bytes() == p1.size_bytes());
    CHECK(std::equal(p1.data(), p1.data() + p1.size_bytes(), p2.data()));
    for (std::size_t t = 0; t < one.trajectories(s).size(); ++t) {
      const TableBuffer& t1 = one.trajectories(s)[t];
      const TableBuffer& t2 = two.trajectories(s)[t];
      REQUIRE(t2.size_bytes() == t1.size_bytes());
      CHECK(std::equal(t1.data(), t1.data() + t1.size_bytes(), t2.data()));
    }
  }
}
