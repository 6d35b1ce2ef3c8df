#pragma once
// Internals shared by the sim/stats translation units. Not part of the public API.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "sim/core/numeric.hpp"
#include "sim/stats/kaplan_meier.hpp"
#include "sim/stats/survival_sample.hpp"

namespace mmsim::stats::detail {

// survival:::findq's tolerance, sqrt(.Machine$double.eps): every quantile path (the findq transcription, the
// scan, the lazy limits) compares keys y +- this.
inline constexpr double kFindqTol = 1.4901161193847656e-08;

// Log-log confidence limits of a survival probability s with standard error se_log of log S (R's
// survfit_confint, conf.type = "log-log"); NaN outside (0, 1). Shared by the batch and streamed tables, so
// both perform the same operations.
inline void loglog_limits(double s, double se_log, double z, double& lower, double& upper) {
  if (!(s > 0.0 && s < 1.0)) {
    lower = upper = kNaN;
    return;
  }
  const double log_s = std::log(s);
  const double shift = z * se_log / log_s;
  const double centre = std::log(-log_s);
  lower = std::exp(-std::exp(centre - shift));
  upper = std::exp(-std::exp(centre + shift));
}

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

// validate_sample(sample, max_event_code) and then the included patients sorted by time, aux = the patient's
// position when with_positions, else 0: one pass over the sample checks and copies it (an invalid sample
// throws validate_sample's error).
std::vector<TimeRecord> validated_sorted_records(const SurvivalSample& sample, std::uint8_t max_event_code,
                                                 bool with_positions);
// The same into `records`, with `scratch` for the sort: both keep their capacity (reused by a workspace).
void validated_sorted_records(const SurvivalSample& sample, std::uint8_t max_event_code, bool with_positions,
                              std::vector<TimeRecord>& records, std::vector<TimeRecord>& scratch);

// Sorts records by time, ascending (times >= 0, no NaN). Ties are grouped (their order is unspecified; every
// estimator reads a tie group as a whole). O(n): an LSD radix sort on the bits of the time for large n.
void sort_by_time(std::vector<TimeRecord>& records);
void sort_by_time(std::vector<TimeRecord>& records, std::vector<TimeRecord>& scratch);

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

// R survival's findq (the quantiles of a curve y = 1 - S over x, used by survival_quantiles), exposed for
// tests: find_quantiles is the implementation used; find_quantiles_reference is the direct transcription it
// must match bit for bit (and still runs when the non-NaN y are not non-decreasing).
std::vector<double> find_quantiles(std::span<const double> x, std::span<const double> y,
                                   std::span<const double> probs);
std::vector<double> find_quantiles_reference(const std::vector<double>& x, const std::vector<double>& y,
                                             std::span<const double> probs);

// Walks the union of the distinct times of two Kaplan-Meier tables (group 0 and group 1) in ascending order,
// calling f(time, at_risk, deaths, leaving) with two-element arrays: patients at risk just before the time,
// events at it and patients leaving at it (events + censored), per group. These are exactly the counts a
// pass over the two groups' patients stacked and sorted by time gives, in O(rows) without the patients.
template <class F>
void for_each_two_group_time(const KaplanMeier& g0, const KaplanMeier& g1, F&& f) {
  std::int64_t at_risk[2] = {static_cast<std::int64_t>(g0.n), static_cast<std::int64_t>(g1.n)};
  std::size_t j0 = 0, j1 = 0;
  while (j0 < g0.time.size() || j1 < g1.time.size()) {
    const bool in0 = j0 < g0.time.size() && (j1 == g1.time.size() || g0.time[j0] <= g1.time[j1]);
    const bool in1 = j1 < g1.time.size() && (j0 == g0.time.size() || g1.time[j1] <= g0.time[j0]);
    const double t = in0 ? g0.time[j0] : g1.time[j1];
    std::int64_t deaths[2] = {0, 0};
    std::int64_t leaving[2] = {0, 0};
    if (in0) {
      deaths[0] = g0.n_event[j0];
      leaving[0] = g0.n_leaving(j0);
      ++j0;
    }
    if (in1) {
      deaths[1] = g1.n_event[j1];
      leaving[1] = g1.n_leaving(j1);
      ++j1;
    }
    f(t, at_risk, deaths, leaving);
    at_risk[0] -= leaving[0];
    at_risk[1] -= leaving[1];
  }
}

}  // namespace mmsim::stats::detail
