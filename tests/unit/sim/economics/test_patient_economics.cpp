// One patient's costs, QALYs and life years (sim/economics/patient_economics.cpp) from hand-made rows with
// answers worked out by hand: one-off line costs at their columns' times, dosing phases over the time on
// treatment, event and state costs, state utilities overridden on a line, a disutility, per-line values,
// the horizon, and the age adjustment (against Simpson's rule).
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "sim/config/diagnostics.hpp"
#include "sim/config/loader.hpp"
#include "sim/economics/patient_economics.hpp"

namespace {

using namespace mmsim;
using namespace mmsim::economics;

const std::vector<std::string> kStates{"relapsed", "on_therapy", "progressed", "dead"};

class RowsModel final : public Model {
 public:
  RowsModel() {
    schema_.patients = TableLayout("patients", {{"id", FieldType::u64, {}, ""},
                                                {"age", FieldType::f64, {}, ""},
                                                {"male", FieldType::u8, {}, ""},
                                                {"os_time", FieldType::f64, {}, ""},
                                                {"os_event", FieldType::u8, {}, ""}});
    schema_.trajectories = {
        TableLayout("events", {{"patient", FieldType::u64, {}, ""},
                               {"time", FieldType::f64, {}, ""},
                               {"from", FieldType::enumeration, kStates, ""},
                               {"to", FieldType::enumeration, kStates, ""}}),
        TableLayout("lines", {{"patient", FieldType::u64, {}, ""},
                              {"line", FieldType::i32, {}, ""},
                              {"therapy", FieldType::enumeration, {"none", "cart", "bispecific"}, ""},
                              {"start", FieldType::f64, {}, ""},
                              {"infusion", FieldType::f64, {}, ""},
                              {"end", FieldType::f64, {}, ""},
                              {"crs_grade", FieldType::u8, {}, ""}})};
    schema_.endpoints = {"os"};
  }
  const OutputSchema& schema() const override { return schema_; }
  const std::vector<std::string>& strategies() const override { return strategies_; }
  double horizon() const override { return 120.0; }
  void simulate(std::size_t, const StreamKey&, PatientSink&) const override {}
  std::string parameter_report() const override { return ""; }

 private:
  OutputSchema schema_;
  std::vector<std::string> strategies_{"a", "b"};
};

std::string economics_config(const std::string& extra = "", double horizon = 120.0) {
  return R"(
[economics]
currency = "EUR"
price_year = 2025
perspective = "test"
discount_costs = 0.03
discount_effects = 0.035
horizon = )" +
         std::to_string(horizon) +
         R"(
willingness_to_pay = [1000]
source = "test"
[economics.columns]
follow_up = "os"
events = "events"
initial_state = "relapsed"
lines = "lines"
age = "age"
sex = "male"
[[economics.costs.line]]
name = "apheresis"
match = { therapy = "cart" }
cost = 10
source = "t"
[[economics.costs.line]]
name = "product"
match = { therapy = "cart" }
at = "infusion"
cost = 100
source = "t"
[[economics.costs.treatment]]
name = "dosing"
match = { therapy = "bispecific" }
phases = [ { months = 1, cost = 50 }, { months = 2, cost = 20 }, { cost = 5 } ]
source = "t"
[[economics.costs.event]]
name = "death"
match = { to = "dead" }
cost = 7
source = "t"
[[economics.costs.state]]
name = "progressed"
states = ["progressed"]
cost = 3
source = "t"
[economics.utilities]
states = { relapsed = 0.5, on_therapy = 0.7, progressed = 0.4, dead = 0.0 }
source = "t"
[[economics.utilities.line]]
name = "on CAR-T"
match = { therapy = "cart" }
states = ["on_therapy"]
utility = 0.9
source = "t"
[[economics.disutilities]]
name = "CRS"
match = { crs_grade = 3 }
at = "infusion"
decrement = 0.5
days = 36.525
source = "t"
)" + extra;
}

struct Rows {
  RowsModel model;
  TableBuffer patients{model.schema().patients}, events{model.schema().trajectories[0]},
      lines{model.schema().trajectories[1]};
  Rows() {
    RowRef p = patients.append();
    p.set_u64(FieldId{0}, 0);
    p.set_f64(FieldId{1}, 60.0);
    p.set_u8(FieldId{2}, 1);
    p.set_f64(FieldId{3}, 24.0);
    p.set_u8(FieldId{4}, 1);
    // relapsed -> on_therapy at 1 -> progressed at 10 -> on_therapy at 12 -> dead at 24
    const double times[] = {1, 10, 12, 24};
    const std::uint8_t from[] = {0, 1, 2, 1}, to[] = {1, 2, 1, 3};
    for (int i = 0; i < 4; ++i) {
      RowRef e = events.append();
      e.set_f64(FieldId{1}, times[i]);
      e.set_enum(FieldId{2}, from[i]);
      e.set_enum(FieldId{3}, to[i]);
    }
    // line 1: CAR-T, decided at 0, infused at 1, progression at 10, CRS grade 3; line 2: bispecific 12..24
    const double start[] = {0, 12}, infusion[] = {1, 12}, end[] = {10, 24};
    for (int i = 0; i < 2; ++i) {
      RowRef l = lines.append();
      l.set_i32(FieldId{1}, i + 1);
      l.set_enum(FieldId{2}, static_cast<std::uint8_t>(i + 1));
      l.set_f64(FieldId{3}, start[i]);
      l.set_f64(FieldId{4}, infusion[i]);
      l.set_f64(FieldId{5}, end[i]);
      l.set_u8(FieldId{6}, i == 0 ? 3 : 0);
    }
  }
};

