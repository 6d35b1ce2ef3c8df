#pragma once
// Small text helpers shared by the readers of option values, file attributes and tables.
#include <cstddef>
#include <exception>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace mmsim {

// The non-empty items of a `sep`-separated list ("a,,b" -> {"a", "b"}).
inline std::vector<std::string> split_list(const std::string& text, char sep = ',') {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, sep)) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

// The number `text` spells in full (std::stod syntax, so also "inf" and "nan"), or nothing when it does not
// ("12x", "", " ").
inline std::optional<double> parse_number(const std::string& text) {
  try {
    std::size_t used = 0;
    const double v = std::stod(text, &used);
    if (used == text.size()) return v;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

}  // namespace mmsim
