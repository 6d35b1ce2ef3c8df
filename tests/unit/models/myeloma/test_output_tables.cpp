// The myeloma model's tables (models/myeloma/src/output_tables.hpp): a constructed history is written as
// docs/hdf5_schema.md and docs/model.md S say (derived columns and endpoint times worked out by hand here),
// and every column the model writes is documented in docs/hdf5_schema.md.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/unit/models/myeloma/test_myeloma_support.hpp"

namespace {

using namespace mmsim;
using namespace mmsim::myeloma;

// Two lines: line 1 (therapy 0, infused at 1, CR, CRS grade 3, progression at 10 by antigen loss), line 2
// (therapy 1 with partner 0, started at 10.5, PD, ended by death at 20).
History two_lines() {
  History h;
  h.state.x = test::average_patient();
  h.n_lines = 2;
  LineRecord& a = h.lines[0];
  a.line = 1, a.therapy = 0, a.start = 0.5, a.infusion = 1.0, a.end = 10.0;
  a.best_response = static_cast<int>(Depth::cr), a.end_reason = EndReason::progression;
  a.mechanism = Mech::antigen_loss, a.crs = 3, a.icans = 1, a.bridged = true;
  LineRecord& b = h.lines[1];
  b.line = 2, b.therapy = 1, b.partner = 0, b.start = 10.5, b.infusion = 11.0, b.end = 20.0;
  b.best_response = static_cast<int>(Depth::pd), b.end_reason = EndReason::death;
  h.death = 20.0;
  h.death_cause = DeathCause::myeloma;
  h.n_events = 1;
  h.events[0] = {20.0, State::progressive, State::dead, 2, DeathCause::myeloma};
  return h;
}

struct Written {
  TableBuffer patients;
  std::vector<TableBuffer> trajectories;
  explicit Written(const MyelomaModel& m) : patients(m.schema().patients) {
    for (const auto& l : m.schema().trajectories) trajectories.emplace_back(l);
  }
  template <class T>
  T patient(const std::string& field, std::size_t row = 0) const {
    return patients.get<T>(row, patients.layout().find(field));
  }
};

Written write(const History& h) {
  Written w(test::flagship_model());
  PatientSink sink{w.patients, &w.trajectories};
  test::flagship_model().write(h, StreamKey{1, 0, 42, 0, 0}, sink);
  return w;
}

}  // namespace

TEST_CASE("myeloma patients row of a constructed history", "[myeloma][output]") {
  const Written w = write(two_lines());
  REQUIRE(w.patients.rows() == 1);
  CHECK(w.patient<std::uint64_t>("id") == 42);
  CHECK(w.patient<double>("age") == 60.0);
  CHECK(w.patient<std::int32_t>("prior_lines") == 5);
  CHECK(w.patient<std::uint8_t>("male") == 1);
  CHECK(w.patient<std::uint8_t>("emd") == 0);
  CHECK(w.patient<double>("bcma_density") == 670.0);
  CHECK(w.patient<std::uint8_t>("index_therapy") == 1);  // code 0 is none
  CHECK(w.patient<std::uint8_t>("infused_line1") == 1);
  CHECK(w.patient<std::uint8_t>("best_response_line1") == 1 + idx(Depth::cr));
  CHECK(w.patient<std::uint8_t>("response_line1") == 1);
  CHECK(w.patient<std::uint8_t>("cr_line1") == 1);
  CHECK(w.patient<std::uint8_t>("crs_any_line1") == 1);
  CHECK(w.patient<std::uint8_t>("crs_grade3_line1") == 1);
  CHECK(w.patient<std::uint8_t>("mechanism_line1") == idx(Mech::antigen_loss));
  CHECK(w.patient<std::uint8_t>("therapy_line2") == 2);
  CHECK(w.patient<std::uint8_t>("best_response_line2") == 1 + idx(Depth::pd));
  CHECK(w.patient<std::uint8_t>("response_line2") == 0);
  CHECK(w.patient<std::int32_t>("lines_received") == 2);
  CHECK(w.patient<std::uint8_t>("death_cause") == idx(DeathCause::myeloma));
  // Endpoints from time zero = line start (0): pfs ends at the line-1 progression, pfs2 at death (line 2
  // ended by death, not failure), ttnt at line 2's start; the after-relapse ones start at 10.
  const std::vector<std::pair<std::string, double>> times{{"pfs", 10.0},
                                                          {"pfs2", 20.0},
                                                          {"os", 20.0},
                                                          {"ttnt", 10.5},
                                                          {"pfs_after_relapse", 10.0},
                                                          {"os_after_relapse", 10.0}};
  for (const auto& [e, t] : times) {
    INFO(e);
    CHECK(w.patient<double>(e + "_time") == t);
    CHECK(w.patient<std::uint8_t>(e + "_event") == 1);
  }
}

TEST_CASE("myeloma line-1 flags tell PR from CR and CRS grades apart", "[myeloma][output]") {
  History h = two_lines();
  h.lines[0].best_response = static_cast<int>(Depth::pr);
  h.lines[0].crs = 1;
  h.lines[0].infusion = NAN;  // never given (a PR without infusion cannot happen, but the flags are separate)
  const Written w = write(h);
  CHECK(w.patient<std::uint8_t>("response_line1") == 1);
  CHECK(w.patient<std::uint8_t>("cr_line1") == 0);
  CHECK(w.patient<std::uint8_t>("crs_any_line1") == 1);
  CHECK(w.patient<std::uint8_t>("crs_grade3_line1") == 0);
  CHECK(w.patient<std::uint8_t>("infused_line1") == 0);
  h.lines[0].best_response = static_cast<int>(Depth::mr_sd);
  h.lines[0].crs = 0;
  const Written v = write(h);
  CHECK(v.patient<std::uint8_t>("response_line1") == 0);
  CHECK(v.patient<std::uint8_t>("crs_any_line1") == 0);
}

