#include "sim/stats/voi_evppi.hpp"

#include <algorithm>
#include <cmath>
#include <span>
#include <stdexcept>

#include "sim/dist/normal.hpp"
#include "sim/random/stream.hpp"
#include "sim/stats/voi_spline.hpp"

namespace mmsim::stats::voi {
namespace {

PenalizedBasis group_basis(const PsaSample& sample, const ParameterGroup& group, std::size_t knots) {
  std::vector<PenalizedBasis> margins;
  for (const std::size_t p : group.parameters) {
    std::vector<double> x(sample.simulations);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = sample.parameter(i, p);
    const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
    if (*lo == *hi)
      throw std::invalid_argument("EVPPI group '" + group.name + "': parameter '" + sample.parameters[p] +
                                  "' does not vary in the PSA sample");
    margins.push_back(cubic_regression_spline(x, knots));
  }
  return margins.size() == 1 ? std::move(margins[0]) : tensor_product(margins);
}

// mean_i max(0, max_d g_d(i)) - max(0, max_d mean_i g_d(i)).
double evppi_of_fits(const std::vector<std::vector<double>>& fits) {
  const std::size_t n = fits.empty() ? 0 : fits[0].size();
  double mean_max = 0.0;
  std::vector<double> means(fits.size(), 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    double best = 0.0;
    for (std::size_t d = 0; d < fits.size(); ++d) {
      best = std::max(best, fits[d][i]);
      means[d] += fits[d][i];
    }
    mean_max += best;
  }
  double max_mean = 0.0;
  for (const double m : means) max_mean = std::max(max_mean, m / static_cast<double>(n));
  return mean_max / static_cast<double>(n) - max_mean;
}

}  // namespace

std::size_t default_knots(std::size_t group_size) {
  switch (group_size) {
    case 1:
      return 10;
    case 2:
      return 5;
    default:
      return 4;
  }
}

EvppiResult evppi(const PsaSample& sample, const ParameterGroup& group, double wtp,
                  const EvppiOptions& options) {
  sample.validate();
  if (group.parameters.empty())
    throw std::invalid_argument("EVPPI group '" + group.name + "' has no parameters");
  if (group.parameters.size() > kMaxGroupParameters)
    throw std::invalid_argument("EVPPI group '" + group.name + "' has " +
                                std::to_string(group.parameters.size()) +
                                " parameters; the GAM regression takes at most 4 (split the group)");
  for (const std::size_t p : group.parameters)
    if (p >= sample.parameters.size())
      throw std::invalid_argument("EVPPI group '" + group.name + "': bad index");
  const std::size_t knots = options.knots ? options.knots : default_knots(group.parameters.size());
  const PenalizedBasis basis = group_basis(sample, group, knots);
  const std::size_t n = sample.simulations, d = sample.strategies.size();
  const std::vector<double> nb = net_benefit(sample, wtp);

  EvppiResult result;
  result.group = group.name;
  result.wtp = wtp;
  result.knots = knots;
  std::vector<SmoothFit> fits;
  std::vector<std::vector<double>> fitted;
  for (std::size_t s = 1; s < d; ++s) {
    std::vector<double> inb(n);
    for (std::size_t i = 0; i < n; ++i) inb[i] = nb[i * d + s] - nb[i * d];
    fits.push_back(fit_penalized_gcv(basis, inb));
    fitted.push_back(fits.back().fitted);
    result.edf.push_back(fits.back().edf);
  }
  result.evppi = evppi_of_fits(fitted);

  if (options.posterior_draws >= 2) {
    const std::size_t p = basis.model.cols();
    std::vector<double> draws;
    std::vector<double> z(p);
    for (std::size_t t = 0; t < options.posterior_draws; ++t) {
      std::vector<std::vector<double>> drawn;
      for (std::size_t s = 0; s < fits.size(); ++s) {
        RandomStream stream(StreamKey{options.seed, 0, t, static_cast<std::uint32_t>(s), 0});
        for (auto& v : z) v = normal_quantile(stream.uniform());
        drawn.push_back(posterior_fitted_draw(basis, fits[s], z));
      }
      draws.push_back(evppi_of_fits(drawn));
    }
    double mean = 0.0;
    for (const double v : draws) mean += v / static_cast<double>(draws.size());
    double ss = 0.0;
    for (const double v : draws) ss += (v - mean) * (v - mean);
    result.se = std::sqrt(ss / static_cast<double>(draws.size() - 1));
  }
  return result;
}

}  // namespace mmsim::stats::voi
