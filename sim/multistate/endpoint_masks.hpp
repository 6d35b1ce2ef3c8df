#pragma once
// Which endpoints each state entry starts and ends, as bit masks (bit e: endpoint e), so that both event
// loops (MultistateModel's general one and PlainClockLoop) handle a state entry with two mask operations
// instead of a loop over the endpoints.
#include <array>
#include <bit>
#include <cstdint>
#include <limits>
#include <vector>

#include "sim/multistate/multistate_spec.hpp"

namespace mmsim::multistate {

static_assert(kMaxEndpoints <= 32, "endpoint masks are 32-bit");

struct EndpointMasks {
  std::vector<std::uint32_t> starts, ends;  // per state
  std::uint32_t started_at_zero = 0;        // endpoints that start at time zero
};

EndpointMasks endpoint_masks(const MultistateSpec& spec);

// One patient's endpoints as the event loop goes: an endpoint ends at the first entry into one of its
// terminating states after it started (not at the entry that starts it). start[e] and end[e] are read only
// where the masks say they were set (the arrays are deliberately left uninitialized: zeroing them per patient
// cost more than the bookkeeping they serve).
struct EndpointClock {
  std::uint32_t started = 0, ended = 0;
  std::array<double, kMaxEndpoints> start;
  std::array<double, kMaxEndpoints> end;

  explicit EndpointClock(std::uint32_t started_at_zero) : started(started_at_zero) {
    for (std::uint32_t m = started_at_zero; m != 0; m &= m - 1) start[std::countr_zero(m)] = 0.0;
  }
  void enter(const EndpointMasks& masks, std::uint32_t state, double t) {
    const std::uint32_t ends = masks.ends[state] & started;
    for (std::uint32_t m = ends & ~ended; m != 0; m &= m - 1) end[std::countr_zero(m)] = t;
    ended |= ends;
    for (std::uint32_t m = masks.starts[state] & ~started; m != 0; m &= m - 1) start[std::countr_zero(m)] = t;
    started |= masks.starts[state];
  }
  // Endpoint e at the horizon: its time (NaN when it never started) and event flag (1: ended, 0: censored).
  double time(std::uint32_t e, double horizon) const {
    const std::uint32_t bit = 1u << e;
    if ((started & bit) == 0) return std::numeric_limits<double>::quiet_NaN();
    return (ended & bit) != 0 ? end[e] - start[e] : horizon - start[e];
  }
  std::uint8_t event(std::uint32_t e) const { return static_cast<std::uint8_t>((ended >> e) & 1u); }
};

}  // namespace mmsim::multistate