TEST_CASE("myeloma rows of a patient never treated and alive at the horizon", "[myeloma][output]") {
  History h;
  h.state.x = test::average_patient();
  const Written w = write(h);
  const double horizon = test::flagship_model().params().horizon;
  CHECK(w.patient<std::uint8_t>("index_therapy") == 0);
  CHECK(w.patient<std::uint8_t>("infused_line1") == 0);
  CHECK(w.patient<std::uint8_t>("best_response_line1") == 0);
  CHECK(w.patient<std::uint8_t>("mechanism_line1") == idx(Mech::none));
  CHECK(w.patient<std::int32_t>("lines_received") == 0);
  CHECK(w.patient<double>("os_time") == horizon);  // censored at the horizon
  CHECK(w.patient<std::uint8_t>("os_event") == 0);
  CHECK(std::isnan(w.patient<double>("os_after_relapse_time")));  // never relapsed: undefined
  CHECK(w.patient<std::uint8_t>("os_after_relapse_event") == 0);
  CHECK(w.trajectories[kLinesTable].rows() == 0);
  CHECK(w.trajectories[kEventsTable].rows() == 0);
}

TEST_CASE("myeloma lines and events rows of a constructed history", "[myeloma][output]") {
  const Written w = write(two_lines());
  const TableBuffer& lines = w.trajectories[kLinesTable];
  const TableLayout& L = lines.layout();
  REQUIRE(L.name() == "lines");
  REQUIRE(lines.rows() == 2);
  CHECK(lines.get<std::uint64_t>(1, L.find("patient")) == 42);
  CHECK(lines.get<std::int32_t>(1, L.find("line")) == 2);
  CHECK(lines.get<std::uint8_t>(1, L.find("therapy")) == 2);
  CHECK(lines.get<std::uint8_t>(1, L.find("partner")) == 1);
  CHECK(lines.get<std::uint8_t>(0, L.find("partner")) == 0);  // none
  CHECK(lines.get<std::uint8_t>(0, L.find("maintenance")) == 0);
  CHECK(lines.get<double>(1, L.find("start")) == 10.5);
  CHECK(lines.get<double>(1, L.find("infusion")) == 11.0);
  CHECK(lines.get<double>(1, L.find("end")) == 20.0);
  CHECK(lines.get<std::uint8_t>(0, L.find("best_response")) == 1 + idx(Depth::cr));
  CHECK(lines.get<std::uint8_t>(1, L.find("end_reason")) == idx(EndReason::death));
  CHECK(lines.get<std::uint8_t>(0, L.find("mechanism")) == idx(Mech::antigen_loss));
  CHECK(lines.get<std::uint8_t>(0, L.find("crs_grade")) == 3);
  CHECK(lines.get<std::uint8_t>(0, L.find("icans_grade")) == 1);
  CHECK(lines.get<std::uint8_t>(0, L.find("bridged")) == 1);
  CHECK(lines.get<std::uint8_t>(1, L.find("bridged")) == 0);
  CHECK(lines.get<std::uint8_t>(0, L.find("maintained")) == 0);
  const TableBuffer& events = w.trajectories[kEventsTable];
  const TableLayout& E = events.layout();
  REQUIRE(E.name() == "events");
  REQUIRE(events.rows() == 1);
  CHECK(events.get<double>(0, E.find("time")) == 20.0);
  CHECK(events.get<std::uint8_t>(0, E.find("from")) == idx(State::progressive));
  CHECK(events.get<std::uint8_t>(0, E.find("to")) == idx(State::dead));
  CHECK(events.get<std::int32_t>(0, E.find("line")) == 2);
  CHECK(events.get<std::uint8_t>(0, E.find("cause")) == idx(DeathCause::myeloma));
  // Times carry their unit.
  CHECK(E.field(E.find("time")).unit == "months");
  CHECK(L.field(L.find("end")).unit == "months");
}

TEST_CASE("every myeloma column is documented in docs/hdf5_schema.md", "[myeloma][output]") {
  std::ifstream in(std::string(MMSIM_SOURCE_DIR) + "/docs/hdf5_schema.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  const auto section = doc.find("### Myeloma model");
  REQUIRE(section != std::string::npos);
  const std::string myeloma = doc.substr(section);
  const auto& schema = test::flagship_model().schema();
  std::vector<const TableLayout*> tables{&schema.patients};
  for (const auto& t : schema.trajectories) tables.push_back(&t);
  for (const TableLayout* t : tables) {
    CHECK(myeloma.find("`" + t->name() + "`") != std::string::npos);
    for (const Field& f : t->fields()) {
      INFO(t->name() << "." << f.name);
      std::string name = f.name;
      for (const auto& e : schema.endpoints) {
        if (name == e + "_time" || name == e + "_event") {
          CHECK(myeloma.find(e) != std::string::npos);
          name = name == e + "_time" ? "<e>_time" : "<e>_event";
        }
      }
      CHECK(myeloma.find("`" + name + "`") != std::string::npos);
    }
  }
}
