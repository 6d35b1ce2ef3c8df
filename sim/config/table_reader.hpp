#pragma once
// Typed, validating access to one TOML table. Every accessor records the key as known; finish() reports the
// keys nobody asked for (typos are the commonest config error). Wrong types, out-of-range numbers, NaN and
// infinity are recorded in the Diagnostics with the node's file, line and dotted key path, and the accessor
// returns the fallback (or a harmless default) so parsing goes on and every error is reported at once.
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "sim/config/diagnostics.hpp"

namespace mmsim::config {

// Sane bounds for the quantities every model has (docs/model.md P0): past them a value is a typo or a unit
// mix-up, and near the limits of a double it overflows the arithmetic downstream.
inline constexpr double kMaxRatio = 1000.0;         // odds/hazard ratios, multipliers, folds: [1/1000, 1000]
inline constexpr double kMaxHazardPerMonth = 10.0;  // events per month (a mean wait of about 3 days)
inline constexpr double kMaxMonths = 1200.0;        // durations and the horizon: 100 years

// Allowed range of a number; integers are accepted where floats are expected.
struct NumberRule {
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool min_open = false;  // true: value must be > min
  bool max_open = false;

  static NumberRule any() { return {}; }
  static NumberRule probability() { return {0.0, 1.0, false, false}; }
  static NumberRule positive() { return {0.0, std::numeric_limits<double>::infinity(), true, false}; }
  static NumberRule non_negative() { return {0.0, std::numeric_limits<double>::infinity(), false, false}; }
  static NumberRule at_least(double lo) {
    return {lo, std::numeric_limits<double>::infinity(), false, false};
  }
  static NumberRule between(double lo, double hi) { return {lo, hi, false, false}; }
  static NumberRule ratio() { return between(1.0 / kMaxRatio, kMaxRatio); }
  static NumberRule hazard() { return between(0.0, kMaxHazardPerMonth); }
  static NumberRule positive_hazard() { return {0.0, kMaxHazardPerMonth, true, false}; }
  static NumberRule months() { return between(0.0, kMaxMonths); }
  static NumberRule positive_months() { return {0.0, kMaxMonths, true, false}; }
  bool admits(double v) const;
  std::string describe() const;
};

class TableReader {
 public:
  TableReader(const toml::table& table, std::string path, Diagnostics& diag);

  const std::string& path() const { return path_; }
  std::string key_path(std::string_view key) const;
  const toml::table& table() const { return *table_; }
  Diagnostics& diagnostics() const { return *diag_; }
  bool has(std::string_view key) const;
  const toml::node* node(std::string_view key);  // marks known; null when absent

  // Required when no fallback is given.
  double number(std::string_view key, NumberRule rule, std::optional<double> fallback = std::nullopt);
  std::int64_t integer(std::string_view key, std::int64_t min, std::int64_t max,
                       std::optional<std::int64_t> fallback = std::nullopt);
  bool boolean(std::string_view key, std::optional<bool> fallback = std::nullopt);
  std::string string(std::string_view key, std::optional<std::string> fallback = std::nullopt);
  // One of `choices`; the message lists them.
  std::string choice(std::string_view key, const std::vector<std::string>& choices,
                     std::optional<std::string> fallback = std::nullopt);
  std::vector<double> numbers(std::string_view key, NumberRule rule, bool required = true);
  std::vector<std::string> strings(std::string_view key, bool required = true);
  // A sub-table; null (and an error if required) when absent or not a table.
  const toml::table* subtable(std::string_view key, bool required = true);
  // An array of tables ([[key]]); empty when absent (error if required).
  std::vector<const toml::table*> table_array(std::string_view key, bool required = true);

  // Records an error located at `key` (or at this table when the key is absent).
  void error(std::string_view key, std::string message);
  // Reports every key of the table that no accessor asked for (other than those in `also_allowed`).
  void finish(const std::vector<std::string>& also_allowed = {});

 private:
  const toml::node* lookup(std::string_view key, bool required, const char* expected);
  void type_error(std::string_view key, const toml::node& n, const char* expected);

  const toml::table* table_;
  std::string path_;
  Diagnostics* diag_;
  std::set<std::string, std::less<>> known_;
};

// Checks a number node: finite, in range. Records an error and returns false otherwise.
bool check_number(const toml::node& n, const std::string& key_path, NumberRule rule, Diagnostics& diag,
                  double& out);

const char* toml_type_name(const toml::node& n);

}  // namespace mmsim::config
