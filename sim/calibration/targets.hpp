#pragma once
// Calibration targets: published trial figures (named by evidence id), how a simulated trial arm is scored
// against them, and how the objective weights them (docs/calibration.md). Model-agnostic: a target is one
// statistic (a rate, a median, a landmark, a hazard ratio) of a column the trial config names, read from a
// run's endpoint and binary outcome columns by name.
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <span>
#include <string>

#include "sim/core/numeric.hpp"

namespace mmsim::calibration {

using mmsim::kNaN;

// What a target measures. rate: the share of 1s in a binary outcome column; median, survival_at (a landmark
// at the target's time), failure_at (1 - the landmark: the share with the event by that time, e.g. early
// progression) and hazard_ratio (arm : reference, Cox) on a survival endpoint.
enum class Statistic { rate, median, survival_at, hazard_ratio, failure_at };

// Parses a statistic name ("rate", "median", "survival_at", "hazard_ratio", "failure_at").
bool parse_statistic(const std::string& name, Statistic& statistic);
// Rates and landmarks are proportions; medians (months) and hazard ratios are compared on the log scale.
bool log_scale(Statistic statistic);

// A kind of target, defined by the trial config ([trial.kinds.NAME], docs/calibration.md): which statistic of
// which column, and how the fit table names it.
struct TargetKind {
  std::string name;  // e.g. "median_os"
  Statistic statistic = Statistic::rate;
  std::string column;  // rate: the binary outcome column; otherwise: the survival endpoint
  std::string label;   // template with {arm}, {reference} and {time}, e.g. "median OS, mo ({arm})"
};

struct Target {
  std::string trial, evidence, arm, reference, note;
  TargetKind kind;
  // The binary outcome column that admits a patient (the target's population): the denominator of a rate, or
  // the patients a median or landmark analyses (only where the target names its population, e.g. OS among
  // complete responders); empty: every patient of the arm (intention to treat) or whom the endpoint admits.
  std::string denominator;
  double time = kNaN;  // landmark (survival_at, failure_at)
  // Published figure (from the evidence table unless the config gives it).
  double value = kNaN, ci_low = kNaN, ci_high = kNaN, n = kNaN, median_followup = kNaN;
  // Multiplies the target's squared residual and band term in the objective (a weaker figure, e.g. one its
  // source flags as not verified, counts less: 0.25 = its SE doubled). The pass rule ignores it.
  double weight = 1.0;
  std::string source;
  std::string label() const;  // the kind's label filled in, e.g. "OS at 12 mo (treatment)"
};

// Standard error of the published figure on the comparison scale (log for medians and HRs): from the 95% CI
// where one is given ((hi - lo) / (2 * 1.96), on the log scale for log-scale statistics); otherwise, for a
// rate or landmark with n, the binomial sqrt(p (1 - p) / n) (p kept within [0.5/n, 1 - 0.5/n]); otherwise,
// for a median with n, 1 / sqrt(n / 2) (exponential approximation with half of the patients progressed at the
// median); otherwise 10% of the value (0.1 on the log scale). Never below 1e-3 on the comparison scale.
double published_se(const Target& t);

// Contribution of one target to the objective: weight * (residual^2 + band_residual^2) (band without margin:
// the report).
double objective_term(const Target& t, double simulated);
// (g(sim) - g(published)) / published_se with g the comparison scale. NaN sim (e.g. a median not reached)
// scores as if 3 SEs away plus 100.
double residual(const Target& t, double simulated);

// The pass rule of the fit table: inside the published 95% CI where one is given, otherwise within 10%
// relative of the published value.
bool passes(const Target& t, double simulated);

// A simulated value with its Monte Carlo standard error.
struct Simulated {
  double value = kNaN, se = kNaN;
};

// How far outside the acceptance band of `passes`, narrowed by `margin` at each end (natural scale), the
// simulated value lies, on the comparison scale, in published SEs; 0 inside or for a NaN sim (residual scores
// that). The statistical weight alone can be looser than the acceptance rule (a 5-year landmark of a
// 97-patient trial has an SE of 5 points, 10% relative of 0.33 is 3.3): the band term makes the fit aim at
// what the report checks, and vanishes wherever the target is inside, so it never pulls a passing target. The
// fit passes a margin of two Monte Carlo SEs of its own evaluation, so that a point fitted at 10000 patients
// per arm is still inside at the report's size and seed.
double band_residual(const Target& t, double simulated, double margin = 0.0);
// The residuals of one target, as the objective and the curvature estimate use them (each scaled by
// sqrt(weight), so that their squares carry the target's weight).
inline std::array<double, 2> target_residuals(const Target& t, const Simulated& sim) {
  const double margin = std::isfinite(sim.se) ? 2.0 * sim.se : 0.0;
  const double w = std::sqrt(t.weight);
  return {w * residual(t, sim.value), w * band_residual(t, sim.value, margin)};
}

// One survival endpoint of one arm, in patient order.
struct SurvivalColumns {
  std::span<const double> time;         // NaN: not in the analysis
  std::span<const std::uint8_t> event;  // 1 event, 0 censored
};

// One arm's columns, in patient order, by name.
struct ArmColumns {
  std::map<std::string, SurvivalColumns> endpoints;
  std::map<std::string, std::span<const std::uint8_t>> outcomes;  // binary outcome columns
};

// The simulated figure of a target from its arm's (and for a hazard ratio its reference arm's) columns. Rates
// with a denominator column divide by the patients it admits; the HR is Cox (Efron) of arm : reference, arms
// as independent samples. Throws InputError when a column the target names is missing.
Simulated simulate_target(const Target& t, const ArmColumns& arm, const ArmColumns* reference);

}  // namespace mmsim::calibration
