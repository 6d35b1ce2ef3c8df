#pragma once
// The fit's state file: the best point so far, rewritten at every improvement, so that an interrupted fit can
// restart from it (`mmsim calibrate --resume`). Values are stored by parameter name in natural units, so a
// state survives a change of a parameter's bounds or the addition of a parameter.
#include <cstddef>
#include <filesystem>
#include <vector>

#include "sim/calibration/parameter_space.hpp"

namespace mmsim::calibration {

// Writes `objective`, `evaluations` and `[best]` (each parameter's value at unit point `best_u`).
void write_resume_state(const std::filesystem::path& path, const ParameterSpace& space,
                        const std::vector<double>& best_u, double objective, int evaluations);

// Overwrites u (unit coordinates, clamped to [0, 1]) with the state file's value of every parameter the file
// names; returns how many it named (0 when there is no file). A parameter added to the calibration since
// (absent from the file) keeps its value in u, and a line on stderr says so.
std::size_t read_resume_state(const std::filesystem::path& path, const ParameterSpace& space,
                              std::vector<double>& u);

}  // namespace mmsim::calibration
