#include "sim/report/report_h5.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "sim/core/errors.hpp"
#include "sim/core/table.hpp"
#include "sim/core/text.hpp"

namespace mmsim::report {
namespace {

std::uint8_t code(const std::vector<std::string>& labels, const std::string& name) {
  return static_cast<std::uint8_t>(std::find(labels.begin(), labels.end(), name) - labels.begin());
}

Field f64(const char* name, const char* description) {
  return {name, FieldType::f64, {}, description};
}
Field u64(const char* name, const char* description) {
  return {name, FieldType::u64, {}, description};
}
Field label(const char* name, const std::vector<std::string>& labels, const char* description) {
  return {name, FieldType::enumeration, labels, description};
}

void write(io::RunFileWriter& w, const std::string& path, const TableLayout& layout,
           const TableBuffer& rows) {
  w.write_table_rows(path, layout, rows.data(), rows.rows());
}

void put(RowRef& row, std::uint32_t first, std::initializer_list<double> values) {
  for (const double v : values) row.set_f64(FieldId{first++}, v);
}

// An enumeration needs at least one label; tables over an empty label list are never written.
const std::vector<std::string>& nonempty(const std::vector<std::string>& labels) {
  static const std::vector<std::string> none{"none"};
  return labels.empty() ? none : labels;
}

// The table layouts, shared by writing and reading (field order = the JSON keys).
struct Layouts {
  TableLayout endpoints, survival, rates, comparisons, comparison_survival, rate_comparisons;
  Layouts(const std::vector<std::string>& strategy_labels, const std::vector<std::string>& endpoint_labels,
          const std::vector<std::string>& outcome_labels)
      : Layouts(nonempty(strategy_labels), nonempty(endpoint_labels), nonempty(outcome_labels), 0) {}

