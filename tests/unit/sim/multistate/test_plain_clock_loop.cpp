// The multistate block loop (sim/multistate/plain_clock_loop.hpp) against the general event loop
// (MultistateModel::simulate, one patient at a time), on specs that take it and specs that do not:
//   * whether it is chosen is decided by the spec alone (no attributes; reset clocks; exponential and Weibull
//     laws), per strategy;
//   * where it is chosen, every patients row, every events row and the endpoint columns it writes in place
//     are the general loop's byte for byte, over patients 0..1999 split into blocks of uneven size (so a
//     block starting anywhere gives the same rows), for every strategy (hazard multipliers of 1 and not);
//   * through the runner, summary-only columns and written rows equal the general loop's rows whichever loop
//     ran (the general-path specs check the runner's fallback).
// The truth is the general loop, itself checked against the Kolmogorov equations in
// test_multistate_reference.cpp.
#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "sim/config/loader.hpp"
#include "sim/io/run_file.hpp"
#include "sim/runner/cohort_runner.hpp"
#include "tests/unit/multistate_scenario.hpp"
#include "tests/unit/temp_dir.hpp"

namespace {

using namespace mmsim;
using multistate::MultistateModel;

std::unique_ptr<MultistateModel> from_text(const std::string& text) {
  return test::build_multistate(config::load_config_text(text, "plain_clock_loop_test.toml"));
}

const std::string kHeader = R"(model = "multistate"
[simulation]
patients = 1000
seed = 99
horizon = 60.0
)";

// Recovery and relapse: states are entered again (streams keyed by visit), an endpoint starts at a state
// (undefined, NaN, for patients who never fall ill), exponential and Weibull clocks with multipliers.
const std::string kCyclic = kHeader + R"(
[multistate]
states = ["well", "ill", "dead"]
initial = "well"
absorbing = ["dead"]
[[multistate.transitions]]
from = "well"
to = "ill"
distribution = { dist = "weibull", shape = 0.9, scale = 10.0 }
[[multistate.transitions]]
from = "well"
to = "dead"
distribution = { dist = "exponential", rate = 0.02 }
[[multistate.transitions]]
from = "ill"
to = "well"
distribution = { dist = "exponential", rate = 0.3 }
[[multistate.transitions]]
from = "ill"
to = "dead"
distribution = { dist = "weibull", shape = 1.4, scale = 20.0 }
[[multistate.endpoints]]
name = "os"
end = ["dead"]
[[multistate.endpoints]]
name = "recovery"
start = "ill"
end = ["well"]
[[strategies]]
name = "usual"
[[strategies]]
name = "treated"
hazard_multipliers = { "ill->well" = 1.7, "ill->dead" = 0.6, "well->dead" = 0.9 }
)";

// Six clocks from one state: more than the four words of a Philox block, so a visit's stream takes two.
const std::string kSixClocks = kHeader + R"(
[multistate]
states = ["start", "a", "b", "c", "d", "e", "f", "dead"]
initial = "start"
absorbing = ["dead"]
)" + [] {
  std::string t;
  const char* to[] = {"a", "b", "c", "d", "e", "f"};
  for (int i = 0; i < 6; ++i) {
    t += std::string("[[multistate.transitions]]\nfrom = \"start\"\nto = \"") + to[i] + "\"\n" +
         (i % 2 == 0
              ? "distribution = { dist = \"weibull\", shape = 1.1, scale = " + std::to_string(30 + 7 * i) +
                    ".0 }\n"
              : "distribution = { dist = \"exponential\", rate = 0.0" + std::to_string(i + 1) + " }\n");
    t += std::string("[[multistate.transitions]]\nfrom = \"") + to[i] +
         "\"\nto = \"dead\"\ndistribution = { dist = \"exponential\", rate = 0.05 }\n";
  }
  return t;
}() + R"(
[[multistate.endpoints]]
name = "first_event"
end = ["a", "b", "c", "d", "e", "f", "dead"]
[[multistate.endpoints]]
name = "os"
end = ["dead"]
[[strategies]]
name = "one"
[[strategies]]
name = "two"
hazard_multipliers = { "start->f" = 2.0, "start->a" = 0.5 }
)";

// A law without a written-out draw (Gompertz): the general loop.
const std::string kGompertz = kHeader + R"(
[multistate]
states = ["alive", "dead"]
initial = "alive"
absorbing = ["dead"]
[[multistate.transitions]]
from = "alive"
to = "dead"
distribution = { dist = "gompertz", shape = 0.05, rate = 0.01 }
[[multistate.endpoints]]
name = "os"
end = ["dead"]
)";

