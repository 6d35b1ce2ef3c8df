#pragma once
// The human-readable forms of a Report: the terminal table `mmsim run` and `mmsim report` print, and the
// same tables in Markdown. Every column is as wide as its widest cell (any strategy or endpoint name lines
// up), headers carry units, and the compact form leaves out the endpoints and rates on which every strategy
// gives the same numbers (a footnote names them; Rows::all prints them).
#include <string>

#include "sim/report/report.hpp"

namespace mmsim::report {

std::string format_table(const Report& report, bool markdown, Rows rows);

}  // namespace mmsim::report
