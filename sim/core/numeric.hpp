#pragma once
// The two special doubles every layer spells: NaN for "undefined" (a median not reached, a time that never
// happened) and infinity for "never" (an event past every horizon, an unbounded range).
#include <limits>

namespace mmsim {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
inline constexpr double kInf = std::numeric_limits<double>::infinity();

}  // namespace mmsim
