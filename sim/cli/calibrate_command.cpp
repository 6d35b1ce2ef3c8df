// `mmsim calibrate CALIBRATION.toml`: fits named parameters to the targets of a set of trial configs, writes
// the fitted parameter file and the fit table; `--predict TRIAL.toml` reports trial-sized prediction
// intervals. docs/calibration.md describes the files, the objective and the output; the work is done by
// sim/calibration/calibrate.hpp and sim/calibration/prediction.hpp.
#include <fmt/format.h>

#include <filesystem>

#include "sim/calibration/calibrate.hpp"
#include "sim/calibration/prediction.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/model_registry.hpp"
#include "sim/cli/options.hpp"
#include "sim/config/simulation_settings.hpp"
#include "sim/core/errors.hpp"

namespace mmsim::cli {

int calibrate_command(const std::vector<std::string>& args) {
  po::options_description visible(
      "mmsim calibrate CALIBRATION.toml [options]\n"
      "mmsim calibrate --predict TRIAL.toml [--replicates N]\n\n"
      "Fits the [[parameter]]s of a calibration file to the targets of its trial configs (NLopt, several "
      "starts,\n"
      "common random numbers), writes the fitted parameter file and the fit table (docs/calibration.md).\n"
      "With --predict, runs one trial config at trial size many times and reports the prediction "
      "intervals.\n\nOptions");
  visible.add_options()("help,h", "show this help")("resume", "start from the best point of the state file")(
      "report-only", "no fit: write the fit table for the parameter file as it is")(
      "predict", "the argument is a trial config: report trial-sized prediction intervals")(
      "csv", "with --predict: one CSV row per target (for scripts, e.g. scripts/validation_report.py)")(
      "replicates", integer_value()->default_value(0),
      "replicates for --predict (default [trial].replicates)")(
      "patients", integer_value()->default_value(0), "patients per arm (default: the file's value)")(
      "starts", integer_value()->default_value(0), "starts of the fit (default: the file's value)")(
      "max-evaluations", integer_value()->default_value(0),
      "evaluations per start (default: the file's value)")("threads", integer_value()->default_value(0),
                                                           "worker threads (0: all cores)");
  const auto parsed = parse_command("calibrate", args, visible, {"config", "calibration or trial config"});
  if (!parsed) return kExitOk;
  const po::variables_map& vm = *parsed;
  if (!vm.count("config")) throw InputError("calibrate: name a calibration file (or --predict TRIAL.toml)");
  const std::filesystem::path file = vm["config"].as<std::string>();
  const auto threads = static_cast<unsigned>(*integer_option(vm, "calibrate", "threads", 0, kMaxThreads));
  const auto replicates =
      static_cast<std::uint64_t>(*integer_option(vm, "calibrate", "replicates", 0, 1000000));
  const auto patients =
      static_cast<std::uint64_t>(*integer_option(vm, "calibrate", "patients", 0, kMaxPatients));
  const auto starts = static_cast<int>(*integer_option(vm, "calibrate", "starts", 0, 100));
  const auto evaluations = static_cast<int>(*integer_option(vm, "calibrate", "max-evaluations", 0, 1000000));
  if (vm.count("predict")) {
    fmt::print("{}", calibration::predict_trial(file, trial_scenario_loader(),
                                                {replicates, patients, threads, vm.count("csv") > 0}));
    return kExitOk;
  }
  calibration::CalibrateOptions options;
  options.patients = patients;
  options.starts = starts;
  options.max_evaluations = evaluations;
  options.threads = threads;
  options.resume = vm.count("resume") > 0;
  options.report_only = vm.count("report-only") > 0;
  calibration::calibrate(file, options, trial_scenario_loader());
  return kExitOk;
}

}  // namespace mmsim::cli
