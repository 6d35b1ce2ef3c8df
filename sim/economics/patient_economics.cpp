#include "sim/economics/patient_economics.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace mmsim::economics {
namespace {

std::uint64_t integer_value(const TableBuffer& rows, std::size_t r, const Condition& c) {
  switch (c.type) {
    case FieldType::i32:
      return static_cast<std::uint64_t>(rows.get<std::int32_t>(r, c.field));
    case FieldType::u32:
      return rows.get<std::uint32_t>(r, c.field);
    case FieldType::u64:
      return rows.get<std::uint64_t>(r, c.field);
    default:
      return rows.get<std::uint8_t>(r, c.field);
  }
}

double years(double months) {
  return months / kMonthsPerYear;
}

}  // namespace

PatientEconomics::PatientEconomics(EconomicsSpec spec)
    : spec_(std::move(spec)),
      rho_costs_(continuous_rate(spec_.discount_costs)),
      rho_effects_(continuous_rate(spec_.discount_effects)) {}

bool PatientEconomics::matches(const Match& m, const TableBuffer& rows, std::size_t r) const {
  for (const Condition& c : m) {
    const std::uint64_t v = integer_value(rows, r, c);
    if (std::find(c.values.begin(), c.values.end(), v) == c.values.end()) return false;
  }
  return true;
}

double PatientEconomics::months(const TableBuffer& rows, std::size_t r, FieldId f) const {
  return rows.get<double>(r, f);
}

