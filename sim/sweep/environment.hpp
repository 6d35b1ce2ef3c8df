#pragma once
// The environment variables a sweep reads (an MPI launcher's, a SLURM job array's), behind a function so
// that tests can pass their own instead of the process environment.
#include <functional>
#include <optional>
#include <string>

namespace mmsim::sweep {

// The value of a variable ("" when set but empty), or nothing when it is not set.
using Environment = std::function<std::optional<std::string>(const std::string& name)>;

// This process's environment (std::getenv).
Environment process_environment();

}  // namespace mmsim::sweep
