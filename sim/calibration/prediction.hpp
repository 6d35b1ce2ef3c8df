#pragma once
// `mmsim calibrate --predict TRIAL.toml` (docs/calibration.md, "Trial-sized prediction intervals"): one large
// cohort per arm and many replicates of the trial's own size, printed target by target.
#include <cstdint>
#include <filesystem>
#include <string>

#include "sim/calibration/trial_emulation.hpp"

namespace mmsim::calibration {

struct PredictionOptions {
  std::uint64_t replicates = 0;  // 0: the trial's own [trial].replicates
  std::uint64_t patients = 0;    // per arm in the large cohort; 0: the config's [simulation].patients
  unsigned threads = 0;          // 0: all cores
};

// The prediction table of one trial config, as printed on stdout.
std::string predict_trial(const std::filesystem::path& trial_config, const ScenarioLoader& loader,
                          const PredictionOptions& options);

}  // namespace mmsim::calibration
