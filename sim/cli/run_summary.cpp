#include "sim/cli/run_summary.hpp"

#include <fmt/format.h>

#include <cmath>

namespace mmsim::cli {
namespace {

EndpointSummary summarize(const std::vector<double>& time, const std::vector<std::uint8_t>& event) {
  EndpointSummary s;
  for (std::size_t i = 0; i < time.size(); ++i) {
    if (std::isnan(time[i])) continue;
    ++s.n;
    s.events += event[i];
  }
  return s;
}

}  // namespace

RunSummary summarize_run(const Model& model, const RunOutcome& outcome, io::RunFileWriter& writer) {
  const auto& endpoints = model.schema().endpoints;
  RunSummary summary;
  summary.endpoints.resize(model.strategies().size());
  for (std::size_t s = 0; s < model.strategies().size(); ++s) {
    for (std::size_t e = 0; e < endpoints.size(); ++e) {
      if (!outcome.columns.empty()) {
        summary.endpoints[s].push_back(summarize(outcome.columns[s][e].time, outcome.columns[s][e].event));
      } else {
        // One endpoint column in memory at a time, read back from the file being written.
        const std::string path = table_path(model.strategies()[s], "patients");
        summary.endpoints[s].push_back(summarize(writer.read_f64_column(path, endpoints[e] + "_time"),
                                                 writer.read_u8_column(path, endpoints[e] + "_event")));
      }
    }
  }
  return summary;
}

void write_run_summary(io::RunFileWriter& writer, const Model& model, const RunSummary& summary) {
  const auto& endpoints = model.schema().endpoints;
  for (std::size_t s = 0; s < model.strategies().size(); ++s) {
    for (std::size_t e = 0; e < endpoints.size(); ++e) {
      const std::string obj = fmt::format("/strategies/{}", model.strategies()[s]);
      writer.write_string_attribute(obj, endpoints[e] + "_n", std::to_string(summary.endpoints[s][e].n));
      writer.write_string_attribute(obj, endpoints[e] + "_events", std::to_string(summary.endpoints[s][e].events));
    }
  }
}

std::string format_run_summary(const Model& model, const RunSummary& summary) {
  std::string out = fmt::format("{:<28} {:<20} {:>10} {:>10}\n", "strategy", "endpoint", "n", "events");
  const auto& endpoints = model.schema().endpoints;
  for (std::size_t s = 0; s < model.strategies().size(); ++s) {
    for (std::size_t e = 0; e < endpoints.size(); ++e) {
      out += fmt::format("{:<28} {:<20} {:>10} {:>10}\n", model.strategies()[s], endpoints[e],
                         summary.endpoints[s][e].n, summary.endpoints[s][e].events);
    }
  }
  return out;
}

}  // namespace mmsim::cli
