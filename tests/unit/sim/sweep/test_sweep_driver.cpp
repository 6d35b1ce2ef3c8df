// The sweep driver and point runner (sim/sweep/sweep_driver.hpp, point_runner.hpp) on the reference
// illness-death model. Truth: a plain run of the base scenario (run_cohort + compute_report, outside the
// sweep), which the base point of a one-way sweep must reproduce exactly for every replicate (docs/sweeps.md:
// the stream domain is the replicate); and the unsharded run, which shards merged must reproduce byte for
// byte.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "sim/core/errors.hpp"
#include "sim/core/text.hpp"
#include "sim/io/run_file.hpp"
#include "sim/report/column_sources.hpp"
#include "sim/runner/cohort_runner.hpp"
#include "sim/sweep/sweep_driver.hpp"
#include "tests/unit/sim/sweep/sweep_test_support.hpp"
#include "tests/unit/temp_dir.hpp"

namespace {

using namespace mmsim;
using namespace mmsim::sweep;
using Row = std::map<std::string, std::string>;

constexpr std::uint64_t kPatients = 400;

// A one-way sweep of the illness-death model's progression scale: point 0 is the base case (scale 12).
std::filesystem::path write_oneway_sweep(const std::filesystem::path& dir) {
  const auto file = dir / "oneway.toml";
  std::ofstream(file) << fmt::format(R"(base = "{}"
design = "oneway"
patients = {}
replicates = 2
landmarks = [12, 24]
[[parameter]]
path = "multistate.transitions[0].distribution.scale"
name = "progression_scale"
values = [8.0, 16.0]
)",
                                     test::kIllnessDeath.string(), kPatients);
  return file;
}

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<Row> read_csv(const std::filesystem::path& file) {
  std::istringstream in(read_text(file));
  std::string line;
  std::getline(in, line);
  const auto header = split_list(line);
  std::vector<Row> rows;
  while (std::getline(in, line)) {
    const auto cells = split_list(line);
    REQUIRE(cells.size() == header.size());
    Row r;
    for (std::size_t i = 0; i < cells.size(); ++i) r[header[i]] = cells[i];
    rows.push_back(r);
  }
  return rows;
}

std::string text(double v) {
  return std::isnan(v) ? std::string("NA") : fmt::format("{}", v);
}

SweepRequest request_for(const std::filesystem::path& sweep, const std::filesystem::path& out) {
  SweepRequest r;
  r.sweep_file = sweep;
  r.output = out;
  r.threads = 2;
  r.quiet = true;
  return r;
}

Environment no_environment() {
  return [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
}

Environment slurm_task(int k, int n) {
  return [k, n](const std::string& name) -> std::optional<std::string> {
    if (name == "SLURM_ARRAY_TASK_ID") return std::to_string(k);
    if (name == "SLURM_ARRAY_TASK_MIN") return "0";
    if (name == "SLURM_ARRAY_TASK_COUNT") return std::to_string(n);
    return std::nullopt;
  };
}

}  // namespace

TEST_CASE("sweep: the base point of every replicate reproduces a plain run of the base scenario",
          "[sweep][driver]") {
  const test::TempDir dir("mmsim_sweep_driver_");
  const auto sweep = write_oneway_sweep(dir.path);
  run_sweep(request_for(sweep, dir.path / "out"), test::build_multistate, no_environment());
  const auto rows = read_csv(dir.path / "out" / "sweep.csv");
  REQUIRE(rows.size() == 3 * 2 * 2);  // points x replicates x endpoints (one strategy)

  const BuiltScenario base = test::build_multistate(config::load_config(test::kIllnessDeath));
  const Model& model = *base.model;
  const auto& schema = model.schema();
  report::ReportOptions ro;
  ro.landmarks = {12.0, 24.0};
  for (std::uint32_t r = 0; r < 2; ++r) {
    RunOptions opt;
    opt.patients = kPatients;
    opt.seed = base.settings.seed;
    opt.domain = r;
    opt.threads = 2;
    opt.mode = OutputMode::summary_only;
    const RunOutcome outcome = run_cohort(model, opt, nullptr);
    const report::MemoryColumns cols(outcome, schema.endpoints, schema.outcomes);
    const report::Report plain = report::compute_report(cols, model.strategies(), schema.endpoints,
                                                        schema.outcomes, model.horizon(), ro);
    for (const auto& e : plain.strategies[0].endpoints) {
      INFO("replicate " << r << ", endpoint " << e.endpoint);
      const auto it = std::find_if(rows.begin(), rows.end(), [&](const Row& row) {
        return row.at("point") == "0" && row.at("replicate") == std::to_string(r) &&
               row.at("endpoint") == e.endpoint;
      });
      REQUIRE(it != rows.end());
      CHECK(it->at("progression_scale") == "12");
      CHECK(it->at("n") == std::to_string(e.n));
      CHECK(it->at("events") == std::to_string(e.events));
      CHECK(it->at("median") == text(e.median));
      CHECK(it->at("rmst") == text(e.rmst));
      CHECK(it->at("rmst_se") == text(e.rmst_se));
      CHECK(it->at("surv_12") == text(e.survival[0].surv));
      CHECK(it->at("surv_24_se") == text(e.survival[1].se));
    }
  }
  // The parameter reaches the model: a shorter progression scale (point 1) shortens median PFS.
  const auto median_pfs = [&](const char* point) {
    for (const auto& row : rows)
      if (row.at("point") == point && row.at("replicate") == "0" && row.at("endpoint") == "pfs")
        return std::stod(row.at("median"));
    return 0.0;
  };
  CHECK(median_pfs("1") < median_pfs("0"));
  CHECK(median_pfs("2") > median_pfs("0"));
}

