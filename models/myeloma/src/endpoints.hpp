#pragma once
// The endpoints of one simulated course (docs/model.md S): when each starts and ends on the patient's clock,
// and the resulting time and event after administrative censoring.
#include <array>
#include <cstdint>

#include "models/myeloma/src/params.hpp"
#include "models/myeloma/src/simulate.hpp"

namespace mmsim::myeloma {

// One endpoint of one patient: months from its start (NaN: it did not start before the horizon) and whether
// it ended by an event (1) or was censored (0).
struct EndpointValue {
  double time = NAN;
  std::uint8_t event = 0;
};

// Sets out[e] for every configured endpoint e of history h, censored at `horizon` (the patient's own: under
// trial emulation it is earlier than the model's). Endpoints not configured are left as they are.
void endpoint_values(const Params& p, const History& h, double horizon,
                     std::array<EndpointValue, kEndpoints>& out);

}  // namespace mmsim::myeloma
