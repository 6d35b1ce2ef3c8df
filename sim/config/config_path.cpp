#include "sim/config/config_path.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "sim/config/table_reader.hpp"
#include "sim/core/errors.hpp"

namespace mmsim::config {
namespace {

bool bare_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
}

std::string step_text(const PathStep& s) {
  if (const auto* key = std::get_if<std::string>(&s)) {
    bool bare = !key->empty();
    for (char c : *key) bare = bare && bare_char(c);
    return bare ? *key : fmt::format("\"{}\"", *key);
  }
  return fmt::format("[{}]", std::get<std::size_t>(s));
}

std::string join(const std::vector<PathStep>& steps, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0 && std::holds_alternative<std::string>(steps[i])) out += '.';
    out += step_text(steps[i]);
  }
  return out;
}

std::string list_keys(const toml::table& t) {
  std::string out;
  std::size_t n = 0;
  for (const auto& [k, v] : t) {
    if (n++ == 12) {
      out += ", ...";
      break;
    }
    out += (n > 1 ? ", " : "") + std::string(k.str());
  }
  return out;
}

// A fresh node whose source region is `origin`: parsed from text padded to the same line and column. Without
// an origin, a plain node (no position).
template <class T>
toml::value<T> located(T value, const toml::source_region& origin) {
  if (!origin.begin) return toml::value<T>(value);
  std::string text(origin.begin.line - 1, '\n');
  text.append(origin.begin.column - 1, ' ');
  text += std::is_same_v<T, double> ? "v = 0.0" : "v = 0";
  toml::table parsed = toml::parse(text, origin.path ? std::string(*origin.path) : std::string());
  // Moved, not copied: a toml++ copy drops the source position.
  toml::value<T> node = std::move(*parsed.get("v")->as<T>());
  node = value;  // exact: no decimal round trip
  return node;
}

// The number node at `path`, or InputError naming the missing step or what is there instead.
const toml::node& number_node(const toml::table& root, const ConfigPath& path) {
  std::string error;
  const toml::node* node = find_node(root, path, error);
  if (node == nullptr)
    throw InputError(fmt::format("path \"{}\" in the resolved config: {}", path.text, error));
  if (!node->is_number())
    throw InputError(fmt::format("path \"{}\" in the resolved config: {}, not a number", path.text,
                                 toml_type_name(*node)));
  return *node;
}

}  // namespace

std::optional<ConfigPath> parse_config_path(const std::string& text, std::string& error) {
  ConfigPath p;
  std::size_t i = 0;
  const auto fail = [&](const std::string& why) {
    error = fmt::format("bad path \"{}\" at character {}: {}", text, i + 1, why);
    return std::nullopt;
  };
  if (text.empty()) return fail("empty path");
  while (true) {
    if (i < text.size() && text[i] == '"') {
      const std::size_t end = text.find('"', i + 1);
      if (end == std::string::npos) return fail("unterminated quoted key");
      p.steps.emplace_back(text.substr(i + 1, end - i - 1));
      i = end + 1;
    } else {
      const std::size_t start = i;
      while (i < text.size() && bare_char(text[i])) ++i;
      if (i == start) return fail("expected a key (letters, digits, _ or -, or a \"quoted key\")");
      p.steps.emplace_back(text.substr(start, i - start));
    }
    while (i < text.size() && text[i] == '[') {
      const std::size_t start = ++i;
      while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) != 0) ++i;
      if (i == start || i >= text.size() || text[i] != ']')
        return fail("expected a 0-based array index like [0]");
      p.steps.emplace_back(static_cast<std::size_t>(std::stoull(text.substr(start, i - start))));
      ++i;
    }
    if (i == text.size()) break;
    if (text[i] != '.') return fail("expected '.', '[' or the end of the path");
    ++i;
  }
  p.text = join(p.steps, p.steps.size());
  return p;
}

ConfigPath require_config_path(const std::string& text) {
  std::string error;
  auto path = parse_config_path(text, error);
  if (!path) throw InputError(error);
  return *std::move(path);
}

const toml::node* find_node(const toml::table& root, const ConfigPath& path, std::string& error) {
  const toml::node* node = &root;
  for (std::size_t i = 0; i < path.steps.size(); ++i) {
    const std::string where = i == 0 ? std::string("the top level") : join(path.steps, i);
    if (const auto* key = std::get_if<std::string>(&path.steps[i])) {
      const toml::table* t = node->as_table();
      if (t == nullptr) {
        error = fmt::format("{} is not a table, so it has no key \"{}\"", where, *key);
        return nullptr;
      }
      node = t->get(*key);
      if (node == nullptr) {
        error = fmt::format("no key \"{}\" in {} (it has: {})", *key, where, list_keys(*t));
        return nullptr;
      }
    } else {
      const std::size_t index = std::get<std::size_t>(path.steps[i]);
      const toml::array* a = node->as_array();
      if (a == nullptr) {
        error = fmt::format("{} is not an array, so it has no element [{}]", where, index);
        return nullptr;
      }
      if (index >= a->size()) {
        error = fmt::format("{} has {} elements: [{}] is out of bounds", where, a->size(), index);
        return nullptr;
      }
      node = a->get(index);
    }
  }
  return node;
}

ConfigPath parent_path(const ConfigPath& path) {
  ConfigPath p;
  p.steps.assign(path.steps.begin(), path.steps.end() - 1);
  p.text = join(p.steps, p.steps.size());
  return p;
}

ConfigPath child_path(const ConfigPath& parent, PathStep step) {
  ConfigPath p = parent;
  p.steps.push_back(std::move(step));
  p.text = join(p.steps, p.steps.size());
  return p;
}

double get_number(const toml::table& root, const ConfigPath& path) {
  return *number_node(root, path).value<double>();
}

void set_number(toml::table& root, const ConfigPath& path, double value, IntegerNode integer,
                const toml::source_region& origin) {
  const bool keep_integer = number_node(root, path).is_integer() && integer == IntegerNode::keep;
  if (keep_integer && (std::trunc(value) != value || std::fabs(value) > 9.0e15))
    throw std::logic_error(fmt::format("set_number: {} is an integer, {} is not", path.text, value));
  std::string error;
  // The path's node exists, so its parent does.
  toml::node& parent = *const_cast<toml::node*>(find_node(root, parent_path(path), error));
  const PathStep& last = path.steps.back();
  const auto put = [&](auto node) {
    if (const auto* key = std::get_if<std::string>(&last)) {
      parent.as_table()->insert_or_assign(*key, std::move(node));
    } else {
      toml::array& a = *parent.as_array();
      a.replace(a.cbegin() + static_cast<std::ptrdiff_t>(std::get<std::size_t>(last)), std::move(node));
    }
  };
  if (keep_integer) {
    put(located<std::int64_t>(static_cast<std::int64_t>(value), origin));
  } else {
    put(located<double>(value, origin));
  }
}

}  // namespace mmsim::config
