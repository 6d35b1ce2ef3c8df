#include "sim/stats/streaming_km.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "sim/core/errors.hpp"
#include "sim/core/numeric.hpp"
#include "sim/stats/quantile_scan.hpp"
#include "sim/stats/stats_detail.hpp"

namespace mmsim::stats {
namespace {

// The per-row estimates of build_table, one row at a time.
class RowEstimates {
 public:
  RowEstimates(std::size_t n, double z) : at_risk_(static_cast<std::int64_t>(n)), z_(z) {}

  struct Row {
    double time, surv, se_log, se_surv, lower, upper;
    std::int64_t risk, events;
  };
  Row next(const KmTimeCount& c) {
    const std::int64_t risk = at_risk_;
    const std::int64_t d = c.events;
    if (d > 0) {
      if (risk > d) {
        const auto r = static_cast<long double>(risk);
        const auto dd = static_cast<long double>(d);
        s_ *= (r - dd) / r;
        greenwood_.add(dd / (r * (r - dd)));
      } else {
        s_ = 0.0L;
        reached_zero_ = true;
      }
    }
    Row row{};
    row.time = c.time;
    row.risk = risk;
    row.events = d;
    row.surv = static_cast<double>(s_);
    row.se_log = reached_zero_ ? kInf : std::sqrt(static_cast<double>(greenwood_.value()));
    row.se_surv = row.surv * row.se_log;
    detail::loglog_limits(row.surv, row.se_log, z_, row.lower, row.upper);
    at_risk_ -= c.events + c.censored;
    return row;
  }
  // The state before the next row (the survival product and the patients at risk).
  long double product() const { return s_; }
  std::int64_t at_risk() const { return at_risk_; }

