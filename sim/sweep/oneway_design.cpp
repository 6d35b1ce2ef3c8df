#include "sim/sweep/oneway_design.hpp"

namespace mmsim::sweep {

std::vector<double> oneway_law_values(const ValueDistribution& law, const std::array<double, 2>& quantiles) {
  return {law.quantile(quantiles[0]), law.quantile(quantiles[1])};
}

std::vector<SweepPoint> oneway_points(const std::vector<Parameter>& parameters) {
  std::vector<double> base;
  for (const auto& p : parameters) base.push_back(p.base);
  std::vector<SweepPoint> points;
  SweepPoint centre;
  centre.values = base;
  points.push_back(centre);
  for (std::size_t j = 0; j < parameters.size(); ++j) {
    for (double v : parameters[j].values) {
      SweepPoint pt;
      pt.index = points.size();
      pt.varied = static_cast<int>(j);
      pt.values = base;
      pt.values[j] = v;
      points.push_back(std::move(pt));
    }
  }
  return points;
}

}  // namespace mmsim::sweep
