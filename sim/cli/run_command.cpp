#include <fmt/format.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <optional>

#include "sim/cli/commands.hpp"
#include "sim/cli/options.hpp"
#include "sim/cli/report_options.hpp"
#include "sim/cli/scenario_source.hpp"
#include "sim/config/simulation_settings.hpp"
#include "sim/core/errors.hpp"
#include "sim/economics/economics_h5.hpp"
#include "sim/io/atomic_output.hpp"
#include "sim/io/spill_file.hpp"
#include "sim/report/column_sources.hpp"
#include "sim/report/report_h5.hpp"
#include "sim/report/step_tables_h5.hpp"
#include "sim/runner/cohort_runner.hpp"
#include "sim/runner/progress.hpp"
#include "sim/runner/run_attributes.hpp"
#include "sim/runner/run_check.hpp"
#include "sim/runner/run_estimate.hpp"

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
      "compression", integer_value()->default_value(io::kDefaultDeflateLevel),
      "deflate level 0-9 for per-patient tables")("quiet,q", "no progress line and no summary table")(
      "memory", po::value<std::string>(),
      "memory budget of the end-of-run statistics, e.g. 2G (default: a quarter of the machine's memory); "
      "above it their columns spill to a private temporary folder beside the output and the summaries are "
      "computed exactly from disk")(
      "estimate", "print what the run would need (disk, spill, memory) and exit without simulating")(
      "no-space-check", "skip the up-front check that the disk and the memory budget hold the run")(
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
  print_warnings(src);
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

  std::optional<economics::RunEconomics> econ;
  if (src.scenario.economics) {
    econ.emplace(*src.scenario.economics, model.schema());
    opt.economics = &*econ;
  }

  const std::filesystem::path out = vm.count("output")
                                        ? std::filesystem::path(vm["output"].as<std::string>())
                                        : std::filesystem::path("results") / (src.stem + ".h5");
  std::vector<std::filesystem::path> inputs;
  if (path) inputs.emplace_back(*path);
  io::check_output_path(out, inputs);  // before any work: a refused path costs the user nothing
  const io::RunAttributes attrs = run_attributes(model, opt, src.scenario.model_name,
                                                 src.scenario.document.resolved_text(), src.display_name);

  const auto& schema = model.schema();
  ReportRequest request = read_report_options(vm, model.strategies(), schema.endpoints);
  request.options.outcome_denominators = schema.outcome_denominators;

  // No surprise at scale: the disk and the memory budget must hold what this mode needs, or nothing starts.
  const bool statistics = vm.count("no-summary") == 0;
  const std::uint64_t budget = size_option(vm, "run", "memory").value_or(default_memory_budget());
  // --estimate prints the exact figures; a run only needs to know that it fits, which an upper bound that
  // fits shows without deflating the pilot (check_run_fits falls back to the exact estimate otherwise).
  PilotRows pilot;  // the pilot's patients, appended by the run instead of simulated twice
  const RunEstimate need =
      estimate_run(model, opt, statistics, budget,
                   vm.count("estimate") ? EstimateDetail::exact : EstimateDetail::bound, &pilot);
  const std::filesystem::path folder = out.has_parent_path() ? out.parent_path() : std::filesystem::path(".");
  if (vm.count("estimate")) {
    fmt::print("{}", describe_estimate(opt, statistics, budget, need, folder));
    return kExitOk;
  }
  if (!vm.count("no-space-check")) check_run_fits(model, opt, statistics, budget, need, folder);
  std::optional<io::SpillFolder> spill;
  if (statistics) {
    opt.collect = need.spill ? ColumnCollection::spill : ColumnCollection::memory;
    if (need.spill) {
      spill.emplace(folder);
      opt.spill_folder = &*spill;
    }
  }

  io::RunFileWriter writer(out, attrs);
  opt.pilot = &pilot;
  const RunOutcome outcome = run_cohort(model, opt, &writer);
  opt.pilot = nullptr;
  pilot = PilotRows();  // its rows are in the file now: freed before the statistics take their memory
  if (outcome.economics) economics::write_moments(writer, *outcome.economics, model.strategies());
  if (vm.count("no-summary")) {
    writer.commit();
    if (!quiet) {
      fmt::print("wrote {} ({} patients x {} strategies in {:.3f} s; no summaries: see 'mmsim report')\n",
                 out.string(), opt.patients, model.strategies().size(), outcome.seconds);
    }
    return kExitOk;
  }
  // The statistics' columns were taken from the blocks as they passed: in memory, or spilled to disk.
  const std::vector<std::string> collected = collected_outcome_columns(schema);
  const report::MemoryColumns memory(outcome, schema.endpoints, collected);
  const report::SpilledColumns spilled(outcome, schema.endpoints, collected);
  report::ReportOptions options = request.options;
  report::Report summary = [&] {
    ProgressLine progress(
        "summaries (strategy x endpoint)",
        report::compute_steps(model.strategies().size(), schema.endpoints.size(), schema.outcomes.size()),
        progress_mode(!quiet), {}, opt.progress_interval);
    options.on_step = [&progress] { progress.add(); };
    options.disk_progress = progress_mode(!quiet);
    options.progress_interval = opt.progress_interval;
    options.threads = opt.threads;
    return spill ? report::compute_report(spilled, model.strategies(), schema.endpoints, schema.outcomes,
                                          model.horizon(), options, *spill, run_patients_for(budget))
                 : report::compute_report(memory, model.strategies(), schema.endpoints, schema.outcomes,
                                          model.horizon(), options);
  }();
  report::write_report(writer, summary, schema.endpoints, schema.outcomes);
  if (outcome.economics) {
    economics::EconomicsSettings settings = economics::report_settings(src.scenario.economics->spec());
    if (request.reference_given) settings.reference = request.options.reference;
    summary.economics = economics::compute_economics(*outcome.economics, settings, summary.conf_level);
  }
  // The competing-risks curves read whole columns of the collection (in memory or spilled): bounded by the
  // model's competing_risks, which the reference model has none of.
  const report::ColumnSource& columns = spill ? static_cast<const report::ColumnSource&>(spilled)
                                              : static_cast<const report::ColumnSource&>(memory);
  report::write_run_incidence(writer, columns, model.strategies(), schema,
                              opt.mode != OutputMode::summary_only);
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
