#pragma once
// The message of the InputError a call throws: what the tests of bad input compare.
#include <functional>
#include <string>

#include "sim/core/errors.hpp"

namespace mmsim::test {

// What `f` reports as bad input, or "(no InputError)" when it throws none (any other exception passes).
inline std::string input_error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no InputError)";
}

}  // namespace mmsim::test