 private:
  Layouts(const std::vector<std::string>& strategies, const std::vector<std::string>& endpoint_names,
          const std::vector<std::string>& outcomes, int)
      : endpoints(
            "summary_endpoints",
            {label("endpoint", endpoint_names, "endpoint"), u64("n", "patients with the endpoint defined"),
             u64("events", "events observed"), f64("median", "Kaplan-Meier median (NaN: not reached)"),
             f64("median_ci_low", "Brookmeyer-Crowley CI (log-log), lower"),
             f64("median_ci_high", "Brookmeyer-Crowley CI (log-log), upper"),
             f64("rmst", "restricted mean survival time to rmst_horizon"),
             f64("rmst_se", "its standard error (= Monte Carlo SE)"),
             f64("rmst_horizon", "RMST horizon, months")}),
        survival("summary_survival",
                 {label("endpoint", endpoint_names, "endpoint"), f64("time", "landmark, months"),
                  f64("surv", "Kaplan-Meier survival (NaN: beyond follow-up)"), f64("se", "Greenwood SE"),
                  f64("ci_low", "log-log CI, lower"), f64("ci_high", "log-log CI, upper")}),
        rates("summary_rates", {label("outcome", outcomes, "binary outcome"), u64("n", "patients"),
                                f64("rate", "proportion with the outcome"), f64("se", "its SE")}),
        comparisons(
            "comparisons",
            {label("strategy", strategies, "strategy"), label("reference", strategies, "reference strategy"),
             label("endpoint", endpoint_names, "endpoint"),
             f64("hr", "Cox hazard ratio strategy : reference (Efron ties; arms as independent)"),
             f64("hr_ci_low", "Wald CI, lower"), f64("hr_ci_high", "Wald CI, upper"),
             f64("logrank_chisq", "log-rank chi-square, 1 df (arms as independent)"),
             f64("logrank_p", "its p-value"), f64("rmst_diff", "RMST strategy minus reference"),
             f64("rmst_diff_se", "paired SE (common random numbers)"),
             f64("rmst_diff_se_unpaired", "unpaired SE"), f64("rmst_diff_ci_low", "paired CI, lower"),
             f64("rmst_diff_ci_high", "paired CI, upper")}),
        comparison_survival(
            "comparison_survival",
            {label("strategy", strategies, "strategy"), label("reference", strategies, "reference strategy"),
             label("endpoint", endpoint_names, "endpoint"), f64("time", "landmark, months"),
             f64("diff", "survival strategy minus reference"), f64("se", "paired SE"),
             f64("se_unpaired", "unpaired SE"), f64("ci_low", "paired CI, lower"),
             f64("ci_high", "paired CI, upper")}),
        rate_comparisons(
            "rate_comparisons",
            {label("strategy", strategies, "strategy"), label("reference", strategies, "reference strategy"),
             label("outcome", outcomes, "binary outcome"), f64("diff", "rate strategy minus reference"),
             f64("diff_se", "paired SE"), f64("diff_se_unpaired", "unpaired SE"),
             f64("diff_ci_low", "paired CI, lower"), f64("diff_ci_high", "paired CI, upper")}) {}
};

std::string summary_path(const std::string& strategy, const char* table) {
  return "/strategies/" + strategy + "/summary/" + table;
}

// An attribute that files written before it existed lack.
std::string attribute_or(const io::RunFileReader& file, const std::string& object, const std::string& name,
                         const std::string& fallback) {
  try {
    return file.string_attribute(object, name);
  } catch (const std::exception&) {
    return fallback;
  }
}

}  // namespace

void write_report(io::RunFileWriter& w, const Report& r, const std::vector<std::string>& endpoints,
                  const std::vector<std::string>& outcomes) {
  std::vector<std::string> strategy_names;
  for (const auto& s : r.strategies) strategy_names.push_back(s.name);
  const Layouts L(strategy_names, endpoints, outcomes);

  for (const auto& s : r.strategies) {
    TableBuffer e(L.endpoints), sv(L.survival);
    for (const auto& x : s.endpoints) {
      RowRef row = e.append();
      row.set_enum(FieldId{0}, code(endpoints, x.endpoint));
      row.set_u64(FieldId{1}, x.n);
      row.set_u64(FieldId{2}, x.events);
      put(row, 3, {x.median, x.median_ci_low, x.median_ci_high, x.rmst, x.rmst_se, x.rmst_horizon});
      for (const auto& l : x.survival) {
        RowRef lr = sv.append();
        lr.set_enum(FieldId{0}, code(endpoints, x.endpoint));
        put(lr, 1, {l.time, l.surv, l.se, l.ci_low, l.ci_high});
      }
    }
    write(w, summary_path(s.name, "endpoints"), L.endpoints, e);
    w.write_string_attribute(summary_path(s.name, "endpoints"), "conf_level",
                             fmt::format("{}", r.conf_level));
    write(w, summary_path(s.name, "survival"), L.survival, sv);
    if (!outcomes.empty()) {
      TableBuffer rates(L.rates);
      for (const auto& p : s.proportions) {
        RowRef row = rates.append();
        row.set_enum(FieldId{0}, code(outcomes, p.name));
        row.set_u64(FieldId{1}, p.n);
        put(row, 2, {p.rate, p.se});
      }
      write(w, summary_path(s.name, "rates"), L.rates, rates);
    }
  }

  if (strategy_names.size() > 1) {
    TableBuffer c(L.comparisons), cs(L.comparison_survival);
    for (const auto& x : r.comparisons) {
      RowRef row = c.append();
      row.set_enum(FieldId{0}, code(strategy_names, x.strategy));
      row.set_enum(FieldId{1}, code(strategy_names, x.reference));
      row.set_enum(FieldId{2}, code(endpoints, x.endpoint));
      put(row, 3,
          {x.hr, x.hr_ci_low, x.hr_ci_high, x.logrank_chisq, x.logrank_p, x.rmst_diff, x.rmst_diff_se,
           x.rmst_diff_se_unpaired, x.rmst_diff_ci_low, x.rmst_diff_ci_high});
      for (const auto& l : x.survival_diff) {
        RowRef lr = cs.append();
        lr.set_enum(FieldId{0}, code(strategy_names, x.strategy));
        lr.set_enum(FieldId{1}, code(strategy_names, x.reference));
        lr.set_enum(FieldId{2}, code(endpoints, x.endpoint));
        put(lr, 3, {l.time, l.diff, l.se, l.se_unpaired, l.ci_low, l.ci_high});
      }
    }
    write(w, "/comparisons", L.comparisons, c);
    w.write_string_attribute("/comparisons", "reference", r.reference);
    write(w, "/comparison_survival", L.comparison_survival, cs);
    if (!outcomes.empty()) {
      TableBuffer rc(L.rate_comparisons);
      for (const auto& x : r.proportion_comparisons) {
        RowRef row = rc.append();
        row.set_enum(FieldId{0}, code(strategy_names, x.strategy));
        row.set_enum(FieldId{1}, code(strategy_names, x.reference));
        row.set_enum(FieldId{2}, code(outcomes, x.name));
        put(row, 3, {x.diff, x.diff_se, x.diff_se_unpaired, x.diff_ci_low, x.diff_ci_high});
      }
      write(w, "/rate_comparisons", L.rate_comparisons, rc);
    }
  }
}

bool has_stored_report(const io::RunFileReader& file) {
  const auto strategies = file.strategy_order();
  return std::all_of(strategies.begin(), strategies.end(), [&](const std::string& s) {
    return file.has_dataset(summary_path(s, "endpoints")) && file.has_dataset(summary_path(s, "survival"));
  });
}

Report read_report(const io::RunFileReader& file) {
  const std::vector<std::string> strategies = file.strategy_order();
  const std::vector<std::string> endpoints = split_list(file.string_attribute("/", "endpoints"));
  const std::vector<std::string> outcomes = split_list(file.string_attribute("/", "outcomes"));
  if (!has_stored_report(file))
    throw InputError("the file holds no stored summaries (/strategies/<name>/summary)");
  auto name = [](const std::vector<std::string>& labels, std::uint8_t c) {
    if (c >= labels.size()) throw InputError(fmt::format("stored summary has an unknown label code {}", c));
    return labels[c];
  };
  // f64 fields of a table, by name, row-major access: col[field][row].
  auto columns = [&](const std::string& path, const TableLayout& layout, std::size_t first) {
    std::vector<std::vector<double>> out;
    for (std::size_t f = first; f < layout.fields().size(); ++f)
      out.push_back(file.read_f64_column(path, layout.fields()[f].name));
    return out;
  };
  const Layouts L(strategies, endpoints, outcomes);
  Report r;
  r.patients = std::stoull(file.string_attribute("/", "patients"));
  r.reference = strategies.empty() ? std::string() : strategies.front();
  for (const auto& s : strategies) {
    StrategySummary ss;
    ss.name = s;
    const std::string ep = summary_path(s, "endpoints");
    r.conf_level = std::stod(attribute_or(file, ep, "conf_level", "0.95"));
    const auto codes = file.read_u8_column(ep, "endpoint");
    const auto n = file.read_u64_column(ep, "n");
    const auto events = file.read_u64_column(ep, "events");
    const auto v = columns(ep, L.endpoints, 3);
    const std::string sp = summary_path(s, "survival");
    const auto scodes = file.read_u8_column(sp, "endpoint");
    const auto sv = columns(sp, L.survival, 1);
    for (std::size_t i = 0; i < codes.size(); ++i) {
      EndpointSummary e;
      e.endpoint = name(endpoints, codes[i]);
      e.n = n[i];
      e.events = events[i];
      e.median = v[0][i], e.median_ci_low = v[1][i], e.median_ci_high = v[2][i];
      e.rmst = v[3][i], e.rmst_se = v[4][i], e.rmst_horizon = v[5][i];
      for (std::size_t k = 0; k < scodes.size(); ++k) {
        if (scodes[k] == codes[i]) e.survival.push_back({sv[0][k], sv[1][k], sv[2][k], sv[3][k], sv[4][k]});
      }
      ss.endpoints.push_back(std::move(e));
    }
    const std::string rp = summary_path(s, "rates");
    if (file.has_dataset(rp)) {
      const auto rc = file.read_u8_column(rp, "outcome");
      const auto rn = file.read_u64_column(rp, "n");
      const auto rv = columns(rp, L.rates, 2);
      for (std::size_t i = 0; i < rc.size(); ++i)
        ss.proportions.push_back({name(outcomes, rc[i]), rn[i], rv[0][i], rv[1][i]});
    }
    r.strategies.push_back(std::move(ss));
  }
  if (file.has_dataset("/comparisons")) {
    const auto st = file.read_u8_column("/comparisons", "strategy");
    const auto re = file.read_u8_column("/comparisons", "reference");
    r.reference =
        attribute_or(file, "/comparisons", "reference", re.empty() ? r.reference : name(strategies, re[0]));
    const auto en = file.read_u8_column("/comparisons", "endpoint");
    const auto v = columns("/comparisons", L.comparisons, 3);
    const bool have_survival = file.has_dataset("/comparison_survival");
    std::vector<std::uint8_t> lst, len;
    std::vector<std::vector<double>> lv;
    if (have_survival) {
      lst = file.read_u8_column("/comparison_survival", "strategy");
      len = file.read_u8_column("/comparison_survival", "endpoint");
      lv = columns("/comparison_survival", L.comparison_survival, 3);
    }
    for (std::size_t i = 0; i < st.size(); ++i) {
      Comparison c;
      c.strategy = name(strategies, st[i]);
      c.reference = name(strategies, re[i]);
      c.endpoint = name(endpoints, en[i]);
      c.hr = v[0][i], c.hr_ci_low = v[1][i], c.hr_ci_high = v[2][i];
      c.logrank_chisq = v[3][i], c.logrank_p = v[4][i];
      c.rmst_diff = v[5][i], c.rmst_diff_se = v[6][i], c.rmst_diff_se_unpaired = v[7][i];
      c.rmst_diff_ci_low = v[8][i], c.rmst_diff_ci_high = v[9][i];
      for (std::size_t k = 0; k < lst.size(); ++k) {
        if (lst[k] == st[i] && len[k] == en[i])
          c.survival_diff.push_back({lv[0][k], lv[1][k], lv[2][k], lv[3][k], lv[4][k], lv[5][k]});
      }
      r.comparisons.push_back(std::move(c));
    }
  }
  if (file.has_dataset("/rate_comparisons")) {
    const auto st = file.read_u8_column("/rate_comparisons", "strategy");
    const auto re = file.read_u8_column("/rate_comparisons", "reference");
    const auto oc = file.read_u8_column("/rate_comparisons", "outcome");
    const auto v = columns("/rate_comparisons", L.rate_comparisons, 3);
    for (std::size_t i = 0; i < st.size(); ++i) {
      r.proportion_comparisons.push_back({name(strategies, st[i]), name(strategies, re[i]),
                                          name(outcomes, oc[i]), v[0][i], v[1][i], v[2][i], v[3][i],
                                          v[4][i]});
    }
  }
  return r;
}

}  // namespace mmsim::report
