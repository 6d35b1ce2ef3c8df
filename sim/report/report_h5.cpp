#include "sim/report/report_h5.hpp"

#include <algorithm>

#include "sim/core/table.hpp"

namespace mmsim::report {
namespace {

std::uint8_t code(const std::vector<std::string>& labels, const std::string& name) {
  return static_cast<std::uint8_t>(std::find(labels.begin(), labels.end(), name) - labels.begin());
}

std::vector<Field> f64_fields(std::initializer_list<const char*> names) {
  std::vector<Field> out;
  for (const char* n : names) out.push_back({n, FieldType::f64, {}, ""});
  return out;
}

void write(io::RunFileWriter& w, const std::string& path, const TableLayout& layout,
           const TableBuffer& rows) {
  w.write_table_rows(path, layout, rows.data(), rows.rows());
}

}  // namespace

void write_report(io::RunFileWriter& w, const Report& r, const std::vector<std::string>& endpoints,
                  const std::vector<std::string>& outcomes) {
  std::vector<std::string> strategy_names;
  for (const auto& s : r.strategies) strategy_names.push_back(s.name);

  std::vector<Field> ef{{"endpoint", FieldType::enumeration, endpoints, ""},
                        {"n", FieldType::u64, {}, ""},
                        {"events", FieldType::u64, {}, ""}};
  for (auto& f : f64_fields({"median", "median_ci_low", "median_ci_high", "rmst", "rmst_se", "rmst_horizon"}))
    ef.push_back(f);
  const TableLayout endpoint_layout("summary_endpoints", ef);
  std::vector<Field> sf{{"endpoint", FieldType::enumeration, endpoints, ""}};
  for (auto& f : f64_fields({"time", "surv", "se", "ci_low", "ci_high"})) sf.push_back(f);
  const TableLayout survival_layout("summary_survival", sf);

  for (const auto& s : r.strategies) {
    TableBuffer e(endpoint_layout), sv(survival_layout);
    for (const auto& x : s.endpoints) {
      RowRef row = e.append();
      row.set_enum(FieldId{0}, code(endpoints, x.endpoint));
      row.set_u64(FieldId{1}, x.n);
      row.set_u64(FieldId{2}, x.events);
      const double v[] = {x.median, x.median_ci_low, x.median_ci_high, x.rmst, x.rmst_se, x.rmst_horizon};
      for (std::uint32_t k = 0; k < 6; ++k) row.set_f64(FieldId{3 + k}, v[k]);
      for (const auto& l : x.survival) {
        RowRef lr = sv.append();
        lr.set_enum(FieldId{0}, code(endpoints, x.endpoint));
        const double lv[] = {l.time, l.surv, l.se, l.ci_low, l.ci_high};
        for (std::uint32_t k = 0; k < 5; ++k) lr.set_f64(FieldId{1 + k}, lv[k]);
      }
    }
    const std::string base = "/strategies/" + s.name + "/summary/";
    write(w, base + "endpoints", endpoint_layout, e);
    write(w, base + "survival", survival_layout, sv);
    if (!outcomes.empty()) {
      const TableLayout rate_layout("summary_rates", {{"outcome", FieldType::enumeration, outcomes, ""},
                                                      {"n", FieldType::u64, {}, ""},
                                                      {"rate", FieldType::f64, {}, ""},
                                                      {"se", FieldType::f64, {}, ""}});
      TableBuffer rates(rate_layout);
      for (const auto& p : s.proportions) {
        RowRef row = rates.append();
        row.set_enum(FieldId{0}, code(outcomes, p.name));
        row.set_u64(FieldId{1}, p.n);
        row.set_f64(FieldId{2}, p.rate);
        row.set_f64(FieldId{3}, p.se);
      }
      write(w, base + "rates", rate_layout, rates);
    }
  }

  if (strategy_names.size() > 1) {
    std::vector<Field> cf{{"strategy", FieldType::enumeration, strategy_names, ""},
                          {"reference", FieldType::enumeration, strategy_names, ""},
                          {"endpoint", FieldType::enumeration, endpoints, ""}};
    for (auto& f :
         f64_fields({"hr", "hr_ci_low", "hr_ci_high", "logrank_chisq", "logrank_p", "rmst_diff",
                     "rmst_diff_se", "rmst_diff_se_unpaired", "rmst_diff_ci_low", "rmst_diff_ci_high"}))
      cf.push_back(f);
    const TableLayout comparison_layout("comparisons", cf);
    TableBuffer c(comparison_layout);
    for (const auto& x : r.comparisons) {
      RowRef row = c.append();
      row.set_enum(FieldId{0}, code(strategy_names, x.strategy));
      row.set_enum(FieldId{1}, code(strategy_names, x.reference));
      row.set_enum(FieldId{2}, code(endpoints, x.endpoint));
      const double v[] = {x.hr,
                          x.hr_ci_low,
                          x.hr_ci_high,
                          x.logrank_chisq,
                          x.logrank_p,
                          x.rmst_diff,
                          x.rmst_diff_se,
                          x.rmst_diff_se_unpaired,
                          x.rmst_diff_ci_low,
                          x.rmst_diff_ci_high};
      for (std::uint32_t k = 0; k < 10; ++k) row.set_f64(FieldId{3 + k}, v[k]);
    }
    write(w, "/comparisons", comparison_layout, c);
  }
}

}  // namespace mmsim::report
