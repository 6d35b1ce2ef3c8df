// Per-line endpoints and outcomes (models/myeloma/src/endpoints.hpp): a constructed three-line history is
// written with every endpoint asked for, and each time is worked out by hand from the history; a scenario
// that asks for none of them keeps its columns and rates as before.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "tests/unit/models/myeloma/test_myeloma_support.hpp"

namespace {

using namespace mmsim;
using namespace mmsim::myeloma;

// The flagship's parameters with every endpoint, per-line ones included.
const MyelomaModel& per_line_model() {
  static const MyelomaModel m = [] {
    Params p = test::flagship_model().params();
    p.endpoints.clear();
    for (std::size_t e = 0; e < kEndpoints; ++e) p.endpoints.push_back(static_cast<Endpoint>(e));
    return MyelomaModel(std::move(p));
  }();
  return m;
}

// Line 1: infused at 1, responds at 2 (CR), progresses at 10. Line 2: starts 10.5, infused 11, responds at
// 12.5 (PR), progresses at 16. Line 3: starts 16.5, infused 17, PD, ends by myeloma death at 20.
History three_lines() {
  History h;
  h.state.x = test::average_patient();
  h.n_lines = 3;
  const auto line = [&](std::size_t i, double start, double inf, double end, Depth d, EndReason r) {
    LineRecord& l = h.lines[i];
    l.line = static_cast<int>(i) + 1, l.therapy = 0, l.start = start, l.infusion = inf, l.end = end;
    l.best_response = static_cast<int>(d), l.end_reason = r;
  };
  line(0, 0.0, 1.0, 10.0, Depth::cr, EndReason::progression);
  line(1, 10.5, 11.0, 16.0, Depth::pr, EndReason::progression);
  line(2, 16.5, 17.0, 20.0, Depth::pd, EndReason::death);
  h.death = 20.0;
  h.death_cause = DeathCause::myeloma;
  const std::vector<EventRecord> ev{{1.0, State::waiting, State::on_therapy, 1, DeathCause::none},
                                    {2.0, State::on_therapy, State::responding, 1, DeathCause::none},
                                    {10.0, State::responding, State::progressed, 1, DeathCause::none},
                                    {12.5, State::on_therapy, State::responding, 2, DeathCause::none},
                                    {16.0, State::responding, State::progressed, 2, DeathCause::none},
                                    {20.0, State::progressive, State::dead, 3, DeathCause::myeloma}};
  std::copy(ev.begin(), ev.end(), h.events.begin());
  h.n_events = ev.size();
  return h;
}

struct Written {
  TableBuffer patients;
  explicit Written(const MyelomaModel& m, const History& h) : patients(m.schema().patients) {
    PatientSink sink{patients, nullptr};
    m.write(h, StreamKey{1, 0, 7, 0, 0}, sink);
  }
  template <class T>
  T get(const std::string& field) const {
    REQUIRE(patients.layout().contains(field));
    return patients.get<T>(0, patients.layout().find(field));
  }
  bool has(const std::string& field) const { return patients.layout().contains(field); }
};

}  // namespace

TEST_CASE("per-line endpoints start at their own line and end at its failure or death",
          "[myeloma][endpoints]") {
  const Written w(per_line_model(), three_lines());
  struct Expected {
    const char* endpoint;
    double time;
    int event;
  };
  // pfs_line2: 10.5 -> 16 (line-2 progression); os_line2: 10.5 -> 20; pfs_line3/os_line3: 16.5 -> 20 (death);
  // dor_line1: response at 2 -> progression at 10; dor_line2: 12.5 -> 16.
  for (const Expected& x :
       {Expected{"pfs_line2", 5.5, 1}, Expected{"os_line2", 9.5, 1}, Expected{"pfs_line3", 3.5, 1},
        Expected{"os_line3", 3.5, 1}, Expected{"dor_line1", 8.0, 1}, Expected{"dor_line2", 3.5, 1}}) {
    INFO(x.endpoint);
    CHECK(w.get<double>(std::string(x.endpoint) + "_time") == Approx(x.time).margin(1e-12));
    CHECK(w.get<std::uint8_t>(std::string(x.endpoint) + "_event") == x.event);
  }
  CHECK(w.get<std::uint8_t>("started_line2") == 1);
  CHECK(w.get<std::uint8_t>("started_line3") == 1);
  CHECK(w.get<std::uint8_t>("response_line3") == 0);
  CHECK(w.get<std::uint8_t>("icans_any_line1") == 0);
  CHECK(w.get<std::uint8_t>("nrm") == 0);  // died of myeloma after relapse
  CHECK(w.get<std::uint8_t>("trm") == 0);
}

TEST_CASE("per-line endpoints are undefined for a line never reached or a line without response",
          "[myeloma][endpoints]") {
  History h = three_lines();
  h.n_lines = 1;  // only line 1, which ends by progression at 10; alive at the horizon
  h.death = kInf;
  h.death_cause = DeathCause::none;
  h.lines[0].best_response = static_cast<int>(Depth::mr_sd);
  h.n_events = 1;
  const Written w(per_line_model(), h);
  for (const char* e : {"pfs_line2", "os_line2", "pfs_line3", "os_line3", "dor_line1", "dor_line2"}) {
    INFO(e);
    CHECK(std::isnan(w.get<double>(std::string(e) + "_time")));
    CHECK(w.get<std::uint8_t>(std::string(e) + "_event") == 0);
  }
  CHECK(w.get<std::uint8_t>("started_line2") == 0);
  CHECK(w.get<std::uint8_t>("started_line3") == 0);
}

