#include "sim/multistate/endpoint_masks.hpp"

namespace mmsim::multistate {

EndpointMasks endpoint_masks(const MultistateSpec& spec) {
  EndpointMasks masks;
  masks.starts.assign(spec.states.size(), 0);
  masks.ends.assign(spec.states.size(), 0);
  for (std::size_t e = 0; e < spec.endpoints.size(); ++e) {
    const EndpointSpec& ep = spec.endpoints[e];
    const std::uint32_t bit = 1u << e;
    if (ep.start_state < 0) {
      masks.started_at_zero |= bit;
    } else {
      masks.starts[static_cast<std::size_t>(ep.start_state)] |= bit;
    }
    for (std::size_t s = 0; s < spec.states.size(); ++s) {
      if (ep.ends[s]) masks.ends[s] |= bit;
    }
  }
  return masks;
}

}  // namespace mmsim::multistate
