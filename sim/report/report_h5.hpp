#pragma once
// Stores a Report in a run file and reads it back:
//   /strategies/<name>/summary/endpoints   one row per endpoint (n, events, median + CI, RMST + SE, horizon)
//   /strategies/<name>/summary/survival    one row per endpoint and landmark (surv, se, CI)
//   /strategies/<name>/summary/rates       one row per binary outcome (when the model has outcomes)
//   /comparisons                           one row per non-reference strategy and endpoint
//   /comparison_survival                   ... and landmark: the paired survival difference
//   /rate_comparisons                      one row per non-reference strategy and outcome
// (paths from io::layout) with the fields the report schema marks for HDF5 (report_schema.hpp: the JSON
// names, docs/report_json.md). The comparison tables exist when the run has two or more strategies.
#include <string>
#include <vector>

#include "sim/io/run_file.hpp"
#include "sim/report/report.hpp"

namespace mmsim::report {

void write_report(io::RunFileWriter& writer, const Report& report, const std::vector<std::string>& endpoints,
                  const std::vector<std::string>& outcomes);

// Whether the file holds stored summaries for every strategy.
bool has_stored_report(const io::RunFileReader& file);

// The report stored by write_report (as `mmsim run` computed it, with its landmarks, horizon and reference).
// `patients` comes from the run's "patients" attribute. InputError if the summaries are missing.
Report read_report(const io::RunFileReader& file);

}  // namespace mmsim::report
