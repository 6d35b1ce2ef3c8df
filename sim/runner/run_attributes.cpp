#include "sim/runner/run_attributes.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace mmsim {

std::string output_mode_name(OutputMode mode) {
  switch (mode) {
    case OutputMode::trajectories:
      return "trajectories";
    case OutputMode::no_trajectories:
      return "no_trajectories";
    case OutputMode::summary_only:
      return "summary_only";
  }
  return "trajectories";
}

io::RunAttributes run_attributes(const Model& model, const RunOptions& options, const std::string& model_name,
                                 std::string config_text, std::string config_source) {
  io::RunAttributes attrs;
  attrs.seed = options.seed;
  attrs.config_text = std::move(config_text);
  attrs.strategy_order = model.strategies();
  attrs.extra = {{"model", model_name},
                 {"config_source", std::move(config_source)},
                 {"patients", std::to_string(options.patients)},
                 {"horizon_months", fmt::format("{}", model.horizon())},
                 {"endpoints", fmt::format("{}", fmt::join(model.schema().endpoints, ","))},
                 {"outcomes", fmt::format("{}", fmt::join(model.schema().outcomes, ","))},
                 {"output_mode", output_mode_name(options.mode)}};
  // Only where the model names any, so files of models without denominators stay as they were.
  const auto& denominators = model.schema().outcome_denominators;
  if (std::any_of(denominators.begin(), denominators.end(), [](const std::string& d) { return !d.empty(); }))
    attrs.extra.emplace_back("outcome_denominators", fmt::format("{}", fmt::join(denominators, ",")));
  return attrs;
}

}  // namespace mmsim
