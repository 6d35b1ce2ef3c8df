#include "sim/runner/run_attributes.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "sim/io/run_layout.hpp"

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
  // Display text for figures (sim/io/run_layout.hpp kEndpointTitles ...), when the model gives it.
  const OutputSchema& schema = model.schema();
  auto lines = [](const auto& items, auto text) {
    std::vector<std::string> out;
    for (const auto& item : items) out.push_back(text(item));
    return fmt::format("{}", fmt::join(out, "\n"));
  };
  if (!schema.endpoint_labels.empty()) {
    attrs.extra.emplace_back(io::layout::kEndpointTitles,
                             lines(schema.endpoint_labels, [](const auto& l) { return l.title; }));
    attrs.extra.emplace_back(io::layout::kEndpointAxes,
                             lines(schema.endpoint_labels, [](const auto& l) { return l.axis; }));
    attrs.extra.emplace_back(io::layout::kEndpointTimeAxes,
                             lines(schema.endpoint_labels, [](const auto& l) { return l.time_axis; }));
  }
  if (!schema.strategy_labels.empty()) {
    attrs.extra.emplace_back(io::layout::kStrategyLabels,
                             lines(schema.strategy_labels, [](const auto& l) { return l; }));
  }
  // Only where the model names any, so files of models without denominators stay as they were.
  const auto& denominators = schema.outcome_denominators;
  if (std::any_of(denominators.begin(), denominators.end(), [](const std::string& d) { return !d.empty(); }))
    attrs.extra.emplace_back("outcome_denominators", fmt::format("{}", fmt::join(denominators, ",")));
  if (options.economics != nullptr) attrs.schema_minor = io::kSchemaMinorEconomics;
  return attrs;
}

}  // namespace mmsim
