#pragma once
// Stores the curves for figures (step_tables.hpp) in a run file, beside the summaries:
//   /strategies/<name>/summary/km_steps         endpoint, time, surv, ci_low, ci_high, n_risk, events,
//   censored /strategies/<name>/summary/km_risk          endpoint, time, n_risk, events, censored (risk-table
//   times) /strategies/<name>/summary/km_censor_marks  endpoint, time, surv (thinned censoring marks)
//   /strategies/<name>/summary/incidence/<analysis>/steps  cause, time, estimate, se
//   /strategies/<name>/summary/incidence/<analysis>/risk   cause, time, n_risk, events
// (paths from io::layout; docs/hdf5_schema.md "Curves for figures").
#include <string>
#include <vector>

#include "sim/io/run_file.hpp"
#include "sim/report/incidence.hpp"
#include "sim/report/report.hpp"

namespace mmsim::report {

// The km_* datasets of every strategy of the report (its EndpointSummary::steps).
void write_km_steps(io::RunFileWriter& writer, const Report& report,
                    const std::vector<std::string>& endpoints);

// The incidence datasets, with the analysis' title, endpoint and cause labels as attributes of its steps,
// and the root attribute naming the analyses written.
void write_incidence(io::RunFileWriter& writer, const std::vector<std::string>& strategies,
                     const std::vector<StrategyIncidence>& incidence);

// compute_incidence over the schema's competing_risks and write_incidence: what `mmsim run` calls after
// write_report. Analyses by cause column are written when the run writes its patients tables
// (patients_in_file); their cause columns are read from `columns` (collected_outcome_columns holds them).
void write_run_incidence(io::RunFileWriter& writer, const ColumnSource& columns,
                         const std::vector<std::string>& strategies, const OutputSchema& schema,
                         bool patients_in_file);

}  // namespace mmsim::report
