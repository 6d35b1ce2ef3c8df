#pragma once
// The [economics] table of a scenario (docs/economics.md, "Config: the [economics] table"), read and resolved
// against the model's output schema: every column is a FieldId, every label a code. The engine names no
// model column; all of them come from the config.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "sim/config/diagnostics.hpp"
#include "sim/core/model.hpp"

namespace mmsim::economics {

// A row satisfies a condition when its column's value is one of `values` (enumeration codes or integers).
struct Condition {
  FieldId field;
  FieldType type = FieldType::u8;
  std::vector<std::uint64_t> values;
};
using Match = std::vector<Condition>;  // all must hold; empty: every row

struct LineCost {  // one-off per matching line at its `at` column's time
  std::string name;
  std::string source;
  Match match;
  FieldId at;
  double cost = 0.0;  // already multiplied by quantity
};

struct Phase {
  double months = 0.0;  // infinity: until treatment ends
  double monthly_cost = 0.0;
};

struct TreatmentCost {  // per month on treatment of a matching line, by dosing phase
  std::string name;
  std::string source;
  Match match;
  std::vector<Phase> phases;  // costs multiplied by quantity
};

struct EventCost {  // per matching events-table row, at its time
  std::string name;
  std::string source;
  Match match;
  double cost = 0.0;
};

struct StateCost {  // per month in any of `states`
  std::string name;
  std::string source;
  std::vector<bool> states;  // by state code
  double monthly_cost = 0.0;
};

struct LineUtility {  // overrides the state utility over a matching line's [from, to)
  std::string name;
  std::string source;
  Match match;
  std::vector<bool> states;  // by state code; empty: every state
  FieldId from, to;
  double utility = 0.0;
};

struct Disutility {  // a QALY loss per matching line at its `at` column's time
  std::string name;
  std::string source;
  Match match;
  FieldId at;
  double qaly_loss = 0.0;  // decrement x days / 365.25
};

struct AgeAdjustment {
  double intercept = 0.0, male = 0.0, age = 0.0, age_squared = 0.0;
  FieldId age_column;
  std::optional<FieldId> sex_column;
  std::string source;
};

struct EconomicsSpec {
  // Settings.
  std::string currency, perspective, source;
  std::int64_t price_year = 0;
  double discount_costs = 0.03, discount_effects = 0.03;  // per year
  double horizon = 0.0;                                   // months
  std::size_t reference = 0;                              // strategy index
  std::vector<double> willingness_to_pay;
  std::vector<std::string> strategies;

  // Columns.
  FieldId follow_up_time;  // patients: <endpoint>_time
  std::size_t events_table = 0;
  FieldId event_time, event_to;
  std::uint8_t initial_state = 0;
  std::vector<std::string> state_labels;
  std::optional<std::size_t> lines_table;
  FieldId line_start, line_end, treatment_start, treatment_end;

  // Items.
  std::vector<LineCost> line_costs;
  std::vector<TreatmentCost> treatment_costs;
  std::vector<EventCost> event_costs;
  std::vector<StateCost> state_costs;
  std::vector<double> state_utility;  // by state code
  std::string utility_source;
  std::vector<LineUtility> line_utilities;
  std::vector<Disutility> disutilities;
  std::optional<AgeAdjustment> age_adjustment;
};

// The table named in configs: `[economics]`.
inline constexpr const char* kEconomicsTable = "economics";

// Reads root's [economics] against the model's schema and strategies; nullopt when the config has none (or
// with errors recorded in diag).
std::optional<EconomicsSpec> read_economics(const toml::table& root, const Model& model, double sim_horizon,
                                            config::Diagnostics& diag);

// One line per setting and item with its source, for `mmsim check --print`.
std::string describe(const EconomicsSpec& spec);

}  // namespace mmsim::economics
