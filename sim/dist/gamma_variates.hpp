#pragma once
// Standard gamma variates (scale 1) by Marsaglia and Tsang (2000), "A simple method for generating gamma
// variables", ACM TOMS 26(3): rejection from a transformed normal, the normals by inversion
// (normal_quantile), so a draw is a pure function of the stream but consumes a random number of uniforms.
//
// The one gamma sampler of sim/dist, in the two variants that are in use. For shape >= 1 they accept the same
// candidates (the squeeze only short-cuts the log test; no draw differed in 5 x 10^6 at shapes 1 to 500), but
// their log tests are written differently, so only a near-tie could tell them apart. For shape < 1 they
// differ: the boosting uniform is drawn first in one and last in the other. Each keeps its own arithmetic
// because changing one would change every result drawn with it (simulated patients for the time law, the
// parameter draws of every existing PSA sweep).
#include "sim/random/stream.hpp"

namespace mmsim {

// Used by the time-to-event law Gamma: the squeeze test u < 1 - 0.0331 z^4 before the log test; for
// shape < 1 the Gamma(shape + 1) draw comes first and is then multiplied by exp(log(U) / shape).
double gamma_variate_with_squeeze(double shape, RandomStream& rng);

// Used by the value laws GammaValue and BetaValue (PSA draws): the log test alone; for shape < 1 the U of
// U^(1/shape) = pow(U, 1 / shape) is drawn first, then Gamma(shape + 1).
double gamma_variate_without_squeeze(double shape, RandomStream& rng);

}  // namespace mmsim