 private:
  std::int64_t at_risk_;
  double z_;
  long double s_ = 1.0L;
  detail::CompensatedSum greenwood_;
  bool reached_zero_ = false;
};

constexpr std::size_t kBlock = 4096;  // restricted_mean's checkpoint spacing

// The state build_table carries into a block of rows, so the block's survival can be replayed.
struct ForwardState {
  long double product = 1.0L;
  std::int64_t at_risk = 0;
};

// The rows of one block (at most kBlock rows with time <= tau) and their survival and risk sets.
struct BlockRows {
  std::vector<double> time, surv;
  std::vector<std::int64_t> risk, events, censored;
  void clear() {
    for (auto* v : {&time, &surv}) v->clear();
    for (auto* v : {&risk, &events, &censored}) v->clear();
  }
  // Survival and risk of the rows from `state` on (build_table's product; its Greenwood sum is not needed).
  void replay(ForwardState state) {
    surv.resize(time.size());
    risk.resize(time.size());
    for (std::size_t i = 0; i < time.size(); ++i) {
      const std::int64_t r = state.at_risk;
      const std::int64_t d = events[i];
      if (d > 0) {
        if (r > d) {
          const auto rl = static_cast<long double>(r);
          const auto dd = static_cast<long double>(d);
          state.product *= (rl - dd) / rl;
        } else {
          state.product = 0.0L;
        }
      }
      surv[i] = static_cast<double>(state.product);
      risk[i] = r;
      state.at_risk -= d + censored[i];
    }
  }
};

}  // namespace

StreamedSummary streamed_summary(const KmRowReplay& replay, std::size_t n, std::span<const double> landmarks,
                                 double tau, double conf_level, const KmRowObserver& observer,
                                 const std::function<void(int)>& on_pass) {
  const auto pass = [&](int k) {
    if (on_pass) on_pass(k);
  };
  for (const double t : landmarks) {
    if (!std::isfinite(t) || t < 0.0)
      throw InputError(fmt::format("landmark time {} is not a finite time >= 0", t));
  }
  if (!std::isfinite(tau) || tau < 0.0)
    throw InputError(fmt::format("RMST horizon tau {} is not a finite time >= 0", tau));
  const double z = detail::normal_critical_value(conf_level);
  StreamedSummary out;
  out.n = n;
  if (n == 0) return out;

  // Pass 1, ascending: the row estimates, the landmarks' rows, the three quantile scans, and the state at
  // the start of every block of rows up to tau.
  struct LandmarkRow {
    bool any = false;
    RowEstimates::Row row{};
  };
  std::vector<LandmarkRow> at(landmarks.size());
  const double half[] = {0.5};
  detail::QuantileScan est(half), low(half), up(half);
  est.add(0.0, 0.0);
  low.add(0.0, 0.0);
  up.add(0.0, 0.0);
  RowEstimates rows(n, z);
  std::vector<ForwardState> block_start;
  std::size_t kept = 0, total_rows = 0;
  double first_time = 0.0, last_time = 0.0;
  std::int64_t used = 0;
  pass(0);
  replay(false, [&](const KmTimeCount& c) {
    if (kept % kBlock == 0 && c.time <= tau) block_start.push_back({rows.product(), rows.at_risk()});
    const RowEstimates::Row r = rows.next(c);
    if (observer) observer({r.time, r.surv, r.se_log, r.lower, r.upper, r.risk, c.events, c.censored});
    if (total_rows == 0) first_time = r.time;
    ++total_rows;
    last_time = r.time;
    out.last_surv = r.surv;
    used += c.events + c.censored;
    out.events += static_cast<std::uint64_t>(c.events);
    if (r.time <= tau) ++kept;
    for (std::size_t l = 0; l < landmarks.size(); ++l) {
      if (r.time <= landmarks[l]) at[l] = {true, r};
    }
    est.add(r.time, 1.0 - r.surv);
    low.add(r.time, 1.0 - r.lower);
    up.add(r.time, 1.0 - r.upper);
  });
  if (used != static_cast<std::int64_t>(n))
    throw std::logic_error(fmt::format("streamed curve has {} patients, expected {}", used, n));

  for (std::size_t l = 0; l < landmarks.size(); ++l) {
    LandmarkSurvival s;
    s.time = landmarks[l];
    if (!at[l].any) {
      s.surv = 1.0;
      s.se = 0.0;
      s.lower = s.upper = 1.0;
    } else if (at[l].row.surv == 0.0) {
      s.surv = s.se = s.lower = s.upper = 0.0;
    } else if (landmarks[l] > last_time) {
      s.surv = s.se = s.lower = s.upper = kNaN;
      s.beyond_follow_up = true;
    } else {
      s.surv = at[l].row.surv;
      s.se = at[l].row.se_surv;
      if (s.surv == 1.0) {
        s.lower = s.upper = 1.0;
      } else {
        detail::loglog_limits(s.surv, at[l].row.se_log, z, s.lower, s.upper);
      }
    }
    out.landmarks.push_back(s);
  }

  // The median: where a confidence limit's curve is not monotone, the general path on the whole curve.
  auto quantile = [&](detail::QuantileScan& scan, double RowEstimates::Row::*curve) {
    if (scan.monotone()) return scan.finish().front();
    std::vector<double> x{0.0}, y{0.0};
    RowEstimates again(n, z);
    replay(false, [&](const KmTimeCount& c) {
      const RowEstimates::Row r = again.next(c);
      x.push_back(r.time);
      y.push_back(1.0 - r.*curve);
    });
    return detail::find_quantiles_reference(x, y, half).front();
  };
  out.median.p = 0.5;
  out.median.time = quantile(est, &RowEstimates::Row::surv);
  out.median.lower = quantile(low, &RowEstimates::Row::lower);
  out.median.upper = quantile(up, &RowEstimates::Row::upper);
  out.median.se_equivalent = std::isfinite(out.median.lower) && std::isfinite(out.median.upper)
                                 ? (out.median.upper - out.median.lower) / (2.0 * z)
                                 : kNaN;

  // The RMST, as restricted_mean computes it.
  RestrictedMean& rm = out.rmst;
  rm.tau = tau;
  rm.extrapolated = tau > last_time;
  if (kept == 0) {
    rm.estimate = tau;
    rm.se = 0.0;
  } else {
    const std::size_t blocks = (kept + kBlock - 1) / kBlock;
    std::vector<detail::CompensatedSum> checkpoint(blocks + 1);
    BlockRows block;
    // Pass 2, descending: the right-to-left sum of (next - time) * surv, checkpointed at block starts. Each
    // block's rows are gathered, replayed forward from the block's start state for their survival, then
    // summed right to left.
    {
      detail::CompensatedSum tail;
      double next_time = tau;  // time of the row after the block, or tau after the last row
      std::size_t j_end = kept;
      auto flush = [&] {
        std::reverse(block.time.begin(), block.time.end());
        std::reverse(block.events.begin(), block.events.end());
        std::reverse(block.censored.begin(), block.censored.end());
        const std::size_t lo = j_end - block.time.size();
        block.replay(block_start[lo / kBlock]);
        for (std::size_t i = block.time.size(); i-- > 0;) {
          const std::size_t j = lo + i;
          const double next = i + 1 < block.time.size() ? block.time[i + 1] : next_time;
          tail.add(static_cast<long double>(next - block.time[i]) * static_cast<long double>(block.surv[i]));
          if (j % kBlock == 0) checkpoint[j / kBlock] = tail;
        }
        next_time = block.time.front();
        j_end = lo;
        block.clear();
      };
      pass(1);
      replay(true, [&](const KmTimeCount& c) {
        if (c.time > tau) return;
        block.time.push_back(c.time);
        block.events.push_back(c.events);
        block.censored.push_back(c.censored);
        if ((j_end - block.time.size()) % kBlock == 0) flush();
      });
    }
    rm.estimate = static_cast<double>(static_cast<long double>(first_time) + checkpoint[0].value());
    // Pass 3, ascending: each block's sums from its right-hand checkpoint, and the variance left to right.
    detail::CompensatedSum variance;
    std::vector<long double> after;
    std::size_t lo = 0;
    auto finish_block = [&](double next_time) {
      block.replay(block_start[lo / kBlock]);
      const std::size_t size = block.time.size();
      after.assign(size, 0.0L);
      detail::CompensatedSum block_tail = checkpoint[lo / kBlock + 1];
      for (std::size_t i = size; i-- > 0;) {
        const double next = i + 1 < size ? block.time[i + 1] : next_time;
        block_tail.add(static_cast<long double>(next - block.time[i]) *
                       static_cast<long double>(block.surv[i]));
        after[i] = block_tail.value();
      }
      for (std::size_t i = 0; i < size; ++i) {
        const std::int64_t r = block.risk[i];
        const std::int64_t d = block.events[i];
        if (d == 0 || r == d) continue;
        const auto rl = static_cast<long double>(r);
        const auto dl = static_cast<long double>(d);
        const long double a = after[i];
        variance.add(a * a * dl / (rl * (rl - dl)));
      }
      lo += size;
      block.clear();
    };
    pass(2);
    replay(false, [&](const KmTimeCount& c) {
      if (c.time > tau) return;
      if (block.time.size() == kBlock) finish_block(c.time);
      block.time.push_back(c.time);
      block.events.push_back(c.events);
      block.censored.push_back(c.censored);
    });
    if (!block.time.empty()) finish_block(tau);
    rm.se = std::sqrt(static_cast<double>(variance.value()));
  }
  rm.lower = rm.estimate - z * rm.se;
  rm.upper = rm.estimate + z * rm.se;
  return out;
}

}  // namespace mmsim::stats
