#pragma once
// One step of the continuous-time event loop: which of several competing transitions fires first.
//
// Each clock is a time-to-event law with its own origin:
//   reset   - the clock starts when the current state is entered (time in state: disease hazards);
//   forward - the clock keeps running from its origin (e.g. age at time zero), so its hazard depends on the
//             time since the origin, not on the state (background mortality beside a disease hazard).
// Each clock draws from its own random stream, so what one transition draws never shifts another's draws.
#include <limits>

#include "sim/dist/time_distribution.hpp"
#include "sim/random/stream.hpp"

namespace mmsim {

enum class ClockKind : unsigned char { reset, forward };

// Absolute time at which a clock fires, given the present time `now` (the current state was entered at
// `now`). `origin` is where a forward clock's time axis starts, expressed on the patient's time axis
// (e.g. -age at time zero, so age = now - origin); `hr` multiplies the hazard.
inline double draw_clock(const TimeDistribution& law, ClockKind kind, double now, double origin, double hr,
                         RandomStream& rng) {
  if (kind == ClockKind::reset) {
    return now + (hr == 1.0 ? law.sample(rng) : law.sample_conditional(rng, 0.0, hr));
  }
  return origin + law.sample_conditional(rng, now - origin, hr);
}

inline constexpr double kNever = std::numeric_limits<double>::infinity();

}  // namespace mmsim
