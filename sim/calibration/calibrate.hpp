#pragma once
// `mmsim calibrate CALIBRATION.toml`, the whole run (docs/calibration.md): read the calibration file, fit
// its parameters to the targets of its trial configs (or take the parameter file as it is), write the
// calibrated-parameters file and the fit table.
#include <cstdint>
#include <filesystem>

#include "sim/calibration/trial_emulation.hpp"

namespace mmsim::calibration {

struct CalibrateOptions {
  std::uint64_t patients = 0;  // per arm per evaluation; 0: the file's value
  int starts = 0;              // NLopt starts; 0: the file's value
  int max_evaluations = 0;     // per start; 0: the file's value
  unsigned threads = 0;        // 0: all cores
  bool resume = false;         // start from the state file's best point
  bool report_only = false;    // no fit: the fit table of the parameter file as it is
};

void calibrate(const std::filesystem::path& calibration_file, const CalibrateOptions& options,
               const ScenarioLoader& loader);

}  // namespace mmsim::calibration
