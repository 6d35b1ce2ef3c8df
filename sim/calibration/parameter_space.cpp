#include "sim/calibration/parameter_space.hpp"

#include <algorithm>
#include <cmath>

#include "sim/config/config_path.hpp"

namespace mmsim::calibration {

ParameterSpace::ParameterSpace(std::vector<Parameter> parameters, const toml::table& hand_set)
    : parameters_(std::move(parameters)) {
  for (const auto& p : parameters_) {
    std::vector<double> b;
    for (const auto& path : p.paths)
      b.push_back(config::get_number(hand_set, config::require_config_path(path)));
    base_.push_back(b);
  }
}

std::size_t ParameterSpace::path_count() const {
  std::size_t n = 0;
  for (const auto& p : parameters_) n += p.paths.size();
  return n;
}

double ParameterSpace::value(std::size_t i, double u) const {
  const Parameter& p = parameters_[i];
  return p.lower + std::clamp(u, 0.0, 1.0) * (p.upper - p.lower);
}

double ParameterSpace::unit(std::size_t i, double v) const {
  const Parameter& p = parameters_[i];
  return (v - p.lower) / (p.upper - p.lower);
}

std::vector<double> ParameterSpace::values(const std::vector<double>& u) const {
  std::vector<double> v;
  for (std::size_t i = 0; i < u.size(); ++i) v.push_back(value(i, u[i]));
  return v;
}

std::vector<Override> ParameterSpace::overrides(const std::vector<double>& values) const {
  std::vector<Override> out;
  for (std::size_t i = 0; i < parameters_.size(); ++i) {
    const Parameter& p = parameters_[i];
    for (std::size_t j = 0; j < p.paths.size(); ++j) {
      const double b = base_[i][j];
      const double v = p.mode == Mode::set     ? values[i]
                       : p.mode == Mode::scale ? b * values[i]
                                               : b + p.weights[j] * values[i];
      out.push_back({p.paths[j], v});
    }
  }
  return out;
}

std::vector<double> ParameterSpace::start() const {
  std::vector<double> x0(parameters_.size());
  for (std::size_t i = 0; i < parameters_.size(); ++i) {
    const Parameter& p = parameters_[i];
    const double identity = p.mode == Mode::scale ? 1.0 : p.mode == Mode::shift ? 0.0 : base_[i][0];
    x0[i] = std::clamp(unit(i, std::isnan(p.start) ? identity : p.start), 0.0, 1.0);
  }
  return x0;
}

std::vector<double> ParameterSpace::point_of(const toml::table& resolved) const {
  std::vector<double> u;
  for (std::size_t i = 0; i < parameters_.size(); ++i) {
    const Parameter& p = parameters_[i];
    const double cur = config::get_number(resolved, config::require_config_path(p.paths[0]));
    const double b = base_[i][0];
    const double v = p.mode == Mode::set ? cur : p.mode == Mode::scale ? cur / b : (cur - b) / p.weights[0];
    u.push_back(unit(i, v));
  }
  return u;
}

}  // namespace mmsim::calibration
