// The rule grammar's fields of issue 12 (EMD, burden, lenalidomide-refractory, last response, kind of prior
// exposure per antigen, progression pattern, tested), the testing model at relapse against its sensitivity
// and specificity, and the located errors of bad rules and testing tables (docs/model.md S).
#include <catch2/catch.hpp>

#include <cmath>

#include "models/myeloma/src/mechanisms.hpp"
#include "models/myeloma/src/strategy.hpp"
#include "sim/random/stream.hpp"
#include "test_myeloma_support.hpp"

using namespace mmsim;
using namespace mmsim::myeloma;
using namespace mmsim::myeloma::test;

namespace {

// A scenario in the real-world population with `scenario_extra` in [scenario], then `body`.
std::string scenario(const std::string& scenario_extra, const std::string& body) {
  return scenario_text("default_relapsed", 120.0, scenario_extra, body);
}

// A one-strategy model whose only own rule has the conditions `when` (TOML array body).
std::unique_ptr<MyelomaModel> with_rule(const std::string& when, const std::string& scenario_extra = "") {
  return build_valid(scenario(scenario_extra, R"(
[[strategy]]
name = "s"
[[strategy.rule]]
name = "r"
when = [)" + when + R"(]
therapy = "teclistamab"
)" + kStopRule));
}

bool holds(const MyelomaModel& m, const PatientState& s) {
  const Params& p = m.params();
  const Rule& r = p.strategies[0].rules[0];
  for (const auto& c : r.when) {
    if (!condition_holds(p, c, 2, s, 12.0)) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("Rule fields: baseline EMD, burden and lenalidomide-refractory status", "[myeloma]") {
  const auto m = with_rule(R"("emd == true", "high_tumor_burden != false", "len_refractory == false")");
  PatientState s = state_of(m->params(), average_patient());
  CHECK_FALSE(holds(*m, s));
  s.x[idx(Attr::emd)] = 1;
  CHECK_FALSE(holds(*m, s));
  s.x[idx(Attr::high_tumor_burden)] = 1;
  CHECK(holds(*m, s));
  s.x[idx(Attr::len_refractory)] = 1;
  CHECK_FALSE(holds(*m, s));
}

TEST_CASE("Rule fields: duration of the last response, pattern of the last progression, tested",
          "[myeloma]") {
  const auto m = with_rule(
      R"("last_response_months >= 6", "progression_pattern in [oligo, extramedullary]", "mechanism_tested == true")");
  PatientState s = state_of(m->params(), average_patient());
  s.last_response_months = 8;
  s.last_pattern = Pattern::oligo;
  s.tested = true;
  CHECK(holds(*m, s));
  s.last_pattern = Pattern::extramedullary;
  CHECK(holds(*m, s));
  s.last_pattern = Pattern::systemic;
  CHECK_FALSE(holds(*m, s));
  s.last_pattern = Pattern::oligo;
  s.last_response_months = 5.9;
  CHECK_FALSE(holds(*m, s));
  s.last_response_months = 6;
  s.tested = false;
  CHECK_FALSE(holds(*m, s));
}

TEST_CASE("Rule fields: kind of prior exposure per antigen (simulated lines)", "[myeloma]") {
  const auto m = with_rule(R"("prior_exposure.BCMA.car_t == true", "prior_exposure.GPRC5D.bsab == false")");
  PatientState s = state_of(m->params(), average_patient());
  CHECK_FALSE(holds(*m, s));
  s.x[idx(Attr::prior_bcma_exposure)] = 1;  // baseline exposure: its kind is not recorded
  CHECK_FALSE(holds(*m, s));
  s.antigen_exposed_by_type[idx(ExposureType::car_t)] |= 1u << idx(Antigen::BCMA);
  CHECK(holds(*m, s));
  s.antigen_exposed_by_type[idx(ExposureType::bsab)] |= 1u << idx(Antigen::GPRC5D);
  CHECK_FALSE(holds(*m, s));
}

TEST_CASE("Observed antigen status: the rules read the test's call once a testing model is named",
          "[myeloma]") {
  const auto oracle = with_rule(R"("bcma_status == lost")");
  const auto tested = with_rule(R"("bcma_status == lost")", "testing = \"biopsy_at_relapse\"\n");
  PatientState s = state_of(oracle->params(), average_patient());
  s.lost[idx(Antigen::BCMA)] = true;
  s.density[idx(Antigen::BCMA)] = 0;
  CHECK(holds(*oracle, s));        // no testing model: the truth
  CHECK_FALSE(holds(*tested, s));  // untested: "untested", not lost
  s.observed_status[idx(Antigen::BCMA)] = Status::lost;
  CHECK(holds(*tested, s));
}

TEST_CASE("Testing at relapse: call rates match sensitivity and specificity (SE-based)", "[myeloma]") {
  // Independent truth: the configured probabilities; n draws give a binomial SE sqrt(q(1-q)/n); 5 SE.
  const TestingSpec t{"t", "test", 0.45, 0.85, 0.97, 0.70, 0.85, 0.5};
  const int n = 40000;
  RandomStream rng({77, 0, 0, 99, 0});
  int lost_called_lost = 0, expressed_called_lost = 0, low_called_low = 0, expressed_called_low = 0,
      lost_called_low = 0;
  for (int i = 0; i < n; ++i) {
    const double a = rng.uniform(), b = rng.uniform();
    lost_called_lost += antigen_call(t, Status::lost, a, b) == Status::lost;
    lost_called_low += antigen_call(t, Status::lost, a, b) == Status::low;
    expressed_called_lost += antigen_call(t, Status::expressed, a, b) == Status::lost;
    low_called_low += antigen_call(t, Status::low, a, b) == Status::low;
    expressed_called_low += antigen_call(t, Status::expressed, a, b) == Status::low;
  }
  auto near = [n](int count, double q) {
    const double se = std::sqrt(q * (1 - q) / n);
    INFO("rate " << static_cast<double>(count) / n << " vs " << q << " (SE " << se << ")");
    CHECK(std::fabs(static_cast<double>(count) / n - q) < 5 * se + 1e-12);
  };
  near(lost_called_lost, t.loss_sensitivity);
  near(lost_called_low, (1 - t.loss_sensitivity) * t.low_sensitivity);  // a missed loss stains weakly
  near(expressed_called_lost, 1 - t.loss_specificity);
  near(low_called_low, t.loss_specificity * t.low_sensitivity);
  near(expressed_called_low, t.loss_specificity * (1 - t.low_specificity));
}

TEST_CASE("Testing at relapse: tested share, untested see the default, mechanism identified", "[myeloma]") {
  const auto m = build_file("configs/post_cart_salvage.toml");
  const Params& p = m->params();
  REQUIRE(p.has_testing);
  const Therapy& th = therapy_named(p, "cilta_cel");
  const int n = 20000;
  int tested = 0, identified = 0, untested_unknown = 0;
  for (int i = 0; i < n; ++i) {
    PatientState s = state_of(p, average_patient());
    observe_at_progression(p, th, Mech::tcell_exhaustion, s,
                           StreamKey{5, 0, static_cast<std::uint64_t>(i), 0, 0}, 2);
    if (s.tested) {
      ++tested;
      identified += s.last_mechanism == Mech::tcell_exhaustion;
    } else {
      untested_unknown +=
          s.last_mechanism == Mech::unknown && s.observed_status[idx(Antigen::BCMA)] == Status::untested;
    }
  }
  const double q = p.testing.tested_prob, se = std::sqrt(q * (1 - q) / n);
  CHECK(std::fabs(static_cast<double>(tested) / n - q) < 5 * se);
  CHECK(untested_unknown == n - tested);
  const double r = p.testing.mechanism_identified_prob, se2 = std::sqrt(r * (1 - r) / tested);
  CHECK(std::fabs(static_cast<double>(identified) / tested - r) < 5 * se2);
}

TEST_CASE("Bad rule fields and testing tables are located errors", "[myeloma]") {
  const std::string text = scenario("testing = \"blood_test\"\n", R"(
[testing.partial]
tested_prob = 1.5
loss_sensitivity = 0.9
loss_specificity = 0.9
low_sensitivity = 0.9
low_specificity = 0.9
mechanism_identified_prob = 0.5
source = "test"

[[strategy]]
name = "s"
[[strategy.rule]]
when = ["prior_exposure.BCMA.cart == true"]
therapy = "teclistamab"
[[strategy.rule]]
when = ["prior_exposure.CD38.car_t == true"]
therapy = "teclistamab"
[[strategy.rule]]
when = ["emd < 1"]
therapy = "teclistamab"
[[strategy.rule]]
when = ["progression_pattern == diffuse"]
therapy = "teclistamab"
[[strategy.rule]]
when = ["len_refractory == yes"]
therapy = "teclistamab"
[[strategy.rule]]
name = "dup"
when = ["age > 80"]
therapy = "teclistamab"
[[strategy.rule]]
name = "dup"
when = ["age > 81"]
therapy = "talquetamab"
)" + kStopRule);
  config::Diagnostics diag;
  const auto m = build_from_text(text, diag);
  CHECK(m == nullptr);
  INFO(diag.format());
  auto at = [&](const std::string& needle, const std::string& message) {
    const config::Issue& i = issue_at(diag, text, needle);
    CHECK_THAT(i.key_path + ": " + i.message, Catch::Contains(message));
  };
  at("testing = \"blood_test\"", "unknown testing \"blood_test\"");
  at("tested_prob = 1.5", "testing.partial.tested_prob");
  at("prior_exposure.BCMA.cart", "is not a kind of exposure (car_t, bsab, adc)");
  at("prior_exposure.CD38.car_t", "is not an antigen");
  at("\"emd < 1\"", "emd takes == or != with true/false");
  at("diffuse", "unknown value \"diffuse\" for progression_pattern");
  at("len_refractory == yes", "len_refractory compares with true or false");
  at("name = \"dup\"\nwhen = [\"age > 81\"]", "duplicate rule name \"dup\"");
}

TEST_CASE("Lenalidomide maintenance is not given in lenalidomide-refractory patients (P4)", "[myeloma]") {
  const auto m = build_file("configs/post_cart_salvage.toml");
  const Params& p = m->params();
  const std::size_t st = strategy_index(*m, "mechanism_guided_index_maintenance");
  int refractory_maintained = 0, sensitive_maintained = 0, sensitive_responders = 0;
  History h;
  for (std::uint64_t i = 0; i < 3000; ++i) {
    simulate_patient(p, st, StreamKey{9, 0, i, 0, 0}, h);
    if (h.n_lines == 0) continue;
    const LineRecord& l = h.lines[0];
    const bool refractory = h.state.x[idx(Attr::len_refractory)] > 0.5;
    if (refractory) {
      refractory_maintained += l.maintained;
    } else if (l.best_response >= static_cast<int>(Depth::pr)) {
      ++sensitive_responders;
      sensitive_maintained += l.maintained;
    }
  }
  CHECK(refractory_maintained == 0);
  REQUIRE(sensitive_responders > 50);
  CHECK(sensitive_maintained == sensitive_responders);
}

TEST_CASE("Progression pattern frequencies match [progression_pattern] by baseline EMD (SE-based)",
          "[myeloma]") {
  const auto m = build_file("configs/post_cart_salvage.toml");
  const Params& p = m->params();
  const int n = 20000;
  for (const bool emd : {false, true}) {
    std::array<int, kPatterns> count{};
    PatientState s = state_of(p, average_patient());
    s.x[idx(Attr::emd)] = emd ? 1 : 0;
    for (int i = 0; i < n; ++i) {
      ++count[idx(draw_pattern(p, s, StreamKey{3, 0, static_cast<std::uint64_t>(i), 0, 0}, 1))];
    }
    const auto& want = emd ? p.pattern.if_emd : p.pattern.if_no_emd;
    for (std::size_t k = 0; k < kPatterns; ++k) {
      const double se = std::sqrt(want[k] * (1 - want[k]) / n);
      INFO((emd ? "EMD " : "no EMD ")
           << kPatternNames[k] << ": " << static_cast<double>(count[k]) / n << " vs " << want[k]);
      CHECK(std::fabs(static_cast<double>(count[k]) / n - want[k]) < 5 * se + 1e-12);
    }
  }
}

TEST_CASE("The duration of the last response is its assessment-to-progression time (responders only)",
          "[myeloma]") {
  const auto m = fixed_lines_model("default_relapsed", 120.0, {{"one_line", {"ide_cel"}}});
  const Params& p = m->params();
  const double assessment = therapy_named(p, "ide_cel").assessment_months;
  History h;
  int responders = 0, non_responders = 0;
  for (std::uint64_t i = 0; i < 2000; ++i) {
    simulate_patient(p, 0, StreamKey{21, 0, i, 0, 0}, h);
    const LineRecord& l = h.lines[0];
    if (h.n_lines == 0 || l.end_reason != EndReason::progression) continue;
    if (l.best_response >= static_cast<int>(Depth::pr)) {
      ++responders;
      CHECK(h.state.last_response_months == Approx(l.end - l.infusion - assessment).margin(1e-9));
    } else {
      ++non_responders;
      CHECK(h.state.last_response_months == 0.0);
    }
    CHECK(h.state.last_pattern == l.pattern);
  }
  CHECK(responders > 100);
  CHECK(non_responders > 10);
}
