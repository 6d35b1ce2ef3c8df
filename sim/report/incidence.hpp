#pragma once
// The competing-risks analyses a model declares (OutputSchema::competing_risks): per strategy, the events of
// an endpoint split by cause, estimated by Aalen-Johansen (stats::cumulative_incidence) and thinned for
// figures (step_tables.hpp). Model-agnostic: it sees endpoint columns and a cause column by name only.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sim/core/model.hpp"
#include "sim/report/report.hpp"
#include "sim/report/step_tables.hpp"

namespace mmsim::report {

// Reads a u8/enum patients column of one strategy (the cause of death, ...).
using CategoryColumnReader =
    std::function<std::vector<std::uint8_t>(std::size_t strategy, const std::string&)>;

// The cause code of each patient (0 = censored or not an event): from a cause column where the endpoint has
// its event, or by whether `split` has its event at the same time (2) or not (1). InputError when an event
// has cause code 0 or a code above n_causes.
std::vector<std::uint8_t> causes_from_column(std::span<const std::uint8_t> event,
                                             std::span<const std::uint8_t> cause, std::size_t n_causes,
                                             const std::string& column);
std::vector<std::uint8_t> causes_from_split(std::span<const double> time, std::span<const std::uint8_t> event,
                                            std::span<const double> split_time,
                                            std::span<const std::uint8_t> split_event);

// One entry per (strategy, analysis), strategy-major. Analyses by cause column are left out (not computed)
// when `read_category` is empty (a run that writes no patients table). One strategy's columns at a time.
struct StrategyIncidence {
  std::size_t strategy = 0;
  const CompetingRisks* analysis = nullptr;
  IncidenceSteps steps;
};
std::vector<StrategyIncidence> compute_incidence(const ColumnSource& source, std::size_t n_strategies,
                                                 const std::vector<CompetingRisks>& analyses,
                                                 const CategoryColumnReader& read_category,
                                                 const StepOptions& options = {});

}  // namespace mmsim::report
