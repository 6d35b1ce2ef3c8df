#include "sim/economics/economics_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "sim/dist/normal.hpp"
#include "sim/economics/patient_economics.hpp"

namespace mmsim::economics {
namespace {

constexpr std::size_t kCost = 0, kQaly = 1, kLy = 2;

std::size_t at(std::size_t strategy, std::size_t value) {
  return strategy * kValues + value;
}

// Mean and SE of a linear combination sum_k w_k x_{i_k} of the moments' values.
struct Combination {
  std::vector<std::pair<std::size_t, double>> terms;
};
double combined_mean(const Moments& m, const Combination& c) {
  double v = 0.0;
  for (const auto& [i, w] : c.terms) v += w * m.mean(i);
  return v;
}
double combined_se(const Moments& m, const Combination& c) {
  if (m.n() < 2) return kNaN;
  double var = 0.0;
  for (const auto& [i, wi] : c.terms) {
    for (const auto& [j, wj] : c.terms) var += wi * wj * m.covariance(i, j);
  }
  return std::sqrt(std::max(var, 0.0) / static_cast<double>(m.n()));
}

Estimate estimate(const Moments& m, std::size_t i) {
  return {m.mean(i), combined_se(m, {{{i, 1.0}}})};
}

Difference difference(const Moments& m, const Combination& a, const Combination& b, double z) {
  Combination d = a;
  for (const auto& [i, w] : b.terms) d.terms.emplace_back(i, -w);
  Difference out;
  out.diff = combined_mean(m, d);
  out.se = combined_se(m, d);
  const double sa = combined_se(m, a), sb = combined_se(m, b);
  out.se_unpaired = std::sqrt(sa * sa + sb * sb);
  out.ci_low = out.diff - z * out.se;
  out.ci_high = out.diff + z * out.se;
  return out;
}

}  // namespace

const char* status_name(FrontierStatus s) {
  switch (s) {
    case FrontierStatus::frontier:
      return "frontier";
    case FrontierStatus::dominated:
      return "dominated";
    case FrontierStatus::extendedly_dominated:
      return "extendedly_dominated";
  }
  return "";
}

std::vector<FrontierEntry> efficiency_frontier(const std::vector<std::string>& names,
                                               const std::vector<double>& cost,
                                               const std::vector<double>& effect) {
  const std::size_t n = names.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return cost[a] < cost[b] || (cost[a] == cost[b] && effect[a] > effect[b]);
  });
  std::vector<FrontierEntry> entry(n);
  for (std::size_t i = 0; i < n; ++i) entry[i].strategy = names[i];
  std::vector<std::size_t> kept;
  for (const std::size_t i : order) {
    // Strongly dominated: another strategy costs no more and gives no less, and is better in one of them.
    for (const std::size_t j : order) {
      if (j == i) continue;
      const bool better =
          (cost[j] <= cost[i] && effect[j] >= effect[i]) && (cost[j] < cost[i] || effect[j] > effect[i]);
      const bool tie_earlier = cost[j] == cost[i] && effect[j] == effect[i] && j < i;
      if (better || tie_earlier) {
        entry[i].status = FrontierStatus::dominated;
        entry[i].compared_with = names[j];
        break;
      }
    }
    if (entry[i].status == FrontierStatus::frontier) kept.push_back(i);
  }
  auto icer = [&](std::size_t from, std::size_t to) {
    return (cost[to] - cost[from]) / (effect[to] - effect[from]);
  };
  // Extended dominance: a strategy whose ICER exceeds the next one's is beaten by a mix of its neighbours.
  for (bool removed = true; removed;) {
    removed = false;
    for (std::size_t k = 1; k + 1 < kept.size(); ++k) {
      if (icer(kept[k - 1], kept[k]) > icer(kept[k], kept[k + 1])) {
        FrontierEntry& e = entry[kept[k]];
        e.status = FrontierStatus::extendedly_dominated;
        e.compared_with = names[kept[k - 1]] + " and " + names[kept[k + 1]];
        kept.erase(kept.begin() + static_cast<std::ptrdiff_t>(k));
        removed = true;
        break;
      }
    }
  }
  for (std::size_t k = 1; k < kept.size(); ++k) {
    entry[kept[k]].compared_with = names[kept[k - 1]];
    entry[kept[k]].icer = icer(kept[k - 1], kept[k]);
  }
  std::vector<FrontierEntry> out;
  for (const std::size_t i : order) out.push_back(entry[i]);
  return out;
}

EconomicsReport compute_economics(const Moments& m, const EconomicsSettings& settings, double conf_level) {
  EconomicsReport r;
  r.settings = settings;
  r.conf_level = conf_level;
  const double z = normal_quantile(0.5 + conf_level / 2.0);
  const std::size_t n_s = settings.strategies.size();
  const std::size_t ref = settings.reference;
  for (std::size_t s = 0; s < n_s; ++s) {
    r.strategies.push_back({settings.strategies[s], m.n(), estimate(m, at(s, 0)), estimate(m, at(s, 1)),
                            estimate(m, at(s, 2)), estimate(m, at(s, 3)), estimate(m, at(s, 4)),
                            estimate(m, at(s, 5))});
  }
  auto one = [](std::size_t i) { return Combination{{{i, 1.0}}}; };
  for (std::size_t s = 0; s < n_s; ++s) {
    if (s == ref) continue;
    Increment inc;
    inc.strategy = settings.strategies[s];
    inc.reference = settings.strategies[ref];
    inc.cost = difference(m, one(at(s, kCost)), one(at(ref, kCost)), z);
    inc.qaly = difference(m, one(at(s, kQaly)), one(at(ref, kQaly)), z);
    inc.ly = difference(m, one(at(s, kLy)), one(at(ref, kLy)), z);
    if (inc.qaly.diff != 0.0) inc.icer = inc.cost.diff / inc.qaly.diff;
    r.increments.push_back(inc);
  }
  for (std::size_t s = 0; s < n_s; ++s) {
    for (const double wtp : settings.willingness_to_pay) {
      const Combination a{{{at(s, kQaly), wtp}, {at(s, kCost), -1.0}}};
      NetBenefit nb;
      nb.strategy = settings.strategies[s];
      nb.wtp = wtp;
      nb.nmb = {combined_mean(m, a), combined_se(m, a)};
      if (s != ref) {
        const Combination b{{{at(ref, kQaly), wtp}, {at(ref, kCost), -1.0}}};
        nb.incremental = difference(m, a, b, z);
      }
      r.net_benefit.push_back(nb);
    }
  }
  std::vector<double> cost, qaly;
  for (const auto& s : r.strategies) {
    cost.push_back(s.cost.mean);
    qaly.push_back(s.qaly.mean);
  }
  r.frontier = efficiency_frontier(settings.strategies, cost, qaly);
  return r;
}

}  // namespace mmsim::economics
