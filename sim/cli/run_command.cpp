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
#include "sim/io/atomic_output.hpp"
#include "sim/io/spill_file.hpp"
#include "sim/report/column_sources.hpp"
#include "sim/report/report_h5.hpp"
#include "sim/runner/cohort_runner.hpp"
#include "sim/runner/progress.hpp"
#include "sim/runner/run_attributes.hpp"
#include "sim/runner/run_estimate.hpp"

namespace mmsim::cli {
namespace {

const char* mode_option(OutputMode mode) {
  switch (mode) {
    case OutputMode::trajectories:
      return "the default mode";
    case OutputMode::no_trajectories:
      return "--no-trajectories";
    case OutputMode::summary_only:
      return "--summary-only";
  }
  return "";
}

// Refuses (InputError: exit 2, nothing written) when the output folder's file system cannot hold the run
// file plus the spill files, or the memory budget cannot hold the statistics even from disk; the message
// gives the figures and the options that would fit.
void check_run_fits(const Model& model, const RunOptions& opt, bool statistics, std::uint64_t budget,
                    const RunEstimate& need, const std::filesystem::path& folder) {
  const std::uint64_t disk = need.output_bytes + (need.spill ? need.spill_bytes : 0);
  const auto free = free_disk_bytes(folder);
  std::vector<std::string> fits;
  auto alternatives = [&](bool for_disk) {
    for (const OutputMode m : {OutputMode::no_trajectories, OutputMode::summary_only}) {
      if (m == opt.mode || (m == OutputMode::no_trajectories && opt.mode == OutputMode::summary_only))
        continue;
      RunOptions o = opt;
      o.mode = m;
      const RunEstimate alt = estimate_run(model, o, statistics, budget);
      const std::uint64_t d = alt.output_bytes + (alt.spill ? alt.spill_bytes : 0);
      if (for_disk ? (!free || d <= *free) : alt.statistics_memory() <= budget) {
        fits.push_back(fmt::format("{} ({} of disk, peak memory {})", mode_option(m), format_size(d),
                                   format_size(alt.peak_memory())));
      }
    }
  };
  if (free && disk > *free) {
    alternatives(true);
    if (statistics) fits.push_back("--no-summary (then 'mmsim report' where there is room)");
    throw InputError(fmt::format(
        "mmsim run: {} patients in {} need about {} of disk in {} (run file {}{}), but only {} is free; "
        "fits: {}; or free space, or choose another --output",
        opt.patients, mode_option(opt.mode), format_size(disk), folder.string(),
        format_size(need.output_bytes),
        need.spill ? fmt::format(" + spilled statistics {}", format_size(need.spill_bytes)) : "",
        format_size(*free),
        fits.empty() ? "none of the other modes" : fmt::format("{}", fmt::join(fits, "; "))));
  }
  if (statistics && need.statistics_memory() > budget) {
    alternatives(false);
    if (statistics) fits.push_back("--no-summary");
    throw InputError(fmt::format(
        "mmsim run: the statistics of {} patients in {} need about {} of memory even when computed from "
        "disk, above the budget of {}; give --memory {} or more, or: {}",
        opt.patients, mode_option(opt.mode), format_size(need.statistics_memory()), format_size(budget),
        format_size(need.statistics_memory()),
        fits.empty() ? "fewer patients" : fmt::format("{}", fmt::join(fits, "; "))));
  }
}

std::string describe_estimate(const RunOptions& opt, bool statistics, std::uint64_t budget,
                              const RunEstimate& need, const std::filesystem::path& folder) {
  const auto free = free_disk_bytes(folder);
  std::string out = fmt::format("{} patients in {}\n  run file       {}\n", opt.patients,
                                mode_option(opt.mode), format_size(need.output_bytes));
  if (statistics) {
    out += fmt::format("  statistics     {} in {} (columns {}; budget {})\n",
                       format_size(need.statistics_memory()), need.spill ? "memory, from disk" : "memory",
                       format_size(need.columns_bytes), format_size(budget));
    if (need.spill) out += fmt::format("  spill files    {}\n", format_size(need.spill_bytes));
  }
  out += fmt::format("  peak memory    {}\n  free disk      {} in {}\n", format_size(need.peak_memory()),
                     free ? format_size(*free) : std::string("unknown"), folder.string());
  return out;
}

}  // namespace

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
      "memory", po::value<std::string>(),
      "memory budget of the end-of-run statistics, e.g. 2G (default: a quarter of the machine's memory); "
      "above it their columns spill to a private temporary folder beside the output and the summaries are "
      "computed exactly from disk")(
      "estimate", "print what the run would need (disk, spill, memory) and exit without simulating")(
      "no-space-check", "skip the up-front check that the disk and the memory budget hold the run");
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
  opt.progress = !quiet && stderr_is_terminal();

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
  const RunEstimate need = estimate_run(model, opt, statistics, budget);
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
  const RunOutcome outcome = run_cohort(model, opt, &writer);
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
  const report::Report summary =
      spill ? report::compute_report(spilled, model.strategies(), schema.endpoints, schema.outcomes,
                                     model.horizon(), request.options, *spill, run_patients_for(budget))
            : report::compute_report(memory, model.strategies(), schema.endpoints, schema.outcomes,
                                     model.horizon(), request.options);
  report::write_report(writer, summary, schema.endpoints, schema.outcomes);
  writer.commit();
  if (!quiet) {
    fmt::print("{}", report::format_report(filter_endpoints(summary, request.endpoints), request.format));
    fmt::print("wrote {} ({} patients x {} strategies in {:.3f} s)\n", out.string(), opt.patients,
               model.strategies().size(), outcome.seconds);
  }
  return kExitOk;
}

}  // namespace mmsim::cli
