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
  bool csv = false;              // one CSV row per target instead of the text table
};

// The prediction table of one trial config, as printed on stdout. The CSV form (header `trial, evidence,
// label, value, ci_low, ci_high, simulated, se, pi_low, pi_high, pi_n, pass`) is what scripts read: `pass`
// applies the fit table's rule (inside the target's CI, or within 10% without one) to the large-cohort value.
std::string predict_trial(const std::filesystem::path& trial_config, const ScenarioLoader& loader,
                          const PredictionOptions& options);

}  // namespace mmsim::calibration
