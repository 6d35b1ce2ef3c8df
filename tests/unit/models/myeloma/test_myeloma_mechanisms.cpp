// Mechanism logic on constructed patients (issue 3 "Done when"), each against the rule it implements:
// docs/model.md P3 (antigen-negative rule), P5 (antigen status), P6 (mechanism draw), S (strategy rules).
#include <catch2/catch.hpp>

#include <cmath>

#include "models/myeloma/src/efficacy.hpp"
#include "models/myeloma/src/mechanisms.hpp"
#include "models/myeloma/src/strategy.hpp"
#include "test_myeloma_support.hpp"

using namespace mmsim;
using namespace mmsim::myeloma;
using namespace mmsim::myeloma::test;

namespace {

int partner(const Params& p, const std::string& id) {
  for (std::size_t i = 0; i < p.partners.size(); ++i) {
    if (p.partners[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

double responders(const DepthProbs& d) {
  return d[idx(Depth::pr)] + d[idx(Depth::vgpr)] + d[idx(Depth::cr)];
}

}  // namespace

TEST_CASE(
    "BCMA below the functional threshold: BCMA-directed therapy never responds (P3 antigen-negative rule)",
    "[myeloma]") {
  const Params& p = flagship_model().params();
  auto x = average_patient();
  x[idx(Attr::bcma_density)] = 30.0;  // below 50 mol/cell (S047)
  const PatientState s = state_of(p, x);
  for (const char* id : {"ide_cel", "cilta_cel", "equ_cel", "teclistamab", "elranatamab", "belantamab"}) {
    const Efficacy e = line_efficacy(p, therapy_named(p, id), -1, s, 0.0);
    CHECK(e.antigen_negative);
    CHECK(responders(e.probs) == 0.0);
  }
  // A gamma-secretase inhibitor (x3 density) lifts 30 to 90 mol/cell, above the threshold: response returns.
  const Efficacy with_gsi = line_efficacy(p, therapy_named(p, "ide_cel"), partner(p, "gsi"), s, 0.0);
  CHECK_FALSE(with_gsi.antigen_negative);
  CHECK(responders(with_gsi.probs) > 0.2);

  // Whole-model check: 1500 constructed patients, ide-cel at line 1: no best response >= PR (exact).
  const MyelomaModel& m = flagship_model();
  const auto s0 = strategy_index(m, "retreat_bcma_cart");
  const TableBuffer t = run_cohort(m, s0, 1500, 7, &x);
  const FieldId resp = m.schema().patients.find("response_line1");
  std::size_t n_resp = 0;
  for (std::size_t r = 0; r < t.rows(); ++r) n_resp += t.get<std::uint8_t>(r, resp);
  CHECK(n_resp == 0);
}

TEST_CASE("GPRC5D-directed therapy is unaffected by BCMA loss (P3: only the therapy's own targets count)",
          "[myeloma]") {
  const Params& p = flagship_model().params();
  const auto x = average_patient();
  PatientState kept = state_of(p, x);
  PatientState lost = kept;
  lost.density[idx(Antigen::BCMA)] = 0.0;
  lost.lost[idx(Antigen::BCMA)] = true;
  for (const char* id : {"oricar_017", "talquetamab"}) {
    const Efficacy a = line_efficacy(p, therapy_named(p, id), -1, kept, 0.0);
    const Efficacy b = line_efficacy(p, therapy_named(p, id), -1, lost, 0.0);
    CHECK_FALSE(b.antigen_negative);
    for (std::size_t d = 0; d < kDepths; ++d) CHECK(a.probs[d] == b.probs[d]);
    CHECK(a.log_hr == b.log_hr);
  }
  // ...while the BCMA CAR-T fails for the same patient, and a dual BCMA/GPRC5D product keeps its GPRC5D arm.
  CHECK(responders(line_efficacy(p, therapy_named(p, "cilta_cel"), -1, lost, 0.0).probs) == 0.0);
  CHECK(responders(line_efficacy(p, therapy_named(p, "bcma_gprc5d_cart"), -1, lost, 0.0).probs) > 0.3);
}

TEST_CASE("The mechanism-guided strategy picks what its rules say (post_cart_salvage.toml, seed 2.3-2.4)",
          "[myeloma]") {
  const MyelomaModel& m = flagship_model();
  const Params& p = m.params();
  REQUIRE(p.has_testing);
  const Strategy& st = p.strategies[strategy_index(m, "mechanism_guided")];
  const StreamKey key{1, 0, 0, 0, 0};
  // A relapse after cilta-cel, biopsied: the rules see `mech` and the antigen calls given (expressed unless
  // set).
  auto relapsed = [&](Mech mech) {
    PatientState s = state_of(p, average_patient());
    s.therapy_exposed.set(static_cast<std::size_t>(p.therapy_index("cilta_cel")));
    s.antigen_exposed |= 1u << idx(Antigen::BCMA);
    s.category_exposed |= 1u << idx(Category::car_t);
    s.last_mechanism = mech;
    s.lines_given = 1;
    s.tested = true;
    s.observed_status.fill(Status::expressed);
    s.last_pattern = Pattern::systemic;
    return s;
  };
  auto pick = [&](const PatientState& s, double t = 12.0) { return choose_action(p, st, 2, s, t, key); };
  auto is = [&](const Choice& c, const char* th, const char* pa, const char* mt, const char* rule) {
    CHECK(p.therapies[static_cast<std::size_t>(c.therapy)].id == th);
    CHECK((c.partner < 0 ? std::string("none") : p.partners[static_cast<std::size_t>(c.partner)].id) == pa);
    CHECK((c.maintenance < 0 ? std::string("none")
                             : p.maintenances[static_cast<std::size_t>(c.maintenance)].id) == mt);
    CHECK(p.rule_labels[static_cast<std::size_t>(c.rule_code)] == std::string("mechanism_guided.") + rule);
  };
  {
    PatientState s = relapsed(Mech::antigen_loss);
    s.observed_status[idx(Antigen::BCMA)] = Status::lost;
    is(pick(s), "oricar_017", "none", "lenalidomide", "bcma_lost_gprc5d_cart");
  }
  {
    // The rules read the observed call, not the truth: a true loss the test missed is not a loss for them.
    PatientState s = relapsed(Mech::unknown);
    s.density[idx(Antigen::BCMA)] = 0;
    s.lost[idx(Antigen::BCMA)] = true;
    is(pick(s), "oricar_017", "none", "lenalidomide", "switch_target_gprc5d_cart");
  }
  is(pick(relapsed(Mech::antigen_down)), "bcma_gprc5d_cart", "gsi", "lenalidomide", "bcma_down_dual_gsi");
  is(pick(relapsed(Mech::anti_car_immunity)), "equ_cel", "none", "lenalidomide", "anti_car_fully_human");
  is(pick(relapsed(Mech::tcell_exhaustion)), "teclistamab", "pd1_blockade", "none",
     "exhaustion_pd1_bcma_bispecific");
  is(pick(relapsed(Mech::microenvironment)), "oricar_017", "pd1_blockade", "none",
     "microenvironment_pd1_cart");
  is(pick(relapsed(Mech::clonal_other)), "oricar_017", "none", "lenalidomide", "switch_target_gprc5d_cart");
  {
    PatientState s = relapsed(Mech::tcell_exhaustion);
    s.tested = false;
    s.last_mechanism = Mech::unknown;
    s.observed_status.fill(Status::untested);
    is(pick(s), "oricar_017", "none", "lenalidomide", "untested_switch_target");  // the default branch
  }
  {
    PatientState s = relapsed(Mech::clonal_other);
    s.last_pattern = Pattern::oligo;
    is(pick(s), "radiotherapy", "none", "none", "oligo_radiotherapy");
    s.last_pattern = Pattern::extramedullary;
    is(pick(s), "salvage_sct", "none", "none", "emd_transplant");  // age 60
    s.x[idx(Attr::age)] = s.age0 = 70;
    is(pick(s), "radiotherapy", "none", "none", "emd_radiotherapy");
  }
  {
    PatientState s = relapsed(Mech::tcell_exhaustion);
    s.x[idx(Attr::high_tumor_burden)] = 1;  // younger, high burden: CAR-T before the exhaustion rule
    is(pick(s), "oricar_017", "none", "lenalidomide", "young_burden_cart");
    s.x[idx(Attr::high_tumor_burden)] = 0;
    s.x[idx(Attr::emd)] = 1;
    is(pick(s), "oricar_017", "none", "lenalidomide", "young_emd_cart");
  }
  {
    PatientState s = relapsed(Mech::clonal_other);
    s.x[idx(Attr::age)] = 80;
    s.age0 = 80;
    is(pick(s), "talquetamab", "none", "none", "older_bispecific");
  }
  {
    PatientState s = relapsed(Mech::clonal_other);
    s.x[idx(Attr::tcell_fitness)] = s.fitness_at = -2.0;
    is(pick(s), "p_bcma_allo1", "none", "none", "unfit_allogeneic");  // assumption: allo_for_unfit
  }
  {
    PatientState s = relapsed(Mech::clonal_other);
    s.observed_status[idx(Antigen::GPRC5D)] = Status::lost;
    is(pick(s), "bcma_cart_fully_human", "gsi", "lenalidomide", "gprc5d_lost_fully_human_bcma");
  }
  {
    // Line 3 after GPRC5D CAR-T: shared fallback rules -> teclistamab (no bispecific yet, BCMA not lost).
    PatientState s = relapsed(Mech::clonal_other);
    s.antigen_exposed |= 1u << idx(Antigen::GPRC5D);
    const Choice c = choose_action(p, st, 3, s, 20.0, key);
    CHECK(p.therapies[static_cast<std::size_t>(c.therapy)].id == "teclistamab");
  }
  // Beyond max_lines: stop.
  CHECK(choose_action(p, st, p.max_lines + 1, relapsed(Mech::none), 30.0, key).therapy == kStop);
}

TEST_CASE("Mechanism frequencies match the configured probabilities (chi-square, P6)", "[myeloma]") {
  const MyelomaModel& m = flagship_model();
  const Params& p = m.params();
  // Critical values of chi-square at alpha = 0.001 by degrees of freedom.
  const double crit[] = {0, 10.83, 13.82, 16.27, 18.47, 20.52};
  auto chi2 = [&](const std::array<double, kMechanisms>& prob, const std::array<double, kMechanisms>& count,
                  double n) {
    double x2 = 0;
    int df = -1;
    for (std::size_t k = 0; k < kMechanisms; ++k) {
      if (prob[k] <= 0) {
        CHECK(count[k] == 0);
        continue;
      }
      const double e = n * prob[k];
      x2 += (count[k] - e) * (count[k] - e) / e;
      ++df;
    }
    INFO("chi-square " << x2 << " on " << df << " df");
    CHECK(x2 < crit[df]);
  };

  SECTION("direct draws, patient without modifiers (configured probabilities exactly)") {
    const PatientState s = state_of(p, average_patient());
    RandomStream rng({99, 0, 0, 0, 0});
    for (const char* id : {"ide_cel", "cilta_cel", "teclistamab", "oricar_017"}) {
      const Therapy& th = therapy_named(p, id);
      std::array<double, kMechanisms> count{};
      const int n = 20000;
      for (int i = 0; i < n; ++i) count[idx(draw_mechanism(p, th, s, 0.0, rng.uniform()))] += 1;
      INFO(id);
      chi2(th.failure, count, n);
    }
  }
  SECTION("heterozygous BCMA loss triples the antigen_loss weight") {
    auto x = average_patient();
    x[idx(Attr::bcma_het_loss)] = 1;
    const PatientState s = state_of(p, x);
    const Therapy& th = therapy_named(p, "ide_cel");
    const auto w = mechanism_probs(p, th, s, 0.0);
    const double a = th.failure[idx(Mech::antigen_loss)];
    CHECK(w[idx(Mech::antigen_loss)] == Approx(3 * a / (1 + 2 * a)).epsilon(1e-12));
  }
  SECTION("whole model: mechanisms at line-1 progression on constructed patients (fitness 0, no het loss)") {
    const auto x = average_patient();
    const auto s0 = strategy_index(m, "conventional");
    History h;
    std::array<std::array<double, kMechanisms>, 2> count{};
    std::array<double, 2> n{};
    const int ide = p.therapy_index("ide_cel");
    for (std::uint64_t i = 0; i < 6000; ++i) {
      simulate_patient(p, s0, StreamKey{5, 0, i, 0, 0}, h, &x);
      if (h.n_lines == 0 || h.lines[0].mechanism == Mech::none) continue;
      const std::size_t g = h.lines[0].therapy == ide ? 0 : 1;
      count[g][idx(h.lines[0].mechanism)] += 1;
      n[g] += 1;
    }
    REQUIRE(n[0] > 1000);
    REQUIRE(n[1] > 500);
    chi2(therapy_named(p, "ide_cel").failure, count[0], n[0]);
    chi2(therapy_named(p, "cilta_cel").failure, count[1], n[1]);
  }
}

TEST_CASE("Antigen escape changes density as configured (P5)", "[myeloma]") {
  const Params& p = flagship_model().params();
  const Therapy& th = therapy_named(p, "ide_cel");
  PatientState s = state_of(p, average_patient());
  apply_antigen_effects(p, th, Mech::antigen_loss, s, StreamKey{1, 0, 0, 0, 0}, 1);
  CHECK(s.density[idx(Antigen::BCMA)] == 0.0);
  CHECK(antigen_status(p, s, Antigen::BCMA) == Status::lost);
  CHECK(s.density[idx(Antigen::GPRC5D)] == 1.0);  // not a target: untouched
  // Down-regulation: median factor 0.35 x drift 0.8 -> most patients from 670 land below the low cut-off 380.
  int low = 0;
  for (std::uint64_t i = 0; i < 2000; ++i) {
    PatientState t = state_of(p, average_patient());
    apply_antigen_effects(p, th, Mech::antigen_down, t, StreamKey{1, 0, i, 0, 0}, 1);
    low += antigen_status(p, t, Antigen::BCMA) != Status::expressed;
  }
  CHECK(low > 1600);
}
