#pragma once
// The economic evaluation of a run (docs/economics.md, "What is written"): per strategy mean costs, QALYs and
// life years with Monte Carlo SEs, increments against the reference with paired CIs, ICERs, net monetary
// benefit at each willingness to pay, and the efficiency frontier. Computed from the run's Moments alone.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/numeric.hpp"
#include "sim/economics/moments.hpp"

namespace mmsim::economics {

// What the report says about the analysis (from the [economics] table).
struct EconomicsSettings {
  std::string currency, perspective;
  std::int64_t price_year = 0;
  double discount_costs = 0.03, discount_effects = 0.03, horizon = 0.0;
  std::size_t reference = 0;
  std::vector<double> willingness_to_pay;
  std::vector<std::string> strategies;
};

struct Estimate {
  double mean = kNaN, se = kNaN;
};

struct StrategyEconomics {
  std::string strategy;
  std::uint64_t n = 0;
  Estimate cost, qaly, ly, cost_undiscounted, qaly_undiscounted, ly_undiscounted;
};

struct Difference {
  double diff = kNaN, se = kNaN, se_unpaired = kNaN, ci_low = kNaN, ci_high = kNaN;
};

struct Increment {  // strategy minus reference, discounted
  std::string strategy, reference;
  Difference cost, qaly, ly;
  double icer = kNaN;  // cost / qaly increment; NaN when the QALY increment is 0
};

struct NetBenefit {  // NMB = wtp x QALYs - cost (discounted), and its paired increment over the reference
  std::string strategy;
  double wtp = 0.0;
  Estimate nmb;
  Difference incremental;  // NaN for the reference itself
};

enum class FrontierStatus : std::uint8_t { frontier, dominated, extendedly_dominated };
const char* status_name(FrontierStatus s);

struct FrontierEntry {  // in order of increasing mean cost
  std::string strategy;
  FrontierStatus status = FrontierStatus::frontier;
  // frontier: the previous frontier strategy and the ICER against it ("" and NaN for the cheapest);
  // dominated: a strategy that dominates it; extendedly dominated: the frontier strategies around it.
  std::string compared_with;
  double icer = kNaN;
};

struct EconomicsReport {
  EconomicsSettings settings;
  double conf_level = 0.95;
  std::vector<StrategyEconomics> strategies;
  std::vector<Increment> increments;
  std::vector<NetBenefit> net_benefit;  // per strategy, then per wtp
  std::vector<FrontierEntry> frontier;
};

// The moments' layout: strategy s's value v (patient_economics.hpp, kValueNames) is index s * 6 + v.
EconomicsReport compute_economics(const Moments& moments, const EconomicsSettings& settings,
                                  double conf_level = 0.95);

// The efficiency frontier of strategies with these mean costs and effects (dominance, then extended
// dominance removed until the ICERs along the frontier increase).
std::vector<FrontierEntry> efficiency_frontier(const std::vector<std::string>& names,
                                               const std::vector<double>& cost,
                                               const std::vector<double>& effect);

enum class EconomicsFormat { table, markdown, csv, json };
// The report's economics as text: the terminal table / Markdown tables, a CSV block (its own header), or
// the value of the JSON "economics" key (docs/report_json.md).
std::string format_economics(const EconomicsReport& report, EconomicsFormat format);

}  // namespace mmsim::economics
