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
// Line k's endpoints (pfs_lineK, os_lineK) start at the line's own start (decision; NaN if the line never
// began), dor_lineK at its first response (NaN for non-responders), so each is analysed among the patients
// who reached it.
void endpoint_values(const Params& p, const History& h, double horizon,
                     std::array<EndpointValue, kEndpoints>& out);

// True when the scenario asks for a per-line endpoint: the patients table then also carries the per-line
// outcome columns (ICANS of line 1, started_lineK, response_line3, nrm, trm) and the rates name their
// denominators.
bool writes_per_line_outputs(const Params& p);

// Time of the first response (PR or better) of line i (0-based), from the events; NaN if it did not respond.
double response_onset(const History& h, std::size_t i);

// Non-relapse mortality: death by `horizon` from a cause other than myeloma (treatment, infection, waitlist,
// background) before the index line failed. Treatment-related mortality: death by `horizon` the model
// attributes to treatment (early toxicity, late infections), whatever line caused it.
bool non_relapse_death(const History& h, double horizon);
bool treatment_death(const History& h, double horizon);

}  // namespace mmsim::myeloma
