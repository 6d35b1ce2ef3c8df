// The cohort runner alone (sim/runner/cohort_runner.cpp), driving a tiny fake model whose every value is a
// known function of its stream key: results in patient order; bit-identical for any thread count, block size
// and trajectory chunk size; summary-only columns equal to the model's own rows; the patients and trajectory
// tables written per strategy, and no trajectories when they are not kept.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/core/model.hpp"
#include "sim/io/run_file.hpp"
#include "sim/random/stream.hpp"
#include "sim/runner/cohort_runner.hpp"
#include "tests/unit/temp_dir.hpp"

namespace {

using namespace mmsim;

// Two strategies; one endpoint "pfs" and one outcome "responded"; a "visits" trajectory table with
// patient % 4 rows per patient (0 to 3), so chunks of trajectory rows do not line up with blocks of patients.
class FakeModel final : public Model {
 public:
  FakeModel() {
    schema_.patients = TableLayout("patients", {{"id", FieldType::u64, {}, "patient index"},
                                                {"pfs_time", FieldType::f64, {}, "months"},
                                                {"pfs_event", FieldType::u8, {}, "1: event"},
                                                {"responded", FieldType::u8, {}, "1: responded"},
                                                {"strategy", FieldType::u32, {}, "strategy index"}});
    schema_.trajectories = {TableLayout("visits", {{"patient", FieldType::u64, {}, "patient index"},
                                                   {"visit", FieldType::u32, {}, "0-based"},
                                                   {"value", FieldType::f64, {}, "a draw"}})};
    schema_.endpoints = {"pfs"};
    schema_.outcomes = {"responded"};
  }
  const OutputSchema& schema() const override { return schema_; }
  const std::vector<std::string>& strategies() const override { return strategies_; }
  double horizon() const override { return 60.0; }
  std::string parameter_report() const override { return "fake\n"; }

  // The values a patient gets, as a pure function of the key (the independent truth of the tests below).
  struct Expected {
    double time;
    std::uint8_t event, responded;
  };
  static Expected expected(std::size_t strategy, const StreamKey& key) {
    RandomStream rng({key.seed, key.domain, key.patient, 1, 0});
    const double t = rng.exponential() * 10.0 * static_cast<double>(strategy + 1);
    const bool responded = rng.uniform() < 0.4;
    return {std::min(t, 60.0), static_cast<std::uint8_t>(t < 60.0), static_cast<std::uint8_t>(responded)};
  }

  void simulate(std::size_t strategy, const StreamKey& key, PatientSink& sink) const override {
    const Expected e = expected(strategy, key);
    RowRef row = sink.patients.append();
    const TableLayout& p = schema_.patients;
    row.set_u64(p.find("id"), key.patient);
    row.set_f64(p.find("pfs_time"), e.time);
    row.set_u8(p.find("pfs_event"), e.event);
    row.set_u8(p.find("responded"), e.responded);
    row.set_u32(p.find("strategy"), static_cast<std::uint32_t>(strategy));
    if (sink.trajectories == nullptr) return;
    TableBuffer& visits = (*sink.trajectories)[0];
    RandomStream rng({key.seed, key.domain, key.patient, 2, static_cast<std::uint32_t>(strategy)});
    for (std::uint32_t v = 0; v < key.patient % 4; ++v) {
      RowRef r = visits.append();
      r.set_u64(visits.layout().find("patient"), key.patient);
      r.set_u32(visits.layout().find("visit"), v);
      r.set_f64(visits.layout().find("value"), rng.uniform());
    }
  }

 private:
  OutputSchema schema_;
  std::vector<std::string> strategies_{"slow", "fast"};
};

RunOptions summary_options(std::uint64_t patients, unsigned threads, std::size_t block) {
  RunOptions o;
  o.patients = patients;
  o.seed = 77;
  o.threads = threads;
  o.block_size = block;
  o.mode = OutputMode::summary_only;
  return o;
}

struct Written {
  std::vector<std::vector<std::byte>> patients, visits;  // raw per strategy
  std::vector<std::uint64_t> trajectory_rows;
  bool has_visits = false;
};

Written run_to_file(const FakeModel& model, RunOptions o, const std::filesystem::path& path) {
  io::RunAttributes attributes;
  attributes.seed = o.seed;
  attributes.strategy_order = model.strategies();
  io::RunFileWriter writer(path, attributes);
  const RunOutcome outcome = run_cohort(model, o, &writer);
  CHECK(outcome.columns.empty());  // columns are kept in memory only in summary-only runs
  writer.commit();
  Written w;
  w.trajectory_rows = outcome.trajectory_rows;
  io::RunFileReader reader(path);
  for (const auto& s : model.strategies()) {
    w.patients.push_back(reader.read_raw(table_path(s, "patients")));
    w.has_visits = reader.has_dataset(table_path(s, "visits"));
    if (w.has_visits) w.visits.push_back(reader.read_raw(table_path(s, "visits")));
  }
  return w;
}

}  // namespace

