// Fits in a reused workspace (sim/stats/km_workspace.hpp) give the tables of fresh fits bit for bit, whatever
// the previous fit in the workspace was: larger, smaller, with or without patients' rows, with stored or
// on-demand pointwise limits.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include "sim/core/numeric.hpp"
#include "sim/stats/kaplan_meier.hpp"
#include "sim/stats/km_workspace.hpp"
#include "tests/unit/sim/stats/km_test_support.hpp"

namespace {

using mmsim::stats::KaplanMeier;
using mmsim::stats::PointwiseCiRows;
using mmsim::stats::SurvivalSample;

using mmsim::test::check_same;

}  // namespace

TEST_CASE("fits in a reused workspace equal fresh fits", "[stats][km_workspace]") {
  std::mt19937_64 rng(5);
  std::exponential_distribution<double> life(0.1);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  mmsim::stats::KmWorkspace workspace;
  // Sizes across the radix sort's threshold (4096), up and down, so the kept buffers are both too large
  // and too small for the next fit.
  const std::vector<std::size_t> sizes = {20000, 10, 5000, 300, 30000, 0, 4096, 9000};
  for (const std::size_t n : sizes) {
    std::vector<double> time(n);
    std::vector<std::uint8_t> event(n);
    for (std::size_t i = 0; i < n; ++i) {
      time[i] =
          unit(rng) < 0.05 ? mmsim::kNaN : std::round(life(rng) * 4.0) / 4.0;  // ties, and excluded patients
      event[i] = unit(rng) < 0.7 ? 1 : 0;
    }
    const SurvivalSample sample{time, event};
    for (const PointwiseCiRows ci : {PointwiseCiRows::every_row, PointwiseCiRows::on_demand}) {
      for (const bool rows : {false, true}) {
        INFO("n = " << n << ", rows " << rows);
        mmsim::stats::KaplanMeierRows got;
        mmsim::stats::KaplanMeierRows want;
        if (rows) {
          got = mmsim::stats::kaplan_meier_with_rows(sample, 0.9, ci, workspace);
          want = mmsim::stats::kaplan_meier_with_rows(sample, 0.9, ci);
          CHECK(got.row == want.row);
        } else {
          got.km = mmsim::stats::kaplan_meier(sample, 0.9, ci, workspace);
          want.km = mmsim::stats::kaplan_meier(sample, 0.9, ci);
        }
        check_same(got.km, want.km);
        mmsim::stats::recycle(workspace, std::move(got));
        CHECK(got.km.time.empty());
        CHECK(workspace.spare.km.time.capacity() >= want.km.time.size());
      }
    }
  }
}