PatientEconomics build(const RowsModel& model, const std::string& text) {
  config::Diagnostics diag;
  const auto doc = config::load_config_text(text, "rows.toml");
  auto spec = read_economics(doc.root, model, model.horizon(), diag);
  if (!diag.ok()) FAIL(diag.format());
  REQUIRE(spec);
  return PatientEconomics(std::move(*spec));
}

// The annual convention written independently: a one-off at m months, and a flow of 1 per month over
// [a, b) months.
double at(double r, double m) {
  return std::pow(1.0 + r, -m / 12.0);
}
double flow(double r, double a, double b) {
  return 12.0 * (std::pow(1.0 + r, -a / 12.0) - std::pow(1.0 + r, -b / 12.0)) / std::log(1.0 + r);
}

}  // namespace

TEST_CASE("a patient's costs, QALYs and life years from its rows, by hand", "[economics]") {
  Rows rows;
  const PatientEconomics e = build(rows.model, economics_config());
  std::vector<LineValues> per_line;
  const PatientValues v = e.evaluate(rows.patients, 0, {&rows.events, 0, 4}, {&rows.lines, 0, 2}, &per_line);
  // Undiscounted: apheresis 10 + product 100 + dosing 1 x 50 + 2 x 20 + 9 x 5 + death 7 + progressed 2 x 3.
  CHECK(v[3] == Approx(258.0));
  // Utility-months: relapsed 0.5 x 1, on CAR-T 0.9 x 9, progressed 0.4 x 2, on therapy 0.7 x 12; minus the
  // CRS loss 0.5 x 36.525 / 365.25 = 0.05 QALYs.
  CHECK(v[4] == Approx(17.8 / 12.0 - 0.05));
  CHECK(v[5] == Approx(2.0));
  const double rc = 0.03, re = 0.035;
  const double cost = 10 + 100 * at(rc, 1) + 50 * flow(rc, 12, 13) + 20 * flow(rc, 13, 15) +
                      5 * flow(rc, 15, 24) + 7 * at(rc, 24) + 3 * flow(rc, 10, 12);
  CHECK(v[0] == Approx(cost).epsilon(1e-12));
  const double qaly =
      (0.5 * flow(re, 0, 1) + 0.9 * flow(re, 1, 10) + 0.4 * flow(re, 10, 12) + 0.7 * flow(re, 12, 24)) /
          12.0 -
      0.05 * at(re, 1);
  CHECK(v[1] == Approx(qaly).epsilon(1e-12));
  CHECK(v[2] == Approx(flow(re, 0, 24) / 12.0).epsilon(1e-12));
  REQUIRE(per_line.size() == 2);
  CHECK(per_line[0][2] == Approx(110.0));              // the CAR-T line's own items
  CHECK(per_line[0][3] == Approx(8.6 / 12.0 - 0.05));  // [0, 10): 0.5 x 1 + 0.9 x 9
  CHECK(per_line[1][2] == Approx(135.0));              // the dosing phases
  CHECK(per_line[1][3] == Approx(0.7));                // [12, 24): 0.7 x 12 months
  CHECK(per_line[0][0] == Approx(10 + 100 * at(rc, 1)).epsilon(1e-12));
}

TEST_CASE("the economic horizon cuts flows and one-offs after it", "[economics]") {
  Rows rows;
  const PatientEconomics e = build(rows.model, economics_config("", 13.0));
  const PatientValues v = e.evaluate(rows.patients, 0, {&rows.events, 0, 4}, {&rows.lines, 0, 2}, nullptr);
  // By 13 months: apheresis, product, 1 month of step-up dosing and 2 progressed months; no death cost.
  CHECK(v[3] == Approx(10 + 100 + 50 + 6));
  CHECK(v[5] == Approx(13.0 / 12.0));
  CHECK(v[4] == Approx((0.5 + 0.9 * 9 + 0.4 * 2 + 0.7 * 1) / 12.0 - 0.05));
}

TEST_CASE("age adjustment: utilities times norm(age(t)) / norm(age at time zero), exactly", "[economics]") {
  Rows rows;
  const std::string age = R"(
[economics.age_adjustment]
intercept = 0.9508566
male = 0.0212126
age = -0.0002587
age_squared = -0.0000332
source = "Ara & Brazier 2010"
)";
  const PatientEconomics e = build(rows.model, economics_config(age));
  const PatientValues v = e.evaluate(rows.patients, 0, {&rows.events, 0, 4}, {&rows.lines, 0, 2}, nullptr);
  auto norm = [](double a) { return 0.9508566 + 0.0212126 - 0.0002587 * a - 0.0000332 * a * a; };
  auto utility = [](double m) { return m < 1 ? 0.5 : m < 10 ? 0.9 : m < 12 ? 0.4 : 0.7; };
  // Simpson's rule on each piece (months), discounted at 3.5% a year.
  double sum = 0.0;
  const double cuts[] = {0, 1, 10, 12, 24};
  for (int k = 0; k < 4; ++k) {
    const int n = 2000;
    const double a = cuts[k], h = (cuts[k + 1] - cuts[k]) / n;
    auto f = [&](double m) {
      return utility(a + 1e-9) * norm(60.0 + m / 12.0) / norm(60.0) * std::pow(1.035, -m / 12.0);
    };
    double s = f(a) + f(cuts[k + 1]);
    for (int i = 1; i < n; ++i) s += (i % 2 ? 4.0 : 2.0) * f(a + i * h);
    sum += s * h / 3.0;
  }
  CHECK(v[1] == Approx(sum / 12.0 - 0.05 * at(0.035, 1)).epsilon(1e-10));
  CHECK(v[4] < 17.8 / 12.0 - 0.05);  // ageing lowers the utilities
}
