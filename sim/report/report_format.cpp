// Text forms of a Report: CSV and JSON (a stable interface: docs/report_json.md) here, the aligned terminal
// table and Markdown in report_table.cpp. Undefined values print as null in JSON and empty in CSV. CSV and
// JSON carry every column of the report's schema (report_schema.hpp) under its names there.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "sim/format/text_table.hpp"
#include "sim/report/report.hpp"
#include "sim/report/report_schema.hpp"
#include "sim/report/report_table.hpp"

namespace mmsim::report {
namespace {

std::string json_num(double v) {
  return std::isfinite(v) ? fmt::format("{}", v) : "null";
}

std::string json_count(const std::optional<std::uint64_t>& n) {
  return n ? std::to_string(*n) : "null";
}

std::string json_str(const std::string& s) {
  return format::json_string(s);
}

// A value in JSON: null where undefined.
std::string json_value(double v) {
  return json_num(v);
}
std::string json_value(std::uint64_t v) {
  return std::to_string(v);
}
std::string json_value(const std::optional<std::uint64_t>& v) {
  return json_count(v);
}

// The JSON members of a row's values, joined by ", ".
template <class Row>
std::string json_values(const ReportTable<Row>& table, const Row& row) {
  std::string out;
  for (const auto& c : table.columns) {
    if (!c.in(kJson)) continue;
    out += fmt::format("{}\"{}\": {}", out.empty() ? "" : ", ", c.name,
                       visit_value(c, row, [](const auto& v) { return json_value(v); }));
  }
  return out;
}

// ... preceded by its keys, for a row in an array (a named row's keys are the names it is nested under).
template <class Row>
std::string json_keyed_values(const ReportTable<Row>& table, const KeyLabels& keys, const Row& row) {
  std::string out;
  for (const Key k : table.keys)
    out += fmt::format("\"{}\": {}, ", key_name(k), json_str(std::string(keys.of(k))));
  return out + json_values(table, row);
}

// A nested array of rows: [{...}, {...}].
template <class Row>
std::string json_array(const ReportTable<Row>& table, const std::vector<Row>& rows) {
  std::string out = "[";
  for (std::size_t k = 0; k < rows.size(); ++k) out += (k ? ", {" : "{") + json_values(table, rows[k]) + "}";
  return out + "]";
}

// One long table: every row has a `section` and fills the columns that apply to it; the rest are empty.
class CsvTable {
 public:
  CsvTable() : columns_(csv_columns()), out_(fmt::format("{}\n", fmt::join(columns_, ","))) {}

  template <class Row>
  void add(const ReportTable<Row>& table, const KeyLabels& keys, const Row& row) {
    std::vector<std::string> line(columns_.size());
    set(line, "section", table.section);
    for (const Key k : table.keys) set(line, key_name(k), keys.of(k));
    for (const auto& c : table.columns) {
      if (c.in(kCsv)) set(line, c.csv(), visit_value(c, row, [](const auto& v) { return cell(v); }));
    }
    out_ += fmt::format("{}\n", fmt::join(line, ","));
  }
  const std::string& text() const { return out_; }

 private:
  static std::string cell(double v) { return std::isfinite(v) ? fmt::format("{:.10g}", v) : std::string(); }
  static std::string cell(std::uint64_t v) { return std::to_string(v); }
  static std::string cell(const std::optional<std::uint64_t>& n) {
    return n ? std::to_string(*n) : std::string();
  }
  static std::string quote(std::string_view v) { return format::csv_field(v); }

