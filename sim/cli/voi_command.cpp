// mmsim voi: cost-effectiveness acceptability, frontier and value of information of a PSA sweep.
#include <fmt/format.h>

#include <iostream>

#include "sim/cli/commands.hpp"
#include "sim/cli/options.hpp"
#include "sim/core/errors.hpp"
#include "sim/stats/voi_analysis.hpp"

namespace mmsim::cli {

int voi_command(const std::vector<std::string>& args) {
  po::options_description visible(
      "mmsim voi SWEEP_DIR --wtp LIST [--group NAME=p1,p2 ...] [-o OUT_DIR] [--format "
      "table|csv|json|markdown]\n\n"
      "Reads SWEEP_DIR/economics.csv (a PSA sweep of a scenario with an [economics] table; one simulation "
      "per "
      "point) and prints, at each willingness to pay, the expected cost, effect and net monetary benefit of "
      "every "
      "strategy, the probability each is cost-effective (CEAC), the frontier (CEAF), the EVPI, and the EVPPI "
      "of "
      "each parameter group by GAM regression (Strong et al. 2014) with its standard error. With -o, writes "
      "ceac.csv, ceaf.csv, evpi.csv, evppi.csv and the PSA sample for R (psa_cost.csv, "
      "psa_effectiveness.csv, "
      "psa_parameters.csv, load_psa.R: dampack's make_psa_obj and BCEA's bcea). docs/economics_voi.md.\n\n"
      "Options");
  visible.add_options()("help,h", "show this help")(
      "wtp", po::value<std::string>(),
      "willingness to pay per unit of effect: numbers and LOW:HIGH:STEP ranges, e.g. 0:200000:10000")(
      "evppi-wtp", po::value<std::string>(), "where to estimate EVPPI (default: every --wtp value)")(
      "group", po::value<std::vector<std::string>>()->composing(),
      "an EVPPI parameter group NAME=p1,p2 (1 to 4 of the sweep's parameter names; repeatable; default: each "
      "varying parameter alone)")("no-evppi", "skip the EVPPI regressions")(
      "effect", po::value<std::string>()->default_value("qaly"), "effect measure: qaly or ly")(
      "undiscounted", "use the undiscounted costs and effects")(
      "knots", integer_value()->default_value(0),
      "knots per parameter of the GAM (0: 10 for one, 5 for two, 4 for "
      "three or four parameters)")("draws", integer_value()->default_value(500),
                                   "posterior draws for the EVPPI standard error")(
      "seed", integer_value()->default_value(20140301), "seed of those draws")(
      "currency", po::value<std::string>()->default_value("USD"), "currency label of the exports")(
      "output,o", po::value<std::string>(),
      "folder for the tables and R exports (files replaced when complete)")(
      "format", po::value<std::string>()->default_value("table"),
      "printed summary: table, csv, json or markdown");
  const auto parsed = parse_command("voi", args, visible, {"sweep_dir", "sweep output folder"});
  if (!parsed) return kExitOk;
  const po::variables_map& vm = *parsed;
  if (!vm.count("sweep_dir"))
    throw InputError("mmsim voi: name the sweep's output folder (see 'mmsim voi --help')");
  if (!vm.count("wtp")) throw InputError("mmsim voi: give --wtp, e.g. --wtp 50000,100000,150000");
  stats::voi::VoiRequest request;
  request.sweep_dir = vm["sweep_dir"].as<std::string>();
  request.wtp = stats::voi::parse_wtp_list(vm["wtp"].as<std::string>(), "--wtp");
  if (vm.count("evppi-wtp"))
    request.evppi_wtp = stats::voi::parse_wtp_list(vm["evppi-wtp"].as<std::string>(), "--evppi-wtp");
  if (vm.count("group"))
    for (const auto& g : vm["group"].as<std::vector<std::string>>())
      request.groups.push_back(stats::voi::parse_group(g));
  request.evppi = !vm.count("no-evppi");
  const std::string effect = vm["effect"].as<std::string>();
  if (effect != "qaly" && effect != "ly")
    throw InputError(fmt::format("--effect: '{}' is not qaly or ly", effect));
  request.read.effect = effect == "ly" ? stats::voi::EffectMeasure::ly : stats::voi::EffectMeasure::qaly;
  request.read.discounted = !vm.count("undiscounted");
  request.evppi_options.knots = static_cast<std::size_t>(*integer_option(vm, "voi", "knots", 0, 40));
  const auto knots = request.evppi_options.knots;
  if (knots == 1 || knots == 2) throw InputError("--knots: a cubic regression spline needs at least 3 knots");
  request.evppi_options.posterior_draws =
      static_cast<std::size_t>(*integer_option(vm, "voi", "draws", 0, 100000));
  request.evppi_options.seed = static_cast<std::uint64_t>(*integer_option(vm, "voi", "seed", 0, INT64_MAX));
  request.currency = vm["currency"].as<std::string>();
  const std::string format = vm["format"].as<std::string>();
  stats::voi::VoiFormat fmt_kind;
  if (format == "table")
    fmt_kind = stats::voi::VoiFormat::table;
  else if (format == "csv")
    fmt_kind = stats::voi::VoiFormat::csv;
  else if (format == "json")
    fmt_kind = stats::voi::VoiFormat::json;
  else if (format == "markdown")
    fmt_kind = stats::voi::VoiFormat::markdown;
  else
    throw InputError(fmt::format("--format: unknown format '{}' (table, csv, json, markdown)", format));
  std::optional<std::filesystem::path> out_dir;
  if (vm.count("output")) {
    out_dir = vm["output"].as<std::string>();
    stats::voi::check_voi_outputs(*out_dir, request.sweep_dir);
  }
  const stats::voi::VoiAnalysis analysis = stats::voi::analyse_sweep(request);
  if (out_dir) stats::voi::write_voi_outputs(analysis, *out_dir, request.sweep_dir);
  std::cout << stats::voi::format_voi(analysis, fmt_kind);
  return kExitOk;
}

}  // namespace mmsim::cli
