#pragma once
// Display text of the myeloma model's output (sim/core/model.hpp EndpointLabel, CompetingRisks): what each
// endpoint is called in a figure, its time zero, the strategies' display names and the competing-event
// analyses stored with the summaries.
#include "models/myeloma/src/params.hpp"
#include "sim/core/model.hpp"

namespace mmsim::myeloma {

// Fills schema.endpoint_labels (one per schema.endpoints entry), schema.strategy_labels (a strategy's
// `label`, else its name) and schema.competing_risks (for the endpoints the scenario reports).
void add_display_labels(const Params& params, OutputSchema& schema);

}  // namespace mmsim::myeloma
