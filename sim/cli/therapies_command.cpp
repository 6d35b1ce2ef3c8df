// mmsim therapies: the therapy ids a strategy can name, with what they are and where their parameters are.
#include <fmt/format.h>

#include "sim/cli/commands.hpp"
#include "sim/cli/options.hpp"
#include "sim/cli/scenario_source.hpp"
#include "sim/core/errors.hpp"
#include "sim/format/text_table.hpp"

namespace mmsim::cli {

int therapies_command(const std::vector<std::string>& args) {
  po::options_description visible(
      "mmsim therapies [CONFIG] [options]\n\nLists every therapy of a scenario's model: its id (what a "
      "strategy writes), label, class, category, targets, binder, cell source, the file and line of its "
      "[therapy.<id>] table and its source (evidence). Without CONFIG: the shipped default "
      "model.\n\nOptions");
  visible.add_options()("help,h", "show this help")(
      "format", po::value<std::string>()->default_value("table"), "table, csv, json or markdown");
  const auto parsed = parse_command("therapies", args, visible, {"config", "scenario config"});
  if (!parsed) return kExitOk;
  const po::variables_map& vm = *parsed;
  const format::TableFormat table_format =
      format::parse_table_format(vm["format"].as<std::string>(), "mmsim therapies --format");
  std::optional<std::string> path;
  if (vm.count("config")) path = vm["config"].as<std::string>();
  const ScenarioSource src = load_shipped_model_source(path);
  print_warnings(src);
  fmt::print("{}", therapy_table(src.scenario).render(table_format));
  return kExitOk;
}

}  // namespace mmsim::cli
