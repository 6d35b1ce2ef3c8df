// The root attributes of a run file (sim/runner/run_attributes.hpp), which `mmsim run` and a sweep point with
// --trajectories both write: every key docs/hdf5_schema.md lists, in a fixed order, from the model and the
// run options.
#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

#include "sim/runner/run_attributes.hpp"
#include "tests/unit/sim/sweep/sweep_test_support.hpp"

using namespace mmsim;

TEST_CASE("run attributes: seed, config, strategies and the documented string keys", "[runner]") {
  const auto two_arm = test::build_multistate(config::load_config(test::kSweepData / "two_arm.toml"));
  RunOptions opt;
  opt.patients = 1234;
  opt.seed = 77;
  opt.mode = OutputMode::no_trajectories;
  const io::RunAttributes a =
      run_attributes(*two_arm.model, opt, "multistate", "resolved text", "two_arm.toml");
  CHECK(a.filetype == "run");
  CHECK(a.seed == 77);
  CHECK(a.config_text == "resolved text");
  CHECK(a.strategy_order == std::vector<std::string>{"standard", "new_drug"});
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  CHECK(a.extra == Pairs{{"model", "multistate"},
                         {"config_source", "two_arm.toml"},
                         {"patients", "1234"},
                         {"horizon_months", "60"},
                         {"endpoints", "pfs,os"},
                         {"outcomes", ""},
                         {"output_mode", "no_trajectories"}});
  CHECK(output_mode_name(OutputMode::trajectories) == "trajectories");
  CHECK(output_mode_name(OutputMode::summary_only) == "summary_only");
}
