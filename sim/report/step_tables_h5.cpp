#include "sim/report/step_tables_h5.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "sim/core/table.hpp"
#include "sim/io/run_layout.hpp"

namespace mmsim::report {
namespace {

namespace layout = io::layout;

Field key_field(std::string name, const std::vector<std::string>& labels, std::string description) {
  return {std::move(name), FieldType::enumeration, labels, std::move(description)};
}
Field time_field(std::string description) {
  return {"time", FieldType::f64, {}, std::move(description), "months"};
}
Field value_field(std::string name, std::string description) {
  return {std::move(name), FieldType::f64, {}, std::move(description)};
}
Field count_field(std::string name, std::string description) {
  return {std::move(name), FieldType::u64, {}, std::move(description)};
}

const Field kNRisk = count_field("n_risk", "patients at risk just before time (time >= t)");

// Writes `rows` of a table whose row i is filled by fill(RowRef, i); an empty table is not written.
template <class Fill>
void write_rows(io::RunFileWriter& w, const std::string& path, const TableLayout& lay, std::size_t n,
                Fill fill) {
  TableBuffer buf(lay);
  buf.reserve(n);
  for (std::size_t i = 0; i < n; ++i) fill(buf.append(), i);
  w.write_table_rows(path, lay, buf.data(), buf.rows());
}

std::uint8_t code_of(const std::vector<std::string>& labels, const std::string& name) {
  return static_cast<std::uint8_t>(std::find(labels.begin(), labels.end(), name) - labels.begin());
}

}  // namespace

void write_km_steps(io::RunFileWriter& w, const Report& r, const std::vector<std::string>& endpoints) {
  if (endpoints.empty()) return;
  const Field ep = key_field("endpoint", endpoints, "endpoint");
  const TableLayout steps(
      "km_steps", {ep, time_field("a distinct event or censoring time"),
                   value_field("surv", "Kaplan-Meier survival just after time"),
                   value_field("ci_low", "pointwise log-log CI, lower (NaN where S is 0 or 1)"),
                   value_field("ci_high", "pointwise log-log CI, upper (NaN where S is 0 or 1)"), kNRisk,
                   count_field("events", "events up to and including time"),
                   count_field("censored", "censorings up to and including time")});
  const TableLayout risk("km_risk", {ep, time_field("risk-table time (multiples of one step)"), kNRisk,
                                     count_field("events", "events up to and including time"),
                                     count_field("censored", "censorings up to and including time")});
  const TableLayout marks("km_censor_marks",
                          {ep, time_field("a censoring time (the first of each of 100 cells)"),
                           value_field("surv", "Kaplan-Meier survival at time")});
  for (const auto& s : r.strategies) {
    std::vector<std::pair<std::uint8_t, const KmStep*>> step_rows;
    std::vector<std::pair<std::uint8_t, const RiskRow*>> risk_rows;
    std::vector<std::pair<std::uint8_t, const CensorMark*>> mark_rows;
    for (const auto& e : s.endpoints) {
      const std::uint8_t code = code_of(endpoints, e.endpoint);
      for (const auto& x : e.steps.steps) step_rows.emplace_back(code, &x);
      for (const auto& x : e.steps.risk) risk_rows.emplace_back(code, &x);
      for (const auto& x : e.steps.censor_marks) mark_rows.emplace_back(code, &x);
    }
    write_rows(w, layout::km_steps(s.name), steps, step_rows.size(), [&](RowRef row, std::size_t i) {
      const auto& [code, x] = step_rows[i];
      row.set_enum(FieldId{0}, code);
      row.set_f64(FieldId{1}, x->time);
      row.set_f64(FieldId{2}, x->surv);
      row.set_f64(FieldId{3}, x->ci_low);
      row.set_f64(FieldId{4}, x->ci_high);
      row.set_u64(FieldId{5}, x->n_risk);
      row.set_u64(FieldId{6}, x->events);
      row.set_u64(FieldId{7}, x->censored);
    });
    write_rows(w, layout::km_risk(s.name), risk, risk_rows.size(), [&](RowRef row, std::size_t i) {
      const auto& [code, x] = risk_rows[i];
      row.set_enum(FieldId{0}, code);
      row.set_f64(FieldId{1}, x->time);
      row.set_u64(FieldId{2}, x->n_risk);
      row.set_u64(FieldId{3}, x->events);
      row.set_u64(FieldId{4}, x->censored);
    });
    write_rows(w, layout::km_censor_marks(s.name), marks, mark_rows.size(), [&](RowRef row, std::size_t i) {
      const auto& [code, x] = mark_rows[i];
      row.set_enum(FieldId{0}, code);
      row.set_f64(FieldId{1}, x->time);
      row.set_f64(FieldId{2}, x->surv);
    });
  }
}

void write_incidence(io::RunFileWriter& w, const std::vector<std::string>& strategies,
                     const std::vector<StrategyIncidence>& incidence) {
  std::vector<std::string> written;
  for (const auto& x : incidence) {
    const CompetingRisks& a = *x.analysis;
    const IncidenceSteps& st = x.steps;
    const Field cause = key_field("cause", a.cause_labels, "cause of the event");
    const TableLayout steps("incidence_steps",
                            {cause, time_field("a distinct event or censoring time"),
                             value_field("estimate", "cumulative incidence of the cause just after time"),
                             value_field("se", "its influence (infinitesimal-jackknife) standard error")});
    const TableLayout risk("incidence_risk",
                           {cause, time_field("risk-table time (multiples of one step)"), kNRisk,
                            count_field("events", "events of the cause up to and including time")});
    const std::string name = strategies.at(x.strategy);
    const std::size_t n_time = st.time.size(), n_risk = st.risk.size();
    const std::string path = layout::incidence_steps(name, a.name);
    write_rows(w, path, steps, st.n_causes * n_time, [&](RowRef row, std::size_t i) {
      const std::size_t k = i / n_time, j = i % n_time;
      row.set_enum(FieldId{0}, static_cast<std::uint8_t>(k));
      row.set_f64(FieldId{1}, st.time[j]);
      row.set_f64(FieldId{2}, st.estimate[k][j]);
      row.set_f64(FieldId{3}, st.se[k][j]);
    });
    w.write_string_attribute(path, layout::kTitle, a.title);
    w.write_string_attribute(path, layout::kEndpoint, a.endpoint);
    w.write_string_attribute(path, layout::kCauseLabels, fmt::format("{}", fmt::join(a.cause_labels, "\n")));
    write_rows(w, layout::incidence_risk(name, a.name), risk, st.n_causes * n_risk,
               [&](RowRef row, std::size_t i) {
                 const std::size_t k = i / n_risk, j = i % n_risk;
                 row.set_enum(FieldId{0}, static_cast<std::uint8_t>(k));
                 row.set_f64(FieldId{1}, st.risk[j].time);
                 row.set_u64(FieldId{2}, st.risk[j].n_risk);
                 row.set_u64(FieldId{3}, st.risk[j].events[k]);
               });
    if (std::find(written.begin(), written.end(), a.name) == written.end()) written.push_back(a.name);
  }
  if (!written.empty()) {
    w.write_string_attribute(layout::kRoot, layout::kCompetingRiskNames,
                             fmt::format("{}", fmt::join(written, ",")));
  }
}

void write_run_incidence(io::RunFileWriter& w, const ColumnSource& columns,
                         const std::vector<std::string>& strategies, const OutputSchema& schema,
                         bool patients_in_file) {
  // The cause columns come with the run's collected columns (collected_outcome_columns), not read back out
  // of the file being written (that decompressed every patients chunk again: ~5% of a flagship run).
  CategoryColumnReader categories;
  if (patients_in_file) {
    categories = [&](std::size_t s, const std::string& column) { return columns.outcome(s, column); };
  }
  write_incidence(w, strategies,
                  compute_incidence(columns, strategies.size(), schema.competing_risks, categories));
}

}  // namespace mmsim::report
