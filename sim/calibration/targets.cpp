#include "sim/calibration/targets.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "sim/calibration/text_template.hpp"
#include "sim/core/errors.hpp"
#include "sim/stats/cox.hpp"
#include "sim/stats/kaplan_meier.hpp"

namespace mmsim::calibration {
namespace {

constexpr double kZ = 1.959963984540054;

double scale(Statistic s, double v) {
  return log_scale(s) ? std::log(v) : v;
}

// Rates and landmarks are proportions with a binomial SE from n.
bool is_proportion(Statistic s) {
  return s == Statistic::rate || s == Statistic::survival_at || s == Statistic::failure_at;
}

const SurvivalColumns& endpoint_of(const Target& t, const ArmColumns& arm) {
  const auto it = arm.endpoints.find(t.kind.column);
  if (it == arm.endpoints.end())
    throw InputError(fmt::format("target {}: the model has no endpoint {}", t.evidence, t.kind.column));
  return it->second;
}

std::span<const std::uint8_t> outcome_of(const Target& t, const ArmColumns& arm, const std::string& column) {
  const auto it = arm.outcomes.find(column);
  if (it == arm.outcomes.end())
    throw InputError(fmt::format("target {}: the model has no outcome column {}", t.evidence, column));
  return it->second;
}

}  // namespace

bool parse_statistic(const std::string& name, Statistic& statistic) {
  constexpr std::pair<const char*, Statistic> kNames[] = {{"rate", Statistic::rate},
                                                          {"median", Statistic::median},
                                                          {"survival_at", Statistic::survival_at},
                                                          {"hazard_ratio", Statistic::hazard_ratio},
                                                          {"failure_at", Statistic::failure_at}};
  for (const auto& [n, s] : kNames) {
    if (name == n) {
      statistic = s;
      return true;
    }
  }
  return false;
}

bool log_scale(Statistic statistic) {
  return statistic == Statistic::median || statistic == Statistic::hazard_ratio;
}

std::string Target::label() const {
  return fill_template(kind.label,
                       {{"arm", arm}, {"reference", reference}, {"time", fmt::format("{:g}", time)}});
}

double published_se(const Target& t) {
  const Statistic st = t.kind.statistic;
  double se = kNaN;
  if (std::isfinite(t.ci_low) && std::isfinite(t.ci_high) && t.ci_high > t.ci_low &&
      (!log_scale(st) || t.ci_low > 0)) {
    se = (scale(st, t.ci_high) - scale(st, t.ci_low)) / (2.0 * kZ);
  } else if (is_proportion(st)) {
    if (std::isfinite(t.n) && t.n > 0) {
      const double p = std::clamp(t.value, 0.5 / t.n, 1.0 - 0.5 / t.n);
      se = std::sqrt(p * (1.0 - p) / t.n);
    }
  } else if (st == Statistic::median && std::isfinite(t.n) && t.n > 0) {
    se = 1.0 / std::sqrt(t.n / 2.0);
  }
  if (!std::isfinite(se)) se = log_scale(st) ? 0.1 : 0.1 * std::fabs(t.value);
  return std::max(se, 1e-3);
}

double residual(const Target& t, double simulated) {
  const Statistic st = t.kind.statistic;
  if (!std::isfinite(simulated) || (log_scale(st) && simulated <= 0)) return 3.0 + 100.0;
  return (scale(st, simulated) - scale(st, t.value)) / published_se(t);
}

namespace {

bool has_ci(const Target& t) {
  return std::isfinite(t.ci_low) && std::isfinite(t.ci_high);
}

// The acceptance band of `passes`.
std::pair<double, double> band(const Target& t) {
  if (has_ci(t)) return {t.ci_low, t.ci_high};
  return {t.value - 0.1 * std::fabs(t.value), t.value + 0.1 * std::fabs(t.value)};
}

}  // namespace

double band_residual(const Target& t, double simulated, double margin) {
  const Statistic st = t.kind.statistic;
  if (!std::isfinite(simulated) || (log_scale(st) && simulated <= 0)) return 0.0;
  auto [lo, hi] = band(t);
  margin = std::min(margin, 0.5 * (hi - lo));
  lo += margin;
  hi -= margin;
  const double g = scale(st, simulated);
  if (simulated < lo) return (g - scale(st, lo)) / published_se(t);
  if (simulated > hi) return (g - scale(st, hi)) / published_se(t);
  return 0.0;
}

double objective_term(const Target& t, double simulated) {
  const double r = residual(t, simulated), b = band_residual(t, simulated);
  return t.weight * (r * r + b * b);
}

bool passes(const Target& t, double simulated) {
  if (!std::isfinite(simulated)) return false;
  const auto [lo, hi] = band(t);
  return simulated >= lo && simulated <= hi;
}

Simulated simulate_target(const Target& t, const ArmColumns& arm, const ArmColumns* reference) {
  Simulated out;
  const Statistic st = t.kind.statistic;
  if (st == Statistic::rate) {
    const auto values = outcome_of(t, arm, t.kind.column);
    // A population cannot define its own rate: a rate of the denominator column is taken among everyone.
    const bool restricted = !t.denominator.empty() && t.denominator != t.kind.column;
    const auto denom = restricted ? outcome_of(t, arm, t.denominator) : std::span<const std::uint8_t>();
    double num = 0, n = 0;
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (restricted && denom[i] == 0) continue;
      n += 1;
      num += values[i];
    }
    if (n > 0) {
      out.value = num / n;
      out.se = std::sqrt(out.value * (1 - out.value) / n);
    }
    return out;
  }
  const SurvivalColumns& ep = endpoint_of(t, arm);
  if (st == Statistic::median || st == Statistic::survival_at || st == Statistic::failure_at) {
    // Among the target's population only, where it names one (e.g. OS among complete responders).
    std::vector<double> kept_time;
    std::vector<std::uint8_t> kept_event;
    if (!t.denominator.empty()) {
      const auto admit = outcome_of(t, arm, t.denominator);
      for (std::size_t i = 0; i < ep.time.size(); ++i) {
        if (admit[i] == 0) continue;
        kept_time.push_back(ep.time[i]);
        kept_event.push_back(ep.event[i]);
      }
    }
    const stats::SurvivalSample sample = t.denominator.empty() ? stats::SurvivalSample{ep.time, ep.event}
                                                               : stats::SurvivalSample{kept_time, kept_event};
    const stats::KaplanMeier km = stats::kaplan_meier(sample);
    if (st == Statistic::median) {
      const auto q = stats::median_survival(km);
      out.value = q.time;
      out.se = q.se_equivalent;
    } else {
      const auto l = stats::survival_at(km, t.time);
      out.value = st == Statistic::failure_at ? 1.0 - l.surv : l.surv;
      out.se = l.se;
    }
    return out;
  }
  // Hazard ratio: the two arms stacked as independent samples.
  if (reference == nullptr)
    throw InputError(fmt::format("target {}: a hazard ratio needs a reference arm", t.evidence));
  const SurvivalColumns& ref = endpoint_of(t, *reference);
  std::vector<double> time(ep.time.begin(), ep.time.end());
  std::vector<std::uint8_t> event(ep.event.begin(), ep.event.end());
  std::vector<std::uint32_t> group(time.size(), 1);
  time.insert(time.end(), ref.time.begin(), ref.time.end());
  event.insert(event.end(), ref.event.begin(), ref.event.end());
  group.resize(time.size(), 0);
  const auto cox = stats::cox_hazard_ratio(stats::SurvivalSample{time, event}, group, 1, 0);
  if (cox.finite) {
    out.value = cox.hr;
    out.se = cox.hr * cox.se_log_hr;  // delta method, natural scale
  }
  return out;
}

}  // namespace mmsim::calibration
