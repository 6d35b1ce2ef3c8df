#pragma once
// What the calibration fits: the targets of its trial configs as functions of the fitted parameters. A point
// in unit coordinates becomes config overrides, each trial is emulated with them (common random numbers),
// and every target contributes its residuals (sim/calibration/targets.hpp).
#include <cstdint>
#include <vector>

#include "sim/calibration/parameter_space.hpp"
#include "sim/calibration/settings.hpp"
#include "sim/calibration/trial_emulation.hpp"

namespace mmsim::calibration {

struct Problem {
  Settings settings;
  std::vector<Trial> trials;  // loaded with the calibrated-parameters file blanked: hand-set values
  ParameterSpace space;       // hand-set values read from the first trial
  unsigned threads = 0;
  std::size_t target_count() const;
};

// Loads the trial configs of `settings`, each with the calibrated-parameters file read as empty, so that
// every evaluation starts from the hand-set values whatever the current fit says.
Problem load_problem(Settings settings, const ScenarioLoader& loader, unsigned threads);

// Refuses (InputError naming each bound's file, line and key) a [[parameter]] bound at which the model
// refuses its values, every other parameter at its start: found at load time, not as a fit of invalid
// evaluations.
void check_bounds(const Problem& problem);

// Residuals of every target of every trial at unit point u, `patients` per arm; throws InputError on an
// invalid parameter combination (e.g. probabilities below 0).
std::vector<double> residuals(const Problem& problem, const std::vector<double>& u, std::uint64_t patients);

// What the objective returns for a parameter combination the model refuses (kInvalidObjective).
inline constexpr double kInvalidObjective = 1e12;

// Sum of squared residuals at the fit's cohort size; kInvalidObjective for an invalid parameter combination.
double objective(const Problem& problem, const std::vector<double>& u);

}  // namespace mmsim::calibration
