// Text forms of a Report: an aligned terminal table, CSV, JSON (a stable interface: docs/report_json.md) and
// Markdown. Undefined values print as "NA" in text forms and null in JSON. CSV and JSON carry every column of
// the report's schema (report_schema.hpp) under its names there; the table and Markdown forms are a reading
// of the main ones, rounded.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "sim/report/report.hpp"
#include "sim/report/report_schema.hpp"

namespace mmsim::report {
namespace {

std::string num(double v, int digits = 2) {
  return std::isfinite(v) ? fmt::format("{:.{}f}", v, digits) : "NA";
}

std::string json_num(double v) {
  return std::isfinite(v) ? fmt::format("{}", v) : "null";
}

std::string json_count(const std::optional<std::uint64_t>& n) {
  return n ? std::to_string(*n) : "null";
}

std::string json_str(const std::string& s) {
  std::string out = "\"";
  for (const char ch : s) {
    switch (ch) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(ch) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<int>(ch));
        } else {
          out += ch;
        }
    }
  }
  return out + "\"";
}

std::string ci(double lo, double hi) {
  return fmt::format("({}, {})", num(lo), num(hi));
}

std::string pvalue(double p) {
  if (!std::isfinite(p)) return "NA";
  return p < 1e-4 ? "<1e-4" : fmt::format("{:.4f}", p);
}

