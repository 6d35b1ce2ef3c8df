#pragma once
// The pointwise log-log confidence limits of a Kaplan-Meier table on demand. A table built with
// PointwiseCiRows::on_demand holds no lower/upper columns: its 2 logs and 4 exps an event row were a third
// of a large report's statistics, and the report reads only a few rows (the figure's steps; the median's CI,
// which limit_quantiles finds computing only the rows near each limit's crossing).
#include <cstddef>
#include <span>
#include <vector>

#include "sim/stats/kaplan_meier.hpp"

namespace mmsim::stats {

struct PointwiseLimits {
  double lower = 0.0;
  double upper = 0.0;
};

// Row j's limits: the stored ones, else computed from surv[j] and se_log_surv[j] by the table builder's own
// function (detail::loglog_limits). A row of censorings only holds its previous row's inputs, whose limits
// the builder copies, so both ways give the same bits.
class PointwiseCi {
 public:
  explicit PointwiseCi(const KaplanMeier& km);
  PointwiseLimits operator()(std::size_t j) const;

 private:
  const KaplanMeier* km_;
  double z_;
};

namespace detail {

// Which column of the table y = 1 - column reads: a pointwise limit, or the estimate S (exact, stored).
enum class Limit { lower, upper, estimate };

// What limit_quantiles did, for tests: rows whose limit it computed, and whether it gave up and computed
// every row (the full scan).
struct LimitScanCounts {
  std::size_t exact_rows = 0;
  bool full_scan = false;
};

// The quantiles (survival_quantiles' findq rules) of x = c(0, time), y = c(0, 1 - limit) for one pointwise
// limit of km (or S itself), with z = normal_critical_value(km.conf_level): bit for bit what find_quantiles
// on the whole column gives, with the column computed (or read) only where it can change the result (see
// the .cpp).
std::vector<double> limit_quantiles(const KaplanMeier& km, double z, Limit which,
                                    std::span<const double> probs, LimitScanCounts* counts = nullptr);

// The same from the whole column, every row computed: the path limit_quantiles must match.
std::vector<double> limit_quantiles_full(const KaplanMeier& km, double z, Limit which,
                                         std::span<const double> probs, LimitScanCounts* counts = nullptr);

}  // namespace detail
}  // namespace mmsim::stats
