#pragma once
// The quantiles of a step function read off its (x, y) positions one at a time, as R's quantile.survfit
// finds them (approx(..., method = "constant", f = 1) on the de-duplicated sequence; docs/statistics.md):
// the single implementation behind find_quantiles (whole columns) and the streamed summaries (rows replayed
// block by block). Repeated y values are skipped as the reference does (keeping the first occurrence; NaN
// once), and for each p and each of the keys y + tol and y - tol the first run of equal keys >= p is tracked;
// regularize averages the positions of such a run (positions in the de-duplicated sequence, which counts the
// NaN kept), and the quantile reads x at that average truncated, so the x values from the run's first
// position on are kept until the run ends. When the non-NaN y turn out not to be non-decreasing, monotone()
// becomes false and the caller runs the general path (find_quantiles_reference) on the whole sequence.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

#include "sim/core/numeric.hpp"
#include "sim/stats/stats_detail.hpp"

namespace mmsim::stats::detail {

class QuantileScan {
 public:
  explicit QuantileScan(std::span<const double> probs) : probs_(probs.begin(), probs.end()) {
    runs_.resize(2 * probs_.size());
    for (std::size_t q = 0; q < probs_.size(); ++q) {
      runs_[2 * q].p = runs_[2 * q + 1].p = probs_[q];
      runs_[2 * q].shift = kTol;
      runs_[2 * q + 1].shift = -kTol;
    }
    active_ = runs_.size();
    if (!probs_.empty()) pmin_ = next_p_ = *std::min_element(probs_.begin(), probs_.end());
  }

  void add(double xk, double v) {
    if (!monotone_) return;
    ++count_;
    last_x_ = xk;
    const bool nan = std::isnan(v);
    if (nan) {
      if (seen_nan_) return;
      seen_nan_ = true;
    } else {
      if (v < last_value_) {
        monotone_ = false;
        return;
      }
      ymax_ = std::max(ymax_, v);
      const bool dup = have_last_ && v == last_value_;
      have_last_ = true;
      last_value_ = v;
      if (dup) return;
    }
    const std::size_t k = kept_++;
    y_kept_last_ = v;
    if (active_ == 0 && k > 0) return;
    if (k == 0) x0_ = xk;
    // Nothing can happen in the runs while none is open and v is below every threshold not yet reached: for
    // a run not found, key = v + shift <= v + kTol < p (rounding is monotone), so the loop would only count
    // the key. Most rows of a curve take this path or the one above.
    if (open_ == 0 && (nan || v + kTol < next_p_)) {
      if (!nan) ++kept_keys_;
      return;
    }
    for (Run& r : runs_) {
      if (r.done) continue;
      if (nan) {
        if (r.found) r.xs.push_back(xk);
        continue;
      }
      const double key = v + r.shift;
      if (!r.found) {
        if (key >= r.p) {
          r.found = true;
          r.first_key = kept_keys_ == 0;
          r.key = key;
          r.total = static_cast<double>(k);
          r.size = 1;
          r.first = k;
          r.xs.push_back(xk);
        }
      } else if (key == r.key) {
        r.total += static_cast<double>(k);
        ++r.size;
        r.xs.push_back(xk);
      } else {
        r.done = true;
        --active_;
      }
    }
    if (!nan) ++kept_keys_;
    open_ = 0;
    next_p_ = kInf;
    for (const Run& r : runs_) {
      if (r.found && !r.done) ++open_;
      if (!r.found) next_p_ = std::min(next_p_, r.p);
    }
  }

  // add(x_at(i), y_at(i)) for i in [begin, end), stopping once the sequence is found not monotone; the
  // state afterwards is the one those calls to add leave. Most positions of a curve change nothing in the
  // runs (a repeated y; a NaN while no run is open; a new y while no run is open and either every run is
  // done or y is below every threshold not reached: key = y + shift <= y + kTol < p, rounding being
  // monotone): quiet_prefix takes those in a tight loop, add the others.
  template <class XAt, class YAt>
  void add_range(std::size_t begin, std::size_t end, const XAt& x_at, const YAt& y_at) {
    if (begin >= end) return;
    for (std::size_t i = begin; i < end && monotone_;) {
      if (kept_ > 0 && open_ == 0) {
        i = quiet_prefix(i, end, y_at);
        if (i == end || !monotone_) break;
      }
      add(x_at(i), y_at(i));
      ++i;
    }
    if (monotone_) last_x_ = x_at(end - 1);
  }

