#include <fmt/format.h>

#include <iostream>

#include "sim/cli/commands.hpp"
#include "sim/cli/report_options.hpp"
#include "sim/core/errors.hpp"
#include "sim/core/text.hpp"
#include "sim/io/run_file.hpp"
#include "sim/report/column_sources.hpp"
#include "sim/report/report_h5.hpp"
#include "sim/runner/progress.hpp"

namespace mmsim::cli {

int report_command(const std::vector<std::string>& args) {
  po::options_description visible(
      "mmsim report RESULT.h5 [options]\n\nSurvival summaries per strategy and endpoint (Kaplan-Meier median "
      "with "
      "Brookmeyer-Crowley CI, landmark survival, RMST) and comparisons with the reference strategy (Cox HR, "
      "log-rank, paired RMST and landmark differences), recomputed from the run's patients tables; for a "
      "--summary-only run, the summaries stored by 'mmsim run'.\n\nOptions");
  visible.add_options()("help,h", "show this help");
  add_report_options(visible);
  add_planning_options(visible);
  const auto parsed = parse_command("report", args, visible, {"result", "run file"});
  if (!parsed) return kExitOk;
  const po::variables_map& vm = *parsed;
  if (!vm.count("result")) throw InputError("mmsim report: name the run file (see 'mmsim report --help')");
  const std::string path = vm["result"].as<std::string>();
  const io::RunFileReader file(path);
  if (file.filetype() != "run")
    throw InputError(fmt::format("{} is a {} file, not a run file", path, file.filetype()));
  const std::vector<std::string> strategies = file.strategy_order();
  const std::vector<std::string> endpoints = split_list(file.string_attribute("/", "endpoints"));
  const std::vector<std::string> outcomes = split_list(file.string_attribute("/", "outcomes"));
  const ReportRequest request = read_report_options(vm, strategies, endpoints);
  bool per_patient = true;
  for (const auto& s : strategies) per_patient = per_patient && file.has_dataset(table_path(s, "patients"));
  if (!per_patient) {
    // A --summary-only run: print the summaries `mmsim run` stored, which cannot be recomputed.
    if (!report::has_stored_report(file)) {
      throw InputError(fmt::format("{} has neither per-patient rows nor stored summaries", path));
    }
    const report::Report stored = report::read_report(file);
    auto refuse = [&](const char* option, const std::string& stored_value) {
      throw InputError(fmt::format(
          "{}: {} has no per-patient rows (a --summary-only run), so its stored summaries cannot be "
          "recomputed; they use {} (drop the option, or rerun without --summary-only)",
          option, path, stored_value));
    };
    std::vector<double> stored_landmarks;
    if (!stored.strategies.empty() && !stored.strategies.front().endpoints.empty()) {
      for (const auto& l : stored.strategies.front().endpoints.front().survival)
        stored_landmarks.push_back(l.time);
    }
    if (request.landmarks_given && request.options.landmarks != stored_landmarks)
      refuse("--landmarks", fmt::format("landmarks {}", fmt::join(stored_landmarks, ",")));
    if (request.horizon_given && !stored.strategies.empty() && !stored.strategies.front().endpoints.empty() &&
        request.options.rmst_horizon != stored.strategies.front().endpoints.front().rmst_horizon) {
      refuse("--rmst-horizon",
             fmt::format("RMST horizon {}", stored.strategies.front().endpoints.front().rmst_horizon));
    }
    if (request.reference_given && strategies.at(request.options.reference) != stored.reference)
      refuse("--reference", fmt::format("reference '{}'", stored.reference));
    const report::Report shown = finish_report(stored, request);
    fmt::print(stderr, "{}", report::extrapolation_warning(shown));
    fmt::print("{}", report::format_report(shown, request.format, request.rows));
    return kExitOk;
  }
  const double horizon = std::stod(file.string_attribute("/", "horizon_months"));
  const report::FileColumns<io::RunFileReader> columns(file, strategies);
  const std::vector<std::string>& wanted = request.endpoints.empty() ? endpoints : request.endpoints;
  report::ReportOptions options = request.options;
  const report::Report r = [&] {
    ProgressLine progress("summaries (strategy x endpoint)",
                          report::compute_steps(strategies.size(), wanted.size(), outcomes.size()),
                          progress_mode(true));
    options.on_step = [&progress] { progress.add(); };
    return report::compute_report(columns, strategies, wanted, outcomes, horizon, options);
  }();
  const report::Report shown = finish_report(r, request);
  fmt::print(stderr, "{}", report::extrapolation_warning(shown));
  fmt::print("{}", report::format_report(shown, request.format, request.rows));
  return kExitOk;
}

}  // namespace mmsim::cli
