// Trial emulation with the shipped trial configs and model: every calibration target stays in place, and the
// trial-sized replicates behave as documented.
#include <catch2/catch.hpp>

#include <cmath>

#include "sim/calibration/trial_emulation.hpp"
#include "sim/cli/model_registry.hpp"
#include "sim/core/errors.hpp"

using namespace mmsim;
using namespace mmsim::calibration;

namespace {

const std::string kTrials = std::string(MMSIM_SOURCE_DIR) + "/configs/trials/";

}  // namespace

TEST_CASE("quantile: type 7 (R's default) of the finite values") {
  CHECK(quantile({4, 1, 3, 2}, 0.25) == Approx(1.75));  // R: quantile(1:4, 0.25)
  CHECK(quantile({4, 1, 3, 2}, 0.975) == Approx(3.925));
  CHECK(quantile({1, kNaN, 2, INFINITY}, 0.5) == Approx(1.5));
  CHECK(std::isnan(quantile({kNaN}, 0.5)));
  CHECK(quantile({7}, 0.025) == 7);
}

// The shipped model (with models/myeloma/params/calibrated.toml) keeps every target of every trial config
// inside its published 95% CI, or within 10% relative where none is published (docs/calibration.md).
// 10000 patients per arm (seed independent of the fit's) keep this quick, also under ASan; the fit table uses
// 40000. The fit aims two Monte Carlo SEs inside each band, so this size's noise (SE <= 0.005 for a rate)
// does not flip a target.
TEST_CASE("default model keeps the calibration targets in place") {
  for (const char* name : {"karmma", "cartitude1", "legend2", "karmma3", "cartitude4"}) {
    const Trial trial = load_trial(kTrials + name + ".toml", cli::trial_scenario_loader());
    const auto sims = evaluate_trial(trial, {}, 10000, 20250602, 0);
    for (std::size_t i = 0; i < trial.targets().size(); ++i) {
      const Target& t = trial.targets()[i];
      INFO(trial.name() << ": " << t.label() << " (" << t.evidence << ") published " << t.value << " ["
                        << t.ci_low << ", " << t.ci_high << "], simulated " << sims[i].value);
      CHECK(passes(t, sims[i].value));
    }
  }
}

TEST_CASE("trial-sized replicates: one value per replicate, reproducible, arms of the trial's size") {
  const Trial trial = load_trial(kTrials + "karmma3.toml", cli::trial_scenario_loader());
  const auto a = trial_replicates(trial, {}, 3, 11, 1);
  const auto b = trial_replicates(trial, {}, 3, 11, 1);
  REQUIRE(a.size() == trial.targets().size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    REQUIRE(a[i].size() == 3);
    CHECK(a[i] == b[i]);
  }
  // Replicates scatter (fresh patients each) and the HR of 254 vs 132 patients scatters far more than the
  // 10000-patient cohort's Monte Carlo SE.
  CHECK(a[0][0] != a[0][1]);
  // An override reaches the model: no one is infused when the ide-cel dropout is certain.
  const auto sims = evaluate_trial(trial, {{"therapy.ide_cel.pre_treatment.dropout_prob", 1.0}}, 2000, 5, 1);
  for (std::size_t i = 0; i < trial.targets().size(); ++i) {
    if (trial.targets()[i].evidence == "B076") CHECK(sims[i].value == 0.0);
  }
}

TEST_CASE("a config without [trial] is not a trial") {
  CHECK_THROWS_WITH(load_trial(std::string(MMSIM_SOURCE_DIR) + "/configs/post_cart_salvage.toml",
                               cli::trial_scenario_loader()),
                    Catch::Contains("a trial config needs a [trial] table"));
}

// Subgroup and death-cause targets read patients columns that are not model outcomes (baseline flags, the
// death cause): the run collects them for the scoring. Checked against the same figure computed from the
// trial's own arms: the EMD subgroup of the whole SOC ide-cel cohort against the shipped EMD-only cohort is
// not an independent truth (different patients), so the checks are the ones the model's structure fixes.
TEST_CASE("subgroup and death-cause targets are scored from the collected columns") {
  const Trial contrast = load_trial(kTrials + "soc_idecel_emd_contrast.toml", cli::trial_scenario_loader());
  REQUIRE(contrast.targets().size() == 1);
  const auto hr = evaluate_trial(contrast, {}, 4000, 20250602, 0);
  // EMD raises the progression hazard and lowers response in the model (ide_cel_hr_emd >= 1.1, the fit's
  // lower bound): the HR of EMD : no EMD is above 1 by far more than its Monte Carlo SE (~0.07 on the log
  // scale at ~960 EMD patients).
  INFO("HR " << hr[0].value << " (SE " << hr[0].se << ")");
  CHECK(hr[0].value > 1.0 + 3 * hr[0].se);
  const Trial hashmi = load_trial(kTrials + "soc_idecel_hashmi.toml", cli::trial_scenario_loader());
  const auto medians = evaluate_trial(hashmi, {}, 4000, 20250602, 0);
  REQUIRE(medians.size() == 2);
  // More risk factors, shorter PFS: >= 3 factors (X130) below none (X131).
  CHECK(medians[0].value < medians[1].value);
  // Deaths from adverse events count the treatment-attributed deaths and more (background deaths).
  const Trial c2 = load_trial(kTrials + "cartitude2c.toml", cli::trial_scenario_loader());
  Trial treatment_only = c2;
  for (auto& t : treatment_only.config.targets) {
    if (t.evidence == "X301") t.kind.codes.resize(1);  // values = ["treatment", "background"]: the first
  }
  const auto ae = evaluate_trial(c2, {}, 4000, 20250602, 0);
  const auto treatment = evaluate_trial(treatment_only, {}, 4000, 20250602, 0);
  for (std::size_t i = 0; i < c2.targets().size(); ++i) {
    if (c2.targets()[i].evidence != "X301") continue;
    CHECK(c2.targets()[i].kind.name == "ae_deaths");
    // The same patients (common random numbers): background deaths by the cut come on top.
    INFO("adverse-event deaths " << ae[i].value << ", treatment-attributed " << treatment[i].value);
    CHECK(treatment[i].value > 0.0);
    CHECK(ae[i].value > treatment[i].value);
  }
}
