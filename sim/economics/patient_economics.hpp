#pragma once
// A patient's costs, QALYs and life years from its rows (docs/economics.md): its patients row, and its rows
// of the events and lines tables. A pure function of those rows: no random numbers, no state between
// patients.
#include <array>
#include <cstddef>
#include <vector>

#include "sim/core/table.hpp"
#include "sim/economics/discounting.hpp"
#include "sim/economics/economics_spec.hpp"

namespace mmsim::economics {

// The per-patient values, in the order of kValueNames (the patients-table columns and the moments' order).
inline constexpr std::size_t kValues = 6;
inline constexpr std::array<const char*, kValues> kValueNames{
    "cost", "qaly", "ly", "cost_undiscounted", "qaly_undiscounted", "ly_undiscounted"};
using PatientValues = std::array<double, kValues>;
// A line's values: cost, qaly, cost_undiscounted, qaly_undiscounted.
inline constexpr std::size_t kLineValues = 4;
inline constexpr std::array<const char*, kLineValues> kLineValueNames{"cost", "qaly", "cost_undiscounted",
                                                                      "qaly_undiscounted"};
using LineValues = std::array<double, kLineValues>;

// Rows [begin, end) of a table buffer.
struct RowRange {
  const TableBuffer* rows = nullptr;
  std::size_t begin = 0, end = 0;
};

class PatientEconomics {
 public:
  explicit PatientEconomics(EconomicsSpec spec);

  const EconomicsSpec& spec() const { return spec_; }

  // The patient's values; `line_values` (when not null) receives one entry per row of `lines`.
  PatientValues evaluate(const TableBuffer& patients, std::size_t row, RowRange events, RowRange lines,
                         std::vector<LineValues>* line_values) const;

 private:
  struct Segment {
    double from = 0.0, to = 0.0;  // years
    double utility = 0.0;
    std::uint8_t state = 0;
  };
  bool matches(const Match& m, const TableBuffer& rows, std::size_t r) const;
  double months(const TableBuffer& rows, std::size_t r, FieldId f) const;

  EconomicsSpec spec_;
  double rho_costs_ = 0.0, rho_effects_ = 0.0;
};

}  // namespace mmsim::economics
