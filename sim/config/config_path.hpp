#pragma once
// Dotted paths into a resolved config (includes merged), as sweep files and calibration files address the
// numbers they change:
//
//     path    = segment ( "." segment )*
//     segment = key ( "[" index "]" )*
//     key     = bare key ([A-Za-z0-9_-]+) | "quoted key"
//     index   = 0-based decimal array index
//
// e.g. `therapy.cilta_cel.response.probs.cr` or `multistate.transitions[0].distribution.scale`. A path names
// exactly one existing node of the resolved config; only numbers are read or replaced through it.
#include <cstddef>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <toml++/toml.h>

namespace mmsim::config {

using PathStep = std::variant<std::string, std::size_t>;  // table key or array index

struct ConfigPath {
  std::vector<PathStep> steps;
  std::string text;  // canonical form
};

// Parses `text`; on a syntax error returns nothing and sets `error` to a sentence naming the position.
std::optional<ConfigPath> parse_config_path(const std::string& text, std::string& error);

// Parses `text`; a syntax error throws InputError (same sentence).
ConfigPath require_config_path(const std::string& text);

// The node the path names, or null; on failure `error` says which step is missing and what exists there.
const toml::node* find_node(const toml::table& root, const ConfigPath& path, std::string& error);

// The path without its last step: the table or array holding the node.
ConfigPath parent_path(const ConfigPath& path);

// `parent` extended by one step.
ConfigPath child_path(const ConfigPath& parent, PathStep step);

// The number at `path` (an integer read as a double); throws InputError naming the missing step, or what
// is there instead of a number.
double get_number(const toml::table& root, const ConfigPath& path);

// What set_number does when the number it replaces is an integer. The two callers want different things:
enum class IntegerNode {
  // Sweeps: the node stays an integer, so a swept count still reads as a count; `value` must be integral
  // (the sweep file's values were checked for it; a fractional one is a logic error).
  keep,
  // Calibration: the optimizer moves every parameter continuously, so the fitted value is fractional in
  // general; the node becomes a float holding it (an integer node becomes a float even at an integral value).
  to_float,
};

// Replaces the number at `path` by `value`; throws InputError, as get_number, when there is no number
// there. `origin` gives the new node its source position (a sweep file's line), so that the model's
// validation errors point at the file that set the value; the default (no file) leaves it without one.
void set_number(toml::table& root, const ConfigPath& path, double value, IntegerNode integer,
                const toml::source_region& origin = {});

}  // namespace mmsim::config
