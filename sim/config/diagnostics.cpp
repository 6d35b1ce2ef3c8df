#include "sim/config/diagnostics.hpp"

#include <fmt/format.h>

#include "sim/core/errors.hpp"

namespace mmsim::config {

std::string source_file(const toml::source_region& where) {
  return where.path ? std::string(*where.path) : std::string("<config>");
}

void Diagnostics::error(const toml::source_region& where, std::string key_path, std::string message) {
  issues_.push_back(Issue{source_file(where), where.begin.line, where.begin.column, std::move(key_path),
                          std::move(message)});
}

void Diagnostics::error(std::string file, std::string key_path, std::string message) {
  issues_.push_back(Issue{std::move(file), 0, 0, std::move(key_path), std::move(message)});
}

std::string Diagnostics::format() const {
  std::string out;
  for (const auto& i : issues_) {
    std::string where = i.file;
    if (i.line > 0) where += fmt::format(":{}:{}", i.line, i.column);
    if (i.key_path.empty()) {
      out += fmt::format("{}: error: {}\n", where, i.message);
    } else {
      out += fmt::format("{}: error: {}: {}\n", where, i.key_path, i.message);
    }
  }
  return out;
}

void Diagnostics::throw_if_errors() const {
  if (ok()) return;
  std::string text = format();
  if (!text.empty() && text.back() == '\n') text.pop_back();
  throw InputError(text);
}

}  // namespace mmsim::config