TEST_CASE("runner: summary-only columns are the model's values, in patient order", "[runner]") {
  const FakeModel model;
  const std::uint64_t n = 1000;
  const RunOutcome out = run_cohort(model, summary_options(n, 2, 64), nullptr);
  REQUIRE(out.columns.size() == 2);
  REQUIRE(out.outcomes.size() == 2);
  for (std::size_t s = 0; s < 2; ++s) {
    REQUIRE(out.columns[s].size() == 1);
    REQUIRE(out.columns[s][0].time.size() == n);
    REQUIRE(out.outcomes[s].size() == 1);
    REQUIRE(out.outcomes[s][0].size() == n);
    std::size_t mismatches = 0;
    for (std::uint64_t i = 0; i < n; ++i) {
      const auto e = FakeModel::expected(s, StreamKey{77, 0, i, 0, 0});
      mismatches += out.columns[s][0].time[i] != e.time || out.columns[s][0].event[i] != e.event ||
                    out.outcomes[s][0][i] != e.responded;
    }
    CHECK(mismatches == 0);
  }
  CHECK(out.trajectory_rows == std::vector<std::uint64_t>{0});
}

TEST_CASE("runner: the same draws for any thread count and block size", "[runner]") {
  const FakeModel model;
  const std::uint64_t n = 997;  // prime: every block size leaves a short last block
  const RunOutcome reference = run_cohort(model, summary_options(n, 1, 4096), nullptr);
  for (const unsigned threads : {1u, 2u, 3u}) {
    for (const std::size_t block : {std::size_t{1}, std::size_t{7}, std::size_t{500}}) {
      const RunOutcome o = run_cohort(model, summary_options(n, threads, block), nullptr);
      INFO("threads " << threads << ", block " << block);
      for (std::size_t s = 0; s < 2; ++s) {
        CHECK(std::vector<double>(o.columns[s][0].time.begin(), o.columns[s][0].time.end()) ==
              std::vector<double>(reference.columns[s][0].time.begin(), reference.columns[s][0].time.end()));
        CHECK(std::equal(o.columns[s][0].event.begin(), o.columns[s][0].event.end(),
                         reference.columns[s][0].event.begin()));
        CHECK(std::equal(o.outcomes[s][0].begin(), o.outcomes[s][0].end(), reference.outcomes[s][0].begin()));
      }
    }
  }
  // The seed and the domain reach the model's streams.
  RunOptions other = summary_options(n, 2, 64);
  other.domain = 1;
  const RunOutcome d = run_cohort(model, other, nullptr);
  CHECK(d.columns[0][0].time[0] != reference.columns[0][0].time[0]);
  CHECK(d.columns[0][0].time[0] == FakeModel::expected(0, StreamKey{77, 1, 0, 0, 0}).time);
}

TEST_CASE("runner: written tables are in patient order and independent of threads and chunking", "[runner]") {
  const FakeModel model;
  const mmsim::test::TempDir dir("mmsim_runner_");
  const std::uint64_t n = 301;
  RunOptions o;
  o.patients = n;
  o.seed = 77;
  o.mode = OutputMode::trajectories;
  o.threads = 1;
  o.block_size = 4096;
  o.trajectory_chunk_rows = 16384;
  const Written a = run_to_file(model, o, dir.path / "a.h5");
  o.threads = 3;
  o.block_size = 7;
  o.trajectory_chunk_rows = 5;
  const Written b = run_to_file(model, o, dir.path / "b.h5");
  CHECK(a.patients == b.patients);
  CHECK(a.visits == b.visits);
  // Patients 0..n-1 have 0, 1, 2, 3, 0, ... visits per strategy.
  std::uint64_t visits = 0;
  for (std::uint64_t i = 0; i < n; ++i) visits += i % 4;
  CHECK(a.trajectory_rows == std::vector<std::uint64_t>{2 * visits});
  CHECK(b.trajectory_rows == a.trajectory_rows);

  io::RunFileReader reader(dir.path / "b.h5");
  for (std::size_t s = 0; s < 2; ++s) {
    const std::string name = model.strategies()[s];
    const auto ids = reader.read_u64_column(table_path(name, "patients"), "id");
    REQUIRE(ids.size() == n);
    std::size_t out_of_order = 0;
    for (std::uint64_t i = 0; i < n; ++i) out_of_order += ids[i] != i;
    CHECK(out_of_order == 0);
    const auto times = reader.read_f64_column(table_path(name, "patients"), "pfs_time");
    CHECK(times[n - 1] == FakeModel::expected(s, StreamKey{77, 0, n - 1, 0, 0}).time);
    const auto owners = reader.read_u64_column(table_path(name, "visits"), "patient");
    REQUIRE(owners.size() == visits);
    CHECK(std::is_sorted(owners.begin(), owners.end()));
  }

  o.mode = OutputMode::no_trajectories;
  const Written c = run_to_file(model, o, dir.path / "c.h5");
  CHECK(c.patients == a.patients);
  CHECK_FALSE(c.has_visits);
  CHECK(c.trajectory_rows == std::vector<std::uint64_t>{0});
}

TEST_CASE("runner: a cohort smaller than one block, and of one patient", "[runner]") {
  const FakeModel model;
  for (const std::uint64_t n : {std::uint64_t{1}, std::uint64_t{3}}) {
    const RunOutcome o = run_cohort(model, summary_options(n, 2, 4096), nullptr);
    REQUIRE(o.columns[1][0].time.size() == n);
    CHECK(o.columns[1][0].time[n - 1] == FakeModel::expected(1, StreamKey{77, 0, n - 1, 0, 0}).time);
  }
}