TEST_CASE("a responder still responding at the horizon is censored there", "[myeloma][endpoints]") {
  History h = three_lines();
  h.n_lines = 1;
  h.lines[0].end = per_line_model().params().horizon;
  h.lines[0].end_reason = EndReason::censored;
  h.death = kInf;
  h.death_cause = DeathCause::none;
  h.n_events = 2;
  const Written w(per_line_model(), h);
  CHECK(w.get<double>("dor_line1_time") == Approx(per_line_model().params().horizon - 2.0));
  CHECK(w.get<std::uint8_t>("dor_line1_event") == 0);
}

TEST_CASE("non-relapse and treatment-related deaths", "[myeloma][endpoints]") {
  History h = three_lines();
  h.n_lines = 1;
  h.lines[0].end = 4.0, h.lines[0].end_reason = EndReason::death;
  h.death = 4.0;
  h.n_events = 2;
  h.lines[0].icans = 3;
  CHECK(Written(per_line_model(), h).get<std::uint8_t>("icans_any_line1") == 1);
  CHECK(Written(per_line_model(), h).get<std::uint8_t>("icans_grade3_line1") == 1);
  h.lines[0].icans = 1;
  CHECK(Written(per_line_model(), h).get<std::uint8_t>("icans_grade3_line1") == 0);
  h.death_cause = DeathCause::treatment;  // infection in remission: both
  CHECK(Written(per_line_model(), h).get<std::uint8_t>("nrm") == 1);
  CHECK(Written(per_line_model(), h).get<std::uint8_t>("trm") == 1);
  h.death_cause = DeathCause::background;  // non-relapse, not treatment-related
  CHECK(Written(per_line_model(), h).get<std::uint8_t>("nrm") == 1);
  CHECK(Written(per_line_model(), h).get<std::uint8_t>("trm") == 0);
  h.death_cause = DeathCause::myeloma;  // neither
  CHECK(Written(per_line_model(), h).get<std::uint8_t>("nrm") == 0);
  // A treatment death after relapse (on line 3) is treatment-related but not non-relapse.
  History late = three_lines();
  late.death_cause = DeathCause::treatment;
  CHECK(Written(per_line_model(), late).get<std::uint8_t>("nrm") == 0);
  CHECK(Written(per_line_model(), late).get<std::uint8_t>("trm") == 1);
  // A death after the patient's end of follow-up is not observed: check through endpoint helpers directly.
  CHECK_FALSE(non_relapse_death(h, 3.9));
  CHECK_FALSE(treatment_death(late, 19.9));
}

TEST_CASE("line rates name their denominators only when per-line outputs are asked for",
          "[myeloma][endpoints]") {
  const OutputSchema& plain = test::flagship_model().schema();
  CHECK(plain.outcome_denominators.empty());
  CHECK(plain.outcomes.size() == 6);
  CHECK_FALSE(Written(test::flagship_model(), three_lines()).has("started_line2"));
  const OutputSchema& s = per_line_model().schema();
  REQUIRE(s.outcome_denominators.size() == s.outcomes.size());
  const auto denominator = [&](const std::string& outcome) {
    const auto it = std::find(s.outcomes.begin(), s.outcomes.end(), outcome);
    REQUIRE(it != s.outcomes.end());
    return s.outcome_denominators[static_cast<std::size_t>(it - s.outcomes.begin())];
  };
  CHECK(denominator("response_line1") == "infused_line1");
  CHECK(denominator("response_line2") == "started_line2");
  CHECK(denominator("response_line3") == "started_line3");
  CHECK(denominator("nrm") == "infused_line1");
  CHECK(denominator("icans_any_line1") == "infused_line1");
  CHECK(denominator("started_line2").empty());
  for (const auto& d : s.outcome_denominators) {
    if (!d.empty()) CHECK(s.patients.contains(d));
  }
}

TEST_CASE("a scenario without an endpoints list gets the six default endpoints, not the per-line ones",
          "[myeloma][endpoints]") {
  const auto text = [](const std::string& endpoints) {
    return test::scenario_text("default_relapsed", 120.0, endpoints,
                               test::fixed_strategies({{"ide_cel", {"ide_cel"}}}));
  };
  const auto plain = test::build_valid(text(""));
  CHECK(plain->schema().endpoints ==
        std::vector<std::string>{"pfs", "pfs2", "os", "ttnt", "pfs_after_relapse", "os_after_relapse"});
  CHECK_FALSE(plain->schema().patients.contains("started_line2"));
  const auto lines = test::build_valid(text("endpoints = [\"os\", \"dor_line1\"]\n"));
  CHECK(lines->schema().endpoints == std::vector<std::string>{"os", "dor_line1"});
  CHECK(lines->schema().patients.contains("started_line2"));
  CHECK(lines->schema().patients.contains("dor_line1_time"));
  config::Diagnostics bad;
  CHECK(test::build_from_text(text("endpoints = [\"pfs_line4\"]\n"), bad) == nullptr);
  CHECK_THAT(bad.format(), Catch::Contains("unknown endpoint \"pfs_line4\""));
}
