#include "sim/config/table_reader.hpp"

#include <fmt/format.h>

#include <cmath>

namespace mmsim::config {

bool NumberRule::admits(double v) const {
  if (min_open ? !(v > min) : !(v >= min)) return false;
  if (max_open ? !(v < max) : !(v <= max)) return false;
  return true;
}

std::string NumberRule::describe() const {
  const bool has_min = std::isfinite(min);
  const bool has_max = std::isfinite(max);
  if (has_min && has_max) {
    return fmt::format("{}{}, {}{}", min_open ? "(" : "[", min, max, max_open ? ")" : "]");
  }
  if (has_min) return fmt::format("{} {}", min_open ? ">" : ">=", min);
  if (has_max) return fmt::format("{} {}", max_open ? "<" : "<=", max);
  return "a finite number";
}

const char* toml_type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
    case toml::node_type::time:
    case toml::node_type::date_time:
      return "a date/time";
    default:
      return "nothing";
  }
}

bool check_number(const toml::node& n, const std::string& key_path, NumberRule rule, Diagnostics& diag,
                  double& out) {
  double v = 0.0;
  if (auto i = n.as_integer()) {
    v = static_cast<double>(i->get());
  } else if (auto f = n.as_floating_point()) {
    v = f->get();
  } else {
    diag.error(n.source(), key_path, fmt::format("expected a number, found {}", toml_type_name(n)));
    return false;
  }
  if (!std::isfinite(v)) {
    diag.error(n.source(), key_path, fmt::format("must be finite, found {}", v));
    return false;
  }
  if (!rule.admits(v)) {
    diag.error(n.source(), key_path, fmt::format("{} is out of range: must be {}", v, rule.describe()));
    return false;
  }
  out = v;
  return true;
}

TableReader::TableReader(const toml::table& table, std::string path, Diagnostics& diag)
    : table_(&table), path_(std::move(path)), diag_(&diag) {}

std::string TableReader::key_path(std::string_view key) const {
  return path_.empty() ? std::string(key) : fmt::format("{}.{}", path_, key);
}

bool TableReader::has(std::string_view key) const {
  return table_->contains(key);
}

const toml::node* TableReader::node(std::string_view key) {
  known_.emplace(key);
  return table_->get(key);
}

void TableReader::error(std::string_view key, std::string message) {
  if (const toml::node* n = table_->get(key)) {
    diag_->error(n->source(), key_path(key), std::move(message));
  } else {
    diag_->error(table_->source(), key_path(key), std::move(message));
  }
}

void TableReader::type_error(std::string_view key, const toml::node& n, const char* expected) {
  diag_->error(n.source(), key_path(key), fmt::format("expected {}, found {}", expected, toml_type_name(n)));
}

const toml::node* TableReader::lookup(std::string_view key, bool required, const char* expected) {
  const toml::node* n = node(key);
  if (n == nullptr && required) {
    diag_->error(table_->source(), key_path(key),
                 fmt::format("missing required key (expected {})", expected));
  }
  return n;
}

double TableReader::number(std::string_view key, NumberRule rule, std::optional<double> fallback) {
  const toml::node* n = lookup(key, !fallback.has_value(), "a number");
  double v = fallback.value_or(std::numeric_limits<double>::quiet_NaN());
  if (n == nullptr) return v;
  double parsed = 0.0;
  return check_number(*n, key_path(key), rule, *diag_, parsed) ? parsed : v;
}

std::int64_t TableReader::integer(std::string_view key, std::int64_t min, std::int64_t max,
                                  std::optional<std::int64_t> fallback) {
  const toml::node* n = lookup(key, !fallback.has_value(), "an integer");
  const std::int64_t dflt = fallback.value_or(min);
  if (n == nullptr) return dflt;
  auto i = n->as_integer();
  if (!i) {
    type_error(key, *n, "an integer");
    return dflt;
  }
  const std::int64_t v = i->get();
  if (v < min || v > max) {
    diag_->error(n->source(), key_path(key),
                 fmt::format("{} is out of range: must be in [{}, {}]", v, min, max));
    return dflt;
  }
  return v;
}

