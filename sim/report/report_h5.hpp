#pragma once
// Stores a Report in a run file: per strategy `/strategies/<name>/summary/{endpoints,survival,rates}` and the
// comparisons in `/comparisons` and `/rate_comparisons`, with the field names of the report's JSON form.
#include "sim/io/run_file.hpp"
#include "sim/report/report.hpp"

namespace mmsim::report {

void write_report(io::RunFileWriter& writer, const Report& report, const std::vector<std::string>& endpoints,
                  const std::vector<std::string>& outcomes);

}  // namespace mmsim::report
