#pragma once
// The Kaplan-Meier summaries of one cohort (landmark survival, median with its CI, RMST with its SE) from the
// curve's rows as a stream, without the table in memory: what a cohort too large for the memory budget is
// summarized with (its patients sorted in runs on disk and merged, sim/report/spilled_columns.hpp).
//
// Every value is computed with the same operations in the same order as kaplan_meier_with_rows followed by
// survival_at, median_survival and restricted_mean (kaplan_meier.cpp), so the results are bit-identical to
// the in-memory path (tests/unit/sim/stats/test_stats_streaming_km.cpp checks it). The RMST's right-to-left
// sum is checkpointed every 4096 rows as restricted_mean does, from one backward pass; memory is O(landmarks
// + rows / 4096).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "sim/stats/kaplan_meier.hpp"

namespace mmsim::stats {

// One distinct observed time of the curve: events and censorings at it.
struct KmTimeCount {
  double time = 0.0;
  std::int64_t events = 0, censored = 0;
};

// Replays the rows of a curve, ascending (backward = false) or descending (backward = true), calling f once
// per distinct time. May be called several times; each call must replay the same rows.
using KmRowReplay = std::function<void(bool backward, const std::function<void(const KmTimeCount&)>& f)>;

struct StreamedSummary {
  std::size_t n = 0;  // patients used (time not NaN)
  std::uint64_t events = 0;
  std::vector<LandmarkSurvival> landmarks;  // survival_at(km, t) per landmark; unset when n == 0
  SurvivalQuantile median;                  // median_survival(km); unset when n == 0
  RestrictedMean rmst;                      // restricted_mean(km, tau); unset when n == 0
  double last_surv = 1.0;                   // km.surv.back(): S at the last observed time
};

// One row of the curve with the estimates kaplan_meier's table holds for it (the same values, bit for bit):
// what the figures' step tables store (sim/report/step_tables.hpp, KmStepsBuilder).
struct KmRowEstimate {
  double time = 0.0, surv = 1.0, se_log = 0.0, lower = 0.0, upper = 0.0;
  std::int64_t n_risk = 0, events = 0, censored = 0;
};
using KmRowObserver = std::function<void(const KmRowEstimate&)>;

// `n` is the number of patients with a time (the rows' counts must add up to it). `observer`, when set, is
// shown every row of the first (ascending) pass; `on_pass(k)` is called before each pass k = 0, 1, 2 over the
// rows (the ascending pass, the RMST's descending and ascending ones; fewer when the RMST needs none).
StreamedSummary streamed_summary(const KmRowReplay& replay, std::size_t n, std::span<const double> landmarks,
                                 double tau, double conf_level, const KmRowObserver& observer = {},
                                 const std::function<void(int)>& on_pass = {});

}  // namespace mmsim::stats
