#include <fmt/format.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <iostream>

#include "sim/cli/commands.hpp"
#include "sim/cli/options.hpp"
#include "sim/cli/report_options.hpp"
#include "sim/cli/scenario_source.hpp"
#include "sim/config/simulation_settings.hpp"
#include "sim/core/errors.hpp"
#include "sim/io/atomic_output.hpp"
#include "sim/report/column_sources.hpp"
#include "sim/report/report_h5.hpp"
#include "sim/runner/cohort_runner.hpp"
#include "sim/runner/progress.hpp"
#include "sim/runner/run_attributes.hpp"

namespace mmsim::cli {

int run_command(const std::vector<std::string>& args) {
  po::options_description visible(
      "mmsim run [CONFIG] [options]\n\nSimulates every strategy of a scenario for a cohort and writes one "
      "HDF5 "
      "file.\nWithout CONFIG, runs the embedded default scenario. The command line overrides the "
      "config.\n\nOptions");
  visible.add_options()("help,h", "show this help")("output,o", po::value<std::string>(),
                                                    "output file (default: results/<config-stem>.h5)")(
      "patients", integer_value(), "cohort size (overrides [simulation].patients)")(
      "seed", integer_value(), "random seed (overrides [simulation].seed)")(
      "threads", integer_value()->default_value(0), "worker threads (0: all cores)")(
      "no-trajectories", "write the patients tables but no events/lines tables")(
      "summary-only", "write no per-patient rows at all, only summaries")(
      "no-summary",
      "skip the end-of-run statistics (exact Kaplan-Meier needs each endpoint column in memory: O(n)); "
      "compute "
      "them later with 'mmsim report'. The simulation and the writing run in memory bounded by the block "
      "size")("block-size", integer_value()->default_value(4096), "patients per block (rows per chunk)")(
      "compression", integer_value()->default_value(4), "deflate level 0-9 for per-patient tables")(
      "quiet,q", "no progress line and no summary table")(
      "progress-every", po::value<double>()->default_value(10.0),
      "seconds between progress lines when stderr is not a terminal (a log file)");
  add_report_options(visible);
  const auto parsed = parse_command("run", args, visible, {"config", "scenario config"});
  if (!parsed) return kExitOk;
  const po::variables_map& vm = *parsed;
  if (vm.count("no-summary") && vm.count("summary-only")) {
    throw InputError("mmsim run: --no-summary and --summary-only exclude each other");
  }
  if (vm.count("no-trajectories") && vm.count("summary-only")) {
    throw InputError("mmsim run: --no-trajectories and --summary-only exclude each other");
  }
  const auto level = static_cast<int>(*integer_option(vm, "run", "compression", 0, 9));
  const auto block = static_cast<std::size_t>(*integer_option(vm, "run", "block-size", 1, 1 << 20));
  const auto patients = integer_option(vm, "run", "patients", 1, kMaxPatients);
  const auto seed = integer_option(vm, "run", "seed", 0, kMaxSeed);
  const auto threads = integer_option(vm, "run", "threads", 0, kMaxThreads);

  std::optional<std::string> path;
  if (vm.count("config")) path = vm["config"].as<std::string>();
  ScenarioSource src = load_scenario_source(path);
  const Model& model = *src.scenario.model;

  RunOptions opt;
  opt.patients = patients ? static_cast<std::uint64_t>(*patients) : src.scenario.settings.patients;
  opt.seed = seed ? static_cast<std::uint64_t>(*seed) : src.scenario.settings.seed;
  opt.threads = static_cast<unsigned>(*threads);
  opt.block_size = block;
  opt.deflate_level = level;
  opt.mode = vm.count("summary-only")      ? OutputMode::summary_only
             : vm.count("no-trajectories") ? OutputMode::no_trajectories
                                           : OutputMode::trajectories;
  const bool quiet = vm.count("quiet") > 0;
  opt.progress = !quiet;
  const double every = vm["progress-every"].as<double>();
  if (!(every > 0 && every <= 86400))
    throw InputError(fmt::format("--progress-every: {} is not a number of seconds in (0, 86400]", every));
  opt.progress_interval = std::chrono::milliseconds(static_cast<std::int64_t>(every * 1000));

  const std::filesystem::path out = vm.count("output")
                                        ? std::filesystem::path(vm["output"].as<std::string>())
                                        : std::filesystem::path("results") / (src.stem + ".h5");
  std::vector<std::filesystem::path> inputs;
  if (path) inputs.emplace_back(*path);
  io::check_output_path(out, inputs);  // before any work: a refused path costs the user nothing
  const io::RunAttributes attrs = run_attributes(model, opt, src.scenario.model_name,
                                                 src.scenario.document.resolved_text(), src.display_name);

  const auto& schema = model.schema();
  const ReportRequest request = read_report_options(vm, model.strategies(), schema.endpoints);

  io::RunFileWriter writer(out, attrs);
  const RunOutcome outcome = run_cohort(model, opt, &writer);
  if (vm.count("no-summary")) {
    writer.commit();
    if (!quiet) {
      fmt::print("wrote {} ({} patients x {} strategies in {:.3f} s; no summaries: see 'mmsim report')\n",
                 out.string(), opt.patients, model.strategies().size(), outcome.seconds);
    }
    return kExitOk;
  }
  const report::MemoryColumns memory(outcome, schema.endpoints, schema.outcomes);
  const report::FileColumns<io::RunFileWriter> written(writer, model.strategies());
  const report::ColumnSource& columns =
      opt.mode == OutputMode::summary_only ? static_cast<const report::ColumnSource&>(memory) : written;
  report::ReportOptions options = request.options;
  const report::Report summary = [&] {
    ProgressLine progress(
        "summaries (strategy x endpoint)",
        report::compute_steps(model.strategies().size(), schema.endpoints.size(), schema.outcomes.size()),
        progress_mode(!quiet), {}, opt.progress_interval);
    options.on_step = [&progress] { progress.add(); };
    return report::compute_report(columns, model.strategies(), schema.endpoints, schema.outcomes,
                                  model.horizon(), options);
  }();
  report::write_report(writer, summary, schema.endpoints, schema.outcomes);
  writer.commit();
  if (!quiet) {
    const report::Report shown = filter_endpoints(summary, request.endpoints);
    fmt::print(stderr, "{}", report::extrapolation_warning(shown));
    fmt::print("{}", report::format_report(shown, request.format, request.rows));
    fmt::print("wrote {} ({} patients x {} strategies in {:.3f} s)\n", out.string(), opt.patients,
               model.strategies().size(), outcome.seconds);
  }
  return kExitOk;
}

}  // namespace mmsim::cli
