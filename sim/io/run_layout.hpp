#pragma once
// Where everything is in an mmsim file (docs/hdf5_schema.md): every dataset path and attribute name, for
// the code that writes them (the run file writer, the cohort runner, the stored report, the sweep store) and
// the code that reads them back (reports, merges, tests). A path or name spelled anywhere else is a bug.
#include <string>
#include <string_view>

namespace mmsim::io::layout {

// --- attributes of the root group -------------------------------------------------------------------------
inline constexpr const char* kRoot = "/";
// Written by RunFileWriter for every file.
inline constexpr const char* kFiletype = "filetype";             // run, sweep or shard
inline constexpr const char* kSchemaVersion = "schema_version";  // [major, minor]
inline constexpr const char* kMmsimVersion = "mmsim_version";
inline constexpr const char* kGitRevision = "git_revision";
inline constexpr const char* kSeed = "seed";
inline constexpr const char* kCreated = "created";  // UTC, ISO 8601
inline constexpr const char* kTimeUnit = "time_unit";
inline constexpr const char* kStrategyOrder = "strategy_order";
inline constexpr const char* kConfig = "config";  // the resolved config text
// Written by `mmsim run` (RunAttributes::extra) and read by `mmsim report`.
inline constexpr const char* kModel = "model";
inline constexpr const char* kConfigSource = "config_source";
inline constexpr const char* kPatients = "patients";  // cohort size
inline constexpr const char* kHorizonMonths = "horizon_months";
inline constexpr const char* kEndpoints = "endpoints";  // comma-separated, in report order
inline constexpr const char* kOutcomes = "outcomes";    // comma-separated
inline constexpr const char* kOutputMode = "output_mode";
// Display text from the model's OutputSchema (sim/core/model.hpp), one line per endpoint (in kEndpoints
// order) or per strategy (in kStrategyOrder order); absent when the model gives none.
inline constexpr const char* kEndpointTitles = "endpoint_titles";       // "Overall survival after ..."
inline constexpr const char* kEndpointAxes = "endpoint_axes";           // the curve's axis label
inline constexpr const char* kEndpointTimeAxes = "endpoint_time_axes";  // "Months since first relapse"
inline constexpr const char* kStrategyLabels = "strategy_labels";       // display names
inline constexpr const char* kCompetingRiskNames = "competing_risks";   // comma-separated analyses

// --- attributes of every table dataset --------------------------------------------------------------------
inline constexpr const char* kTableName = "table";                       // the layout's name
inline constexpr const char* kFieldDescriptions = "field_descriptions";  // one line per field

// --- a run's tables ---------------------------------------------------------------------------------------
// A table a model writes for each strategy: `/strategies/<strategy>/<table>` (patients, lines, events, ...).
inline std::string strategy_table(std::string_view strategy, std::string_view table) {
  std::string path = "/strategies/";
  path.append(strategy).append("/").append(table);
  return path;
}
inline constexpr const char* kPatientsTable = "patients";  // every model's (sim/core/model.hpp)
inline std::string patients_table(std::string_view strategy) {
  return strategy_table(strategy, kPatientsTable);
}

// --- the report `mmsim run` stores (sim/report/report_h5.hpp) ---------------------------------------------
// Each strategy's summaries, and the comparisons of the strategies with the reference. The comparison paths
// take (and ignore) a strategy so that every report table's path is one kind of function.
inline std::string summary_endpoints(std::string_view strategy) {
  return strategy_table(strategy, "summary/endpoints");
}
inline std::string summary_survival(std::string_view strategy) {
  return strategy_table(strategy, "summary/survival");
}
inline std::string summary_rates(std::string_view strategy) {
  return strategy_table(strategy, "summary/rates");
}
inline std::string comparisons(std::string_view = {}) {
  return "/comparisons";
}
inline std::string comparison_survival(std::string_view = {}) {
  return "/comparison_survival";
}
inline std::string rate_comparisons(std::string_view = {}) {
  return "/rate_comparisons";
}
// The economics of a run with [economics] (sim/economics/economics_h5.hpp, docs/economics.md): the running
// means and co-moments of every strategy's per-patient costs, QALYs and life years.
inline constexpr const char* kEconomicsMeans = "/economics/means";
inline constexpr const char* kEconomicsComoments = "/economics/comoments";
// Curves for figures (sim/report/step_tables.hpp): each strategy's thinned Kaplan-Meier steps, its risk
// table and censoring marks (one dataset each, keyed by endpoint), and per competing-risks analysis the
// cumulative incidence steps and risk table (keyed by cause).
inline std::string km_steps(std::string_view strategy) {
  return strategy_table(strategy, "summary/km_steps");
}
inline std::string km_risk(std::string_view strategy) {
  return strategy_table(strategy, "summary/km_risk");
}
inline std::string km_censor_marks(std::string_view strategy) {
  return strategy_table(strategy, "summary/km_censor_marks");
}
inline std::string incidence_steps(std::string_view strategy, std::string_view analysis) {
  return strategy_table(strategy, "summary/incidence/").append(analysis).append("/steps");
}
inline std::string incidence_risk(std::string_view strategy, std::string_view analysis) {
  return strategy_table(strategy, "summary/incidence/").append(analysis).append("/risk");
}
inline constexpr const char* kTitle = "title";               // on incidence steps
inline constexpr const char* kEndpoint = "endpoint";         // on incidence steps: whose time
inline constexpr const char* kCauseLabels = "cause_labels";  // on incidence steps, one per line
inline constexpr const char* kConfLevel = "conf_level";      // on each summary_endpoints table
inline constexpr const char* kReference = "reference";       // on /comparisons

// --- sweep and shard files (sim/sweep/sweep_store.hpp, sweep_table.hpp)
// -------------------------------------
inline constexpr const char* kSweepPoints = "/sweep/points";
inline constexpr const char* kSweepEndpoints = "/sweep/endpoints";
inline constexpr const char* kSweepRates = "/sweep/rates";
inline constexpr const char* kSweepHash = "sweep_hash";
inline constexpr const char* kPointsTotal = "points_total";
// The shape of the sweep tables' columns (sweep::TableShape), one newline-separated list each.
inline constexpr const char* kSweepParameters = "sweep_parameters";
inline constexpr const char* kSweepStrategies = "sweep_strategies";
inline constexpr const char* kSweepEndpointNames = "sweep_endpoints";
inline constexpr const char* kSweepOutcomes = "sweep_outcomes";
inline constexpr const char* kSweepLandmarks = "sweep_landmarks";
inline constexpr const char* kSweepReplicates = "sweep_replicates";
// "1" when the base scenario has [economics] (the sweep then has /sweep/economics and economics.csv); absent
// otherwise.
inline constexpr const char* kSweepEconomics = "sweep_economics";

}  // namespace mmsim::io::layout
