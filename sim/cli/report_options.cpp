#include "sim/cli/report_options.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/core/errors.hpp"
#include "sim/core/text.hpp"

namespace mmsim::cli {
namespace {

bool contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

void add_report_options(po::options_description& desc) {
  desc.add_options()("endpoint", po::value<std::string>(),
                     "endpoints to report, comma-separated (default: all)")(
      "landmarks", po::value<std::string>()->default_value("6,12,24,60"),
      "landmark times in months, comma-separated")("rmst-horizon", po::value<double>(),
                                                   "RMST horizon in months (default: the model's horizon)")(
      "reference", po::value<std::string>(), "reference strategy (default: the first in config order)")(
      "format", po::value<std::string>()->default_value("table"), "table, csv, json or markdown")(
      "all", "table and markdown: also the endpoints and rates on which every strategy is identical");
}

void add_planning_options(po::options_description& desc) {
  desc.add_options()(
      "target-se", po::value<std::string>(),
      "Monte Carlo planning: print the patients needed for each RMST SE and each RMST-difference "
      "SE (paired and unpaired) to reach this value, in months");
}

ReportRequest read_report_options(const po::variables_map& vm, const std::vector<std::string>& strategies,
                                  const std::vector<std::string>& endpoints) {
  ReportRequest r;
  if (vm.count("endpoint")) {
    r.endpoints = split_list(vm["endpoint"].as<std::string>());
    for (const auto& e : r.endpoints) {
      if (!contains(endpoints, e)) {
        throw InputError(fmt::format("--endpoint: unknown endpoint '{}' (this model has: {})", e,
                                     fmt::join(endpoints, ", ")));
      }
    }
  }
  r.rows = vm.count("all") || !r.endpoints.empty() ? report::Rows::all : report::Rows::compact;
  r.landmarks_given = !vm["landmarks"].defaulted();
  r.horizon_given = vm.count("rmst-horizon") > 0;
  r.reference_given = vm.count("reference") > 0;
  if (vm.count("target-se")) {
    const std::string t = vm["target-se"].as<std::string>();
    const auto v = parse_number(t);
    if (!v || !(*v > 0) || !std::isfinite(*v))
      throw InputError(fmt::format("--target-se: '{}' is not a positive standard error", t));
    r.target_se = *v;
  }
  r.options.landmarks.clear();
  for (const auto& t : split_list(vm["landmarks"].as<std::string>())) {
    const auto v = parse_number(t);
    if (!v || !(*v >= 0) || !std::isfinite(*v))
      throw InputError(fmt::format("--landmarks: '{}' is not a time in months", t));
    r.options.landmarks.push_back(*v);
  }
  if (vm.count("rmst-horizon")) {
    r.options.rmst_horizon = vm["rmst-horizon"].as<double>();
    if (!(r.options.rmst_horizon > 0) || !std::isfinite(r.options.rmst_horizon))
      throw InputError("--rmst-horizon must be a positive number of months");
  }
  if (vm.count("reference")) {
    const std::string name = vm["reference"].as<std::string>();
    const auto it = std::find(strategies.begin(), strategies.end(), name);
    if (it == strategies.end()) {
      throw InputError(fmt::format("--reference: unknown strategy '{}' (strategies: {})", name,
                                   fmt::join(strategies, ", ")));
    }
    r.options.reference = static_cast<std::size_t>(it - strategies.begin());
  }
  const std::string f = vm["format"].as<std::string>();
  if (f == "table") {
    r.format = report::Format::table;
  } else if (f == "csv") {
    r.format = report::Format::csv;
  } else if (f == "json") {
    r.format = report::Format::json;
  } else if (f == "markdown") {
    r.format = report::Format::markdown;
  } else {
    throw InputError(fmt::format("--format: unknown format '{}' (table, csv, json, markdown)", f));
  }
  return r;
}

report::Report finish_report(report::Report r, const ReportRequest& request) {
  if (std::isfinite(request.target_se)) report::apply_target_se(r, request.target_se);
  return filter_endpoints(std::move(r), request.endpoints);
}

report::Report filter_endpoints(report::Report r, const std::vector<std::string>& endpoints) {
  if (endpoints.empty()) return r;
  for (auto& s : r.strategies) {
    std::erase_if(s.endpoints,
                  [&](const report::EndpointSummary& e) { return !contains(endpoints, e.endpoint); });
  }
  std::erase_if(r.comparisons, [&](const report::Comparison& c) { return !contains(endpoints, c.endpoint); });
  return r;
}

}  // namespace mmsim::cli
