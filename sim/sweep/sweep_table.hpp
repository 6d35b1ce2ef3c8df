#pragma once
// The sweep's long tables: one row per (point, replicate, strategy, endpoint) with the parameter values and
// the report's summaries under their JSON key names (docs/report_json.md), one row per (point, replicate,
// strategy, outcome) for rates, and one row per point for the design. Every table is a whole number of rows
// per point, in point order, so shards and merges only concatenate bytes.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/table.hpp"
#include "sim/economics/economics_report.hpp"
#include "sim/report/report.hpp"

namespace mmsim::sweep {

// What fixes the tables' columns; stored (as attributes) in every shard so `mmsim merge` needs only OUTDIR.
struct TableShape {
  std::vector<std::string> parameters;  // column names
  std::vector<std::string> strategies, endpoints, outcomes;
  std::vector<double> landmarks;
  std::uint32_t replicates = 1;
  bool economics = false;  // the base scenario has [economics]: one economics row per replicate and strategy
};

struct SweepTables {
  explicit SweepTables(const TableShape& shape);
  TableShape shape;
  TableLayout points, endpoints, rates, economics;
  std::size_t endpoint_rows_per_point() const;
  std::size_t rate_rows_per_point() const;
  std::size_t economics_rows_per_point() const;  // 0 without economics
};

// Rows of one point; `values` holds one value per parameter.
struct PointRows {
  explicit PointRows(const SweepTables& t)
      : points(t.points), endpoints(t.endpoints), rates(t.rates), economics(t.economics) {}
  TableBuffer points, endpoints, rates, economics;
};

void add_point_row(const SweepTables& t, std::uint64_t point, int varied, const std::vector<double>& values,
                   PointRows& out);
void add_report_rows(const SweepTables& t, std::uint64_t point, std::uint32_t replicate,
                     const std::vector<double>& values, const report::Report& r, PointRows& out);
// One row per strategy of the replicate's economics (docs/economics.md; /work/notes' economics.csv shape).
void add_economics_rows(const SweepTables& t, std::uint64_t point, std::uint32_t replicate,
                        const std::vector<double>& values, const economics::EconomicsReport& r,
                        PointRows& out);

// Packed rows as CSV (header line, then one line per row; NaN as NA, enums as their labels, doubles in the
// shortest form that reads back exactly).
std::string to_csv(const TableLayout& layout, const std::byte* rows, std::size_t n_rows);

// Attribute encoding of a shape (one string per attribute), and back.
std::vector<std::pair<std::string, std::string>> shape_attributes(const TableShape& shape);
TableShape shape_from_attributes(const std::vector<std::pair<std::string, std::string>>& attributes);
std::vector<std::string> shape_attribute_names();
// shape_attributes plus the economics flag where set (an attribute only economics sweeps carry).
std::vector<std::pair<std::string, std::string>> shape_attributes_with_economics(const TableShape& shape);

}  // namespace mmsim::sweep
