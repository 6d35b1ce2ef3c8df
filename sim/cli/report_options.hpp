#pragma once
// Options shared by `mmsim run` and `mmsim report` that shape the summaries: endpoints, landmarks, RMST
// horizon, reference strategy and output format.
#include <string>
#include <vector>

#include "sim/cli/options.hpp"
#include "sim/report/report.hpp"

namespace mmsim::cli {

struct ReportRequest {
  report::ReportOptions options;
  std::vector<std::string> endpoints;  // to print (all when empty)
  report::Format format = report::Format::table;
  // Table and Markdown: only what the strategies differ on, unless --all or --endpoint is given.
  report::Rows rows = report::Rows::compact;
  double target_se = report::kNaN;  // --target-se: Monte Carlo planning (NaN: not asked)
  // Whether --landmarks / --rmst-horizon / --reference were given (a stored report cannot be recomputed).
  bool landmarks_given = false, horizon_given = false, reference_given = false;
};

void add_report_options(po::options_description& desc);
// --target-se (mmsim report only).
void add_planning_options(po::options_description& desc);
// Validates against the run's strategies and endpoints; InputError naming the option otherwise.
ReportRequest read_report_options(const po::variables_map& vm, const std::vector<std::string>& strategies,
                                  const std::vector<std::string>& endpoints);
// The report restricted to `endpoints` (unchanged when empty), with the Monte Carlo planning of --target-se.
report::Report finish_report(report::Report r, const ReportRequest& request);
// The report restricted to `endpoints` (unchanged when empty).
report::Report filter_endpoints(report::Report r, const std::vector<std::string>& endpoints);

}  // namespace mmsim::cli
