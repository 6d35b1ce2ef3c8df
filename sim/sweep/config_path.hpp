#pragma once
// Dotted paths into a resolved config, as sweep files address parameters:
//
//     path    = segment ( "." segment )*
//     segment = key ( "[" index "]" )*
//     key     = bare key ([A-Za-z0-9_-]+) | "quoted key"
//     index   = 0-based decimal array index
//
// e.g. `therapy.cilta_cel.response.probs.cr` or `multistate.transitions[0].distribution.scale`. A path names
// exactly one existing node of the resolved config (includes merged); sweeps only replace numbers.
#include <cstddef>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <toml++/toml.h>

namespace mmsim::sweep {

using PathStep = std::variant<std::string, std::size_t>;  // table key or array index

struct ConfigPath {
  std::vector<PathStep> steps;
  std::string text;  // canonical form
};

// Parses `text`; on a syntax error returns nothing and sets `error` to a sentence naming the position.
std::optional<ConfigPath> parse_config_path(const std::string& text, std::string& error);

// The node the path names, or null; on failure `error` says which step is missing and what exists there.
const toml::node* find_node(const toml::table& root, const ConfigPath& path, std::string& error);

// The path without its last step (the table or array holding the node), and the last step alone.
ConfigPath parent_path(const ConfigPath& path);

// `parent` extended by one step.
ConfigPath child_path(const ConfigPath& parent, PathStep step);

// Replaces the number at `path` by `value` (an integer node stays an integer: `value` must be integral).
// `origin` gives the new node its source position (the sweep file's line), so that the model's validation
// errors point at the sweep file. The node must exist (find_node first).
void set_number(toml::table& root, const ConfigPath& path, double value, const toml::source_region& origin);

}  // namespace mmsim::sweep
