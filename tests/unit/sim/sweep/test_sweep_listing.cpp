// `mmsim sweep --list` (sim/sweep/sweep_listing.hpp): the parameters as comment lines, then the points of the
// whole design or of one shard, with the values of the design itself.
#include <fmt/format.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "sim/core/text.hpp"
#include "sim/sweep/sweep_listing.hpp"
#include "tests/unit/sim/sweep/sweep_test_support.hpp"

using namespace mmsim;
using namespace mmsim::sweep;

TEST_CASE("sweep listing: the points of a shard, with the design's values", "[sweep]") {
  const SweepSpec spec = read_sweep(test::kSweepData / "psa.toml", [](config::ConfigDocument d) {
    (void)test::build_multistate(std::move(d));
  });
  std::ostringstream out;
  write_sweep_listing(spec, ShardId{1, 3}, out);
  std::istringstream in(out.str());
  std::string line;
  std::vector<std::string> comments, points;
  std::getline(in, line);
  while (line.starts_with("#")) {
    comments.push_back(line);
    std::getline(in, line);
  }
  CHECK(line ==
        "point\thr_new_drug\tmultistate.transitions[0].distribution.scale\tp_high_risk\t"
        "multistate.transitions[2].distribution.shape\tmultistate.transitions[1].distribution.rate\t"
        "multistate.transitions[0].hazard_ratios.risk");
  while (std::getline(in, line)) points.push_back(line);
  REQUIRE(points.size() == 4);  // 1, 4, 7, 10 of 12
  for (std::size_t i = 0; i < points.size(); ++i) {
    const auto& pt = spec.points[1 + 3 * i];
    CHECK(points[i] == fmt::format("{}\t{}", pt.index, fmt::join(pt.values, "\t")));
  }
  REQUIRE(comments.size() == 1 + 6 + 1);  // the sweep, its parameters, its sum-to-one group
  CHECK(comments[0].find("psa design, 12 point(s) x 1 replicate(s), parameter seed 99") != std::string::npos);
  CHECK(comments[1].ends_with(": lognormal(meanlog=-0.366776, sdlog=0.142136)"));
  CHECK(comments[3].find(
            "p_high_risk = multistate.attributes[0].distribution.probs[2] (base 0.2), renormalized: "
            "beta(alpha=12.6, beta=50.4)") != std::string::npos);
  CHECK(comments[6] ==
        "# p5 multistate.transitions[0].hazard_ratios.risk = "
        "multistate.transitions[0].hazard_ratios.risk (base 1.5): fixed(1.5)");
  CHECK(comments[7] ==
        "# multistate.attributes[0].distribution.probs keeps summing to 1: its other members are "
        "rescaled");
  std::ostringstream all;
  write_sweep_listing(spec, std::nullopt, all);
  const std::string whole = all.str();
  CHECK(std::count(whole.begin(), whole.end(), '\n') == 8 + 1 + 12);
}
