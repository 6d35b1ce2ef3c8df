#pragma once
// The curves a figure draws, thinned so that their size does not grow with the cohort: the Kaplan-Meier step
// function of each strategy and endpoint, and the Aalen-Johansen cumulative incidence of competing events.
// Stored in the run file beside the summaries (report_h5.hpp, docs/hdf5_schema.md "Curves for figures"), so a
// figure of any cohort reads a few thousand rows and never the patients tables.
//
// Thinning is exact at every stored point: a stored row is a row of the full estimator table (its time, the
// curve just after it, the CI, the numbers at risk and cumulative counts). All rows are kept while the curve
// has at most max_rows distinct times; past that, the first and last row of each of grid_cells equal cells
// of [0, last time] are kept, so a step drawn between two stored rows is off by less than one cell (1/1000
// of the axis by default) and every drop of the curve is drawn.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sim/stats/cumulative_incidence.hpp"
#include "sim/stats/kaplan_meier.hpp"
#include "sim/stats/streaming_km.hpp"

namespace mmsim::report {

struct StepOptions {
  std::size_t max_rows = 2000;         // keep every distinct time up to this many
  std::size_t grid_cells = 1000;       // otherwise the first and last row of each cell
  std::size_t max_censor_marks = 100;  // censoring marks: the first censored time in each of this many cells
  // Risk-table times: multiples of the smallest step of kRiskSteps giving at most this many.
  std::size_t max_risk_rows = 400;
};

// Steps of the risk table's time grid, in time units (months): 1, 2, 3, 6, 12, 24, 60, 120, ...
inline constexpr double kRiskSteps[] = {1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200};

// One stored row of a Kaplan-Meier curve: S just after `time`, the pointwise CI, patients at risk just before
// `time` and the events and censorings up to and including it.
struct KmStep {
  double time = 0.0, surv = 1.0, ci_low = 1.0, ci_high = 1.0;
  std::uint64_t n_risk = 0, events = 0, censored = 0;
};

// Numbers at risk (time >= t) and cumulative events and censorings (time <= t) at a risk-table time t.
struct RiskRow {
  double time = 0.0;
  std::uint64_t n_risk = 0, events = 0, censored = 0;
};

struct CensorMark {
  double time = 0.0, surv = 1.0;
};

struct KmSteps {
  std::string endpoint;
  std::uint64_t n = 0, distinct_times = 0;  // patients on the curve; rows of the full table
  std::vector<KmStep> steps;
  std::vector<RiskRow> risk;
  std::vector<CensorMark> censor_marks;
};

// From the full curve (the report's fit, so no further sort).
KmSteps km_steps(const std::string& endpoint, const stats::KaplanMeier& km, const StepOptions& options = {});
// The same from the curve's rows streamed in ascending order (a spilled run's merged sorted runs, whose table
// is never in memory), given the patients on the curve and its last time up front: finish() returns what
// km_steps(endpoint, km) returns for the table of those rows, bit for bit. Memory: max_rows rows until the
// curve turns out longer, then one.
class KmStepsBuilder {
 public:
  KmStepsBuilder(std::string endpoint, std::uint64_t n, double last_time, const StepOptions& options = {});
  void add(const stats::KmRowEstimate& row);
  KmSteps finish();

 private:
  void thin(const KmStep& step);
  KmSteps out_;
  double last_;
  StepOptions opt_;
  std::vector<double> risk_;
  std::size_t next_risk_ = 0, marked_;
  std::uint64_t events_ = 0, censored_ = 0;
  bool thinning_ = false;
  std::vector<KmStep> buffer_;  // every row while there are at most max_rows
  struct Pending {
    KmStep step;
    std::size_t cell = 0;
    bool first = false;
  };
  std::optional<Pending> pending_;  // thinning: the last row, kept if it turns out last of its cell
};

// From one strategy's (time, event) columns.
KmSteps km_steps(const std::string& endpoint, std::span<const double> time,
                 std::span<const std::uint8_t> event, double conf_level, const StepOptions& options = {});

// A cumulative-incidence curve per cause, on the rows kept from the all-cause table, with the influence SE.
struct IncidenceRisk {
  double time = 0.0;
  std::uint64_t n_risk = 0;
  std::vector<std::uint64_t> events;  // per cause, cumulative (time <= t)
};
struct IncidenceSteps {
  std::string analysis;
  std::uint64_t n = 0, distinct_times = 0;
  std::size_t n_causes = 0;
  std::vector<double> time;
  std::vector<std::vector<double>> estimate, se;  // [cause - 1][stored row]
  std::vector<IncidenceRisk> risk;
};

IncidenceSteps incidence_steps(const std::string& analysis, const stats::CumulativeIncidence& ci,
                               const StepOptions& options = {});

// Rows of a table of `times` (ascending) to keep (ascending indices): all, or the first and last per cell.
std::vector<std::size_t> thinned_rows(std::span<const double> times, const StepOptions& options);
// The risk-table times for a curve that ends at last_time: 0, step, 2 step, ... <= last_time.
std::vector<double> risk_times(double last_time, const StepOptions& options);

}  // namespace mmsim::report
