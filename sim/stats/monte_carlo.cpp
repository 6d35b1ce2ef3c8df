#include "sim/stats/monte_carlo.hpp"

#include <fmt/format.h>
#include <cmath>

#include "sim/core/errors.hpp"

namespace mmsim::stats {

std::uint64_t patients_needed(double se_now, std::uint64_t n_now, double target_se) {
  if (!(std::isfinite(se_now) && se_now >= 0.0) || !(std::isfinite(target_se) && target_se > 0.0) ||
      n_now == 0) {
    throw InputError(fmt::format(
        "patients_needed(se_now={}, n_now={}, target_se={}): need se_now >= 0, n_now > 0 and target_se > 0",
        se_now, n_now, target_se));
  }
  const long double ratio = static_cast<long double>(se_now) / static_cast<long double>(target_se);
  const long double needed = std::ceil(static_cast<long double>(n_now) * ratio * ratio);
  if (needed > 1.8e19L) {
    throw InputError(fmt::format("patients_needed: {} patients would be needed (target SE {} is too small)",
                                 static_cast<double>(needed), target_se));
  }
  return needed < 1.0L ? 1U : static_cast<std::uint64_t>(needed);
}

}  // namespace mmsim::stats
