#include "sim/economics/run_economics.hpp"

#include <cstring>

namespace mmsim::economics {
namespace {

TableLayout extended(const TableLayout& base, const std::vector<Field>& extra) {
  std::vector<Field> fields = base.fields();
  fields.insert(fields.end(), extra.begin(), extra.end());
  return TableLayout(base.name(), std::move(fields));
}

std::vector<Field> patient_fields(const EconomicsSpec& s) {
  const std::string money = s.currency + " (" + std::to_string(s.price_year) + ")";
  return {
      {"cost", FieldType::f64, {}, "total cost, discounted (docs/economics.md)", money},
      {"qaly", FieldType::f64, {}, "quality-adjusted life years, discounted", "QALYs"},
      {"ly", FieldType::f64, {}, "life years over the economic horizon, discounted", "years"},
      {"cost_undiscounted", FieldType::f64, {}, "total cost, undiscounted", money},
      {"qaly_undiscounted", FieldType::f64, {}, "quality-adjusted life years, undiscounted", "QALYs"},
      {"ly_undiscounted", FieldType::f64, {}, "life years over the economic horizon, undiscounted", "years"}};
}

std::vector<Field> line_fields(const EconomicsSpec& s) {
  const std::string money = s.currency + " (" + std::to_string(s.price_year) + ")";
  return {{"cost", FieldType::f64, {}, "cost of the line's own items, discounted", money},
          {"qaly", FieldType::f64, {}, "QALYs accrued over the line, discounted", "QALYs"},
          {"cost_undiscounted", FieldType::f64, {}, "cost of the line's own items, undiscounted", money},
          {"qaly_undiscounted", FieldType::f64, {}, "QALYs accrued over the line, undiscounted", "QALYs"}};
}

// Appends a copy of row r of `from` to `to` (whose layout is from's plus columns), returning the new row.
RowRef copy_row(const TableBuffer& from, std::size_t r, TableBuffer& to) {
  RowRef out = to.append();
  const std::size_t n = from.layout().row_size();
  std::memcpy(out.bytes(), from.data() + r * n, n);
  return out;
}

}  // namespace

EconomicsSettings report_settings(const EconomicsSpec& s) {
  return {s.currency, s.perspective, s.price_year,         s.discount_costs, s.discount_effects,
          s.horizon,  s.reference,   s.willingness_to_pay, s.strategies};
}

RunEconomics::RunEconomics(const PatientEconomics& economics, const OutputSchema& schema)
    : economics_(&economics),
      schema_(&schema),
      patients_(extended(schema.patients, patient_fields(economics.spec()))) {
  for (const char* name : kValueNames) patient_fields_.push_back(patients_.find(name));
  if (const auto l = economics.spec().lines_table) {
    lines_ = extended(schema.trajectories[*l], line_fields(economics.spec()));
    for (const char* name : kLineValueNames) line_fields_.push_back(lines_.find(name));
  }
}

const TableLayout& RunEconomics::trajectory_layout(std::size_t t) const {
  return lines_table() == t ? lines_ : schema_->trajectories[t];
}

void RunEconomics::add_patient(const TableBuffer& patients, std::size_t row,
                               const std::vector<TableBuffer>& trajectories, std::size_t first_event,
                               std::size_t first_line, TableBuffer& patients_out, TableBuffer* lines_out,
                               double* values) const {
  const TableBuffer& events = trajectories[events_table()];
  RowRange lines;
  if (const auto l = lines_table()) lines = {&trajectories[*l], first_line, trajectories[*l].rows()};
  std::vector<LineValues> per_line;
  const PatientValues v = economics_->evaluate(patients, row, {&events, first_event, events.rows()}, lines,
                                               lines_out ? &per_line : nullptr);
  RowRef p = copy_row(patients, row, patients_out);
  for (std::size_t k = 0; k < kValues; ++k) {
    p.set_f64(patient_fields_[k], v[k]);
    values[k] = v[k];
  }
  if (lines_out == nullptr) return;
  for (std::size_t i = 0; i < per_line.size(); ++i) {
    RowRef l = copy_row(*lines.rows, lines.begin + i, *lines_out);
    for (std::size_t k = 0; k < kLineValues; ++k) l.set_f64(line_fields_[k], per_line[i][k]);
  }
}

}  // namespace mmsim::economics
