#include "sim/report/column_sources.hpp"

#include <algorithm>
#include <stdexcept>

namespace mmsim::report {
namespace {

std::size_t index_of(const std::vector<std::string>& names, const std::string& name) {
  const auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) throw std::out_of_range("no column " + name);
  return static_cast<std::size_t>(it - names.begin());
}

}  // namespace

void MemoryColumns::endpoint(std::size_t strategy, const std::string& name, std::vector<double>& time,
                             std::vector<std::uint8_t>& event) const {
  const auto& c = outcome_.columns.at(strategy).at(index_of(endpoints_, name));
  time.assign(c.time.begin(), c.time.end());
  event.assign(c.event.begin(), c.event.end());
}

std::optional<stats::SurvivalSample> MemoryColumns::endpoint_view(std::size_t strategy,
                                                                  const std::string& name) const {
  const auto& c = outcome_.columns.at(strategy).at(index_of(endpoints_, name));
  return stats::SurvivalSample{c.time, c.event};
}

std::vector<std::uint8_t> MemoryColumns::outcome(std::size_t strategy, const std::string& name) const {
  const auto& c = outcome_.outcomes.at(strategy).at(index_of(outcomes_, name));
  return {c.begin(), c.end()};
}

std::uint64_t SpilledColumns::patient_count() const {
  return outcome_.spilled->columns() == 0 ? 0 : outcome_.spilled->rows(0);
}

void SpilledColumns::endpoint_chunk(std::size_t strategy, const std::string& name, std::uint64_t first,
                                    std::size_t count, std::vector<double>& time,
                                    std::vector<std::uint8_t>& event) const {
  const std::size_t e = index_of(endpoints_, name);
  time.resize(count);
  event.resize(count);
  outcome_.spilled->read(column(strategy, 2 * e), first, count, time.data());
  outcome_.spilled->read(column(strategy, 2 * e + 1), first, count, event.data());
}

void SpilledColumns::endpoint(std::size_t strategy, const std::string& name, std::vector<double>& time,
                              std::vector<std::uint8_t>& event) const {
  endpoint_chunk(strategy, name, 0, static_cast<std::size_t>(patient_count()), time, event);
}

std::vector<std::uint8_t> SpilledColumns::outcome(std::size_t strategy, const std::string& name) const {
  const std::size_t c = column(strategy, 2 * endpoints_.size() + index_of(outcomes_, name));
  std::vector<std::uint8_t> out(static_cast<std::size_t>(outcome_.spilled->rows(c)));
  outcome_.spilled->read(c, 0, out.size(), out.data());
  return out;
}

}  // namespace mmsim::report
