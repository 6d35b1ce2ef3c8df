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

// Pattern of the progression that ends line n (P6 [progression_pattern], by baseline EMD), from the
// kProgressionPattern stream of line n.
Pattern draw_pattern(const Params& p, const PatientState& s, const StreamKey& key, int n);

// What the rules learn at the progression that ends line n with true mechanism m (S "Testing"), after the
// antigen effects: without a testing model the true mechanism (the antigen status is then read directly);
// with one, a biopsy in a share of patients whose antigen calls have the model's sensitivity and
// specificity, and a mechanism identified only when tested. Sets s.tested, s.observed_status and
// s.last_mechanism; draws from the kTesting stream of line n (a fixed number of uniforms).
void observe_at_progression(const Params& p, const Therapy& th, Mech m, PatientState& s, const StreamKey& key,
                            int n);

// One antigen call of the test: the status reported for true status `truth` from two uniforms.
Status antigen_call(const TestingSpec& t, Status truth, double u_loss, double u_low);

}  // namespace mmsim::myeloma
