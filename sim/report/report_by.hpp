#pragma once
// Subgroup reports (`mmsim report --by COLUMN`): every summary and comparison computed among the patients
// with each value of a u8, i32 or enumeration patients-table column (e.g. `--by emd`, `--by index_therapy`).
//
// A patient's group is read under each strategy from that strategy's own column. For a baseline attribute
// (the same under every strategy, by the common random numbers) the groups coincide and the comparisons stay
// paired; for a column a strategy changes, a strategy whose group holds other patients than the reference's
// is compared unpaired (its paired fields undefined, no rate comparisons).
#include <cstdint>
#include <string>
#include <vector>

#include "sim/report/report.hpp"

namespace mmsim::report {

// The grouping column's values per strategy (one per patient), and the labels of an enumeration (empty for
// a numeric column, whose values are printed as numbers).
struct GroupingColumn {
  std::string name;
  std::vector<std::vector<std::int64_t>> values;  // [strategy][patient]
  std::vector<std::string> labels;
};

struct GroupReport {
  std::string value;           // the label, or the number
  std::uint64_t patients = 0;  // in the group under the reference strategy
  Report report;
};

// One report per distinct value (ascending), each computed by compute_report on the group's patients.
std::vector<GroupReport> compute_group_reports(const ColumnSource& source, const GroupingColumn& by,
                                               const std::vector<std::string>& strategies,
                                               const std::vector<std::string>& endpoints,
                                               const std::vector<std::string>& outcomes, double horizon,
                                               const ReportOptions& options);

// The reports in one document: for csv, one table with leading `by` and `group` columns; for json, an object
// {"by": ..., "groups": [{"group": ..., "patients": ..., "report": {...}}]}; for table and markdown, one
// section per group under a heading.
std::string format_group_reports(const std::string& by, const std::vector<GroupReport>& groups,
                                 Format format);

}  // namespace mmsim::report
