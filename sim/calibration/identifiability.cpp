#include "sim/calibration/identifiability.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "sim/core/errors.hpp"

namespace mmsim::calibration {

Matrix curvature(const ResidualFunction& residuals, const std::vector<double>& u, double h) {
  const std::size_t n = u.size();
  std::vector<std::vector<double>> jac(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<double> up = u, dn = u;
    up[i] = std::min(1.0, u[i] + h);
    dn[i] = std::max(0.0, u[i] - h);
    std::vector<double> ru, rd;
    try {
      ru = residuals(up);
      rd = residuals(dn);
    } catch (const InputError&) {
      continue;
    }
    for (std::size_t k = 0; k < ru.size(); ++k) jac[i].push_back((ru[k] - rd[k]) / (up[i] - dn[i]));
    fmt::print(stderr, "calibrate: identifiability {}/{}\n", i + 1, n);
  }
  Matrix jtj(n, std::vector<double>(n, 0.0));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      for (std::size_t k = 0; k < std::min(jac[i].size(), jac[j].size()); ++k)
        jtj[i][j] += jac[i][k] * jac[j][k];
  return jtj;
}

std::string identifiability_section(const ParameterSpace& space, const std::vector<double>& u,
                                    const Matrix& jtj) {
  const std::size_t n = u.size();
  const EigenDecomposition eig = symmetric_eigen(jtj);
  std::ostringstream out;
  out << "Curvature of the objective at the fit, in unit coordinates (each parameter's range scaled to [0, "
         "1]); "
         "Gauss-Newton approximation 2 J'J from central differences of the target residuals (step 0.02 of "
         "each "
         "range, same random numbers). `sensitivity` = sqrt(J'J) diagonal: how many published SEs the "
         "targets "
         "move, in root-sum-square, across the parameter's whole range.\n\n";
  out << "| parameter | value | range | at a bound | sensitivity |\n|---|---|---|---|---|\n";
  std::vector<std::string> at_bound, weak;
  for (std::size_t i = 0; i < n; ++i) {
    const Parameter& p = space.parameters()[i];
    const bool bound = u[i] < 0.01 || u[i] > 0.99;
    const double sens = std::sqrt(jtj[i][i]);
    if (bound) at_bound.push_back(p.name);
    if (sens < 1.0) weak.push_back(p.name);
    out << fmt::format("| {} | {:.4g} | {:g} .. {:g} | {} | {:.2f} |\n", p.name, space.value(i, u[i]),
                       p.lower, p.upper, bound ? (u[i] < 0.5 ? "lower" : "upper") : "no", sens);
  }
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return eig.values[a] < eig.values[b]; });
  out << "\nEigen-directions of J'J, flattest first (eigenvalue < 1: moving a whole range along the "
         "direction "
         "changes the objective by less than about 1, so the targets do not pin it down):\n\n";
  out << "| eigenvalue | flat | main components (unit coordinates) |\n|---|---|---|\n";
  int flat = 0;
  for (std::size_t k : order) {
    std::vector<std::size_t> comp(n);
    for (std::size_t i = 0; i < n; ++i) comp[i] = i;
    std::sort(comp.begin(), comp.end(), [&](std::size_t a, std::size_t b) {
      return std::fabs(eig.vectors[a][k]) > std::fabs(eig.vectors[b][k]);
    });
    std::string desc;
    for (std::size_t c = 0; c < std::min<std::size_t>(3, n); ++c) {
      if (std::fabs(eig.vectors[comp[c]][k]) < 0.2) break;
      desc += fmt::format("{}{:+.2f} {}", c ? ", " : "", eig.vectors[comp[c]][k],
                          space.parameters()[comp[c]].name);
    }
    const bool is_flat = eig.values[k] < 1.0;
    flat += is_flat ? 1 : 0;
    out << fmt::format("| {:.3g} | {} | {} |\n", eig.values[k], is_flat ? "yes" : "no", desc);
  }
  out << fmt::format(
      "\nParameters at a bound: {}.\nParameters the targets barely move (sensitivity < 1): {}.\n"
      "Flat directions: {}.\n",
      at_bound.empty() ? "none" : fmt::format("{}", fmt::join(at_bound, ", ")),
      weak.empty() ? "none" : fmt::format("{}", fmt::join(weak, ", ")), flat);
  return out.str();
}

}  // namespace mmsim::calibration
