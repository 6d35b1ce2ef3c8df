// The estimate's pilot rows reused by the run (sim/runner/pilot_rows.*): a run that appends the pilot's
// patients instead of simulating them writes the same bytes as one that simulates every patient, whatever
// the block size against the pilot's 1024 patients, and a pilot of another seed or sink shape is not used.
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/io/run_file.hpp"
#include "sim/runner/cohort_runner.hpp"
#include "sim/runner/pilot_rows.hpp"
#include "sim/runner/run_estimate.hpp"
#include "tests/unit/multistate_scenario.hpp"
#include "tests/unit/temp_dir.hpp"

namespace {

using namespace mmsim;

struct Written {
  std::vector<std::vector<std::byte>> tables;  // every strategy's patients and trajectory tables
  std::vector<std::vector<double>> times;      // every strategy's endpoint columns
};

Written run(const Model& model, RunOptions opt, const PilotRows* pilot, const std::string& file) {
  const test::TempDir dir("mmsim_pilot_rows_");
  io::RunAttributes attributes;
  attributes.seed = opt.seed;
  attributes.strategy_order = model.strategies();
  opt.pilot = pilot;
  opt.collect = ColumnCollection::memory;
  Written w;
  {
    io::RunFileWriter writer(dir.path / file, attributes);
    const RunOutcome out = run_cohort(model, opt, &writer);
    writer.commit();
    for (const auto& per : out.columns) {
      for (const EndpointColumns& c : per) w.times.emplace_back(c.time.begin(), c.time.end());
    }
  }
  io::RunFileReader reader(dir.path / file);
  for (const std::string& s : model.strategies()) {
    w.tables.push_back(reader.read_raw(table_path(s, "patients")));
    for (const auto& t : model.schema().trajectories)
      w.tables.push_back(reader.read_raw(table_path(s, t.name())));
  }
  return w;
}

void check_reuse_gives_same_bytes(const Model& model) {
  for (const std::uint64_t patients : {300ull, 1024ull, 2500ull}) {
    for (const std::size_t block : {std::size_t{100}, std::size_t{700}, std::size_t{4096}}) {
      CAPTURE(patients, block);
      RunOptions opt;
      opt.patients = patients;
      opt.seed = 7;
      opt.domain = 2;
      opt.threads = 2;
      opt.block_size = block;
      PilotRows pilot;
      estimate_run(model, opt, true, std::uint64_t{1} << 30, EstimateDetail::bound, &pilot);
      REQUIRE(pilot.patients(0).rows() == std::min<std::uint64_t>(patients, 1024));
      const Written with = run(model, opt, &pilot, "with.h5");
      const Written without = run(model, opt, nullptr, "without.h5");
      CHECK(with.tables == without.tables);
      CHECK(with.times == without.times);
    }
  }
}

}  // namespace

TEST_CASE("pilot rows: a run appending them writes the bytes of a run simulating every patient", "[runner]") {
  SECTION("general loop (attributes): the pilot's rows are appended") {
    check_reuse_gives_same_bytes(*test::load_multistate("tests/data/sweeps/two_arm.toml"));
  }
  SECTION("block loop: the pilot is not needed and changes nothing") {
    check_reuse_gives_same_bytes(*test::load_multistate("configs/reference/illness_death.toml"));
  }
}

TEST_CASE("pilot rows: appended only for the pilot's keys and sink shape", "[runner]") {
  const auto model = test::load_multistate("tests/data/sweeps/two_arm.toml");
  RunOptions opt;
  opt.patients = 50;
  opt.seed = 7;
  PilotRows pilot;
  estimate_run(*model, opt, true, std::uint64_t{1} << 30, EstimateDetail::bound, &pilot);
  TableBuffer patients(model->schema().patients);
  std::vector<TableBuffer> trajectories;
  for (const auto& t : model->schema().trajectories) trajectories.emplace_back(t);
  PatientSink sink{patients, &trajectories};
  CHECK(pilot.append(0, StreamKey{7, 0, 49, 0, 0}, sink));
  CHECK(patients.rows() == 1);
  CHECK_FALSE(pilot.append(0, StreamKey{7, 0, 50, 0, 0}, sink));  // past the pilot
  CHECK_FALSE(pilot.append(0, StreamKey{8, 0, 3, 0, 0}, sink));   // another seed
  CHECK_FALSE(pilot.append(0, StreamKey{7, 1, 3, 0, 0}, sink));   // another domain
  PatientSink no_trajectories{patients, nullptr};
  CHECK_FALSE(pilot.append(0, StreamKey{7, 0, 3, 0, 0}, no_trajectories));  // another sink shape
  CHECK(patients.rows() == 1);

  // A summary-only estimate simulates nothing, so keeps nothing to append.
  opt.mode = OutputMode::summary_only;
  PilotRows none;
  estimate_run(*model, opt, true, std::uint64_t{1} << 30, EstimateDetail::bound, &none);
  CHECK_FALSE(none.append(0, StreamKey{7, 0, 0, 0, 0}, sink));
}
