#pragma once
// Test helper: two figure step tables (sim/report/step_tables.hpp) equal in every stored field, bit for bit
// (NaN confidence limits included).
#include <cstring>

#include "sim/report/step_tables.hpp"

namespace mmsim::test {

// Every stored field of two step tables, compared bit for bit (NaN CI limits included).
inline bool same_steps(const report::KmSteps& a, const report::KmSteps& b) {
  const auto same = [](double x, double y) { return std::memcmp(&x, &y, sizeof x) == 0; };
  if (a.endpoint != b.endpoint || a.n != b.n || a.distinct_times != b.distinct_times) return false;
  if (a.steps.size() != b.steps.size() || a.risk.size() != b.risk.size()) return false;
  if (a.censor_marks.size() != b.censor_marks.size()) return false;
  for (std::size_t i = 0; i < a.steps.size(); ++i) {
    const auto &x = a.steps[i], &y = b.steps[i];
    if (!same(x.time, y.time) || !same(x.surv, y.surv) || !same(x.ci_low, y.ci_low) ||
        !same(x.ci_high, y.ci_high) || x.n_risk != y.n_risk || x.events != y.events ||
        x.censored != y.censored)
      return false;
  }
  for (std::size_t i = 0; i < a.risk.size(); ++i) {
    const auto &x = a.risk[i], &y = b.risk[i];
    if (!same(x.time, y.time) || x.n_risk != y.n_risk || x.events != y.events || x.censored != y.censored)
      return false;
  }
  for (std::size_t i = 0; i < a.censor_marks.size(); ++i) {
    if (!same(a.censor_marks[i].time, b.censor_marks[i].time) ||
        !same(a.censor_marks[i].surv, b.censor_marks[i].surv))
      return false;
  }
  return true;
}

}  // namespace mmsim::test
