#pragma once
// The evidence table a trial config names (`[trial].evidence_file`): one published figure per row, keyed by
// its `id`, with the columns `value`, `ci_low`, `ci_high`, `n`, `median_followup_months` and `source` that a
// calibration target reads (any other column is kept but not read).
#include <filesystem>
#include <map>
#include <string>

#include "sim/calibration/targets.hpp"

namespace mmsim::calibration {

// id -> row fields by column name.
using EvidenceRow = std::map<std::string, std::string>;

// Reads a CSV file (RFC 4180 quoting, header row first). Throws InputError when it cannot be read or is
// empty.
std::map<std::string, EvidenceRow> read_evidence_csv(const std::filesystem::path& path);

// Fills value, CI, n, follow-up and source of `t` from its evidence row (fields the config left NaN).
void fill_from_evidence(Target& t, const EvidenceRow& row);

}  // namespace mmsim::calibration
