#include "sim/stats/pointwise_ci.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "sim/core/numeric.hpp"
#include "sim/stats/quantile_scan.hpp"
#include "sim/stats/stats_detail.hpp"

namespace mmsim::stats {

PointwiseCi::PointwiseCi(const KaplanMeier& km)
    : km_(&km), z_(km.lower.empty() ? detail::normal_critical_value(km.conf_level) : 0.0) {}

PointwiseLimits PointwiseCi::operator()(std::size_t j) const {
  if (!km_->lower.empty()) return {km_->lower[j], km_->upper[j]};
  PointwiseLimits out;
  detail::loglog_limits(km_->surv[j], km_->se_log_surv[j], z_, out.lower, out.upper);
  return out;
}

namespace detail {

// Why rows can be skipped, and which.
//
// The result. survival_quantiles reads each p off y = 1 - limit (y_0 = 0 prepended) by findq's rules. Run on
// the whole column, the scan (QuantileScan) takes a fast path when the non-NaN y are non-decreasing and
// find_quantiles_reference otherwise, and the two agree on non-decreasing y (test_stats_findq), so the result
// is always the reference's: with repeated values dropped, for each key y + tol and y - tol the group of the
// smallest key >= p (its positions averaged, truncated; x read there), NaN unless p lies between the smallest
// and largest key, unless the largest y reaches min(p); and if the last value kept is within tol of p, the
// midpoint to the last x. NaN limits (S = 0 or 1) are known exactly from S.
//
// The substitution. Say the rows split into low rows (every one's y < p_min - tol - margin, so both keys
// < p), then a window of rows computed exactly, whose y are non-decreasing, then high rows (every one's y
// above y_w + margin, where w is a window row with y_w >= p_max + 2 tol: keys above the window's for every
// p), NaN rows anywhere. Replace each low row's limit by 1 (y = 0, a repeat of y_0) and each high row's by 0
// (y = 1). Then for every p: the keys >= p and the smallest of them are the window's (low keys < p; high
// keys, real or replaced, exceed key(w) >= p), so the group is the same rows, consecutive in both sequences
// (the window is non-decreasing; NaN rows only precede or follow the rows with S in (0, 1)), and the
// truncated mean of consecutive positions k0..k0+s-1 is k0 + (s-1)/2 exactly, so the same row of x; the
// largest y is on the same side of every p; and the last value kept is within tol of p in neither or both
// (with high rows it is y >= y_w or NaN in both; without, the window's last non-NaN value, the only one that
// can be within tol of p, is kept in both). The replaced sequence is non-decreasing, so the fast scan on it
// gives the reference result of the real one. If the window is not non-decreasing, or a row after it cannot
// be shown high, the whole column is computed instead.
//
// The estimate S itself (Limit::estimate) takes the same path with every row known exactly: S does not rise
// down a table (each factor (r - d) / r <= 1 and rounding is monotone; checked), so the whole table is one
// stretch and only a binary search and the window are read, where the scan read every row.
//
// The bound. Low and high are shown without computing a row's limit: over a stretch of rows where the exact
// limit (of the row's double S, se and z) cannot rise, every row lies between the stretch's ends; the limit
// computed with glibc's log and exp is within kLimitError of the exact one (below); so a row is low when a
// computed row further on in its stretch is low by a margin of 2 kLimitError, and high when an earlier one in
// its stretch is high by that margin. With L = -log S > 0 and V = se of log S:
//   lower = exp(-F), F = L exp(zV/L): dF = exp(zV/L) ((1 - zV/L) dL + z dV) >= 0 when L and V do not fall
//     and zV <= L along the step; V/L is monotone along a straight step, so zV/L <= 1 at both rows is
//     enough, and zV <= 1 - S <= L is checked (S does not rise down the table; V is compared).
//   upper = exp(-G), G = L exp(-zV/L): dG = exp(-zV/L) ((1 + zV/L) dL - z dV) >= 0 when dL >= z dV, and
//     dL = log(S_prev / S) >= (S_prev - S) / S_prev; checked as S_prev - S >= z (V - V_prev) S_prev.
// Both checks carry a relative slack of 1e-9 for their own rounding. The error: the limit is
// exp(-exp(log(-log S) -+ z V / log S)); with libm's log and exp within a few ulp, the argument of the outer
// exp is off by at most ~1e-15 (2 + 2 |log L| + |zV/L|) relative to the exact, and d limit = -limit e d(arg)
// with e exp(-e) <= 1/e, so the limit is off by less than ~1e-13 for any double S (|log L| <= 37 + 7) and
// any V (the factor e |zV/L| exp(-e) stays below ~3): kLimitError = 1e-9 leaves four orders of magnitude
// (test_pointwise_ci.cpp checks the computed limits against long double).
namespace {

constexpr double kTol = kFindqTol;
constexpr double kLimitError = 1e-9;
constexpr double kSlack = 1e-9;

class LimitRows {
 public:
  LimitRows(const KaplanMeier& km, double z, Limit which, LimitScanCounts* counts)
      : s_(km.surv.data()), v_(km.se_log_surv.data()), z_(z), which_(which), counts_(counts) {}

