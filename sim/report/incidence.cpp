#include "sim/report/incidence.hpp"

#include <fmt/format.h>

#include "sim/core/errors.hpp"
#include "sim/stats/cumulative_incidence.hpp"

namespace mmsim::report {

std::vector<std::uint8_t> causes_from_column(std::span<const std::uint8_t> event,
                                             std::span<const std::uint8_t> cause, std::size_t n_causes,
                                             const std::string& column) {
  if (cause.size() != event.size()) {
    throw InputError(
        fmt::format("cause column {} has {} rows, the endpoint {}", column, cause.size(), event.size()));
  }
  std::vector<std::uint8_t> code(event.size(), 0);
  for (std::size_t i = 0; i < event.size(); ++i) {
    if (event[i] == 0) continue;
    if (cause[i] == 0 || cause[i] > n_causes) {
      throw InputError(fmt::format("patient {}: event with cause code {} in column {} (expected 1..{})", i,
                                   cause[i], column, n_causes));
    }
    code[i] = cause[i];
  }
  return code;
}

std::vector<std::uint8_t> causes_from_split(std::span<const double> time, std::span<const std::uint8_t> event,
                                            std::span<const double> split_time,
                                            std::span<const std::uint8_t> split_event) {
  if (split_time.size() != time.size() || split_event.size() != event.size() || event.size() != time.size()) {
    throw InputError("the endpoint and the endpoint that splits its events differ in length");
  }
  std::vector<std::uint8_t> code(event.size(), 0);
  for (std::size_t i = 0; i < event.size(); ++i) {
    if (event[i] == 0) continue;
    code[i] = split_event[i] != 0 && split_time[i] == time[i] ? 2 : 1;
  }
  return code;
}

std::vector<StrategyIncidence> compute_incidence(const ColumnSource& source, std::size_t n_strategies,
                                                 const std::vector<CompetingRisks>& analyses,
                                                 const CategoryColumnReader& read_category,
                                                 const StepOptions& options) {
  std::vector<StrategyIncidence> out;
  for (std::size_t s = 0; s < n_strategies; ++s) {
    for (const auto& a : analyses) {
      const bool by_column = !a.cause_column.empty();
      if (by_column && !read_category) continue;
      std::vector<double> time, other_time;
      std::vector<std::uint8_t> event, other_event;
      source.endpoint(s, a.endpoint, time, event);
      std::vector<std::uint8_t> code;
      if (by_column) {
        code = causes_from_column(event, read_category(s, a.cause_column), a.cause_labels.size(),
                                  a.cause_column);
      } else {
        source.endpoint(s, a.split_endpoint, other_time, other_event);
        code = causes_from_split(time, event, other_time, other_event);
      }
      const stats::CumulativeIncidence ci = stats::cumulative_incidence({time, code}, a.cause_labels.size());
      out.push_back({s, &a, incidence_steps(a.name, ci, options)});
    }
  }
  return out;
}

}  // namespace mmsim::report
