#pragma once
// Trial emulation for calibration (docs/calibration.md): a trial config is a scenario with a `[trial]` table
// (accrual, data cut-off, arms with their sizes, targets named by evidence id). This layer loads one, runs it
// with parameter overrides (large cohort, common random numbers), and runs trial-sized replicates.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/calibration/targets.hpp"
#include "sim/config/loader.hpp"

namespace mmsim::cli {

struct TrialArm {
  std::string strategy;
  std::uint64_t n = 0;    // patients in the trial's analysis of this arm (infused, or randomized)
  std::size_t index = 0;  // strategy index in the model
};

struct Trial {
  std::filesystem::path path;
  std::string name;
  config::ConfigDocument document;  // resolved config, before overrides
  std::vector<TrialArm> arms;
  std::vector<calibration::Target> targets;
  std::uint64_t replicates = 200;
  double accrual_months = 0.0, cutoff_months = 0.0;
};

// Loads a trial config and fills its targets from the evidence table it names. `reader` supplies the files
// (the calibration blanks the calibrated-parameters file so that fits start from the hand-set values).
Trial load_trial(const std::filesystem::path& path,
                 const config::FileReader& reader = config::read_file_text);

struct Override {
  std::string path;
  double value = 0.0;
};

// Simulated value and Monte Carlo SE of every target of the trial: one cohort of `patients` per strategy,
// with the given seed (common random numbers across evaluations and across the trial's arms).
std::vector<calibration::Simulated> evaluate_trial(const Trial& trial, const std::vector<Override>& overrides,
                                                   std::uint64_t patients, std::uint64_t seed,
                                                   unsigned threads);

// Trial-sized replicates: replicate r simulates fresh patients (stream domain r + 1) for each arm, disjoint
// between arms, as many as it takes for the arm's analysis to hold its n patients. values[target][replicate].
std::vector<std::vector<double>> trial_replicates(const Trial& trial, const std::vector<Override>& overrides,
                                                  std::uint64_t replicates, std::uint64_t seed,
                                                  unsigned threads);

// The q-quantile (0..1, type 7) of the finite values; NaN if none.
double quantile(std::vector<double> values, double q);

}  // namespace mmsim::cli
