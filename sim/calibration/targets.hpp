#pragma once
// Calibration targets: published trial figures (named by evidence id), how a simulated trial arm is scored
// against them, and how the objective weights them (docs/calibration.md). Model-agnostic: a target reads the
// endpoint and binary outcome columns of a run by name.
#include <array>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace mmsim::calibration {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

enum class TargetKind { orr, cr, median_pfs, pfs_at, hr, crs_any, crs_grade3, infused };

// Parses a kind name ("orr", "cr", "median_pfs", "pfs_at", "hr", "crs_any", "crs_grade3", "infused").
bool parse_kind(const std::string& name, TargetKind& kind);
const char* kind_name(TargetKind kind);
// Rates are proportions; medians (months) and hazard ratios are compared on the log scale.
bool log_scale(TargetKind kind);
bool is_rate(TargetKind kind);
// The binary outcome column a rate target reads ("response_line1", "cr_line1", ...), the column that defines
// its denominator when population = "infused" ("infused_line1"), and the survival endpoint ("pfs").
std::string outcome_column(TargetKind kind);
inline const char* kInfusedColumn = "infused_line1";
inline const char* kSurvivalEndpoint = "pfs";

struct Target {
  std::string trial, evidence, arm, reference, note;
  TargetKind kind = TargetKind::orr;
  bool infused_only = false;  // rate among treated (infused) patients, else among all (ITT)
  double time = kNaN;         // landmark (pfs_at)
  // Published figure (from the evidence table unless the config gives it).
  double value = kNaN, ci_low = kNaN, ci_high = kNaN, n = kNaN, median_followup = kNaN;
  std::string source;
  std::string label() const;  // e.g. "PFS at 12 mo (cilta_cel)"
};

// Standard error of the published figure on the comparison scale (log for medians and HRs): from the 95% CI
// where one is given ((hi - lo) / (2 * 1.96), on the log scale for log-scale kinds); otherwise, for a rate
// with n, the binomial sqrt(p (1 - p) / n) (p kept within [0.5/n, 1 - 0.5/n]); otherwise, for a median with
// n, 1 / sqrt(n / 2) (exponential approximation with half of the patients progressed at the median);
// otherwise 10% of the value (0.1 on the log scale). Never below 1e-3 on the comparison scale.
double published_se(const Target& t);

// Contribution of one target to the objective: residual^2 + band_residual^2 (band without margin: the
// report).
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
// The residuals of one target, as the objective and the curvature estimate use them.
inline std::array<double, 2> target_residuals(const Target& t, const Simulated& sim) {
  const double margin = std::isfinite(sim.se) ? 2.0 * sim.se : 0.0;
  return {residual(t, sim.value), band_residual(t, sim.value, margin)};
}

// One arm's columns, in patient order.
struct ArmColumns {
  std::span<const double> time;         // survival endpoint time (NaN: not in the analysis)
  std::span<const std::uint8_t> event;  // 1 event, 0 censored
  std::map<std::string, std::vector<std::uint8_t>> outcomes;  // binary outcome columns by name
};

// The simulated figure of a target from its arm's (and for "hr" its reference arm's) columns. Rates with
// `infused_only` divide by the infused count; HR is Cox (Efron) of arm : reference, arms as independent
// samples.
Simulated simulate_target(const Target& t, const ArmColumns& arm, const ArmColumns* reference);

// The evidence table (models/myeloma/evidence/evidence.csv layout): id -> row fields by column name.
using EvidenceRow = std::map<std::string, std::string>;
std::map<std::string, EvidenceRow> read_evidence_csv(const std::filesystem::path& path);
// Fills value, CI, n, follow-up and source of `t` from its evidence row (fields the config left NaN).
void fill_from_evidence(Target& t, const EvidenceRow& row);

}  // namespace mmsim::calibration
