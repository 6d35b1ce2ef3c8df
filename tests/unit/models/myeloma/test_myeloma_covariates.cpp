// Covariates of a line (docs/model.md P3), each against the rule it implements on constructed patients.
#include <catch2/catch.hpp>

#include <cmath>

#include "models/myeloma/src/efficacy.hpp"
#include "test_myeloma_support.hpp"

using namespace mmsim;
using namespace mmsim::myeloma;
using namespace mmsim::myeloma::test;

TEST_CASE("per_prior_line counts the lines before this one, not the line itself (P3, issue 11 item 5)",
          "[myeloma]") {
  const Params& p = flagship_model().params();
  for (const char* id : {"ide_cel", "cilta_cel", "teclistamab", "pvd_dpd"}) {
    INFO(id);
    const Therapy& th = therapy_named(p, id);
    Therapy no_line_effect = th;  // the same therapy without a per-line term
    no_line_effect.log_or[idx(Cov::per_prior_line)] = 0.0;
    no_line_effect.log_hr[idx(Cov::per_prior_line)] = 0.0;
    // A patient whose prior lines equal the reference population's mean: on line 1 the per-line term is 0.
    auto x = average_patient();
    x[idx(Attr::prior_lines)] = p.populations[th.reference_population].mean[idx(Attr::prior_lines)];
    const PatientState s1 = state_on_line(p, x, 1), s2 = state_on_line(p, x, 2), s3 = state_on_line(p, x, 3);
    const Efficacy e1 = line_efficacy(p, th, -1, s1, 0.0);
    const Efficacy ref = line_efficacy(p, no_line_effect, -1, s1, 0.0);
    CHECK(e1.log_hr == Approx(ref.log_hr).margin(1e-12));
    for (std::size_t d = 0; d < kDepths; ++d) CHECK(e1.probs[d] == Approx(ref.probs[d]).margin(1e-12));
    // Line 2 carries exactly one line's worth, line 3 two (the linear predictor is linear in the count).
    const double per_line = th.log_hr[idx(Cov::per_prior_line)];
    CHECK(line_efficacy(p, th, -1, s2, 0.0).log_hr - e1.log_hr == Approx(per_line).margin(1e-12));
    CHECK(line_efficacy(p, th, -1, s3, 0.0).log_hr - e1.log_hr == Approx(2 * per_line).margin(1e-12));
    // A state before any line (lines_given = 0) is the same as line 1.
    CHECK(line_efficacy(p, th, -1, state_of(p, x), 0.0).log_hr == e1.log_hr);
  }
}

TEST_CASE("A response table read at a later line holds at that line: reference_lines_before (P3)",
          "[myeloma]") {
  // pi_based_post_cart's table is S075's, the first salvage after LEGEND-2's CAR-T: its own reference
  // population (legend2) and one simulated line before it. A patient at LEGEND-2's mean prior lines on the
  // second simulated line gets the table itself; without the offset, the same patient on line 2 would carry
  // one line's worth of the per-line terms.
  const Params& p = flagship_model().params();
  const Therapy& th = therapy_named(p, "pi_based_post_cart");
  REQUIRE(p.populations[th.reference_population].id == "legend2");
  REQUIRE(th.reference_lines_before == 1.0);
  REQUIRE(th.log_or[idx(Cov::per_prior_line)] != 0.0);
  Therapy no_line_effect = th;
  no_line_effect.log_or[idx(Cov::per_prior_line)] = 0.0;
  no_line_effect.log_hr[idx(Cov::per_prior_line)] = 0.0;
  auto x = average_patient();
  x[idx(Attr::prior_lines)] = p.populations[th.reference_population].mean[idx(Attr::prior_lines)];
  const Efficacy on_line2 = line_efficacy(p, th, -1, state_on_line(p, x, 2), 0.0);
  const Efficacy table = line_efficacy(p, no_line_effect, -1, state_on_line(p, x, 2), 0.0);
  CHECK(on_line2.log_hr == Approx(table.log_hr).margin(1e-12));
  for (std::size_t d = 0; d < kDepths; ++d) CHECK(on_line2.probs[d] == Approx(table.probs[d]).margin(1e-12));
  // On line 1 the patient is one line short of the table's: exactly minus one line's worth.
  const Efficacy on_line1 = line_efficacy(p, th, -1, state_on_line(p, x, 1), 0.0);
  CHECK(on_line1.log_hr - on_line2.log_hr == Approx(-th.log_hr[idx(Cov::per_prior_line)]).margin(1e-12));
  Therapy without_offset = th;
  without_offset.reference_lines_before = 0;
  CHECK(line_efficacy(p, without_offset, -1, state_on_line(p, x, 2), 0.0).log_hr - on_line2.log_hr ==
        Approx(th.log_hr[idx(Cov::per_prior_line)]).margin(1e-12));
}

