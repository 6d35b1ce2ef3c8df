#pragma once
// Log-rank test of equal survival across two or more groups (R: survdiff, rho = 0).
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "sim/stats/kaplan_meier.hpp"
#include "sim/stats/survival_sample.hpp"

namespace mmsim::stats {

struct LogRankTest {
  std::vector<std::uint32_t> groups;  // distinct labels of the patients used (time not NaN), ascending
  std::vector<std::int64_t> n;        // patients used per group
  std::vector<double> observed;       // events per group
  std::vector<double> expected;       // expected events under equal hazards
  std::vector<double> variance;       // groups x groups, row-major: the covariance of observed - expected
  double chi_square = 0.0;
  int df = 0;            // groups with expected > 0, minus 1
  double p_value = 0.0;  // upper tail of chi-square(df); NaN when df == 0
  std::size_t n_excluded = 0;
};

// group[i] labels patient i (any unsigned values). Patients with NaN time are left out. As in R, groups
// whose expected count is 0 are dropped from the quadratic form, and the statistic is 0 with df 0 when
// fewer than two groups remain.
LogRankTest log_rank_test(const SurvivalSample& sample, std::span<const std::uint32_t> group);
// Two groups from their Kaplan-Meier tables, labelled 0 and 1: O(rows), no patients, no sort. Identical to
// the call above on the two samples stacked (so it treats them as independent samples).
LogRankTest log_rank_test(const KaplanMeier& group0, const KaplanMeier& group1);

}  // namespace mmsim::stats
