#pragma once
// A rate among the patients a second 0/1 column selects (e.g. response among patients who started the line):
// r = sum(y d) / sum(d), a ratio of two sums, with its binomial SE sqrt(r (1 - r) / m), m = sum(d). Its exact
// per-patient influence is d_i (y_i - r) / m (0 outside the denominator), whose sum of squares is that same
// variance; two strategies simulated on the same patients are compared with paired_difference on these
// influence values, which is correct when the two arms' denominators differ (docs/statistics.md).
#include <cstdint>
#include <span>
#include <vector>

#include "sim/stats/paired.hpp"

namespace mmsim::stats {

struct ConditionalRate {
  std::uint64_t n = 0;          // patients in the denominator
  double rate = 0.0, se = 0.0;  // NaN when n == 0
};

// response and denominator: one 0/1 value per patient (InputError otherwise, or on a length mismatch).
ConditionalRate conditional_rate(std::span<const std::uint8_t> response,
                                 std::span<const std::uint8_t> denominator);
std::vector<double> conditional_rate_influence(std::span<const std::uint8_t> response,
                                               std::span<const std::uint8_t> denominator);
// Paired difference a - b of the two arms' conditional rates (same patients, same order).
PairedDifference compare_conditional_rates_paired(std::span<const std::uint8_t> response_a,
                                                  std::span<const std::uint8_t> denominator_a,
                                                  std::span<const std::uint8_t> response_b,
                                                  std::span<const std::uint8_t> denominator_b,
                                                  double conf_level = 0.95);

}  // namespace mmsim::stats
