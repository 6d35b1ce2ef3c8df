#include "sim/report/report_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>
#include <vector>

#include "sim/format/text_table.hpp"

namespace mmsim::report {
namespace {

std::string num(double v, int digits = 2) {
  return format::format_number(v, format::NumberFormat::fixed(digits));
}

std::string ci(double lo, double hi, int digits = 2) {
  return fmt::format("({}, {})", num(lo, digits), num(hi, digits));
}

std::string pvalue(double p) {
  if (!std::isfinite(p)) return "NA";
  return p < 1e-4 ? "<1e-4" : fmt::format("{:.4f}", p);
}

std::string count(const std::optional<std::uint64_t>& n) {
  return n ? std::to_string(*n) : std::string("NA");
}

// A table whose first `keys` columns (names) are left-aligned and the values right-aligned.
format::TextTable table_of(const std::vector<std::string>& headers, std::size_t keys) {
  std::vector<format::Column> columns;
  for (std::size_t i = 0; i < headers.size(); ++i)
    columns.push_back(i < keys ? format::left(headers[i]) : format::right(headers[i]));
  return format::TextTable(std::move(columns));
}

bool same(double a, double b) {
  return a == b || (std::isnan(a) && std::isnan(b));
}

bool same_summary(const EndpointSummary& a, const EndpointSummary& b) {
  if (!(a.n == b.n && a.events == b.events && same(a.median, b.median) && same(a.rmst, b.rmst) &&
        same(a.rmst_se, b.rmst_se) && a.survival.size() == b.survival.size()))
    return false;
  for (std::size_t i = 0; i < a.survival.size(); ++i) {
    if (!same(a.survival[i].surv, b.survival[i].surv)) return false;
  }
  return true;
}

// The endpoints and rates on which every strategy gives the same numbers: nothing to compare there.
struct Identical {
  std::set<std::string> endpoints, outcomes;
};

Identical identical_rows(const Report& r) {
  Identical out;
  if (r.strategies.size() < 2) return out;
  const StrategySummary& first = r.strategies.front();
  for (std::size_t e = 0; e < first.endpoints.size(); ++e) {
    const bool all_same =
        std::all_of(r.strategies.begin(), r.strategies.end(), [&](const StrategySummary& s) {
          return e < s.endpoints.size() && s.endpoints[e].endpoint == first.endpoints[e].endpoint &&
                 same_summary(s.endpoints[e], first.endpoints[e]);
        });
    if (all_same) out.endpoints.insert(first.endpoints[e].endpoint);
  }
  for (std::size_t o = 0; o < first.proportions.size(); ++o) {
    const auto& p = first.proportions[o];
    const bool all_same =
        std::all_of(r.strategies.begin(), r.strategies.end(), [&](const StrategySummary& s) {
          return o < s.proportions.size() && s.proportions[o].name == p.name && s.proportions[o].n == p.n &&
                 same(s.proportions[o].rate, p.rate);
        });
    if (all_same) out.outcomes.insert(p.name);
  }
  return out;
}

class TableWriter {
 public:
  TableWriter(const Report& r, bool markdown, Rows rows)
      : r_(r), markdown_(markdown), pct_(static_cast<int>(std::lround(100 * r.conf_level))) {
    if (rows == Rows::compact) hidden_ = identical_rows(r);
    compact_ = rows == Rows::compact;
  }

  std::string text() {
    survival();
    comparisons();
    landmark_differences();
    planning();
    rates();
    footnotes();
    return out_;
  }

 private:
  bool shown(const std::string& endpoint) const { return !hidden_.endpoints.contains(endpoint); }

  const EndpointSummary* summary_of(const std::string& strategy, const std::string& endpoint) const {
    for (const auto& s : r_.strategies) {
      if (s.name != strategy) continue;
      for (const auto& e : s.endpoints) {
        if (e.endpoint == endpoint) return &e;
      }
    }
    return nullptr;
  }
  // A comparison shown: in the compact form, not one of a strategy whose numbers equal the reference's.
  bool shown(const Comparison& c) {
    if (!shown(c.endpoint)) return false;
    if (!compact_) return true;
    const EndpointSummary* a = summary_of(c.strategy, c.endpoint);
    const EndpointSummary* b = summary_of(c.reference, c.endpoint);
    if (a == nullptr || b == nullptr || !same_summary(*a, *b)) return true;
    same_as_reference_.insert(c.strategy + "/" + c.endpoint);
    return false;
  }

  void title(const std::string& text) {
    out_ += markdown_ ? fmt::format("{}### {}\n\n", out_.empty() ? "" : "\n", text)
                      : fmt::format("{}{}\n", out_.empty() ? "" : "\n", text);
  }
  void table(const format::TextTable& t) { out_ += markdown_ ? t.markdown() : t.aligned(); }