TEST_CASE("sweep: tasks of a SLURM array write their shards, which merged equal the unsharded run",
          "[sweep][driver]") {
  const test::TempDir dir("mmsim_sweep_driver_");
  const auto sweep = write_oneway_sweep(dir.path);
  run_sweep(request_for(sweep, dir.path / "whole"), test::build_multistate, no_environment());
  const auto sharded = dir.path / "sharded";
  for (int k = 0; k < 2; ++k)
    run_sweep(request_for(sweep, sharded), test::build_multistate, slurm_task(k, 2));
  CHECK(std::filesystem::exists(sharded / "shards" / "shard-0-of-2.h5"));
  CHECK(std::filesystem::exists(sharded / "shards" / "shard-1-of-2.h5"));
  CHECK(!std::filesystem::exists(sharded / "sweep.csv"));  // a task of an array never merges
  CHECK(SweepStore(sharded).merge(2) == 3);
  for (const char* f : {"sweep.csv", "points.csv"}) {
    INFO(f);
    CHECK(read_text(sharded / f) == read_text(dir.path / "whole" / f));
  }
  // A task run again finds its shard complete and changes nothing.
  const auto before = std::filesystem::last_write_time(sharded / "shards" / "shard-1-of-2.h5");
  run_sweep(request_for(sweep, sharded), test::build_multistate, slurm_task(1, 2));
  CHECK(std::filesystem::last_write_time(sharded / "shards" / "shard-1-of-2.h5") == before);
  // A bad job-array variable is an input error, and nothing is written.
  const Environment bad = [](const std::string& name) -> std::optional<std::string> {
    if (name == "SLURM_ARRAY_TASK_ID") return "one";
    return std::nullopt;
  };
  CHECK_THROWS_AS(run_sweep(request_for(sweep, dir.path / "bad"), test::build_multistate, bad), InputError);
  CHECK(!std::filesystem::exists(dir.path / "bad"));
}

TEST_CASE("sweep: points simulated side by side (2 threads) give the files of points run one by one",
          "[sweep][driver]") {
  // At 2 threads the driver simulates several points at once, one thread each, and stores them in order; at
  // 1 thread it runs them one after another. The rows may not depend on which.
  const test::TempDir dir("mmsim_sweep_driver_");
  const auto sweep = write_oneway_sweep(dir.path);
  SweepRequest serial = request_for(sweep, dir.path / "serial");
  serial.threads = 1;
  run_sweep(serial, test::build_multistate, no_environment());
  run_sweep(request_for(sweep, dir.path / "parallel"), test::build_multistate, no_environment());
  for (const char* f : {"sweep.csv", "points.csv"}) {
    INFO(f);
    CHECK(read_text(dir.path / "parallel" / f) == read_text(dir.path / "serial" / f));
  }
  CHECK(read_csv(dir.path / "parallel" / "points.csv").size() == 3);
}

TEST_CASE("point runner: run files with the run attributes, and a point may only change numbers",
          "[sweep][driver]") {
  const test::TempDir dir("mmsim_sweep_point_");
  const auto file = write_oneway_sweep(dir.path);
  const SweepSpec spec =
      read_sweep(file, [](config::ConfigDocument d) { (void)test::build_multistate(std::move(d)); });
  const BuiltScenario base = test::build_multistate(spec.base);
  SweepHeader header;
  header.hash = "0123456789abcdef";
  header.points_total = spec.points.size();
  header.shape.parameters = {"progression_scale"};
  header.shape.strategies = base.model->strategies();
  header.shape.endpoints = base.model->schema().endpoints;
  header.shape.outcomes = base.model->schema().outcomes;
  header.shape.landmarks = spec.landmarks;
  header.shape.replicates = spec.replicates;
  const SweepStore store(dir.path / "out");
  store.claim(header.hash, "resolved");
  PointRunSettings settings;
  settings.patients = 50;
  settings.threads = 1;
  settings.trajectories = true;

  const PointRunner runner(spec, store, header, test::build_multistate, settings);
  CHECK(!store.point_done(1, header.hash));
  runner.run(spec.points[1]);
  CHECK(store.point_done(1, header.hash));
  for (std::uint32_t r = 0; r < 2; ++r) {
    const io::RunFileReader run(store.dir() / "points" / fmt::format("point-1-rep-{}.h5", r));
    CHECK(run.string_attribute("/", "config_source") == fmt::format("{} point 1 replicate {}", spec.file, r));
    CHECK(run.string_attribute("/", "output_mode") == "trajectories");
    CHECK(run.string_attribute("/", "patients") == "50");
    CHECK(run.string_attribute("/", "model") == "multistate");
    CHECK(run.string_attribute("/", "endpoints") == "pfs,os");
  }

  const PointRunner two_arms(
      spec, store, header,
      [](config::ConfigDocument) {
        return test::build_multistate(config::load_config(test::kSweepData / "two_arm.toml"));
      },
      settings);
  CHECK_THROWS_WITH(two_arms.run(spec.points[2]),
                    Catch::Contains("point 2 changes the scenario's strategies, endpoints or outcomes"));
  const PointRunner rejecting(
      spec, store, header,
      [](config::ConfigDocument) -> BuiltScenario { throw InputError("x.toml:3:1: bad"); }, settings);
  CHECK_THROWS_WITH(rejecting.run(spec.points[2]),
                    fmt::format("x.toml:3:1: bad\n(point 2 of the sweep {})", spec.file));
  CHECK(!store.point_done(2, header.hash));
}
