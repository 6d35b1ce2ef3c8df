// CRS and ICANS carry their own odds ratios (docs/model.md P3 toxicity odds ratios; issue 11 item 6): a
// shared `or_<covariate>` acts on both, `crs_or_<covariate>` / `icans_or_<covariate>` replace it for one
// outcome.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "models/myeloma/src/efficacy.hpp"
#include "test_myeloma_support.hpp"

namespace mmsim::myeloma::test {
TEST_CASE("CRS and ICANS each take their own odds ratio, the shared one fills the outcome without one",
          "[myeloma]") {
  const auto m = fixed_lines_model(
      "default_relapsed", 24.0, {{"ide_cel", {"ide_cel"}}},
      ide_cel_toxicity("or_high_tumor_burden = 2.0\nicans_or_high_tumor_burden = 3.0\ncrs_or_emd = 0.5\n"));
  const Params& p = m->params();
  const Therapy& th = therapy_named(p, "ide_cel");
  auto x = average_patient();
  const auto rates = [&](int burden, int emd) {
    x[idx(Attr::high_tumor_burden)] = burden;
    x[idx(Attr::emd)] = emd;
    return toxicity_rates(p, th, state_of(p, x));
  };
  // Burden: CRS by the shared ratio 2, ICANS by its own 3; EMD: CRS only (0.5), ICANS untouched.
  CHECK(logit(rates(1, 0).crs_any) - logit(rates(0, 0).crs_any) == Approx(std::log(2.0)).epsilon(1e-12));
  CHECK(logit(rates(1, 0).icans_any) - logit(rates(0, 0).icans_any) == Approx(std::log(3.0)).epsilon(1e-12));
  CHECK(logit(rates(0, 1).crs_any) - logit(rates(0, 0).crs_any) == Approx(std::log(0.5)).epsilon(1e-12));
  CHECK(rates(0, 1).icans_any == rates(0, 0).icans_any);
}

TEST_CASE("Cilta-cel's CRS and ICANS per-line ratios reproduce each CARTITUDE-1 rate from CARTITUDE-4's",
          "[myeloma]") {
  // Each ratio is its own contrast (therapies.toml): at CARTITUDE-1's mean prior lines (6.51, B053) the CRS
  // rate is X244's 0.95 and the ICANS rate X242's 0.21 within the rounding of the ratios to 2 decimals
  // (0.005 on the ratio, x 4.55 lines: < 0.01 on either rate). The hand-set ratios, without calibrated.toml
  // (whose fitted values move with every refit).
  const auto m = fixed_lines_model("default_relapsed", 120.0, {{"cilta", {"cilta_cel"}}});
  const Params& p = m->params();
  const Therapy& th = therapy_named(p, "cilta_cel");
  REQUIRE(th.tox_crs.per_prior_line != th.tox_icans.per_prior_line);
  const double ref_lines = p.populations[th.tox_reference_population].mean[idx(Attr::prior_lines)];
  auto x = average_patient();
  x[idx(Attr::prior_lines)] = ref_lines + 4.55;
  const ToxicityRates r = toxicity_rates(p, th, state_of(p, x));
  CHECK(std::abs(r.crs_any - 0.95) < 0.01);
  CHECK(std::abs(r.icans_any - 0.21) < 0.01);
}

}  // namespace mmsim::myeloma::test
