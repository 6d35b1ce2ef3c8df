#include "sim/stats/voi_decision.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace mmsim::stats::voi {

void PsaSample::validate() const {
  const std::size_t d = strategies.size();
  if (d == 0) throw std::invalid_argument("PSA sample: no strategies");
  if (simulations < 2) throw std::invalid_argument("PSA sample: fewer than 2 simulations");
  if (costs.size() != simulations * d || effects.size() != simulations * d ||
      parameter_values.size() != simulations * parameters.size())
    throw std::invalid_argument("PSA sample: matrix sizes disagree with the simulations and names");
  for (const auto* m : {&costs, &effects, &parameter_values})
    for (const double v : *m)
      if (!std::isfinite(v)) throw std::invalid_argument("PSA sample: a value is not finite");
}

std::vector<double> net_benefit(const PsaSample& sample, double wtp) {
  std::vector<double> nb(sample.costs.size());
  for (std::size_t i = 0; i < nb.size(); ++i) nb[i] = wtp * sample.effects[i] - sample.costs[i];
  return nb;
}

std::size_t first_max(std::span<const double> values) {
  return static_cast<std::size_t>(std::max_element(values.begin(), values.end()) - values.begin());
}

std::vector<DecisionAtWtp> analyse_decision(const PsaSample& sample, std::span<const double> wtp) {
  sample.validate();
  const std::size_t n = sample.simulations, d = sample.strategies.size();
  const auto nd = static_cast<double>(n);
  std::vector<double> mean_cost(d, 0.0), mean_effect(d, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t s = 0; s < d; ++s) {
      mean_cost[s] += sample.cost(i, s) / nd;
      mean_effect[s] += sample.effect(i, s) / nd;
    }
  std::vector<DecisionAtWtp> out;
  for (const double w : wtp) {
    DecisionAtWtp r;
    r.wtp = w;
    r.expected_cost = mean_cost;
    r.expected_effect = mean_effect;
    const std::vector<double> nb = net_benefit(sample, w);
    r.expected_nmb.assign(d, 0.0);
    r.probability_cost_effective.assign(d, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      const std::span<const double> row(nb.data() + i * d, d);
      r.probability_cost_effective[first_max(row)] += 1.0 / nd;
      for (std::size_t s = 0; s < d; ++s) r.expected_nmb[s] += row[s] / nd;
    }
    r.optimal = first_max(r.expected_nmb);
    r.frontier_probability = r.probability_cost_effective[r.optimal];
    // Per-simulation loss of the decision on expectation; mean and SE (two passes for accuracy).
    std::vector<double> loss(n);
    for (std::size_t i = 0; i < n; ++i) {
      const std::span<const double> row(nb.data() + i * d, d);
      loss[i] = row[first_max(row)] - row[r.optimal];
    }
    double mean = 0.0;
    for (const double v : loss) mean += v / nd;
    double ss = 0.0;
    for (const double v : loss) ss += (v - mean) * (v - mean);
    r.evpi = mean;
    r.evpi_se = std::sqrt(ss / (nd - 1.0) / nd);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace mmsim::stats::voi
