#pragma once
// The rule for strategy names, shared by every model's config reader.
#include <fmt/format.h>

#include <string>
#include <string_view>

namespace mmsim {

// What is wrong with `name` as a strategy name, or "" when nothing is: it names an HDF5 group
// (/strategies/<name>), a CSV value and a data-frame level, so it must be an identifier: a letter or '_',
// then letters, digits, '_', '-' or '.' (a '/' would nest groups; spaces and quotes break the tables).
inline std::string strategy_name_problem(std::string_view name) {
  auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (name.empty()) return "a strategy name cannot be empty";
  if (!letter(name.front()))
    return "a strategy name must start with a letter or '_' (then letters, digits, '_', '-', '.')";
  for (const char c : name) {
    if (!(letter(c) || digit(c) || c == '-' || c == '.')) {
      return fmt::format(
          "strategy name \"{}\" holds '{}': use letters, digits, '_', '-' or '.' (the name is an "
          "HDF5 group and a table value)",
          name, c);
    }
  }
  return {};
}

}  // namespace mmsim
