#pragma once
// The small family of exceptions mmsim throws, each mapped to a process exit code by the CLI:
//   InputError  -> 2  (the user's config, command line or input file is wrong; fixable by the user)
//   anything else -> 1 (I/O failures, internal errors)
#include <stdexcept>
#include <string>

namespace mmsim {

class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitBadInput = 2;

}  // namespace mmsim
