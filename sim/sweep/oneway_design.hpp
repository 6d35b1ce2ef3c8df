#pragma once
// The one-way (tornado) design: the base case, then each parameter alone at each of its values with the
// others at their base values. A parameter's values are listed (`values`, or `low` and `high`), or come
// from a law (`dist` and its parameters, as in a PSA, sim/sweep/psa_law.hpp): its low and high quantiles
// (`quantiles`, 2.5% and 97.5% unless the sweep says otherwise), so a tornado can read the very parameter
// list of a PSA and move each parameter across the range the PSA draws it from.
#include <array>
#include <vector>

#include "sim/dist/value_distribution.hpp"
#include "sim/sweep/sweep_spec.hpp"

namespace mmsim::sweep {

inline constexpr std::array<double, 2> kDefaultOnewayQuantiles{0.025, 0.975};

// The values a one-way design gives a parameter drawn from `law`: its quantiles at `quantiles`.
std::vector<double> oneway_law_values(const ValueDistribution& law, const std::array<double, 2>& quantiles);

// Point 0 is the base case (varied = -1); then, per parameter in order, one point per value.
std::vector<SweepPoint> oneway_points(const std::vector<Parameter>& parameters);

}  // namespace mmsim::sweep