// A forward clock (background mortality by age): the general loop.
const std::string kForward = kHeader + R"(
[multistate]
states = ["sick", "dead"]
initial = "sick"
absorbing = ["dead"]
[[multistate.attributes]]
name = "age_months"
distribution = { dist = "uniform", lower = 600.0, upper = 840.0 }
[[multistate.transitions]]
from = "sick"
to = "dead"
clock = "forward"
clock_origin = "age_months"
distribution = { dist = "gompertz", shape = 0.007, rate = 0.00002 }
[[multistate.endpoints]]
name = "os"
end = ["dead"]
)";

struct Rows {
  std::vector<std::byte> patients, events;
};

Rows general_rows(const MultistateModel& model, std::size_t strategy, std::uint64_t n) {
  TableBuffer patients(model.schema().patients);
  std::vector<TableBuffer> trajectories{TableBuffer(model.schema().trajectories[0])};
  PatientSink sink{patients, &trajectories};
  for (std::uint64_t p = 0; p < n; ++p) model.simulate(strategy, StreamKey{99, 4, p, 0, 0}, sink);
  return {{patients.data(), patients.data() + patients.size_bytes()},
          {trajectories[0].data(), trajectories[0].data() + trajectories[0].size_bytes()}};
}

// The patients rows' endpoint fields, as columns.
void check_columns_equal_rows(const MultistateModel& model, const std::vector<std::byte>& rows,
                              const std::vector<std::vector<double>>& times,
                              const std::vector<std::vector<std::uint8_t>>& events) {
  const TableLayout& p = model.schema().patients;
  const std::size_t n = rows.size() / p.row_size();
  std::size_t mismatches = 0;
  for (std::size_t e = 0; e < model.schema().endpoints.size(); ++e) {
    const std::size_t t_at = p.offset(p.find(model.schema().endpoints[e] + "_time"));
    const std::size_t e_at = p.offset(p.find(model.schema().endpoints[e] + "_event"));
    REQUIRE(times[e].size() == n);
    for (std::size_t r = 0; r < n; ++r) {
      mismatches += std::memcmp(&times[e][r], rows.data() + r * p.row_size() + t_at, sizeof(double)) != 0;
      mismatches += events[e][r] != static_cast<std::uint8_t>(rows[r * p.row_size() + e_at]);
    }
  }
  CHECK(mismatches == 0);
}

void check_block_loop_equals_general(const MultistateModel& model) {
  constexpr std::uint64_t n = 2000;
  const std::size_t n_ep = model.schema().endpoints.size();
  for (std::size_t s = 0; s < model.strategies().size(); ++s) {
    INFO("strategy " << model.strategies()[s]);
    REQUIRE(model.has_block_loop(s));
    const Rows want = general_rows(model, s, n);

    // Rows, events and columns at once, in blocks of uneven sizes.
    TableBuffer patients(model.schema().patients);
    std::vector<TableBuffer> trajectories{TableBuffer(model.schema().trajectories[0])};
    std::vector<std::vector<double>> times(n_ep, std::vector<double>(n));
    std::vector<std::vector<std::uint8_t>> events(n_ep, std::vector<std::uint8_t>(n));
    std::vector<std::vector<double>> times_only(n_ep, std::vector<double>(n));
    std::vector<std::vector<std::uint8_t>> events_only(n_ep, std::vector<std::uint8_t>(n));
    std::uint64_t first = 0;
    for (const std::uint64_t size : {1u, 7u, 256u, 1000u, 736u}) {
      std::vector<double*> t(n_ep), t_only(n_ep);
      std::vector<std::uint8_t*> ev(n_ep), ev_only(n_ep);
      for (std::size_t e = 0; e < n_ep; ++e) {
        t[e] = times[e].data() + first;
        ev[e] = events[e].data() + first;
        t_only[e] = times_only[e].data() + first;
        ev_only[e] = events_only[e].data() + first;
      }
      BlockSink all{&patients, &trajectories, t, ev};
      REQUIRE(model.simulate_block(s, StreamKey{99, 4, first, 0, 0}, size, all));
      BlockSink columns_only{nullptr, nullptr, t_only, ev_only};
      REQUIRE(model.simulate_block(s, StreamKey{99, 4, first, 0, 0}, size, columns_only));
      first += size;
    }
    REQUIRE(first == n);
    CHECK(patients.rows() == n);
    CHECK(std::vector<std::byte>(patients.data(), patients.data() + patients.size_bytes()) == want.patients);
    CHECK(std::vector<std::byte>(trajectories[0].data(),
                                 trajectories[0].data() + trajectories[0].size_bytes()) == want.events);
    check_columns_equal_rows(model, want.patients, times, events);
    check_columns_equal_rows(model, want.patients, times_only, events_only);
  }
}