  void set(std::vector<std::string>& line, std::string_view column, std::string_view value) const {
    const auto it = std::find(columns_.begin(), columns_.end(), column);
    line.at(static_cast<std::size_t>(it - columns_.begin())) = quote(value);
  }
  std::vector<std::string> columns_;
  std::string out_;
};

std::string format_csv(const Report& r) {
  CsvTable csv;
  for (const auto& s : r.strategies) {
    for (const auto& e : s.endpoints) {
      const KeyLabels keys{.strategy = s.name, .endpoint = e.endpoint};
      csv.add(kSummaryTable, keys, e);
      for (const auto& l : e.survival) csv.add(kSurvivalTable, keys, l);
    }
    for (const auto& p : s.proportions) csv.add(kRateTable, {.strategy = s.name, .outcome = p.name}, p);
  }
  for (const auto& c : r.comparisons) {
    const KeyLabels keys{.strategy = c.strategy, .reference = c.reference, .endpoint = c.endpoint};
    csv.add(kComparisonTable, keys, c);
    for (const auto& l : c.survival_diff) csv.add(kSurvivalDifferenceTable, keys, l);
  }
  for (const auto& c : r.proportion_comparisons) {
    csv.add(kRateComparisonTable, {.strategy = c.strategy, .reference = c.reference, .outcome = c.name}, c);
  }
  return csv.text();
}

std::string format_json(const Report& r) {
  std::string out = "{\n  \"reference\": " + json_str(r.reference) +
                    ",\n  \"conf_level\": " + json_num(r.conf_level) +
                    ",\n  \"patients\": " + std::to_string(r.patients) +
                    ",\n  \"target_se\": " + json_num(r.target_se) + ",\n  \"strategies\": [";
  for (std::size_t i = 0; i < r.strategies.size(); ++i) {
    const auto& s = r.strategies[i];
    out += (i ? ",\n" : "\n") + fmt::format("    {{\"name\": {}, \"endpoints\": {{", json_str(s.name));
    for (std::size_t j = 0; j < s.endpoints.size(); ++j) {
      const auto& e = s.endpoints[j];
      out += fmt::format("{}      {}: {{{}, \"survival\": {}}}", j ? ",\n" : "\n", json_str(e.endpoint),
                         json_values(kSummaryTable, e), json_array(kSurvivalTable, e.survival));
    }
    out += "},\n     \"rates\": {";
    for (std::size_t j = 0; j < s.proportions.size(); ++j) {
      const auto& p = s.proportions[j];
      out += fmt::format("{}{}: {{{}}}", j ? ", " : "", json_str(p.name), json_values(kRateTable, p));
    }
    out += "}}";
  }
  out += "\n  ],\n  \"comparisons\": [";
  for (std::size_t i = 0; i < r.comparisons.size(); ++i) {
    const auto& c = r.comparisons[i];
    const KeyLabels keys{.strategy = c.strategy, .reference = c.reference, .endpoint = c.endpoint};
    const auto members = json_keyed_values(kComparisonTable, keys, c);
    out += fmt::format("{}    {{{}, \"survival_diff\": {}}}", i ? ",\n" : "\n", members,
                       json_array(kSurvivalDifferenceTable, c.survival_diff));
  }
  out += "\n  ],\n  \"rate_comparisons\": [";
  for (std::size_t i = 0; i < r.proportion_comparisons.size(); ++i) {
    const auto& c = r.proportion_comparisons[i];
    const KeyLabels keys{.strategy = c.strategy, .reference = c.reference, .outcome = c.name};
    const auto members = json_keyed_values(kRateComparisonTable, keys, c);
    out += fmt::format("{}    {{{}}}", i ? ",\n" : "\n", members);
  }
  out += "\n  ]";
  if (r.economics)
    out +=
        ",\n  \"economics\": " + economics::format_economics(*r.economics, economics::EconomicsFormat::json);
  out += "\n}\n";
  return out;
}

// The economics after the survival report: more tables, or (CSV) a second block with its own header.
std::string with_economics(std::string text, const Report& r, economics::EconomicsFormat format) {
  if (!r.economics) return text;
  return text + (format == economics::EconomicsFormat::csv ? "\n" : "") +
         economics::format_economics(*r.economics, format);
}

}  // namespace

std::string format_report(const Report& report, Format format, Rows rows) {
  switch (format) {
    case Format::table:
      return with_economics(format_table(report, false, rows), report, economics::EconomicsFormat::table);
    case Format::markdown:
      return with_economics(format_table(report, true, rows), report, economics::EconomicsFormat::markdown);
    case Format::csv:
      return with_economics(format_csv(report), report, economics::EconomicsFormat::csv);
    case Format::json:
      return format_json(report);
  }
  return {};
}

}  // namespace mmsim::report