TEST_CASE("The index line's response does not depend on the per-line odds ratio at the reference mean (P3)",
          "[myeloma]") {
  // Whole model: two configs differing only in the per-line odds ratio of cilta-cel give the same
  // line-1 responses, draw for draw, to patients whose prior lines equal the reference mean (common random
  // numbers: same keys). With the line itself counted as a prior line (the bug), the odds ratio 0.3 moves
  // roughly a tenth of the responses.
  const auto with_per_line_or = [](double per_line_or) {
    return fixed_lines_model(
        "cartitude1", 60.0, {{"cilta", {"cilta_cel"}}},
        "[therapy.cilta_cel.response_odds_ratios]\nper_prior_line = " + std::to_string(per_line_or) + "\n");
  };
  const auto a = with_per_line_or(1.0);
  const auto b = with_per_line_or(0.3);
  REQUIRE(therapy_named(b->params(), "cilta_cel").log_or[idx(Cov::per_prior_line)] == Approx(std::log(0.3)));
  auto x = average_patient();
  x[idx(Attr::prior_lines)] = a->params().pop().mean[idx(Attr::prior_lines)];
  const FieldId best = a->schema().patients.find("best_response_line1");
  const std::size_t n = 2000;
  const TableBuffer ta = run_cohort(*a, 0, n, 5, &x), tb = run_cohort(*b, 0, n, 5, &x);
  std::size_t differ = 0;
  for (std::size_t r = 0; r < n; ++r)
    differ += ta.get<std::uint8_t>(r, best) != tb.get<std::uint8_t>(r, best);
  CHECK(differ == 0);
}

TEST_CASE(
    "A PD best response progresses on its own law beyond the first assessment, not at it nor before it "
    "(issue "
    "11 item 3)",
    "[myeloma]") {
  // PvD/DPd at line 1 for an average constructed patient. Among those whose best response is PD: (1) all but
  // the ones dying within the month are progression-free at the assessment (a best response is a finding of
  // that assessment); drawn from the treatment start, as before, the share was S_pd(1)^HR (~0.7); cut at the
  // assessment, as before that, 0. (2) Of those progression-free at the assessment, the share still so half
  // a month later is the law's conditional survival (S_pd(a + 0.5) / S_pd(a))^HR times the competing deaths'
  // survival over that half month (at most a few per cent): between 0.9 and 1 times it, within 4 binomial
  // SEs.
  const auto m = fixed_lines_model("cartitude4", 60.0, {{"pvd", {"pvd_dpd"}}});
  const Params& p = m->params();
  const Therapy& th = therapy_named(p, "pvd_dpd");
  const auto x = average_patient();
  const Efficacy e = line_efficacy(p, th, -1, state_on_line(p, x, 1), 0.0);
  const double hr = std::exp(e.log_hr + th.log_hr[idx(Cov::bridged)] * (0.0 - th.bridging_prob));
  const double a = th.assessment_months, later = a + 0.5;
  const auto& law = *th.ttp[idx(Depth::pd)];
  const double s_from_start = std::pow(1.0 - law.cdf(a), hr);
  const double s_beyond = std::pow((1.0 - law.cdf(later)) / (1.0 - law.cdf(a)), hr);
  REQUIRE(s_from_start < 0.8);  // the old rule is told apart by check (1)
  const FieldId best = m->schema().patients.find("best_response_line1"),
                pfs = m->schema().patients.find("pfs_time");
  const std::size_t n = 20000;
  const TableBuffer t = run_cohort(*m, 0, n, 9, &x);
  double k = 0, at_a = 0, at_later = 0;
  for (std::size_t r = 0; r < n; ++r) {
    if (t.get<std::uint8_t>(r, best) != idx(Depth::pd) + 1) continue;  // enum: 0 = none, then pd .. cr
    k += 1;
    at_a += t.get<double>(r, pfs) > a ? 1 : 0;
    at_later += t.get<double>(r, pfs) > later ? 1 : 0;
  }
  REQUIRE(k > 300);
  const double share_a = at_a / k, se_a = std::sqrt(share_a * (1 - share_a) / k);
  INFO("PD lines progression-free at the assessment " << share_a << " (SE " << se_a << "); from the start "
                                                      << s_from_start);
  CHECK(share_a > 0.9 - 4 * se_a);
  const double share = at_later / at_a, se = std::sqrt(share * (1 - share) / at_a);
  INFO("of those, progression-free half a month later " << share << " (SE " << se << "), law " << s_beyond);
  CHECK(share < s_beyond + 4 * se);
  CHECK(share > 0.9 * s_beyond - 4 * se);
}