  void survival() {
    const auto& first = r_.strategies.front().endpoints;
    const std::vector<LandmarkValue> none;
    const auto& marks = first.empty() ? none : first.front().survival;
    std::vector<std::string> head{"strategy", "endpoint", "n", "events",
                                  fmt::format("median, months ({}% CI)", pct_)};
    for (const auto& l : marks) head.push_back(fmt::format("S({:g} months)", l.time));
    head.push_back(first.empty() ? "RMST, months (SE)"
                                 : fmt::format("RMST to {:g} months (SE)", first.front().rmst_horizon));
    auto t = table_of(head, 2);
    for (const auto& s : r_.strategies) {
      for (const auto& e : s.endpoints) {
        if (!shown(e.endpoint)) continue;
        std::vector<format::Cell> cells{
            s.name, e.endpoint, std::to_string(e.n), std::to_string(e.events),
            fmt::format("{} {}", num(e.median), ci(e.median_ci_low, e.median_ci_high))};
        for (const auto& l : e.survival) cells.push_back(num(l.surv, 3));
        cells.push_back(
            fmt::format("{} ({}){}", num(e.rmst), num(e.rmst_se, 3), e.rmst_extrapolated ? " *" : ""));
        extrapolated_ = extrapolated_ || e.rmst_extrapolated != 0;
        t.add_row(std::move(cells));
      }
    }
    title("Survival by strategy (Kaplan-Meier; times in months)");
    table(t);
  }

  void comparisons() {
    if (r_.comparisons.empty()) return;
    auto t = table_of(
        {"strategy", "endpoint", "HR", fmt::format("{}% CI (paired)", pct_), "log-rank chi2", "p",
         "RMST diff, months", fmt::format("{}% CI (paired), months", pct_), "SE paired", "SE unpaired"},
        2);
    for (const auto& c : r_.comparisons) {
      if (!shown(c)) continue;
      t.add_row({c.strategy, c.endpoint, num(c.hr), ci(c.hr_ci_low_paired, c.hr_ci_high_paired),
                 num(c.logrank_chisq, 1), pvalue(c.logrank_p), num(c.rmst_diff),
                 ci(c.rmst_diff_ci_low, c.rmst_diff_ci_high), num(c.rmst_diff_se, 3),
                 num(c.rmst_diff_se_unpaired, 3)});
    }
    if (t.rows() == 0) return;
    title(
        fmt::format("Comparisons with reference '{}': HR from Cox (Efron ties), its CI from the "
                    "cluster-robust (sandwich) "
                    "variance over patient id, as the arms share random numbers; the RMST difference CI from "
                    "the paired SE "
                    "(unpaired SE for contrast); log-rank treats the arms as independent",
                    r_.reference));
    table(t);
  }

  void landmark_differences() {
    if (r_.comparisons.empty() || r_.comparisons.front().survival_diff.empty()) return;
    std::vector<std::string> head{"strategy", "endpoint"};
    for (const auto& l : r_.comparisons.front().survival_diff)
      head.push_back(fmt::format("dS({:g} months)", l.time));
    auto t = table_of(head, 2);
    for (const auto& c : r_.comparisons) {
      if (!shown(c)) continue;
      std::vector<format::Cell> cells{c.strategy, c.endpoint};
      for (const auto& l : c.survival_diff)
        cells.push_back(fmt::format("{} ({})", num(l.diff, 4), num(l.se, 4)));
      t.add_row(std::move(cells));
    }
    if (t.rows() == 0) return;
    title(fmt::format("Survival difference vs '{}' at landmarks: difference (paired SE)", r_.reference));
    table(t);
  }

  void planning() {
    if (!std::isfinite(r_.target_se)) return;
    auto t = table_of({"strategy", "endpoint", "RMST SE, months", "patients needed"}, 2);
    for (const auto& s : r_.strategies) {
      for (const auto& e : s.endpoints) {
        if (shown(e.endpoint))
          t.add_row({s.name, e.endpoint, num(e.rmst_se, 4), count(e.rmst_patients_needed)});
      }
    }
    title(fmt::format(
        "Monte Carlo error: patients needed for an SE of {:g} months (now {} patients; the SE falls as "
        "1/sqrt(patients))",
        r_.target_se, r_.patients));
    table(t);
    if (r_.comparisons.empty()) return;
    auto d = table_of({"strategy", "endpoint", "SE paired, months", "needed (paired)", "SE unpaired, months",
                       "needed (unpaired)"},
                      2);
    for (const auto& c : r_.comparisons) {
      if (!shown(c)) continue;
      d.add_row({c.strategy, c.endpoint, num(c.rmst_diff_se, 4), count(c.rmst_diff_patients_needed),
                 num(c.rmst_diff_se_unpaired, 4), count(c.rmst_diff_patients_needed_unpaired)});
    }
    title(fmt::format("RMST difference vs '{}'", r_.reference));
    table(d);
  }

