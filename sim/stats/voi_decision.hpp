#pragma once
// Decision summaries of a probabilistic sensitivity analysis (PSA): for each willingness to pay (WTP, money
// per unit of effect) the expected net monetary benefit of each strategy, the probability that each is the
// most cost-effective (the cost-effectiveness acceptability curve, CEAC), the frontier (CEAF: the strategy of
// greatest expected NMB and the probability that it is the best), and the expected value of perfect
// information (EVPI) with its Monte Carlo standard error.
//
// NMB of strategy d in simulation i at WTP w: NB_id = w E_id - C_id. The probability that d is cost-effective
// is the share of simulations in which d has the greatest NB (ties go to the strategy listed first, which is
// also how the optimum is chosen). EVPI = mean_i max_d NB_id - max_d mean_i NB_id, the expected loss of
// deciding now rather than with the uncertainty resolved; its SE is the standard error of the mean of the
// per-simulation loss max_d NB_id - NB_id* (d* the optimum on expectation), which ignores the (smaller,
// second-order) error in choosing d*.
#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace mmsim::stats::voi {

// A PSA sample: `simulations` draws of the parameters, each with a cost and an effect per strategy.
struct PsaSample {
  std::vector<std::string> strategies;
  std::vector<std::string> parameters;
  std::size_t simulations = 0;
  std::vector<double> costs;             // simulations x strategies, row-major
  std::vector<double> effects;           // simulations x strategies, row-major
  std::vector<double> parameter_values;  // simulations x parameters, row-major

  double cost(std::size_t sim, std::size_t strategy) const {
    return costs[sim * strategies.size() + strategy];
  }
  double effect(std::size_t sim, std::size_t strategy) const {
    return effects[sim * strategies.size() + strategy];
  }
  double parameter(std::size_t sim, std::size_t p) const {
    return parameter_values[sim * parameters.size() + p];
  }
  // Throws std::invalid_argument when the matrices' sizes disagree with the names and the count, or a value
  // is not finite.
  void validate() const;
};

struct DecisionAtWtp {
  double wtp = 0.0;
  std::vector<double> expected_cost, expected_effect;  // per strategy (the same at every WTP)
  std::vector<double> expected_nmb;                    // per strategy
  std::vector<double> probability_cost_effective;      // per strategy: the CEAC at this WTP
  std::size_t optimal = 0;                             // the strategy of greatest expected NMB (the CEAF's)
  double frontier_probability = 0.0;                   // its probability of being cost-effective
  double evpi = 0.0;
  double evpi_se = 0.0;
};

// The net benefit matrix (simulations x strategies) at one WTP.
std::vector<double> net_benefit(const PsaSample& sample, double wtp);

// Index of the greatest value in `values` (the first of equal ones).
std::size_t first_max(std::span<const double> values);

std::vector<DecisionAtWtp> analyse_decision(const PsaSample& sample, std::span<const double> wtp);

}  // namespace mmsim::stats::voi
