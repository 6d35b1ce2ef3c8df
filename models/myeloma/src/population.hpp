#pragma once
// Baseline attributes through a Gaussian copula (docs/model.md P2): one uniform per attribute, turned into a
// standard normal by normal_quantile, correlated by the Cholesky factor, mapped back to each marginal law.
#include <array>

#include "models/myeloma/src/params.hpp"
#include "sim/random/stream.hpp"

namespace mmsim::myeloma {

// Fills x (Attr order). Uses only the kAttributes stream of `key` (strategy-independent).
void sample_baseline(const Population& pop, const StreamKey& key, std::array<double, kAttrs>& x);

// The patient's frailty on the progression hazards of every line (docs/model.md P7, progression_frailty):
// Z ~ Gamma(shape 1/variance, scale variance), mean 1 and the given variance, from its own stream (kFrailty),
// so no other draw moves; exactly 1, drawing nothing, when the variance is 0.
double draw_progression_frailty(double variance, const StreamKey& key);

}  // namespace mmsim::myeloma