TEST_CASE(
    "After CAR-T, a long remission restores the response of the next T-cell-redirecting line (issue 11 item "
    "9)",
    "[myeloma]") {
  // Cilta-cel then talquetamab (GPRC5D: BCMA escape does not enter) for one constructed patient: the clocks
  // of exhaustion and T-cell recovery run from the infusion, so those relapsing within 6 months of the start
  // respond less often to talquetamab than those relapsing after 24 months (X295's direction: BCMA CAR-T
  // within 9 months predicted a poorer teclistamab response). With the clocks at the relapse (the old rule)
  // the two groups differed only by noise. Binomial SE of the difference of independent groups.
  const auto m =
      fixed_lines_model("default_relapsed", 120.0, {{"cart_then_bsab", {"cilta_cel", "talquetamab"}}});
  const auto& lay = m->schema().patients;
  const FieldId pfs = lay.find("pfs_time"), best2 = lay.find("best_response_line2"),
                resp2 = lay.find("response_line2"), mech1 = lay.find("mechanism_line1");
  const auto x = average_patient();
  const std::size_t n = 60000;
  const TableBuffer t = run_cohort(*m, 0, n, 13, &x);
  double k[2] = {0, 0}, r[2] = {0, 0};
  for (std::size_t i = 0; i < n; ++i) {
    if (t.get<std::uint8_t>(i, best2) == 0) continue;  // line 2 not treated
    const double first = t.get<double>(i, pfs);
    if (t.get<std::uint8_t>(i, mech1) != idx(Mech::tcell_exhaustion)) continue;  // the clock that moved
    const int g = first < 6.0 ? 0 : first > 24.0 ? 1 : -1;
    if (g < 0) continue;
    k[g] += 1;
    r[g] += t.get<std::uint8_t>(i, resp2);
  }
  REQUIRE(k[0] > 300);
  REQUIRE(k[1] > 300);
  const double early = r[0] / k[0], late = r[1] / k[1];
  const double se = std::sqrt(early * (1 - early) / k[0] + late * (1 - late) / k[1]);
  INFO("talquetamab ORR after relapse < 6 mo " << early << " (n " << k[0] << "), > 24 mo " << late << " (n "
                                               << k[1] << "), SE " << se);
  CHECK(late - early > 3 * se);
  CHECK(late - early > 0.05);
}

TEST_CASE(
    "A CR-only per-line odds ratio moves CR and leaves every shallower threshold (partial proportional odds)",
    "[myeloma]") {
  // P3 "Depth per prior line": per_prior_line_cr acts on the log odds of P(CR) alone, beside per_prior_line's
  // shift of every threshold. Against the closed form: P(>= k) for k below CR is the table's; P(CR) has odds
  // base_odds * OR^lines.
  const Params& p = flagship_model().params();
  Therapy th = therapy_named(p, "ide_cel");
  th.log_or.fill(0.0);
  th.log_or_cr_per_line = std::log(0.8);
  auto x = average_patient();
  const double ref_lines = p.populations[th.reference_population].mean[idx(Attr::prior_lines)];
  const auto tail = [](const DepthProbs& q, Depth from) {
    double t = 0;
    for (std::size_t d = idx(from); d < kDepths; ++d) t += q[d];
    return t;
  };
  Therapy flat = th;
  flat.log_or_cr_per_line = 0.0;
  for (const double extra : {2.0, -1.0}) {
    INFO(extra);
    x[idx(Attr::prior_lines)] = ref_lines + extra;
    const PatientState s = state_on_line(p, x, 1);
    const DepthProbs got = line_efficacy(p, th, -1, s, 0.0).probs;
    const DepthProbs table = line_efficacy(p, flat, -1, s, 0.0).probs;
    for (const Depth k : {Depth::mr_sd, Depth::pr, Depth::vgpr})
      CHECK(tail(got, k) == Approx(tail(table, k)).margin(1e-12));
    const double cr0 = table[idx(Depth::cr)], cr = got[idx(Depth::cr)];
    CHECK(cr / (1 - cr) == Approx(cr0 / (1 - cr0) * std::pow(0.8, extra)).epsilon(1e-12));
  }
  // A large upward CR shift cannot pass P(>= VGPR): CR is capped there, VGPR goes to 0, the sum stays 1.
  const DepthProbs base{0.1, 0.1, 0.2, 0.3, 0.3};
  const DepthProbs capped = shift_odds(base, 0.0, 5.0);
  CHECK(capped[idx(Depth::cr)] == Approx(0.6).margin(1e-12));
  CHECK(capped[idx(Depth::vgpr)] == 0.0);
  double sum = 0;
  for (const double q : capped) sum += q;
  CHECK(sum == Approx(1.0).margin(1e-12));
}
