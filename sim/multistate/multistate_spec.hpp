#pragma once
// A generic continuous-time multi-state model, read from config: states, transitions with a law each,
// clocks, hazard ratios on patient attributes, per-strategy hazard multipliers, and named endpoints.
// The reference illness-death model (configs/reference/illness_death.toml) is one instance.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/config/diagnostics.hpp"
#include "sim/config/simulation_settings.hpp"
#include "sim/dist/time_distribution.hpp"
#include "sim/dist/value_distribution.hpp"
#include "sim/multistate/competing_clocks.hpp"

namespace mmsim::multistate {

// Generous fixed bounds keep the per-patient loop free of heap allocation.
inline constexpr std::size_t kMaxStates = 64;
inline constexpr std::size_t kMaxAttributes = 64;
inline constexpr std::size_t kMaxEndpoints = 32;

struct AttributeSpec {
  std::string name;
  ValueDistributionPtr law;
};

struct AttributeEffect {
  std::uint32_t attribute = 0;
  double hr = 1.0;  // hazard multiplied by hr^value
};

struct AttributeAssignment {
  std::uint32_t attribute = 0;
  double value = 0.0;
};

struct TransitionSpec {
  std::uint32_t from = 0;
  std::uint32_t to = 0;
  TimeDistributionPtr law;
  ClockKind clock = ClockKind::reset;
  int clock_origin_attribute = -1;  // forward clocks: the attribute (in months) the clock starts at, or none
  std::vector<AttributeEffect> hazard_ratios;
  std::vector<AttributeAssignment> on_fire;  // attributes the transition changes when it fires
};

struct EndpointSpec {
  std::string name;
  int start_state = -1;    // -1: time zero; else the first entry into this state
  std::vector<bool> ends;  // per state: does entering it end the endpoint?
};

struct StrategySpec {
  std::string name;
  std::vector<double> transition_hr;  // per transition hazard multiplier (1 = unchanged)
};

struct MultistateSpec {
  SimulationSettings settings;  // [simulation], as the registry read it
  std::vector<std::string> states;
  std::uint32_t initial = 0;
  std::vector<AttributeSpec> attributes;
  std::vector<TransitionSpec> transitions;
  std::vector<EndpointSpec> endpoints;
  std::vector<StrategySpec> strategies;
};

// Validates and converts the `[multistate]` and `[[strategies]]` parts of a resolved config; `settings` are
// the tables every model shares, read by the registry. Errors (with file, line and key path) are collected in
// `diag`; the result is meaningful only when diag.ok().
MultistateSpec read_multistate_spec(const toml::table& root, const ScenarioSettings& settings,
                                    config::Diagnostics& diag);

}  // namespace mmsim::multistate
