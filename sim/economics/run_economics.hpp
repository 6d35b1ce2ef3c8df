#pragma once
// What the cohort runner needs of economics: the patients and lines layouts with the economics columns
// appended, and per simulated patient its extended rows and values (docs/economics.md, "What is written").
#include <cstddef>
#include <optional>
#include <vector>

#include "sim/core/model.hpp"
#include "sim/economics/economics_report.hpp"
#include "sim/economics/patient_economics.hpp"

namespace mmsim::economics {

// What the report says about the analysis: the spec's settings.
EconomicsSettings report_settings(const EconomicsSpec& spec);

class RunEconomics {
 public:
  RunEconomics(const PatientEconomics& economics, const OutputSchema& schema);

  const PatientEconomics& economics() const { return *economics_; }
  const TableLayout& patients_layout() const { return patients_; }
  // The layout the run writes for trajectory table t: the lines table extended, the others the model's.
  const TableLayout& trajectory_layout(std::size_t t) const;
  std::optional<std::size_t> lines_table() const { return economics_->spec().lines_table; }
  std::size_t events_table() const { return economics_->spec().events_table; }

  // The patient whose patients row is `row` of `patients` and whose trajectory rows start at `first_event` /
  // `first_line` of `trajectories` (to their ends): appends its extended patients row to `patients_out`, its
  // extended lines rows to `lines_out` (when not null) and writes its kValues values to `values`.
  void add_patient(const TableBuffer& patients, std::size_t row, const std::vector<TableBuffer>& trajectories,
                   std::size_t first_event, std::size_t first_line, TableBuffer& patients_out,
                   TableBuffer* lines_out, double* values) const;

 private:
  const PatientEconomics* economics_;
  const OutputSchema* schema_;
  TableLayout patients_, lines_;
  std::vector<FieldId> patient_fields_, line_fields_;
};

}  // namespace mmsim::economics
