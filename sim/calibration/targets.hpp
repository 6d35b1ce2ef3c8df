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
#include <vector>

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
  // A rate of a categorical (enumeration) column counts the patients whose label is one of `values` (e.g. the
  // death causes a row's definition implies); `codes` are their codes, set once the model's schema is known.
  // Empty: the column is 0/1 and its 1s are counted.
  std::vector<std::string> values;
  std::vector<std::uint8_t> codes;
  // Where set, a rate counts a patient only if this endpoint's event was observed (by the patient's data
  // cut-off), e.g. "os" for deaths by the cut.
  std::string observed_on;
};

// Patients of an arm chosen by their own 0/1 columns (e.g. baseline risk factors): those with at least
// `at_least` and at most `at_most` 1s among `columns`. One column with at_least = 1 is "emd = 1", with
// at_most = 0 "emd = 0"; five columns with at_least = 3 are Hashmi's ">= 3 of five risk factors". No columns:
// every patient.
struct Subgroup {
  std::vector<std::string> columns;
  std::size_t at_least = 0;
  std::size_t at_most = std::numeric_limits<std::size_t>::max();
  std::string label;  // how the fit table names it (default: the predicate, e.g. ">= 3 of emd, pcl")
  bool empty() const { return columns.empty(); }
  std::string name() const;
};

struct Target {
  std::string trial, evidence, arm, reference, note;
  TargetKind kind;
  // The binary outcome column that admits a patient (the target's population): the denominator of a rate, or
  // the patients a median or landmark analyses (only where the target names its population, e.g. OS among
  // complete responders); empty: every patient of the arm (intention to treat) or whom the endpoint admits.
  std::string denominator;
  // The arm's patients the target analyses (every statistic), and for a hazard ratio the reference's (of the
  // reference arm, or of the same arm where `reference` names it: an HR between two subgroups of one arm).
  Subgroup subgroup, reference_subgroup;
  double time = kNaN;  // landmark (survival_at, failure_at)
  // Published figure (from the evidence table unless the config gives it).
  double value = kNaN, ci_low = kNaN, ci_high = kNaN, n = kNaN, median_followup = kNaN;
  // Multiplies the target's squared residual and band term in the objective (a weaker figure, e.g. one its
  // source flags as not verified, counts less: 0.25 = its SE doubled). The pass rule ignores it.
  double weight = 1.0;
  std::string source;
  // The kind's label filled in, e.g. "OS at 12 mo (treatment)"; {subgroup} and {reference_subgroup} are the
  // subgroups' names, appended in brackets where the label does not place them.
  std::string label() const;
};

// A simulated value with its Monte Carlo standard error. A median the simulated Kaplan-Meier curve does not
// reach is NaN, with `beyond` the curve's last time (the median lies after it: a right-censored value).
struct Simulated {
  double value = kNaN, se = kNaN;
  double beyond = kNaN;
};

// The value a simulated figure is compared as (docs/calibration.md, "Medians not reached"): its value; for a
// median not reached, the interval (beyond, inf) is compared through its nearest point to the published
// value, `beyond`, where the emulated follow-up reached the published median (beyond >= value); otherwise
// NaN: nothing can be compared (the emulation stopped before the published median) and it scores as not
// reached.
double compared_value(const Target& t, const Simulated& sim);

// Standard error of the published figure on the comparison scale (log for medians and HRs): from the 95% CI
// where one is given ((hi - lo) / (2 * 1.96), on the log scale for log-scale statistics); otherwise, for a
// rate or landmark with n, the binomial sqrt(p (1 - p) / n) (p kept within [0.5/n, 1 - 0.5/n]); otherwise,
// for a median with n, 1 / sqrt(n / 2) (exponential approximation with half of the patients progressed at the
// median); otherwise 10% of the value (0.1 on the log scale). Never below 1e-3 on the comparison scale.
double published_se(const Target& t);

// Contribution of one target to the objective: weight * (residual^2 + band_residual^2) (band without margin:
// the report).
double objective_term(const Target& t, double simulated);
inline double objective_term(const Target& t, const Simulated& sim) {
  return objective_term(t, compared_value(t, sim));
}
// (g(sim) - g(published)) / published_se with g the comparison scale. NaN sim (e.g. a median not reached)
// scores as if 3 SEs away plus 100.
double residual(const Target& t, double simulated);

// The pass rule of the fit table: inside the published 95% CI where one is given, otherwise within 10%
// relative of the published value.
bool passes(const Target& t, double simulated);
inline bool passes(const Target& t, const Simulated& sim) {
  return passes(t, compared_value(t, sim));
}

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
  const double v = compared_value(t, sim);
  return {w * residual(t, v), w * band_residual(t, v, margin)};
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

// The simulated figure of a target from its arm's (and for a hazard ratio its reference arm's) columns, among
// the patients its subgroups admit. Rates with a denominator column divide by the patients it admits; the HR
// is Cox (Efron) of arm : reference, as independent samples. Throws InputError when a column the target names
// is missing.
Simulated simulate_target(const Target& t, const ArmColumns& arm, const ArmColumns* reference);

}  // namespace mmsim::calibration
