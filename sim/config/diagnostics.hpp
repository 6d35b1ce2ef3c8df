#pragma once
// Collects every problem found in user input, each with its file, line, column and key path, so a user sees
// all of them at once instead of fixing one per run.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

namespace mmsim::config {

struct Issue {
  std::string file;
  std::uint32_t line = 0;  // 0: unknown (e.g. a key that is missing from its table: the table's line is used)
  std::uint32_t column = 0;
  std::string key_path;  // dotted, e.g. "transitions[2].distribution.shape"
  std::string message;
};

class Diagnostics {
 public:
  void error(const toml::source_region& where, std::string key_path, std::string message);
  void error(std::string file, std::string key_path, std::string message);  // no position known
  bool ok() const { return issues_.empty(); }
  const std::vector<Issue>& issues() const { return issues_; }
  // "file:line:column: key: message", one issue per line.
  std::string format() const;
  // Throws mmsim::InputError carrying format() when any issue was recorded.
  void throw_if_errors() const;

 private:
  std::vector<Issue> issues_;
};

std::string source_file(const toml::source_region& where);

}  // namespace mmsim::config
