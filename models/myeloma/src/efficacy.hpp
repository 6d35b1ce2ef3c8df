#pragma once
// How a line works for this patient (docs/model.md P3, P6): covariates centred on the therapy's reference
// population, active failure mechanisms with their persistence weights, antigen density (and the
// antigen-negative rule), partner drugs. Pure functions of the parameters and the patient state.
#include "models/myeloma/src/params.hpp"
#include "models/myeloma/src/patient_state.hpp"

namespace mmsim::myeloma {

struct Efficacy {
  DepthProbs probs{};  // best-response probabilities
  double log_hr = 0;   // progression log hazard ratio, before bridging and maintenance
  double fitness = 0;  // effective T-cell fitness during the line (partner included)
  bool antigen_negative = false;
  bool target_nonresponsive = false;  // disease no longer responds to the targets after exposure (P3)
  double density_term = 0;            // ln(min(D, cap Dref) / Dref) of the best modelled target
};

// Persistence weights of the active mechanisms at time t.
std::array<double, kMechanisms> mechanism_weights(const Params& p, const PatientState& s, double t);

// Whether the patient's disease no longer responds to `th` after earlier exposure (P3 prior_exposure): for
// every modelled target the once-drawn uniform falls below the share that applies (the product's own share if
// it was given before, the same-target share if that target was exposed, 0 for an unexposed target, which so
// keeps a dual product responding); unmodelled targets never rescue, as for the antigen-negative rule.
bool target_nonresponsive(const Params& p, const Therapy& th, const PatientState& s);

// ln progression hazard ratio after earlier exposure of the therapy's modelled targets, by the kind of that
// exposure (P3 prior_exposure): the largest of the kinds that apply. Baseline prior_bcma_exposure (kind not
// recorded) counts as the non-cellular mix of CARTITUDE-2 cohort C (X302: 13 ADC, 7 BsAb).
double prior_exposure_log_hr(const Params& p, const Therapy& th, const PatientState& s);

// Efficacy of therapy `th` (with optional partner, -1 = none) started at time t.
Efficacy line_efficacy(const Params& p, const Therapy& th, int partner, const PatientState& s, double t);

// CRS and ICANS probabilities of this patient on `th` (P3 toxicity; issue 11 item 6): the table's rates hold
// in its reference population; the patient's centred covariates (prior lines including simulated ones, high
// tumour burden, EMD, age per decade) shift both any-grade rates on the log-odds scale, and the grade >= 3
// share among them stays the table's. Exactly the table's rates when no odds ratio is given.
struct ToxicityRates {
  double crs_any = 0, crs_g3 = 0, icans_any = 0, icans_g3 = 0;
};
ToxicityRates toxicity_rates(const Params& p, const Therapy& th, const PatientState& s);

// Proportional-odds shift of base probabilities by eta (P3), with eta + eta_cr on the CR threshold alone
// (partial proportional odds; P(CR) is capped at P(>= VGPR) so no depth goes negative). Tail probabilities
// of 0 or 1 stay.
DepthProbs shift_odds(const DepthProbs& base, double eta, double eta_cr = 0.0);

// Index of the depth selected by a uniform u.
Depth pick_depth(const DepthProbs& probs, double u);

}  // namespace mmsim::myeloma
