#pragma once
// The laws of a PSA sweep's parameters: value laws of sim/dist (beta, gamma, lognormal, normal, uniform,
// fixed), read from a [[parameter]] table in the sweep file's own vocabulary (docs/sweeps.md). A mean/sd form
// is converted to the law's natural parameters by the method of moments. Its mean may be left out, or written
// `mean = "base"`: it is then the base scenario's resolved value of the parameter, so a PSA centred on the
// calibrated base follows the calibration instead of a copy of its numbers.
#include <optional>
#include <string>
#include <vector>

#include "sim/config/table_reader.hpp"
#include "sim/dist/value_distribution.hpp"

namespace mmsim::sweep {

// The names accepted for `dist`, in documentation order.
const std::vector<std::string>& psa_law_names();

struct PsaLaw {
  ValueDistributionPtr law;  // nullptr when anything was wrong with the table
  // The mean written as a number (mean/sd forms only): the caller warns when it is not the base value.
  std::optional<double> explicit_mean;
};

// Reads `dist` and its parameters; `base` is the parameter's value in the base scenario (the mean of a
// mean/sd form that leaves it out or writes "base"). An integer parameter (an integer in the base scenario)
// can only be fixed. Every problem is recorded in the reader's diagnostics.
PsaLaw read_psa_law(config::TableReader& r, bool integer_parameter, double base);

// The law as `mmsim sweep --list` prints it: the sweep file's key names (uniform low/high, fixed(value)) and
// 6 significant digits, as before PSA parameters held value laws.
std::string describe_psa_law(const ValueDistribution& law);

}  // namespace mmsim::sweep
