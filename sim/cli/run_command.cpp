#include <fmt/format.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <iostream>

#include "sim/cli/commands.hpp"
#include "sim/cli/options.hpp"
#include "sim/cli/report_options.hpp"
#include "sim/cli/scenario_source.hpp"
#include "sim/core/errors.hpp"
#include "sim/report/column_sources.hpp"
#include "sim/report/report_h5.hpp"
#include "sim/runner/cohort_runner.hpp"
#include "sim/runner/progress.hpp"

namespace mmsim::cli {

int run_command(const std::vector<std::string>& args) {
  po::options_description visible(
      "mmsim run [CONFIG] [options]\n\nSimulates every strategy of a scenario for a cohort and writes one "
      "HDF5 "
      "file.\nWithout CONFIG, runs the embedded default scenario. The command line overrides the "
      "config.\n\nOptions");
  visible.add_options()("help,h", "show this help")("output,o", po::value<std::string>(),
                                                    "output file (default: results/<config-stem>.h5)")(
      "patients", po::value<std::uint64_t>(), "cohort size (overrides [simulation].patients)")(
      "seed", po::value<std::uint64_t>(), "random seed (overrides [simulation].seed)")(
      "threads", po::value<unsigned>()->default_value(0), "worker threads (0: all cores)")(
      "no-trajectories", "write the patients tables but no events/lines tables")(
      "summary-only", "write no per-patient rows at all, only summaries")(
      "no-summary",
      "skip the end-of-run statistics (exact Kaplan-Meier needs each endpoint column in memory: O(n)); "
      "compute "
      "them later with 'mmsim report'. The simulation and the writing run in memory bounded by the block "
      "size")("block-size", po::value<std::size_t>()->default_value(4096),
              "patients per block (rows per chunk)")("compression", po::value<int>()->default_value(4),
                                                     "deflate level 0-9 for per-patient tables")(
      "quiet,q", "no progress line and no summary table");
  add_report_options(visible);
  po::options_description hidden;
  hidden.add_options()("config", po::value<std::string>(), "scenario config");
  po::positional_options_description pos;
  pos.add("config", 1);
  const auto vm = parse_options("run", args, visible, hidden, pos);
  if (vm.count("help")) {
    std::cout << visible << "\n";
    return kExitOk;
  }
  if (vm.count("no-summary") && vm.count("summary-only")) {
    throw InputError("mmsim run: --no-summary and --summary-only exclude each other");
  }
  if (vm.count("no-trajectories") && vm.count("summary-only")) {
    throw InputError("mmsim run: --no-trajectories and --summary-only exclude each other");
  }
  const int level = vm["compression"].as<int>();
  if (level < 0 || level > 9) throw InputError("mmsim run: --compression must be 0..9");
  const std::size_t block = vm["block-size"].as<std::size_t>();
  if (block < 1 || block > (1u << 20)) throw InputError("mmsim run: --block-size must be 1..1048576");

  std::optional<std::string> path;
  if (vm.count("config")) path = vm["config"].as<std::string>();
  ScenarioSource src = load_scenario_source(path);
  const Model& model = *src.scenario.model;

  RunOptions opt;
  opt.patients = vm.count("patients") ? vm["patients"].as<std::uint64_t>() : src.scenario.settings.patients;
  opt.seed = vm.count("seed") ? vm["seed"].as<std::uint64_t>() : src.scenario.settings.seed;
  if (opt.patients == 0) throw InputError("mmsim run: --patients must be at least 1");
  opt.threads = vm["threads"].as<unsigned>();
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
  io::RunAttributes attrs;
  attrs.seed = opt.seed;
  attrs.config_text = src.scenario.document.resolved_text();
  attrs.strategy_order = model.strategies();
  attrs.extra = {{"model", src.scenario.model_name},
                 {"config_source", src.display_name},
                 {"patients", std::to_string(opt.patients)},
                 {"horizon_months", fmt::format("{}", model.horizon())},
                 {"endpoints", fmt::format("{}", fmt::join(model.schema().endpoints, ","))},
                 {"outcomes", fmt::format("{}", fmt::join(model.schema().outcomes, ","))},
                 {"output_mode", opt.mode == OutputMode::summary_only      ? "summary_only"
                                 : opt.mode == OutputMode::no_trajectories ? "no_trajectories"
                                                                           : "trajectories"}};

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
  const report::Report summary = report::compute_report(columns, model.strategies(), schema.endpoints,
                                                        schema.outcomes, model.horizon(), request.options);
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