  bool monotone() const { return monotone_; }

  std::vector<double> finish() const {
    std::vector<double> out(probs_.size(), kNaN);
    if (probs_.empty() || count_ == 0) return out;
    if (ymax_ < pmin_) return out;
    const double xmax = last_x_;
    auto at = [](const Run& r) {
      if (!r.found || (r.first_key && r.p < r.key)) return kNaN;
      const double index = r.total / static_cast<double>(r.size);
      return r.xs[static_cast<std::size_t>(index) - r.first];
    };
    for (std::size_t q = 0; q < probs_.size(); ++q) {
      const double p = probs_[q];
      const double a1 = at(runs_[2 * q]);
      const double a2 = at(runs_[2 * q + 1]);
      double value = (a1 + a2) / 2.0;
      if (p == 0.0) value = x0_;
      if (!std::isnan(y_kept_last_) && std::fabs(p - y_kept_last_) < kTol) value = (a1 + xmax) / 2.0;
      out[q] = value;
    }
    return out;
  }

 private:
  static constexpr double kTol = kFindqTol;

  // The positions from i on that add would change no run with (kept_ > 0 and no run open), with add's
  // bookkeeping (last_x_ excepted: add_range sets it); returns the first position that needs add (or end,
  // or where the sequence stopped being monotone). The state lives in locals, written back once.
  template <class YAt>
  std::size_t quiet_prefix(std::size_t i, std::size_t end, const YAt& y_at) {
    std::size_t count = count_, kept = kept_, kept_keys = kept_keys_;
    double last_value = last_value_, y_kept_last = y_kept_last_;
    bool have_last = have_last_, seen_nan = seen_nan_;
    const bool all_done = active_ == 0;
    const double threshold = next_p_;
    for (; i < end; ++i) {
      const double v = y_at(i);
      if (std::isnan(v)) {
        ++count;
        if (!seen_nan) {
          seen_nan = true;
          ++kept;
          y_kept_last = v;
        }
        continue;
      }
      if (v < last_value) {
        monotone_ = false;
        break;
      }
      if (!(have_last && v == last_value)) {
        if (!all_done && !(v + kTol < threshold)) break;
        ++kept;
        ++kept_keys;
        y_kept_last = v;
      }
      ++count;
      have_last = true;
      last_value = v;
    }
    count_ = count;
    kept_ = kept;
    kept_keys_ = kept_keys;
    if (have_last) ymax_ = std::max(ymax_, last_value);  // the largest non-NaN y: while monotone, the last
    last_value_ = last_value;
    y_kept_last_ = y_kept_last;
    have_last_ = have_last;
    seen_nan_ = seen_nan;
    return i;
  }
  struct Run {
    double p = 0.0, shift = 0.0;
    bool found = false, done = false, first_key = false;
    double key = 0.0, total = 0.0;
    std::size_t size = 0, first = 0;
    std::vector<double> xs;
  };
  std::vector<double> probs_;
  std::vector<Run> runs_;
  std::size_t active_ = 0, count_ = 0, kept_ = 0, kept_keys_ = 0;
  std::size_t open_ = 0;  // runs found and not done
  double next_p_ = kInf;  // the smallest p of the runs not found
  double pmin_ = 0.0, ymax_ = -kInf, last_value_ = -kInf, x0_ = 0.0, y_kept_last_ = 0.0, last_x_ = 0.0;
  bool have_last_ = false, seen_nan_ = false, monotone_ = true;
};

// The same result as find_quantiles_reference on x = (x_at(0), ..., x_at(count - 1)) and likewise y, without
// building any full-length array when the non-NaN y are non-decreasing (the common case; otherwise the arrays
// are materialized and the reference path runs).
template <class XAt, class YAt>
std::vector<double> find_quantiles_at(std::size_t count, const XAt& x_at, const YAt& y_at,
                                      std::span<const double> probs) {
  QuantileScan scan(probs);
  scan.add_range(0, count, x_at, y_at);
  if (scan.monotone()) return scan.finish();
  std::vector<double> x(count), y(count);
  for (std::size_t j = 0; j < count; ++j) {
    x[j] = x_at(j);
    y[j] = y_at(j);
  }
  return find_quantiles_reference(x, y, probs);
}

}  // namespace mmsim::stats::detail
