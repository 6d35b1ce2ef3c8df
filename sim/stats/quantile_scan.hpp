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
    if (!probs_.empty()) pmin_ = *std::min_element(probs_.begin(), probs_.end());
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
  static constexpr double kTol = 1.4901161193847656e-08;  // sqrt(.Machine$double.eps)
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
  double pmin_ = 0.0, ymax_ = -kInf, last_value_ = -kInf, x0_ = 0.0, y_kept_last_ = 0.0, last_x_ = 0.0;
  bool have_last_ = false, seen_nan_ = false, monotone_ = true;
};

}  // namespace mmsim::stats::detail