  bool nan_row(std::size_t j) const { return which_ != Limit::estimate && !(s_[j] > 0.0 && s_[j] < 1.0); }

  double exact(std::size_t j) const {
    if (counts_ != nullptr) ++counts_->exact_rows;
    if (which_ == Limit::estimate) return s_[j];
    double lower = 0.0, upper = 0.0;
    loglog_limits(s_[j], v_[j], z_, lower, upper);
    return which_ == Limit::lower ? lower : upper;
  }

  // The first row after j whose exact limit may exceed its previous row's (or m): rows [j, stretch_end) are
  // a stretch where it cannot rise. Row j has S in (0, 1); so does every row kept (S does not rise and is
  // checked > 0). The checks of the comment above, each written with its slack so that rounding cannot
  // pass a step the exact inequality fails: a tight loop, as it runs over every row once.
  std::size_t stretch_end(std::size_t j, std::size_t m) const {
    if (nan_row(j)) return j + 1;
    double s_prev = s_[j], v_prev = v_[j];
    std::size_t k = j + 1;
    if (which_ == Limit::estimate) {  // S itself: known exactly, a stretch while it does not rise
      while (k < m && s_[k] <= s_[k - 1]) ++k;
    } else if (which_ == Limit::lower) {
      const double shrink = 1.0 - kSlack;
      if (!(z_ * v_prev <= (1.0 - s_prev) * shrink)) return k;
      for (; k < m; ++k) {
        const double s = s_[k], v = v_[k];
        if (!(s > 0.0 && s <= s_prev && v >= v_prev && z_ * v <= (1.0 - s) * shrink)) break;
        s_prev = s;
        v_prev = v;
      }
    } else {
      const double zz = z_ * (1.0 + kSlack);
      for (; k < m; ++k) {
        const double s = s_[k], v = v_[k];
        if (!(s > 0.0 && s <= s_prev && s_prev - s >= zz * (v - v_prev) * s_prev)) break;
        s_prev = s;
        v_prev = v;
      }
    }
    return k;
  }