bool TableReader::boolean(std::string_view key, std::optional<bool> fallback) {
  const toml::node* n = lookup(key, !fallback.has_value(), "a boolean");
  if (n == nullptr) return fallback.value_or(false);
  auto b = n->as_boolean();
  if (!b) {
    type_error(key, *n, "a boolean");
    return fallback.value_or(false);
  }
  return b->get();
}

std::string TableReader::string(std::string_view key, std::optional<std::string> fallback) {
  const toml::node* n = lookup(key, !fallback.has_value(), "a string");
  if (n == nullptr) return fallback.value_or("");
  auto s = n->as_string();
  if (!s) {
    type_error(key, *n, "a string");
    return fallback.value_or("");
  }
  return s->get();
}

std::string TableReader::choice(std::string_view key, const std::vector<std::string>& choices,
                                std::optional<std::string> fallback) {
  const bool present = has(key);
  std::string v = string(key, fallback);
  if (!present) return v;
  for (const auto& c : choices) {
    if (c == v) return v;
  }
  error(key, fmt::format("unknown value \"{}\": expected one of {}", v, fmt::join(choices, ", ")));
  return fallback.value_or(choices.empty() ? std::string() : choices.front());
}

std::vector<double> TableReader::numbers(std::string_view key, NumberRule rule, bool required) {
  std::vector<double> out;
  const toml::node* n = lookup(key, required, "an array of numbers");
  if (n == nullptr) return out;
  auto arr = n->as_array();
  if (!arr) {
    type_error(key, *n, "an array of numbers");
    return out;
  }
  for (std::size_t i = 0; i < arr->size(); ++i) {
    double v = 0.0;
    if (check_number((*arr)[i], fmt::format("{}[{}]", key_path(key), i), rule, *diag_, v)) out.push_back(v);
  }
  return out;
}

std::vector<std::string> TableReader::strings(std::string_view key, bool required) {
  std::vector<std::string> out;
  const toml::node* n = lookup(key, required, "an array of strings");
  if (n == nullptr) return out;
  auto arr = n->as_array();
  if (!arr) {
    type_error(key, *n, "an array of strings");
    return out;
  }
  for (std::size_t i = 0; i < arr->size(); ++i) {
    if (auto s = (*arr)[i].as_string()) {
      out.push_back(s->get());
    } else {
      diag_->error((*arr)[i].source(), fmt::format("{}[{}]", key_path(key), i),
                   fmt::format("expected a string, found {}", toml_type_name((*arr)[i])));
    }
  }
  return out;
}

const toml::table* TableReader::subtable(std::string_view key, bool required) {
  const toml::node* n = lookup(key, required, "a table");
  if (n == nullptr) return nullptr;
  auto t = n->as_table();
  if (!t) type_error(key, *n, "a table");
  return t;
}

std::vector<const toml::table*> TableReader::table_array(std::string_view key, bool required) {
  std::vector<const toml::table*> out;
  const toml::node* n = lookup(key, required, "an array of tables");
  if (n == nullptr) return out;
  auto arr = n->as_array();
  if (!arr) {
    type_error(key, *n, "an array of tables");
    return out;
  }
  for (std::size_t i = 0; i < arr->size(); ++i) {
    if (auto t = (*arr)[i].as_table()) {
      out.push_back(t);
    } else {
      diag_->error((*arr)[i].source(), fmt::format("{}[{}]", key_path(key), i),
                   fmt::format("expected a table, found {}", toml_type_name((*arr)[i])));
    }
  }
  return out;
}

void TableReader::finish(const std::vector<std::string>& also_allowed) {
  for (const auto& [k, v] : *table_) {
    const std::string_view key = k.str();
    if (known_.contains(key)) continue;
    bool allowed = false;
    for (const auto& a : also_allowed) allowed = allowed || a == key;
    if (!allowed) diag_->error(k.source(), key_path(key), "unknown key");
  }
}

}  // namespace mmsim::config