PatientValues PatientEconomics::evaluate(const TableBuffer& patients, std::size_t row, RowRange events,
                                         RowRange lines, std::vector<LineValues>* line_values) const {
  const EconomicsSpec& s = spec_;
  double end_months = patients.get<double>(row, s.follow_up_time);
  if (!(end_months > 0.0)) end_months = 0.0;  // NaN (undefined) or 0: no follow-up
  end_months = std::min(end_months, s.horizon);
  const double end = years(end_months);
  // One-offs count at times in [0, end]: a death at the end of follow-up is in it.
  auto counts = [&](double t_months) { return t_months >= 0.0 && t_months <= end_months; };

  // The age factor norm(age0 + t) / norm(age0) as a quadratic in t years.
  Quadratic age_factor;
  if (s.age_adjustment) {
    const AgeAdjustment& a = *s.age_adjustment;
    const double age0 = patients.get<double>(row, a.age_column);
    const double male = a.sex_column ? patients.get<std::uint8_t>(row, *a.sex_column) : 0.0;
    const double n0 = a.intercept + a.male * male + a.age * age0 + a.age_squared * age0 * age0;
    age_factor = {1.0, (a.age + 2.0 * a.age_squared * age0) / n0, a.age_squared / n0};
  }

  // The state timeline, clipped to [0, end).
  std::vector<Segment> segments;
  {
    double from = 0.0;
    std::uint8_t state = s.initial_state;
    auto close = [&](double to) {
      to = std::min(to, end);
      if (to > from) segments.push_back({from, to, s.state_utility[state], state});
      from = std::max(from, to);
    };
    for (std::size_t r = events.begin; r < events.end; ++r) {
      const double t = years(events.rows->get<double>(r, s.event_time));
      if (t >= end) break;
      close(t);
      state = events.rows->get<std::uint8_t>(r, s.event_to);
    }
    close(end);
  }

  double cost = 0.0, cost_u = 0.0, loss = 0.0, loss_u = 0.0;
  const std::size_t n_lines = lines.rows ? lines.end - lines.begin : 0;
  if (line_values) line_values->assign(n_lines, LineValues{});
  // Line-based utilities split the state segments at their bounds and override their utility.
  for (std::size_t i = 0; i < n_lines; ++i) {
    const std::size_t r = lines.begin + i;
    const TableBuffer& L = *lines.rows;
    double line_cost = 0.0, line_cost_u = 0.0, line_loss = 0.0, line_loss_u = 0.0;
    for (const LineCost& x : s.line_costs) {
      const double t = months(L, r, x.at);
      if (!counts(t) || !matches(x.match, L, r)) continue;
      line_cost_u += x.cost;
      line_cost += x.cost * discount_factor(rho_costs_, years(t));
    }
    const double ts = months(L, r, s.treatment_start),
                 te = std::min(months(L, r, s.treatment_end), end_months);
    for (const TreatmentCost& x : s.treatment_costs) {
      if (!(te > ts) || !(ts >= 0.0) || !matches(x.match, L, r)) continue;
      double from = ts;
      for (const Phase& p : x.phases) {
        const double to = std::min(from + p.months, te);
        if (to > from) {
          line_cost_u += p.monthly_cost * (to - from);
          line_cost +=
              p.monthly_cost * kMonthsPerYear * discounted_integral(rho_costs_, years(from), years(to));
        }
        from += p.months;
        if (!(from < te)) break;
      }
    }
    for (const Disutility& x : s.disutilities) {
      const double t = months(L, r, x.at);
      if (!counts(t) || !matches(x.match, L, r)) continue;
      line_loss_u += x.qaly_loss;
      line_loss += x.qaly_loss * discount_factor(rho_effects_, years(t));
    }
    for (const LineUtility& x : s.line_utilities) {
      if (!matches(x.match, L, r)) continue;
      const double a = years(months(L, r, x.from)), b = std::min(years(months(L, r, x.to)), end);
      if (!(b > a) || !(a >= 0.0)) break;  // the first matching rule decides, also when it spans nothing
      std::vector<Segment> split;
      for (const Segment& g : segments) {
        const double lo = std::max(g.from, a), hi = std::min(g.to, b);
        const bool applies = hi > lo && (x.states.empty() || x.states[g.state]);
        if (!applies) {
          split.push_back(g);
          continue;
        }
        if (lo > g.from) split.push_back({g.from, lo, g.utility, g.state});
        split.push_back({lo, hi, x.utility, g.state});
        if (g.to > hi) split.push_back({hi, g.to, g.utility, g.state});
      }
      segments = std::move(split);
      break;
    }
    cost += line_cost;
    cost_u += line_cost_u;
    loss += line_loss;
    loss_u += line_loss_u;
    if (line_values) (*line_values)[i] = {line_cost, -line_loss, line_cost_u, -line_loss_u};
  }

  for (std::size_t r = events.begin; r < events.end; ++r) {
    const double t = events.rows->get<double>(r, s.event_time);
    if (!counts(t)) continue;
    for (const EventCost& x : s.event_costs) {
      if (!matches(x.match, *events.rows, r)) continue;
      cost_u += x.cost;
      cost += x.cost * discount_factor(rho_costs_, years(t));
    }
  }

  double qaly = 0.0, qaly_u = 0.0;
  for (const Segment& g : segments) {
    for (const StateCost& x : s.state_costs) {
      if (!x.states[g.state]) continue;
      cost_u += x.monthly_cost * (g.to - g.from) * kMonthsPerYear;
      cost += x.monthly_cost * kMonthsPerYear * discounted_integral(rho_costs_, g.from, g.to);
    }
    const Quadratic u{g.utility * age_factor.c0, g.utility * age_factor.c1, g.utility * age_factor.c2};
    const DiscountedPair q = discounted_integrals(rho_effects_, g.from, g.to, u);
    qaly += q.discounted;
    qaly_u += q.undiscounted;
  }
  // Each line's QALYs: the utility accrued over [line_start, line_end).
  for (std::size_t i = 0; line_values && i < n_lines; ++i) {
    const std::size_t r = lines.begin + i;
    const double a = years(months(*lines.rows, r, s.line_start));
    const double b = std::min(years(months(*lines.rows, r, s.line_end)), end);
    if (!(b > a)) continue;
    for (const Segment& g : segments) {
      const double lo = std::max(g.from, a), hi = std::min(g.to, b);
      if (!(hi > lo)) continue;
      const Quadratic u{g.utility * age_factor.c0, g.utility * age_factor.c1, g.utility * age_factor.c2};
      const DiscountedPair q = discounted_integrals(rho_effects_, lo, hi, u);
      (*line_values)[i][1] += q.discounted;
      (*line_values)[i][3] += q.undiscounted;
    }
  }
  const double ly = discounted_integral(rho_effects_, 0.0, end);
  return {cost, qaly - loss, ly, cost_u, qaly_u - loss_u, end};
}

}  // namespace mmsim::economics
