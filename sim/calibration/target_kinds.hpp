#pragma once
// The vocabulary of a trial's targets, defined by the trial config (docs/calibration.md, "Target kinds"):
// `[trial.kinds.NAME]` says which statistic of which model column a kind of target is and how the fit table
// names it; `[trial.populations]` names the binary columns a rate may be taken among. Nothing here knows a
// model's column names.
#include <map>
#include <optional>
#include <string>

#include "sim/calibration/targets.hpp"
#include "sim/config/table_reader.hpp"

namespace mmsim::calibration {

// The population of every patient of an arm (intention to treat); never redefined.
inline constexpr const char* kEveryone = "all";

// [trial.kinds.NAME] of the `[trial]` table `trial` reads: statistic, its column, label (default: the name
// with the placeholders its statistic fills), and for a rate the labels it counts of a categorical column
// (`values`) and the endpoint whose observed event a counted patient needs (`observed_on`).
std::map<std::string, TargetKind> read_target_kinds(config::TableReader& trial);

// [trial.populations]: population name -> the binary outcome column that admits a patient to it.
std::map<std::string, std::string> read_target_populations(config::TableReader& trial);

// The column a kind reads from table `r`: `outcome` for a rate, `endpoint` for the survival statistics (the
// key of the other family is refused by name). `required` false: an optional override (a target's).
std::optional<std::string> read_column(config::TableReader& r, Statistic statistic, bool required);

// The `label` of a kind or a target's override; a placeholder other than {arm}, {reference}, {time},
// {subgroup}, {reference_subgroup} is refused.
std::string read_label(config::TableReader& r, std::optional<std::string> fallback);

}  // namespace mmsim::calibration
