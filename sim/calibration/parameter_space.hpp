#pragma once
// The fit's coordinates: each parameter's range mapped to [0, 1] (the optimizer's "unit" coordinates), and
// how a point becomes values at the config paths the parameters name.
#include <vector>

#include <toml++/toml.h>

#include "sim/calibration/settings.hpp"
#include "sim/calibration/trial_emulation.hpp"

namespace mmsim::calibration {

class ParameterSpace {
 public:
  // `hand_set`: a resolved config without the fit (the hand-set value of every path is read from it).
  // Throws InputError naming a path that is not a number there.
  ParameterSpace(std::vector<Parameter> parameters, const toml::table& hand_set);

  const std::vector<Parameter>& parameters() const { return parameters_; }
  std::size_t size() const { return parameters_.size(); }
  std::size_t path_count() const;

  // Parameter i's value at unit coordinate u (clamped to [0, 1]), and back (not clamped).
  double value(std::size_t i, double u) const;
  double unit(std::size_t i, double value) const;
  std::vector<double> values(const std::vector<double>& u) const;
  // The value every path takes (in parameter, then path order) for the given parameter values.
  std::vector<Override> overrides(const std::vector<double>& values) const;
  // Where the fit starts: each parameter's `start`, else the hand-set point (its value, multiplier 1 or
  // shift 0), in unit coordinates clamped to [0, 1].
  std::vector<double> start() const;
  // The unit point whose overrides reproduce the values `resolved` sets at each parameter's first path (the
  // point of a parameter file as written; --report-only).
  std::vector<double> point_of(const toml::table& resolved) const;

 private:
  std::vector<Parameter> parameters_;
  std::vector<std::vector<double>> base_;  // [parameter][path] hand-set values
};

}  // namespace mmsim::calibration
