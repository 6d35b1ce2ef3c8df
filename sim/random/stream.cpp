#include "sim/random/stream.hpp"

#include <cmath>

namespace mmsim {

double RandomStream::exponential() noexcept { return -std::log(uniform()); }

}  // namespace mmsim
