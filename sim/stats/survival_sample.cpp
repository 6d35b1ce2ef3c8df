#include "sim/stats/survival_sample.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <cstring>

#include "sim/core/errors.hpp"
#include "sim/stats/radix_sort.hpp"
#include "sim/stats/stats_detail.hpp"

namespace mmsim::stats {

void validate_sample(const SurvivalSample& sample, std::uint8_t max_event_code) {
  if (sample.time.size() != sample.event.size()) {
    throw InputError(fmt::format(
        "survival sample has {} times but {} event codes (one of each per patient is needed; pass arrays of "
        "equal length)",
        sample.time.size(), sample.event.size()));
  }
  for (std::size_t i = 0; i < sample.time.size(); ++i) {
    const double t = sample.time[i];
    if (std::isnan(t)) continue;
    if (!std::isfinite(t) || t < 0.0) {
      throw InputError(fmt::format(
          "patient {} has follow-up time {} (times must be finite and >= 0; use NaN for an undefined "
          "endpoint)",
          i, t));
    }
    if (sample.event[i] > max_event_code) {
      throw InputError(fmt::format("patient {} has event code {} (allowed 0..{}; 0 means censored)", i,
                                   static_cast<int>(sample.event[i]), static_cast<int>(max_event_code)));
    }
  }
}

std::size_t count_excluded(const SurvivalSample& sample) {
  return static_cast<std::size_t>(
      std::count_if(sample.time.begin(), sample.time.end(), [](double t) { return std::isnan(t); }));
}

namespace detail {

std::vector<TimeRecord> sorted_records(const SurvivalSample& sample,
                                       std::span<const std::uint32_t> aux_values) {
  std::vector<TimeRecord> records;
  records.reserve(sample.time.size());
  for (std::size_t i = 0; i < sample.time.size(); ++i) {
    if (std::isnan(sample.time[i])) continue;
    const std::uint32_t aux = aux_values.empty() ? 0U : aux_values[i];
    records.push_back(TimeRecord{sample.time[i], aux, sample.event[i]});
  }
  sort_by_time(records);
  return records;
}

std::vector<TimeRecord> validated_sorted_records(const SurvivalSample& sample, std::uint8_t max_event_code,
                                                 bool with_positions) {
  std::vector<TimeRecord> records, scratch;
  validated_sorted_records(sample, max_event_code, with_positions, records, scratch);
  return records;
}

void validated_sorted_records(const SurvivalSample& sample, std::uint8_t max_event_code, bool with_positions,
                              std::vector<TimeRecord>& records, std::vector<TimeRecord>& scratch) {
  const std::size_t n = sample.time.size();
  if (sample.event.size() != n) validate_sample(sample, max_event_code);  // throws
  records.clear();
  records.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = sample.time[i];
    if (std::isnan(t)) continue;
    const std::uint8_t code = sample.event[i];
    if (!(t >= 0.0 && t < kInf) || code > max_event_code) validate_sample(sample, max_event_code);  // throws
    records.push_back(TimeRecord{t, with_positions ? static_cast<std::uint32_t>(i) : 0U, code});
  }
  sort_by_time(records, scratch);
}

void sort_by_time(std::vector<TimeRecord>& records) {
  std::vector<TimeRecord> scratch;
  sort_by_time(records, scratch);
}

void sort_by_time(std::vector<TimeRecord>& records, std::vector<TimeRecord>& scratch) {
  if (records.size() < 4096) {
    std::sort(records.begin(), records.end(),
              [](const TimeRecord& a, const TimeRecord& b) { return a.time < b.time; });
    return;
  }
  // LSD radix sort on the bit pattern: for times >= 0 (validated; NaN already dropped) it orders like the
  // time. -0.0 is keyed as +0.0, equal to it.
  const auto key = [](const TimeRecord& r) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &r.time, sizeof bits);
    return bits == (std::uint64_t{1} << 63) ? std::uint64_t{0} : bits;
  };
  radix_sort_by(records, scratch, key);
}

std::vector<std::size_t> patient_rows(const SurvivalSample& sample, std::span<const double> times) {
  std::vector<std::pair<double, std::size_t>> order;
  order.reserve(sample.time.size());
  for (std::size_t i = 0; i < sample.time.size(); ++i) {
    if (!std::isnan(sample.time[i])) order.emplace_back(sample.time[i], i);
  }
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::size_t> rows(sample.time.size(), kNoRow);
  std::size_t j = 0;
  for (const auto& [t, i] : order) {
    while (j < times.size() && times[j] < t) ++j;
    if (j == times.size() || times[j] != t) {
      throw InputError(fmt::format(
          "patient {} has time {}, which is not in the table (the table was not built from this sample)", i,
          t));
    }
    rows[i] = j;
  }
  return rows;
}

double normal_critical_value(double conf_level) {
  if (!(conf_level > 0.0 && conf_level < 1.0)) {
    throw InputError(fmt::format("confidence level {} is outside (0, 1) (use e.g. 0.95)", conf_level));
  }
  const boost::math::normal_distribution<double> normal;
  return boost::math::quantile(normal, 0.5 + conf_level / 2.0);
}

GroupIndex index_groups(std::span<const std::uint32_t> group, std::span<const double> time) {
  GroupIndex out;
  out.index.resize(group.size());
  // Few groups are expected: a sorted vector of labels with a binary search per patient is O(n log k).
  for (std::size_t i = 0; i < group.size(); ++i) {
    if (std::isnan(time[i])) continue;
    auto it = std::lower_bound(out.labels.begin(), out.labels.end(), group[i]);
    if (it == out.labels.end() || *it != group[i]) out.labels.insert(it, group[i]);
  }
  for (std::size_t i = 0; i < group.size(); ++i) {
    if (std::isnan(time[i])) continue;
    const auto it = std::lower_bound(out.labels.begin(), out.labels.end(), group[i]);
    out.index[i] = static_cast<std::uint32_t>(it - out.labels.begin());
  }
  return out;
}

}  // namespace detail
}  // namespace mmsim::stats
