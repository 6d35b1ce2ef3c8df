#pragma once
// The root attributes of a run file, the same whoever writes it (`mmsim run`, a sweep point with
// --trajectories): the seed, the resolved config, the strategy order and the string attributes that readers
// and `mmsim report` rely on (docs/hdf5_schema.md).
#include <string>

#include "sim/core/model.hpp"
#include "sim/io/run_file.hpp"
#include "sim/runner/cohort_runner.hpp"

namespace mmsim {

// "trajectories", "no_trajectories" or "summary_only", as the `output_mode` attribute spells it.
std::string output_mode_name(OutputMode mode);

// `config_text` is the resolved config; `config_source` says where it came from (a file name, "<embedded>
// ...", "SWEEP point P replicate R").
io::RunAttributes run_attributes(const Model& model, const RunOptions& options, const std::string& model_name,
                                 std::string config_text, std::string config_source);

}  // namespace mmsim
