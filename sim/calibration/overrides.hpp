#pragma once
// Number overrides of a resolved config by dotted path (`therapy.cilta_cel.ttp.cr.rate`): what a calibration
// parameter changes. Bare keys only (no array indices): calibrated parameters live in tables.
//
// (sim/sweep/config_path.hpp, written concurrently for sweeps, has a richer grammar; this helper stays small
// so calibration does not depend on the sweep layer.)
#include <string>

#include <toml++/toml.h>

namespace mmsim::calibration {

// The number at `path`; throws InputError naming the missing step (or a non-number) otherwise.
double get_number(const toml::table& root, const std::string& path);

// Replaces the number at `path` (which must exist) by `value`; an integer node becomes a float.
void set_number(toml::table& root, const std::string& path, double value);

}  // namespace mmsim::calibration
