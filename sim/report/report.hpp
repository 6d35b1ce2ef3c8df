#pragma once
// Summaries of a run, per strategy and endpoint, and comparisons of each strategy with a reference: what
// `mmsim run` prints and stores, and what `mmsim report` formats. Model-agnostic: it sees endpoint columns
// (time, event) and binary outcome columns by name only.
//
// Every simulated summary carries its Monte Carlo standard error (for a simulated cohort, the statistical SE
// of an estimate IS its Monte Carlo error). Differences between strategies are paired: strategies in one run
// simulate the same patients with common random numbers, so the SE of a difference uses per-patient
// influence values of both arms (docs/statistics.md); the unpaired SE is reported beside it.
#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/numeric.hpp"
#include "sim/economics/economics_report.hpp"
#include "sim/report/step_tables.hpp"
#include "sim/runner/progress.hpp"
#include "sim/stats/survival_sample.hpp"

namespace mmsim::io {
class SpillFolder;
}

namespace mmsim::report {

using mmsim::kNaN;

struct ReportOptions {
  std::vector<double> landmarks{6.0, 12.0, 24.0, 60.0};
  double rmst_horizon = kNaN;  // NaN: the model's horizon
  std::size_t reference = 0;   // index of the reference strategy
  double conf_level = 0.95;
  // From the model's schema (OutputSchema::outcome_denominators): one per outcome, or empty; "" = none.
  std::vector<std::string> outcome_denominators;
  // Called (from any thread) as each strategy's endpoint or outcome is done: compute_steps() calls in all.
  std::function<void()> on_step;
  // Statistics from disk (the chunked compute_report): a progress line for each phase of each summary
  // (sorting the patients into runs, each pass over the merged runs), in this mode.
  ProgressMode disk_progress = ProgressMode::off;
  std::chrono::milliseconds progress_interval{10000};
  // Threads of the in-memory summaries (arms in parallel); 0: all cores. The results do not depend on it.
  unsigned threads = 0;
};

struct LandmarkValue {
  double time = kNaN, surv = kNaN, se = kNaN, ci_low = kNaN, ci_high = kNaN;
};

struct EndpointSummary {
  std::string endpoint;
  std::uint64_t n = 0, events = 0;
  double median = kNaN, median_ci_low = kNaN, median_ci_high = kNaN;
  double rmst = kNaN, rmst_se = kNaN, rmst_horizon = kNaN;
  // 1 when rmst_horizon is past the last follow-up time while the curve is above 0: the flat tail there is
  // an extrapolation, not an estimate (docs/statistics.md); 0 otherwise.
  std::uint64_t rmst_extrapolated = 0;
  std::vector<LandmarkValue> survival;  // one per landmark, in the order asked
  // Set by apply_target_se: cohort size for rmst_se to reach the target.
  std::optional<std::uint64_t> rmst_patients_needed;
  // The thinned curve for figures (step_tables.hpp); stored by write_report, not read back by read_report.
  KmSteps steps;
};

struct ProportionSummary {
  std::string name;
  std::uint64_t n = 0;            // patients with the outcome defined (all patients: undefined counts as 0)
  double rate = kNaN, se = kNaN;  // intention to treat: over all patients
  // Where the model names a denominator column for the outcome (OutputSchema::outcome_denominators, e.g.
  // "started_line2"): the rate among the patients with that column == 1, their number and its binomial SE.
  // denominator_n = 0 and NaN otherwise.
  std::uint64_t denominator_n = 0;
  double denominator_rate = kNaN, denominator_se = kNaN;
};

struct StrategySummary {
  std::string name;
  std::vector<EndpointSummary> endpoints;
  std::vector<ProportionSummary> proportions;
};

// Paired difference (strategy minus reference) of survival at one landmark.
struct LandmarkDifference {
  double time = kNaN, diff = kNaN, se = kNaN, se_unpaired = kNaN, ci_low = kNaN, ci_high = kNaN;
};

// hr_ci_* and log-rank treat the two arms as independent samples (under common random numbers they are
// positively correlated, so that CI and p-value are conservative); hr_ci_*_paired use the cluster-robust
// (sandwich) variance over patient id, and the RMST and landmark differences the paired SE.
struct Comparison {
  std::string strategy, reference, endpoint;
  double hr = kNaN, hr_ci_low = kNaN, hr_ci_high = kNaN;
  double hr_ci_low_paired = kNaN, hr_ci_high_paired = kNaN;
  double logrank_chisq = kNaN, logrank_p = kNaN;
  double rmst_diff = kNaN, rmst_diff_se = kNaN, rmst_diff_se_unpaired = kNaN;
  double rmst_diff_ci_low = kNaN, rmst_diff_ci_high = kNaN;  // from the paired SE
  std::vector<LandmarkDifference> survival_diff;             // one per landmark
  // Set by apply_target_se: cohort size for rmst_diff_se (paired) / the unpaired SE to reach the target.
  std::optional<std::uint64_t> rmst_diff_patients_needed, rmst_diff_patients_needed_unpaired;
};

struct ProportionComparison {
  std::string strategy, reference, name;
  double diff = kNaN, diff_se = kNaN, diff_se_unpaired = kNaN, diff_ci_low = kNaN, diff_ci_high = kNaN;
  // The difference of the rates among each arm's denominator patients (a ratio of two sums per arm), with
  // the paired SE from both arms' per-patient influence values (docs/statistics.md); NaN without denominator.
  double denominator_diff = kNaN, denominator_diff_se = kNaN, denominator_diff_se_unpaired = kNaN;
  double denominator_diff_ci_low = kNaN, denominator_diff_ci_high = kNaN;
};

struct Report {
  std::vector<StrategySummary> strategies;
  std::vector<Comparison> comparisons;
  std::vector<ProportionComparison> proportion_comparisons;
  std::string reference;
  double conf_level = 0.95;
  std::uint64_t patients = 0;  // simulated cohort size (every strategy simulates the same patients)
  double target_se = kNaN;     // set by apply_target_se
  // With [economics]: costs, QALYs, ICERs, NMB and the frontier (docs/economics.md), printed after the rest.
  std::optional<economics::EconomicsReport> economics;
};

// Where the per-patient columns come from (in-memory columns of a summary-only run, or a run file).
class ColumnSource {
 public:
  virtual ~ColumnSource() = default;
  virtual void endpoint(std::size_t strategy, const std::string& endpoint, std::vector<double>& time,
                        std::vector<std::uint8_t>& event) const = 0;
  // The same columns in place, when the source holds them in memory for as long as it lives (no copy).
  virtual std::optional<stats::SurvivalSample> endpoint_view(std::size_t /*strategy*/,
                                                             const std::string& /*endpoint*/) const {
    return std::nullopt;
  }
  virtual std::vector<std::uint8_t> outcome(std::size_t strategy, const std::string& name) const = 0;
  // True when endpoint() and outcome() may be called from several threads at once.
  virtual bool concurrent_reads() const { return false; }
  // Whether strategies a and b hold the same patients in the same order (a subgroup defined per strategy may
  // not): only then are their differences paired.
  virtual bool paired(std::size_t /*a*/, std::size_t /*b*/) const { return true; }
  // Bounded-memory reads by patient range: a source that offers them (columns spilled to disk) has its
  // summaries computed from sorted runs on disk (compute_report with a spill folder).
  virtual bool chunked() const { return false; }
  virtual std::uint64_t patient_count() const { return 0; }
  virtual void endpoint_chunk(std::size_t /*strategy*/, const std::string& /*endpoint*/,
                              std::uint64_t /*first*/, std::size_t /*count*/, std::vector<double>& /*time*/,
                              std::vector<std::uint8_t>& /*event*/) const {}
};

// Patients per sorted run when summaries are computed from disk (16 bytes each while sorted).
inline constexpr std::size_t kDefaultRunPatients = std::size_t{1} << 24;

// Computes every summary and comparison. Holds at most two strategies' columns of one endpoint at a time
// (the reference's and one other's), and sorts each strategy's column once per endpoint: O(n log n).
Report compute_report(const ColumnSource& source, const std::vector<std::string>& strategies,
                      const std::vector<std::string>& endpoints, const std::vector<std::string>& outcomes,
                      double horizon, const ReportOptions& options);
// The same with a chunked source (source.chunked()): every endpoint summary is computed from the patients
// sorted in runs of `run_patients` in `spill` and merged (sorted_runs.hpp, stats/streaming_km.hpp), bit-
// identical to the in-memory path, in memory independent of the cohort size. Comparisons between strategies
// still hold the two arms' columns of one endpoint in memory at a time (docs/statistics.md).
Report compute_report(const ColumnSource& source, const std::vector<std::string>& strategies,
                      const std::vector<std::string>& endpoints, const std::vector<std::string>& outcomes,
                      double horizon, const ReportOptions& options, io::SpillFolder& spill,
                      std::size_t run_patients = kDefaultRunPatients);

// The number of on_step calls compute_report makes: strategies x (endpoints + outcomes).
inline std::size_t compute_steps(std::size_t strategies, std::size_t endpoints, std::size_t outcomes) {
  return strategies * (endpoints + outcomes);
}

// Monte Carlo error planning: fills rmst_patients_needed and rmst_diff_patients_needed(_unpaired), the cohort
// size at which those SEs reach target_se (stats::patients_needed: SE falls as 1/sqrt(patients)). Undefined
// or missing SEs leave the fields empty. target_se must be positive.
void apply_target_se(Report& report, double target_se);

enum class Format { table, csv, json, markdown };
// What the terminal table and Markdown show: the endpoints and rates the strategies differ on (`compact`,
// `mmsim run`'s default), or every row (`--all`). CSV and JSON always carry every row.
enum class Rows { compact, all };
std::string format_report(const Report& report, Format format, Rows rows = Rows::all);

// A warning for stderr when some RMST horizon is past the follow-up (rmst_extrapolated); empty otherwise.
std::string extrapolation_warning(const Report& report);

}  // namespace mmsim::report