// Through the runner: the columns of a summary-only run, and the columns and written tables of a run that
// keeps trajectories, against the general loop's rows.
void check_runner_equals_general(const MultistateModel& model) {
  constexpr std::uint64_t n = 3000;
  const test::TempDir dir("mmsim_plain_loop_");
  for (const OutputMode mode : {OutputMode::summary_only, OutputMode::trajectories}) {
    INFO("mode " << static_cast<int>(mode));
    RunOptions opt;
    opt.patients = n;
    opt.seed = 99;
    opt.domain = 4;
    opt.threads = 2;
    opt.block_size = 700;
    opt.mode = mode;
    opt.collect = ColumnCollection::memory;
    std::optional<io::RunFileWriter> writer;
    if (mode == OutputMode::trajectories) {
      io::RunAttributes attributes;
      attributes.seed = opt.seed;
      attributes.strategy_order = model.strategies();
      writer.emplace(dir.path / "run.h5", attributes);
    }
    const RunOutcome out = run_cohort(model, opt, writer ? &*writer : nullptr);
    if (writer) writer->commit();
    for (std::size_t s = 0; s < model.strategies().size(); ++s) {
      const Rows want = general_rows(model, s, n);
      std::vector<std::vector<double>> times;
      std::vector<std::vector<std::uint8_t>> events;
      for (const EndpointColumns& c : out.columns[s]) {
        times.emplace_back(c.time.begin(), c.time.end());
        events.emplace_back(c.event.begin(), c.event.end());
      }
      check_columns_equal_rows(model, want.patients, times, events);
      if (writer) {
        io::RunFileReader reader(dir.path / "run.h5");
        CHECK(reader.read_raw(table_path(model.strategies()[s], "patients")) == want.patients);
        CHECK(reader.read_raw(table_path(model.strategies()[s], "events")) == want.events);
      }
    }
  }
}

}  // namespace

TEST_CASE("the block loop is chosen exactly for attribute-free reset exponential and Weibull clocks",
          "[multistate][block]") {
  CHECK(test::load_multistate("configs/reference/illness_death.toml")->has_block_loop(0));
  const auto two = test::load_multistate("tests/data/report/two_strategies.toml");
  CHECK(two->has_block_loop(0));
  CHECK(two->has_block_loop(1));
  CHECK(from_text(kCyclic)->has_block_loop(1));
  CHECK(from_text(kSixClocks)->has_block_loop(1));
  // The general loop: attributes with hazard ratios, a Gompertz law, a forward clock.
  const auto with_attributes = test::load_multistate("tests/data/sweeps/two_arm.toml");
  CHECK_FALSE(with_attributes->has_block_loop(0));
  CHECK_FALSE(from_text(kGompertz)->has_block_loop(0));
  CHECK_FALSE(from_text(kForward)->has_block_loop(0));
  TableBuffer rows(with_attributes->schema().patients);
  BlockSink sink{&rows, nullptr, {}, {}};
  CHECK_FALSE(with_attributes->simulate_block(0, StreamKey{1, 0, 0, 0, 0}, 10, sink));
  CHECK(rows.rows() == 0);  // nothing written when it declines
}

TEST_CASE("the block loop gives the general loop's rows, events and columns bit for bit",
          "[multistate][block]") {
  SECTION("reference model") {
    check_block_loop_equals_general(*test::load_multistate("configs/reference/illness_death.toml"));
  }
  SECTION("two strategies, a hazard multiplier") {
    check_block_loop_equals_general(*test::load_multistate("tests/data/report/two_strategies.toml"));
  }
  SECTION("states entered again, an endpoint starting at a state") {
    check_block_loop_equals_general(*from_text(kCyclic));
  }
  SECTION("six clocks from one state") {
    check_block_loop_equals_general(*from_text(kSixClocks));
  }
}

TEST_CASE("the runner's columns equal the general loop's rows with either loop", "[multistate][block]") {
  SECTION("block loop: reference") {
    check_runner_equals_general(*test::load_multistate("configs/reference/illness_death.toml"));
  }
  SECTION("block loop: states entered again") {
    check_runner_equals_general(*from_text(kCyclic));
  }
  SECTION("general loop: attributes") {
    check_runner_equals_general(*test::load_multistate("tests/data/sweeps/two_arm.toml"));
  }
  SECTION("general loop: forward clock") {
    check_runner_equals_general(*from_text(kForward));
  }
}
