#pragma once
// Internals shared by the sim/stats translation units. Not part of the public API.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "sim/stats/survival_sample.hpp"

namespace mmsim::stats::detail {

// Neumaier's compensated summation carried in long double: the error stays at a few units of long-double
// rounding however many (10^7+) terms are added, which is far below double precision.
class CompensatedSum {
 public:
  void add(long double x) noexcept {
    const long double t = sum_ + x;
    if (std::fabs(sum_) >= std::fabs(x)) {
      carry_ += (sum_ - t) + x;
    } else {
      carry_ += (x - t) + sum_;
    }
    sum_ = t;
  }
  long double value() const noexcept { return sum_ + carry_; }

 private:
  long double sum_ = 0.0L;
  long double carry_ = 0.0L;
};

// One included patient, ready to be sorted by time.
struct TimeRecord {
  double time;
  std::uint32_t aux;  // group index, or the patient's position when needed
  std::uint8_t code;  // event code
};

// The included (non-NaN) patients sorted by time: the one O(n log n) step every estimator starts from.
// aux_values, when not empty, must have one entry per patient and is carried along.
std::vector<TimeRecord> sorted_records(const SurvivalSample& sample,
                                       std::span<const std::uint32_t> aux_values);

// For each patient, the row of its time in `times` (the ascending distinct times of a table built from this
// sample), or kNoRow for a NaN time. One sort, O(n log n). Throws InputError if a time is not in `times`.
inline constexpr std::size_t kNoRow = static_cast<std::size_t>(-1);
std::vector<std::size_t> patient_rows(const SurvivalSample& sample, std::span<const double> times);

// Two-sided standard-normal critical value for a confidence level in (0, 1); throws InputError otherwise.
double normal_critical_value(double conf_level);

// Distinct labels in ascending order among patients whose time is not NaN, and each such patient's index
// into them (patients with NaN time get index 0, and are never read).
struct GroupIndex {
  std::vector<std::uint32_t> labels;
  std::vector<std::uint32_t> index;  // per patient
};
GroupIndex index_groups(std::span<const std::uint32_t> group, std::span<const double> time);

}  // namespace mmsim::stats::detail