std::string format_table(const Report& r, bool markdown) {
  const int pct = static_cast<int>(std::lround(100 * r.conf_level));
  std::string out;
  auto row = [&](const std::vector<std::string>& cells, const std::vector<int>& widths) {
    std::string line = markdown ? "|" : "";
    for (std::size_t i = 0; i < cells.size(); ++i) {
      line += markdown ? fmt::format(" {} |", cells[i])
                       : (i == 0 ? fmt::format("{:<{}}", cells[i], widths[i])
                                 : fmt::format(" {:>{}}", cells[i], widths[i]));
    }
    out += line + "\n";
  };
  auto rule = [&](std::size_t n) {
    if (!markdown) return;
    std::string line = "|";
    for (std::size_t i = 0; i < n; ++i) line += i == 0 ? " --- |" : " ---: |";
    out += line + "\n";
  };

  std::vector<std::string> head{"strategy", "endpoint", "n", "events", fmt::format("median ({}% CI)", pct)};
  const auto& first = r.strategies.front().endpoints;
  const std::vector<LandmarkValue> none;
  const auto& marks = first.empty() ? none : first.front().survival;
  for (const auto& l : marks) head.push_back(fmt::format("S({:g})", l.time));
  head.push_back(first.empty() ? "RMST" : fmt::format("RMST{:g} (SE)", first.front().rmst_horizon));
  std::vector<int> w{24, 18, 9, 9, 24};
  for (std::size_t i = 0; i < marks.size(); ++i) w.push_back(7);
  w.push_back(16);
  if (markdown) out += "### Survival by strategy (months)\n\n";
  row(head, w);
  rule(head.size());
  for (const auto& s : r.strategies) {
    for (const auto& e : s.endpoints) {
      std::vector<std::string> cells{
          s.name, e.endpoint, std::to_string(e.n), std::to_string(e.events),
          fmt::format("{} {}", num(e.median), ci(e.median_ci_low, e.median_ci_high))};
      for (const auto& l : e.survival) cells.push_back(num(l.surv, 3));
      cells.push_back(fmt::format("{} ({})", num(e.rmst), num(e.rmst_se, 3)));
      row(cells, w);
    }
  }
  if (!r.comparisons.empty()) {
    out += markdown
               ? fmt::format("\n### Comparisons with {} (paired CI of the RMST difference)\n\n", r.reference)
               : fmt::format(
                     "\ncomparisons with reference '{}' (HR: Cox, Efron ties; RMST difference CI uses "
                     "the paired SE; unpaired SE shown for contrast)\n",
                     r.reference);
    std::vector<std::string> h{
        "strategy",   "endpoint",  fmt::format("HR ({}% CI)", pct),     "log-rank chi2",
        "p",          "RMST diff", fmt::format("{}% CI (paired)", pct), "SE paired",
        "SE unpaired"};
    std::vector<int> cw{24, 18, 22, 13, 8, 10, 20, 10, 11};
    row(h, cw);
    rule(h.size());
    for (const auto& c : r.comparisons) {
      row({c.strategy, c.endpoint, fmt::format("{} {}", num(c.hr), ci(c.hr_ci_low, c.hr_ci_high)),
           num(c.logrank_chisq, 1), pvalue(c.logrank_p), num(c.rmst_diff),
           ci(c.rmst_diff_ci_low, c.rmst_diff_ci_high), num(c.rmst_diff_se, 3),
           num(c.rmst_diff_se_unpaired, 3)},
          cw);
    }
  }
  if (!r.comparisons.empty() && !r.comparisons.front().survival_diff.empty()) {
    out += markdown
               ? fmt::format("\n### Survival differences with {} at landmarks (paired SE)\n\n", r.reference)
               : fmt::format("\nsurvival difference vs '{}' at landmarks: diff (paired SE)\n", r.reference);
    std::vector<std::string> h{"strategy", "endpoint"};
    std::vector<int> lw{24, 18};
    for (const auto& l : r.comparisons.front().survival_diff) {
      h.push_back(fmt::format("dS({:g})", l.time));
      lw.push_back(17);
    }
    row(h, lw);
    rule(h.size());
    for (const auto& c : r.comparisons) {
      std::vector<std::string> cells{c.strategy, c.endpoint};
      for (const auto& l : c.survival_diff)
        cells.push_back(fmt::format("{} ({})", num(l.diff, 4), num(l.se, 4)));
      row(cells, lw);
    }
  }
  if (std::isfinite(r.target_se)) {
    auto needed = [](const std::optional<std::uint64_t>& n) {
      return n ? std::to_string(*n) : std::string("NA");
    };
    out += markdown ? fmt::format(
                          "\n### Monte Carlo error: patients needed for an SE of {:g} (now {} patients)\n\n",
                          r.target_se, r.patients)
                    : fmt::format(
                          "\nMonte Carlo error: patients needed for an SE of {:g} (now {} patients; the SE "
                          "falls as 1/sqrt(patients))\n",
                          r.target_se, r.patients);
    std::vector<int> mw{24, 18, 12, 16};
    row({"strategy", "endpoint", "RMST SE", "patients needed"}, mw);
    rule(4);
    for (const auto& s : r.strategies) {
      for (const auto& e : s.endpoints)
        row({s.name, e.endpoint, num(e.rmst_se, 4), needed(e.rmst_patients_needed)}, mw);
    }
    if (!r.comparisons.empty()) {
      out += markdown ? "\n" : fmt::format("RMST difference vs '{}'\n", r.reference);
      std::vector<int> dw{24, 18, 12, 16, 12, 16};
      row({"strategy", "endpoint", "SE paired", "needed (paired)", "SE unpaired", "needed (unpaired)"}, dw);
      rule(6);
      for (const auto& c : r.comparisons) {
        row({c.strategy, c.endpoint, num(c.rmst_diff_se, 4), needed(c.rmst_diff_patients_needed),
             num(c.rmst_diff_se_unpaired, 4), needed(c.rmst_diff_patients_needed_unpaired)},
            dw);
      }
    }
  }
  bool any_outcomes = false;
  for (const auto& s : r.strategies) any_outcomes = any_outcomes || !s.proportions.empty();
  if (any_outcomes) {
    out += markdown ? "\n### Response rates\n\n" : "\nresponse rates (SE)\n";
    // Where the model names an outcome's denominator (e.g. patients who started the line), the rate among
    // those patients beside the intention-to-treat rate.
    bool any_denominator = false;
    for (const auto& s : r.strategies) {
      for (const auto& p : s.proportions) any_denominator = any_denominator || p.denominator_n > 0;
    }
    std::vector<int> pw{24, 22, 16, 26};
    std::vector<std::string> ph{"strategy", "outcome", "rate (SE)",
                                fmt::format("diff vs {} (paired SE)", r.reference)};
    if (any_denominator) {
      pw.insert(pw.end(), {24, 26});
      ph.insert(ph.end(), {"among started: n, rate (SE)", "diff among started (SE)"});
    }
    row(ph, pw);
    rule(ph.size());
    for (const auto& s : r.strategies) {
      for (const auto& p : s.proportions) {
        std::string diff = "", diff_in = "";
        for (const auto& c : r.proportion_comparisons) {
          if (c.strategy == s.name && c.name == p.name) {
            diff = fmt::format("{} ({})", num(c.diff, 3), num(c.diff_se, 3));
            diff_in = fmt::format("{} ({})", num(c.denominator_diff, 3), num(c.denominator_diff_se, 3));
          }
        }
        std::vector<std::string> cells{s.name, p.name, fmt::format("{} ({})", num(p.rate, 3), num(p.se, 3)),
                                       diff};
        if (any_denominator) {
          cells.push_back(p.denominator_n == 0
                              ? std::string("NA")
                              : fmt::format("{}, {} ({})", p.denominator_n, num(p.denominator_rate, 3),
                                            num(p.denominator_se, 3)));
          cells.push_back(p.denominator_n == 0 ? std::string() : diff_in);
        }
        row(cells, pw);
      }
    }
  }
  return out;
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
  static std::string quote(std::string_view v) {
    if (v.find_first_of(",\"\n") == std::string_view::npos) return std::string(v);
    std::string q = "\"";
    for (char ch : v) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return q + "\"";
  }
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
  out += "\n  ]\n}\n";
  return out;
}

}  // namespace

std::string format_report(const Report& report, Format format) {
  switch (format) {
    case Format::table:
      return format_table(report, false);
    case Format::markdown:
      return format_table(report, true);
    case Format::csv:
      return format_csv(report);
    case Format::json:
      return format_json(report);
  }
  return {};
}

}  // namespace mmsim::report