 private:
  const double* s_;
  const double* v_;
  double z_;
  Limit which_;
  LimitScanCounts* counts_;
};

// x = c(0, time) and y = c(0, 1 - limit) as survival_quantiles hands them to findq.
template <class LimitAt>
std::vector<double> scan_or_reference(const KaplanMeier& km, const LimitAt& limit_at,
                                      std::span<const double> probs) {
  const auto x = [time = km.time.data()](std::size_t i) { return i == 0 ? 0.0 : time[i - 1]; };
  const auto y = [&](std::size_t i) { return i == 0 ? 0.0 : 1.0 - limit_at(i - 1); };
  return find_quantiles_at(km.time.size() + 1, x, y, probs);
}

}  // namespace

std::vector<double> limit_quantiles_full(const KaplanMeier& km, double z, Limit which,
                                         std::span<const double> probs, LimitScanCounts* counts) {
  if (counts != nullptr) counts->full_scan = true;
  const LimitRows rows(km, z, which, counts);
  std::vector<double> limit(km.time.size());
  for (std::size_t j = 0; j < limit.size(); ++j) limit[j] = rows.nan_row(j) ? kNaN : rows.exact(j);
  return scan_or_reference(
      km, [&](std::size_t j) { return limit[j]; }, probs);
}

std::vector<double> limit_quantiles(const KaplanMeier& km, double z, Limit which,
                                    std::span<const double> probs, LimitScanCounts* counts) {
  if (probs.empty()) return {};
  const double p_min = *std::min_element(probs.begin(), probs.end());
  const double p_max = *std::max_element(probs.begin(), probs.end());
  // p = 0 and p within the margins of 0 or 1 have rules of their own (x[0]; keys of y_0 = 0): not skipped.
  if (!(p_min >= 1e-6 && p_max <= 1.0 - 1e-6)) return limit_quantiles_full(km, z, which, probs, counts);
  const std::size_t m = km.time.size();
  if (m == 0) return limit_quantiles_full(km, z, which, probs, counts);
  const LimitRows rows(km, z, which, counts);

  // Low rows: a computed limit above low_above (y + tol below p_min by 2 kLimitError and more) makes every
  // earlier row of its stretch low. Each stretch's smallest exact limit is at its end: a stretch low there
  // is skipped whole; else a binary search finds its last row shown low.
  const double low_above = (1.0 - p_min) + kTol + 5.0 * kLimitError;
  std::size_t begin = m;    // the window's first row
  std::size_t stretch = 0;  // the end of the stretch holding `begin`
  for (std::size_t j = 0; j < m;) {
    if (rows.nan_row(j)) {
      ++j;
      continue;
    }
    const std::size_t end = rows.stretch_end(j, m);
    if (rows.exact(end - 1) > low_above) {
      j = end;
      continue;
    }
    std::size_t lo = j, hi = end - 1;  // rows before lo are low; row hi is not shown low
    while (lo < hi) {
      const std::size_t mid = lo + (hi - lo) / 2;
      if (rows.exact(mid) > low_above) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    begin = lo;
    stretch = end;
    break;
  }

  // The window, computed row by row: through a row w with y_w >= p_max + 2 tol (both its keys are >= every
  // p), then to a row b whose limit is below high_below (y above y_w by 2 kLimitError and more), which makes
  // every later row of b's stretch high.
  std::vector<double> window;
  double high_below = kNaN;  // set once w is found
  std::size_t after = m;     // the first row after the window
  for (std::size_t k = begin; k < m; ++k) {
    if (k >= stretch) stretch = rows.stretch_end(k, m);
    const double c = rows.nan_row(k) ? kNaN : rows.exact(k);
    window.push_back(c);
    if (std::isnan(c)) continue;
    if (std::isnan(high_below)) {
      const double y = 1.0 - c;
      if (y >= p_max + 2.0 * kTol + 4.0 * kLimitError) high_below = (1.0 - y) - 5.0 * kLimitError;
    } else if (c < high_below) {
      after = k + 1;
      break;
    }
  }

  // High rows: each later stretch's largest exact limit is at its start.
  for (std::size_t j = std::max(after, stretch); j < m;) {
    if (rows.nan_row(j)) {
      ++j;
      continue;
    }
    if (!(rows.exact(j) < high_below)) return limit_quantiles_full(km, z, which, probs, counts);
    j = rows.stretch_end(j, m);
  }

  // The scan of the replaced sequence, with its runs of repeats left out (they change nothing but the count
  // and the last x): y_0 = 0 (which the low rows' replacement repeats), a NaN if one precedes the window, the
  // window, then 1 if a high row follows and a NaN if one does, and last a repeat at the last x. NaN rows
  // are the rows with S = 1 (first) or S = 0 (last), and the window starts at a row with S in (0, 1). A
  // NaN's x is never read: a group's truncated mean position is one of the group's rows.
  const std::size_t after_begin = begin + window.size();
  const bool nan_before = begin > 0 && (rows.nan_row(0) || (begin == m && rows.nan_row(m - 1)));
  const bool high = after_begin < m && !rows.nan_row(after_begin);
  const bool nan_after = after_begin < m && rows.nan_row(m - 1);
  const double last_x = km.time.back();
  std::vector<std::pair<double, double>> points = {{0.0, 0.0}};
  if (nan_before) points.emplace_back(last_x, kNaN);
  for (std::size_t j = begin; j < after_begin; ++j) points.emplace_back(km.time[j], 1.0 - window[j - begin]);
  if (high) points.emplace_back(last_x, 1.0);
  if (nan_after) points.emplace_back(last_x, kNaN);
  points.emplace_back(last_x, points.back().second);
  QuantileScan scan(probs);
  scan.add_range(
      0, points.size(), [&](std::size_t i) { return points[i].first; },
      [&](std::size_t i) { return points[i].second; });
  if (!scan.monotone()) return limit_quantiles_full(km, z, which, probs, counts);
  return scan.finish();
}

}  // namespace detail
}  // namespace mmsim::stats
