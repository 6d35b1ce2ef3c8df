#pragma once
// The laws of a PSA sweep's parameters: value laws of sim/dist (beta, gamma, lognormal, normal, uniform,
// fixed), read from a [[parameter]] table in the sweep file's own vocabulary (docs/sweeps.md). A mean/sd form
// is converted to the law's natural parameters by the method of moments.
#include <string>
#include <vector>

#include "sim/config/table_reader.hpp"
#include "sim/dist/value_distribution.hpp"

namespace mmsim::sweep {

// The names accepted for `dist`, in documentation order.
const std::vector<std::string>& psa_law_names();

// Reads `dist` and its parameters. An integer parameter (an integer in the base scenario) can only be
// fixed. Every problem is recorded in the reader's diagnostics; the result is nullptr when anything was
// wrong with this table.
ValueDistributionPtr read_psa_law(config::TableReader& r, bool integer_parameter);

// The law as `mmsim sweep --list` prints it: the sweep file's key names (uniform low/high, fixed(value)) and
// 6 significant digits, as before PSA parameters held value laws.
std::string describe_psa_law(const ValueDistribution& law);

}  // namespace mmsim::sweep
