#include <fmt/format.h>

#include <iostream>

#include "sim/cli/commands.hpp"
#include "sim/cli/options.hpp"
#include "sim/cli/scenario_source.hpp"
#include "sim/core/errors.hpp"
#include "sim/economics/economics_spec.hpp"

namespace mmsim::cli {

int check_command(const std::vector<std::string>& args) {
  po::options_description visible(
      "mmsim check [CONFIG] [options]\n\nValidates a scenario config (and its includes) "
      "without running it. Exit code 0 when valid, 2 with every problem listed "
      "otherwise.\n\nOptions");
  visible.add_options()("help,h", "show this help")("print",
                                                    "print every effective parameter with its source");
  const auto parsed = parse_command("check", args, visible, {"config", "scenario config"});
  if (!parsed) return kExitOk;
  const po::variables_map& vm = *parsed;
  std::optional<std::string> path;
  if (vm.count("config")) path = vm["config"].as<std::string>();
  const ScenarioSource src = load_scenario_source(path);
  print_warnings(src);
  const Model& model = *src.scenario.model;
  fmt::print("{}: ok: model {}, {} strategies ({}), {} patients, seed {}, horizon {} months\n",
             src.display_name, src.scenario.model_name, model.strategies().size(),
             fmt::join(model.strategies(), ", "), src.scenario.settings.patients, src.scenario.settings.seed,
             model.horizon());
  if (vm.count("print")) fmt::print("{}", model.parameter_report());
  if (vm.count("print") && src.scenario.economics)
    fmt::print("{}", economics::describe(src.scenario.economics->spec()));
  return 0;
}

}  // namespace mmsim::cli
