// CRS/ICANS odds that depend on the patient and a late (infection) NRM hazard that fades (docs/model.md P3
// toxicity and mortality; issue 11 item 6).
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "models/myeloma/src/efficacy.hpp"
#include "models/myeloma/src/simulate.hpp"
#include "test_myeloma_support.hpp"

namespace mmsim::myeloma::test {
namespace {

// Ide-cel at line 1 with a tumour-burden odds ratio of 2 on its CRS/ICANS odds (the shipped model has none).
std::unique_ptr<MyelomaModel> ide_cel_with_burden_or() {
  return fixed_lines_model("default_relapsed", 24.0, {{"ide_cel", {"ide_cel"}}},
                           ide_cel_toxicity("or_high_tumor_burden = 2.0\n"));
}

}  // namespace

TEST_CASE("High tumour burden raises the ICANS and CRS odds by the configured odds ratio", "[myeloma]") {
  const auto m = ide_cel_with_burden_or();
  const Params& p = m->params();
  const Therapy& th = therapy_named(p, "ide_cel");
  const double mean_burden = p.populations[th.tox_reference_population].mean[idx(Attr::high_tumor_burden)];
  auto x = average_patient();
  x[idx(Attr::high_tumor_burden)] = 1;
  const ToxicityRates high = toxicity_rates(p, th, state_of(p, x));
  x[idx(Attr::high_tumor_burden)] = 0;
  const ToxicityRates low = toxicity_rates(p, th, state_of(p, x));
  // Closed form: log-odds of the table's rate + ln 2 x (burden - the reference population's mean).
  CHECK(logit(high.icans_any) - logit(low.icans_any) == Approx(std::log(2.0)).epsilon(1e-12));
  CHECK(logit(high.crs_any) - logit(low.crs_any) == Approx(std::log(2.0)).epsilon(1e-12));
  CHECK(logit(low.icans_any) == Approx(logit(0.18) - std::log(2.0) * mean_burden).epsilon(1e-12));
  // The grade >= 3 share among any grade stays the table's.
  CHECK(high.icans_g3 / high.icans_any == Approx(0.03 / 0.18).epsilon(1e-12));

  // Whole model: 6000 constructed patients each at high and low burden (same streams): the simulated ICANS
  // rates match the closed form within 4 binomial SEs (SE = sqrt(p(1-p)/n), ~0.005).
  constexpr std::size_t kN = 6000;
  for (const int burden : {0, 1}) {
    x[idx(Attr::high_tumor_burden)] = burden;
    const double expected = burden ? high.icans_any : low.icans_any;
    History h;
    int icans = 0, infused = 0;
    for (std::uint64_t i = 0; i < kN; ++i) {
      simulate_patient(p, 0, StreamKey{9, 0, i, 0, 0}, h, &x);
      if (h.n_lines == 0 || std::isnan(h.lines[0].infusion)) continue;
      ++infused;
      if (h.lines[0].icans > 0) ++icans;
    }
    REQUIRE(infused > 4500);
    const double rate = static_cast<double>(icans) / infused;
    INFO("burden " << burden << ": ICANS " << rate << " vs " << expected);
    CHECK(std::abs(rate - expected) < 4.0 * std::sqrt(expected * (1 - expected) / infused));
  }
}

TEST_CASE("Cilta-cel's neurotoxicity rises with prior lines from CARTITUDE-4's rate to CARTITUDE-1's",
          "[myeloma]") {
  // The shipped per-line odds ratio (therapies.toml, X242/X244 vs X054/X053): at CARTITUDE-4's mean prior
  // lines the table's rate, at CARTITUDE-1's six or seven lines inside X242's CI (0.141-0.301); the old
  // constant 0.045 at every line fails it.
  const auto m = build_file("configs/post_cart_salvage.toml");
  const Params& p = m->params();
  const Therapy& th = therapy_named(p, "cilta_cel");
  REQUIRE(th.tox_icans.per_prior_line > 0);
  const double ref_lines = p.populations[th.tox_reference_population].mean[idx(Attr::prior_lines)];
  auto x = average_patient();
  for (int lines : {6, 7}) {
    x[idx(Attr::prior_lines)] = lines;
    const ToxicityRates r = toxicity_rates(p, th, state_of(p, x));
    CHECK(logit(r.icans_any) ==
          Approx(logit(th.icans_any) + th.tox_icans.per_prior_line * (lines - ref_lines)).epsilon(1e-12));
    CHECK(r.icans_any > 0.141);
    CHECK(r.icans_any < 0.301);
  }
  // Without odds ratios the rates are the table's exactly (no round trip through the logit).
  const Therapy& ide = therapy_named(p, "ide_cel");
  const ToxicityRates r = toxicity_rates(p, ide, state_of(p, x));
  CHECK(r.icans_any == ide.icans_any);
  CHECK(r.crs_g3 == ide.crs_g3);
}

TEST_CASE("A late NRM hazard with a half-life halves with each half-life after the early window",
          "[myeloma]") {
  // Cilta-cel at line 1 with a lethal late NRM (0.5/month from month 3, half-life 2 months), no early TRM.
  const auto m = fixed_lines_model("default_relapsed", 60.0, {{"cilta", {"cilta_cel"}}}, R"(
[therapy.cilta_cel.mortality]
early_trm_prob = 0.0
early_window_months = 3.0
late_nrm_hazard = 0.5
late_nrm_months = 36.0
late_nrm_halflife_months = 2.0
source = "test"
)");
  const Params& p = m->params();
  const auto x = average_patient();
  // Among CR patients still in the line at the window's start t0 (infusion + 3), the treatment-death
  // probability over [t0 + a, t0 + b) given alive at t0 + a is 1 - exp(-(H(b) - H(a))) with
  // H(u) = h0 hl / ln 2 (1 - 2^(-u / hl)): 0.514 over the first half-life, 0.303 over the second (a constant
  // hazard would give 0.632 in both). Competing progression and disease death of CR patients over 4 months
  // are ~1% (tolerance 0.02 + 4 binomial SEs).
  const double h0 = 0.5, hl = 2.0, k = std::log(2.0) / hl;
  const auto H = [&](double u) { return h0 / k * (1.0 - std::exp(-k * u)); };
  int at0 = 0, died1 = 0, at1 = 0, died2 = 0;
  History h;
  for (std::uint64_t i = 0; i < 20000; ++i) {
    simulate_patient(p, 0, StreamKey{21, 0, i, 0, 0}, h, &x);
    if (h.n_lines == 0 || std::isnan(h.lines[0].infusion) ||
        h.lines[0].best_response != static_cast<int>(Depth::cr))
      continue;
    const double t0 = h.lines[0].infusion + 3.0;
    if (h.lines[0].end < t0) continue;
    ++at0;
    const bool trm = h.death_cause == DeathCause::treatment;
    if (trm && h.death < t0 + hl) ++died1;
    if (h.lines[0].end >= t0 + hl) {
      ++at1;
      if (trm && h.death < t0 + 2 * hl) ++died2;
    }
  }
  REQUIRE(at0 > 3000);
  REQUIRE(at1 > 1000);
  const double p1 = 1.0 - std::exp(-H(hl)), p2 = 1.0 - std::exp(-(H(2 * hl) - H(hl)));
  const double r1 = static_cast<double>(died1) / at0, r2 = static_cast<double>(died2) / at1;
  INFO("first half-life " << r1 << " vs " << p1 << "; second " << r2 << " vs " << p2);
  CHECK(std::abs(r1 - p1) < 0.02 + 4 * std::sqrt(p1 * (1 - p1) / at0));
  CHECK(std::abs(r2 - p2) < 0.02 + 4 * std::sqrt(p2 * (1 - p2) / at1));
}

}  // namespace mmsim::myeloma::test
