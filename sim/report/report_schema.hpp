#pragma once
// The report's vocabulary, in one place: for each kind of row of a Report (endpoint summary, landmark
// survival, rate, comparison, landmark difference, rate comparison) the keys that identify it and its value
// columns, each with its name, the Report member that holds it, its unit and description, and the published
// forms that carry it. The CSV and JSON formatters, the HDF5 summary writer and reader, and the sweep tables
// iterate these lists, so a new report column is one row here (docs/report_json.md lists them for users).
//
// Where published forms name a column differently on purpose (the CSV is one long table, so a rate's `se`
// is its `rate_se` there) the column carries both names; names never change within a schema version.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/io/run_layout.hpp"
#include "sim/report/report.hpp"

namespace mmsim::report {

// The published forms of a report, as bits of ReportColumn::forms.
enum Form : unsigned {
  kJson = 1u,   // `--format json` (docs/report_json.md)
  kCsv = 2u,    // `--format csv`: one long table, a `section` per kind of row
  kHdf5 = 4u,   // the summaries stored in the run file (report_h5.hpp)
  kSweep = 8u,  // the sweep's long tables (sim/sweep/sweep_table.hpp)
};
inline constexpr unsigned kEveryForm = kJson | kCsv | kHdf5 | kSweep;
// Monte Carlo planning (`--target-se`): computed when the report is formatted, never stored.
inline constexpr unsigned kPlanning = kJson | kCsv;

// What identifies a row besides its values: labels, stored as HDF5 enums.
enum class Key : std::uint8_t { strategy, reference, endpoint, outcome };
inline constexpr Key kKeys[] = {Key::strategy, Key::reference, Key::endpoint, Key::outcome};
std::string_view key_name(Key key);         // the JSON key, CSV column and HDF5 field
std::string_view key_description(Key key);  // the HDF5 field description

// The labels of one row's keys (those of its table; the others stay empty).
struct KeyLabels {
  std::string_view strategy = {}, reference = {}, endpoint = {}, outcome = {};
  std::string_view of(Key key) const;
};

template <class Row>
struct ReportColumn {
  using Member = std::variant<double Row::*, std::uint64_t Row::*, std::optional<std::uint64_t> Row::*>;

  std::string_view name;         // the JSON key, HDF5 field and sweep column
  Member member;                 // where a Row holds the value
  std::string_view unit;         // "months" for times; empty for counts, probabilities and ratios
  std::string_view description;  // one line: the HDF5 field description
  unsigned forms = kEveryForm;
  std::string_view csv_name = {};  // the CSV column, when it differs from `name`

  bool in(Form form) const { return (forms & form) != 0; }
  // A `--target-se` planning column (a count that may be undefined).
  bool planning() const { return std::holds_alternative<std::optional<std::uint64_t> Row::*>(member); }
  std::string_view csv() const { return csv_name.empty() ? name : csv_name; }
};

// One kind of row.
template <class Row>
struct ReportTable {
  std::string_view section;     // the CSV's `section` value
  std::string_view hdf5_table;  // the stored table's layout name (its `table` attribute)
  bool per_strategy;            // stored once per strategy (the strategy key is then the path's)
  std::string (*hdf5_path)(std::string_view strategy);  // from io::layout
  std::span<const Key> keys;
  std::span<const ReportColumn<Row>> columns;
};

// The row kinds, in the order of the CSV header's columns (endpoint rows, then rate rows).
extern const ReportTable<EndpointSummary> kSummaryTable;
extern const ReportTable<LandmarkValue> kSurvivalTable;
extern const ReportTable<Comparison> kComparisonTable;
extern const ReportTable<LandmarkDifference> kSurvivalDifferenceTable;
extern const ReportTable<ProportionSummary> kRateTable;
extern const ReportTable<ProportionComparison> kRateComparisonTable;

// Calls f(table) for each row kind, in the order above.
template <class F>
void for_each_report_table(F&& f) {
  f(kSummaryTable);
  f(kSurvivalTable);
  f(kComparisonTable);
  f(kSurvivalDifferenceTable);
  f(kRateTable);
  f(kRateComparisonTable);
}

// Calls f with the value of column c in row r: a double, a std::uint64_t or a std::optional<std::uint64_t>.
template <class Row, class F>
decltype(auto) visit_value(const ReportColumn<Row>& c, const Row& r, F&& f) {
  return std::visit([&](auto member) -> decltype(auto) { return f(r.*member); }, c.member);
}

// The CSV header: `section`, the keys, the value columns of every row kind in table order (each name once),
// the planning columns last.
std::vector<std::string> csv_columns();

}  // namespace mmsim::report
