#include "sim/report/step_tables.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "sim/stats/pointwise_ci.hpp"

namespace mmsim::report {
namespace {

// Which of `cells` equal cells of [0, last] holds t.
std::size_t cell_of(double t, double last, std::size_t cells) {
  if (!(last > 0.0)) return 0;
  const double c = std::floor(t / last * static_cast<double>(cells));
  return std::min(cells - 1, static_cast<std::size_t>(std::max(0.0, c)));
}

// Running totals of per-row counts: total[j] = sum of counts[0..j].
std::vector<std::uint64_t> cumulative(std::span<const std::int64_t> counts) {
  std::vector<std::uint64_t> total(counts.size());
  std::uint64_t sum = 0;
  for (std::size_t j = 0; j < counts.size(); ++j) total[j] = sum += static_cast<std::uint64_t>(counts[j]);
  return total;
}

// Index of the last row with time <= t, or -1 before the first row.
std::ptrdiff_t last_at_or_before(std::span<const double> times, double t) {
  return std::upper_bound(times.begin(), times.end(), t) - times.begin() - 1;
}

// Patients at risk just before t: those whose time is >= t.
std::uint64_t at_risk(std::span<const double> times, std::span<const std::int64_t> n_risk, double t) {
  const auto j = static_cast<std::size_t>(std::lower_bound(times.begin(), times.end(), t) - times.begin());
  return j < times.size() ? static_cast<std::uint64_t>(n_risk[j]) : 0;
}

}  // namespace

std::vector<std::size_t> thinned_rows(std::span<const double> times, const StepOptions& opt) {
  std::vector<std::size_t> rows;
  const std::size_t m = times.size();
  if (m <= opt.max_rows || opt.grid_cells == 0) {
    rows.resize(m);
    for (std::size_t j = 0; j < m; ++j) rows[j] = j;
    return rows;
  }
  const double last = times.back();
  // cell_of is non-decreasing in t (division, multiplication and floor round monotonically), so the rows of
  // one cell are contiguous: each cell's last row is found by a galloping search instead of computing every
  // row's cell. The rows kept are exactly those whose neighbour on either side lies in another cell.
  for (std::size_t j = 0; j < m;) {
    const std::size_t c = cell_of(times[j], last, opt.grid_cells);
    const auto in_cell = [&](std::size_t k) { return cell_of(times[k], last, opt.grid_cells) == c; };
    std::size_t lo = j, step = 1;  // in_cell(lo) holds
    while (lo + step < m && in_cell(lo + step)) {
      lo += step;
      step *= 2;
    }
    std::size_t hi = std::min(lo + step, m);  // in_cell fails at hi (or hi == m)
    while (hi - lo > 1) {
      const std::size_t mid = lo + (hi - lo) / 2;
      if (in_cell(mid)) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    rows.push_back(j);
    if (lo != j) rows.push_back(lo);
    j = lo + 1;
  }
  return rows;
}

std::vector<double> risk_times(double last_time, const StepOptions& opt) {
  std::vector<double> out;
  if (!(last_time >= 0.0) || !std::isfinite(last_time)) return out;
  double step = kRiskSteps[std::size(kRiskSteps) - 1];
  for (const double s : kRiskSteps) {
    if (std::floor(last_time / s) + 1.0 <= static_cast<double>(opt.max_risk_rows)) {
      step = s;
      break;
    }
  }
  for (double k = 0.0; k * step <= last_time; k += 1.0) out.push_back(k * step);
  return out;
}

KmSteps km_steps(const std::string& endpoint, const stats::KaplanMeier& km, const StepOptions& opt) {
  KmSteps out;
  out.endpoint = endpoint;
  out.n = km.n;
  out.distinct_times = km.time.size();
  if (km.time.empty()) return out;
  // The running event and censoring totals handed to the stored rows (ascending) and to the risk-table times
  // (ascending; each takes the totals of its last row <= t): summed up to each in a loop without a branch a
  // row (once for the stored rows, once for the risk times), where one pass tested every row for both.
  const std::vector<std::size_t> kept = thinned_rows(km.time, opt);
  const std::vector<double> risk = risk_times(km.time.back(), opt);
  // The censorings up to a row are those who left (the first row's risk set less the next row's) less the
  // events: the table derives its censoring counts the same way.
  const std::int64_t* n_event = km.n_event.data();
  const std::size_t rows = km.time.size();
  std::uint64_t events = 0, censored = 0;
  std::size_t summed = 0;  // the totals are those of rows [0, summed)
  const auto sum_to = [&](std::size_t end) {
    std::uint64_t e = events;
    for (std::size_t j = summed; j < end; ++j) e += static_cast<std::uint64_t>(n_event[j]);
    const std::int64_t remaining = end < rows ? km.n_risk[end] : 0;
    events = e;
    censored = static_cast<std::uint64_t>(km.n_risk[0] - remaining) - e;
    summed = end;
  };
  const stats::PointwiseCi ci(km);  // stored, or computed for the kept rows only
  for (const std::size_t j : kept) {
    sum_to(j + 1);
    const stats::PointwiseLimits limits = ci(j);
    out.steps.push_back({km.time[j], km.surv[j], limits.lower, limits.upper,
                         static_cast<std::uint64_t>(km.n_risk[j]), events, censored});
  }
  events = censored = 0;
  summed = 0;
  for (const double t : risk) {
    sum_to(static_cast<std::size_t>(std::upper_bound(km.time.begin(), km.time.end(), t) - km.time.begin()));
    out.risk.push_back({t, at_risk(km.time, km.n_risk, t), events, censored});
  }
  const double last = km.time.back();
  std::size_t marked = opt.max_censor_marks;  // no cell yet
  for (std::size_t j = 0; j < km.time.size() && opt.max_censor_marks > 0; ++j) {
    if (km.n_censor(j) == 0) continue;
    const std::size_t c = cell_of(km.time[j], last, opt.max_censor_marks);
    if (c == marked) continue;
    marked = c;
    out.censor_marks.push_back({km.time[j], km.surv[j]});
  }
  return out;
}

KmStepsBuilder::KmStepsBuilder(std::string endpoint, std::uint64_t n, double last_time,
                               const StepOptions& options)
    : last_(last_time), opt_(options), marked_(options.max_censor_marks) {
  out_.endpoint = std::move(endpoint);
  out_.n = n;
  if (n > 0) risk_ = risk_times(last_time, options);
}

void KmStepsBuilder::add(const stats::KmRowEstimate& row) {
  ++out_.distinct_times;
  // Risk-table times up to this row: the first row at or after each is this one (its n_risk); the last row
  // at or before is this one for a time equal to it, else the previous (the totals before this row).
  const std::uint64_t events_before = events_, censored_before = censored_;
  events_ += static_cast<std::uint64_t>(row.events);
  censored_ += static_cast<std::uint64_t>(row.censored);
  const auto n_risk = static_cast<std::uint64_t>(row.n_risk);
  for (; next_risk_ < risk_.size() && risk_[next_risk_] <= row.time; ++next_risk_) {
    const double t = risk_[next_risk_];
    const bool here = t == row.time;
    out_.risk.push_back({t, n_risk, here ? events_ : events_before, here ? censored_ : censored_before});
  }
  if (row.censored > 0 && opt_.max_censor_marks > 0) {
    const std::size_t c = cell_of(row.time, last_, opt_.max_censor_marks);
    if (c != marked_) {
      marked_ = c;
      out_.censor_marks.push_back({row.time, row.surv});
    }
  }
  const KmStep step{row.time, row.surv, row.lower, row.upper, n_risk, events_, censored_};
  if (thinning_) {
    thin(step);
    return;
  }
  buffer_.push_back(step);
  if (buffer_.size() > opt_.max_rows && opt_.grid_cells > 0) {
    // Longer than max_rows: thinned after all, from the first row.
    thinning_ = true;
    for (const KmStep& b : buffer_) thin(b);
    std::vector<KmStep>().swap(buffer_);
  }
}

// thinned_rows' rule one row late: a row is kept when it is the first of its cell or, once the next row is
// seen, the last.
void KmStepsBuilder::thin(const KmStep& step) {
  const std::size_t c = cell_of(step.time, last_, opt_.grid_cells);
  bool first = true;
  if (pending_) {
    first = pending_->cell != c;
    if (pending_->first || first) out_.steps.push_back(pending_->step);
  }
  pending_ = Pending{step, c, first};
}

KmSteps KmStepsBuilder::finish() {
  if (thinning_) {
    if (pending_) out_.steps.push_back(pending_->step);
    pending_.reset();
  } else {
    out_.steps = std::move(buffer_);
  }
  // Risk-table times past the last row (none when last_time was the curve's last time).
  for (; next_risk_ < risk_.size(); ++next_risk_)
    out_.risk.push_back({risk_[next_risk_], 0, events_, censored_});
  return std::move(out_);
}

KmSteps km_steps(const std::string& endpoint, std::span<const double> time,
                 std::span<const std::uint8_t> event, double conf_level, const StepOptions& opt) {
  return km_steps(endpoint, stats::kaplan_meier({time, event}, conf_level), opt);
}

IncidenceSteps incidence_steps(const std::string& analysis, const stats::CumulativeIncidence& ci,
                               const StepOptions& opt) {
  IncidenceSteps out;
  out.analysis = analysis;
  out.n = ci.n;
  out.distinct_times = ci.time.size();
  out.n_causes = ci.n_causes;
  out.estimate.resize(ci.n_causes);
  out.se.resize(ci.n_causes);
  if (ci.time.empty()) return out;
  for (const std::size_t j : thinned_rows(ci.time, opt)) {
    out.time.push_back(ci.time[j]);
    for (std::size_t k = 0; k < ci.n_causes; ++k) {
      out.estimate[k].push_back(ci.cif[k][j]);
      out.se[k].push_back(ci.se_cif[k][j]);
    }
  }
  std::vector<std::vector<std::uint64_t>> events;
  for (std::size_t k = 0; k < ci.n_causes; ++k) events.push_back(cumulative(ci.n_event[k]));
  for (const double t : risk_times(ci.time.back(), opt)) {
    const std::ptrdiff_t j = last_at_or_before(ci.time, t);
    IncidenceRisk r{t, at_risk(ci.time, ci.n_risk, t), {}};
    for (const auto& e : events) r.events.push_back(j < 0 ? 0 : e[static_cast<std::size_t>(j)]);
    out.risk.push_back(std::move(r));
  }
  return out;
}

}  // namespace mmsim::report
