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

// The events of the endpoint a rate counts only where observed (empty: every patient counts).
std::span<const std::uint8_t> observed_events(const Target& t, const ArmColumns& arm) {
  if (t.kind.observed_on.empty()) return {};
  const auto it = arm.endpoints.find(t.kind.observed_on);
  if (it == arm.endpoints.end())
    throw InputError(fmt::format("target {}: the model has no endpoint {}", t.evidence, t.kind.observed_on));
  return it->second.event;
}

// Whether each patient of an arm is in a subgroup (all of them for an empty one).
std::vector<std::uint8_t> members(const Target& t, const ArmColumns& arm, const Subgroup& g, std::size_t n) {
  std::vector<std::uint8_t> in(n, 1);
  if (g.empty()) return in;
  std::vector<std::size_t> count(n, 0);
  for (const auto& column : g.columns) {
    const auto values = outcome_of(t, arm, column);
    for (std::size_t i = 0; i < n; ++i) count[i] += values[i] != 0 ? 1 : 0;
  }
  for (std::size_t i = 0; i < n; ++i) in[i] = count[i] >= g.at_least && count[i] <= g.at_most;
  return in;
}

// The patients of `arm` on endpoint `ep` that `admit` keeps.
stats::SurvivalSample kept(const SurvivalColumns& ep, const std::vector<std::uint8_t>& admit,
                           std::vector<double>& time, std::vector<std::uint8_t>& event) {
  for (std::size_t i = 0; i < ep.time.size(); ++i) {
    if (admit[i] == 0) continue;
    time.push_back(ep.time[i]);
    event.push_back(ep.event[i]);
  }
  return stats::SurvivalSample{time, event};
}

// Whether a rate's column counts a patient's value: one of the kind's codes, or a 1 without codes.
bool counted(const TargetKind& k, std::uint8_t v) {
  if (k.codes.empty()) return v != 0;
  return std::find(k.codes.begin(), k.codes.end(), v) != k.codes.end();
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

std::string Subgroup::name() const {
  if (!label.empty() || columns.empty()) return label;
  const std::string of = fmt::format("{}", fmt::join(columns, ", "));
  if (columns.size() == 1 && at_least == 1) return of + " = 1";
  if (at_most == 0) return columns.size() == 1 ? of + " = 0" : "none of " + of;
  std::string bounds;
  if (at_least > 0) bounds = fmt::format(">= {}", at_least);
  if (at_most != std::numeric_limits<std::size_t>::max())
    bounds += fmt::format("{}<= {}", bounds.empty() ? "" : ", ", at_most);
  return fmt::format("{} of {}", bounds, of);
}

std::string Target::label() const {
  std::string text = fill_template(kind.label, {{"arm", arm},
                                                {"reference", reference},
                                                {"time", fmt::format("{:g}", time)},
                                                {"subgroup", subgroup.name()},
                                                {"reference_subgroup", reference_subgroup.name()}});
  const bool placed = kind.label.find("{subgroup}") != std::string::npos;
  if (placed || (subgroup.empty() && reference_subgroup.empty())) return text;
  if (reference_subgroup.empty()) return fmt::format("{} [{}]", text, subgroup.name());
  return fmt::format("{} [{} : {}]", text, subgroup.empty() ? "all" : subgroup.name(),
                     reference_subgroup.name());
}

double compared_value(const Target& t, const Simulated& sim) {
  if (std::isfinite(sim.value) || t.kind.statistic != Statistic::median) return sim.value;
  return std::isfinite(sim.beyond) && sim.beyond >= t.value ? sim.beyond : kNaN;
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
    const auto in = members(t, arm, t.subgroup, values.size());
    const std::span<const std::uint8_t> observed = observed_events(t, arm);
    double num = 0, n = 0;
    for (std::size_t i = 0; i < values.size(); ++i) {
      if ((restricted && denom[i] == 0) || in[i] == 0) continue;
      n += 1;
      num += counted(t.kind, values[i]) && (observed.empty() || observed[i] == 1) ? 1 : 0;
    }
    if (n > 0) {
      out.value = num / n;
      out.se = std::sqrt(out.value * (1 - out.value) / n);
    }
    return out;
  }
  const SurvivalColumns& ep = endpoint_of(t, arm);
  if (st == Statistic::median || st == Statistic::survival_at || st == Statistic::failure_at) {
    // Among the target's population and subgroup only, where it names them (e.g. OS among complete
    // responders, PFS among patients with >= 3 risk factors).
    std::vector<std::uint8_t> admit = members(t, arm, t.subgroup, ep.time.size());
    if (!t.denominator.empty()) {
      const auto population = outcome_of(t, arm, t.denominator);
      for (std::size_t i = 0; i < admit.size(); ++i) admit[i] = admit[i] != 0 && population[i] != 0;
    }
    std::vector<double> kept_time;
    std::vector<std::uint8_t> kept_event;
    const bool all = t.denominator.empty() && t.subgroup.empty();
    const stats::SurvivalSample sample =
        all ? stats::SurvivalSample{ep.time, ep.event} : kept(ep, admit, kept_time, kept_event);
    const stats::KaplanMeier km = stats::kaplan_meier(sample);
    if (st == Statistic::median) {
      const auto q = stats::median_survival(km);
      out.value = q.time;
      out.se = q.se_equivalent;
      if (!std::isfinite(out.value) && !km.time.empty()) out.beyond = km.time.back();
    } else {
      const auto l = stats::survival_at(km, t.time);
      out.value = st == Statistic::failure_at ? 1.0 - l.surv : l.surv;
      out.se = l.se;
    }
    return out;
  }
  // Hazard ratio: the two groups stacked as independent samples (two arms, or two subgroups of one arm).
  if (reference == nullptr)
    throw InputError(fmt::format("target {}: a hazard ratio needs a reference arm", t.evidence));
  const SurvivalColumns& ref = endpoint_of(t, *reference);
  std::vector<double> time;
  std::vector<std::uint8_t> event;
  kept(ep, members(t, arm, t.subgroup, ep.time.size()), time, event);
  std::vector<std::uint32_t> group(time.size(), 1);
  kept(ref, members(t, *reference, t.reference_subgroup, ref.time.size()), time, event);
  group.resize(time.size(), 0);
  const auto cox = stats::cox_hazard_ratio(stats::SurvivalSample{time, event}, group, 1, 0);
  if (cox.finite) {
    out.value = cox.hr;
    out.se = cox.hr * cox.se_log_hr;  // delta method, natural scale
  }
  return out;
}

}  // namespace mmsim::calibration