  void rates() {
    // Where the model names an outcome's denominator (e.g. patients who started the line), the rate among
    // those patients beside the intention-to-treat rate.
    bool any_denominator = false;
    for (const auto& s : r_.strategies) {
      for (const auto& p : s.proportions) any_denominator = any_denominator || p.denominator_n > 0;
    }
    std::vector<std::string> head{"strategy", "outcome", "n", "rate (SE)",
                                  fmt::format("diff vs {} (paired SE)", r_.reference)};
    if (any_denominator)
      head.insert(head.end(), {"among started: n", "rate (SE)", "diff among started (SE)"});
    auto t = table_of(std::move(head), 2);
    for (const auto& s : r_.strategies) {
      for (const auto& p : s.proportions) {
        if (hidden_.outcomes.contains(p.name)) continue;
        std::string diff, diff_in;
        for (const auto& c : r_.proportion_comparisons) {
          if (c.strategy != s.name || c.name != p.name) continue;
          diff = fmt::format("{} ({})", num(c.diff, 3), num(c.diff_se, 3));
          diff_in = fmt::format("{} ({})", num(c.denominator_diff, 3), num(c.denominator_diff_se, 3));
        }
        std::vector<format::Cell> cells{s.name, p.name, std::to_string(p.n),
                                        fmt::format("{} ({})", num(p.rate, 3), num(p.se, 3)), diff};
        if (any_denominator) {
          const bool has = p.denominator_n > 0;
          cells.push_back(has ? std::to_string(p.denominator_n) : std::string("NA"));
          cells.push_back(has ? fmt::format("{} ({})", num(p.denominator_rate, 3), num(p.denominator_se, 3))
                              : std::string());
          cells.push_back(has ? diff_in : std::string());
        }
        t.add_row(std::move(cells));
      }
    }
    if (t.rows() == 0) return;
    title("Rates (proportion of patients, SE)");
    table(t);
  }

  void footnotes() {
    std::string notes;
    if (extrapolated_) {
      notes += "* RMST horizon past the last follow-up time: the flat tail of the curve is extrapolated.\n";
    }
    if (!hidden_.endpoints.empty() || !hidden_.outcomes.empty()) {
      std::vector<std::string> names(hidden_.endpoints.begin(), hidden_.endpoints.end());
      names.insert(names.end(), hidden_.outcomes.begin(), hidden_.outcomes.end());
      notes += fmt::format("Not shown, identical in every strategy (--all shows them): {}\n",
                           fmt::join(names, ", "));
    }
    if (!same_as_reference_.empty()) {
      notes += fmt::format(
          "Not shown: {} comparisons of a strategy whose numbers equal the reference's (--all shows them)\n",
          same_as_reference_.size());
    }
    if (notes.empty()) return;
    if (markdown_) {  // one paragraph per note, and a leading '*' that is not a list bullet
      std::string md;
      for (const char ch : notes) md += ch == '\n' ? std::string("\n\n") : std::string(1, ch);
      if (md.rfind("* ", 0) == 0) md = "\\" + md;
      notes = md.substr(0, md.size() - 1);
    }
    out_ += "\n" + notes;
  }

  const Report& r_;
  bool markdown_;
  int pct_;
  Identical hidden_;
  bool compact_ = false;
  std::set<std::string>
      same_as_reference_;  // strategy/endpoint comparisons left out as equal to the reference
  bool extrapolated_ = false;
  std::string out_;
};

}  // namespace

std::string format_table(const Report& report, bool markdown, Rows rows) {
  if (report.strategies.empty()) return {};
  return TableWriter(report, markdown, rows).text();
}

std::string extrapolation_warning(const Report& report) {
  std::vector<std::string> where;
  for (const auto& s : report.strategies) {
    for (const auto& e : s.endpoints) {
      if (e.rmst_extrapolated) where.push_back(fmt::format("{}/{}", s.name, e.endpoint));
    }
  }
  if (where.empty()) return {};
  const std::size_t shown = std::min<std::size_t>(where.size(), 3);
  std::string names =
      fmt::format("{}", fmt::join(where.begin(), where.begin() + static_cast<long>(shown), ", "));
  if (where.size() > shown) names += fmt::format(" and {} more", where.size() - shown);
  return fmt::format(
      "mmsim: warning: the RMST horizon {:g} months is past the last follow-up time of {}: the curve is "
      "carried flat there, so the RMST extrapolates (flagged rmst_extrapolated in every format)\n",
      report.strategies.front().endpoints.front().rmst_horizon, names);
}

}  // namespace mmsim::report
