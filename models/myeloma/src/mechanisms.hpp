#pragma once
// Failure mechanisms at progression (docs/model.md P5, P6): which mechanism, and what it does to the antigen.
#include <array>

#include "models/myeloma/src/params.hpp"
#include "models/myeloma/src/patient_state.hpp"
#include "sim/random/stream.hpp"

namespace mmsim::myeloma {

// Mechanism probabilities for a patient failing therapy `th` with T-cell fitness `fitness`: the therapy's
// failure_mechanisms, antigen_loss x het-loss weight (escape antigen BCMA, bcma_het_loss), tcell_exhaustion x
// weight^(-fitness) (T-cell-dependent therapies), renormalised.
std::array<double, kMechanisms> mechanism_probs(const Params& p, const Therapy& th, const PatientState& s,
                                                double fitness);

// One draw from mechanism_probs with the uniform u.
Mech draw_mechanism(const Params& p, const Therapy& th, const PatientState& s, double fitness, double u);

// After a treated line ends by progression with mechanism m: post-exposure drift of every modelled target
// antigen, then antigen_loss (density 0, permanent) or antigen_down (x down-regulation factor) on the escape
// antigen. Draws from the kAntigenDrift stream of line n (two uniforms per antigen, always consumed).
void apply_antigen_effects(const Params& p, const Therapy& th, Mech m, PatientState& s, const StreamKey& key,
                           int n);

}  // namespace mmsim::myeloma
