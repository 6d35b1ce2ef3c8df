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

std::vector<std::uint8_t> MemoryColumns::outcome(std::size_t strategy, const std::string& name) const {
  const auto& c = outcome_.outcomes.at(strategy).at(index_of(outcomes_, name));
  return {c.begin(), c.end()};
}

}  // namespace mmsim::report
