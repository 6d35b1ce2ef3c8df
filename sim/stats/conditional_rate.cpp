#include "sim/stats/conditional_rate.hpp"

#include <fmt/format.h>

#include <cmath>

#include "sim/core/errors.hpp"
#include "sim/core/numeric.hpp"

namespace mmsim::stats {
namespace {

struct Counts {
  std::uint64_t yes = 0, in = 0;
};

Counts count(std::span<const std::uint8_t> response, std::span<const std::uint8_t> denominator) {
  if (response.size() != denominator.size()) {
    throw InputError(
        fmt::format("{} responses but {} denominator values", response.size(), denominator.size()));
  }
  Counts c;
  for (std::size_t i = 0; i < response.size(); ++i) {
    if (response[i] > 1 || denominator[i] > 1) {
      throw InputError(fmt::format("patient {}: response {} and denominator {} (each must be 0 or 1)", i,
                                   static_cast<int>(response[i]), static_cast<int>(denominator[i])));
    }
    c.in += denominator[i];
    c.yes += response[i] & denominator[i];
  }
  return c;
}

}  // namespace

ConditionalRate conditional_rate(std::span<const std::uint8_t> response,
                                 std::span<const std::uint8_t> denominator) {
  const Counts c = count(response, denominator);
  ConditionalRate out;
  out.n = c.in;
  if (c.in == 0) {
    out.rate = out.se = kNaN;
    return out;
  }
  out.rate = static_cast<double>(c.yes) / static_cast<double>(c.in);
  out.se = std::sqrt(out.rate * (1.0 - out.rate) / static_cast<double>(c.in));
  return out;
}

std::vector<double> conditional_rate_influence(std::span<const std::uint8_t> response,
                                               std::span<const std::uint8_t> denominator) {
  const Counts c = count(response, denominator);
  std::vector<double> out(response.size(), 0.0);
  if (c.in == 0) return out;
  const auto m = static_cast<long double>(c.in);
  const long double r = static_cast<long double>(c.yes) / m;
  for (std::size_t i = 0; i < response.size(); ++i) {
    if (denominator[i] == 1) out[i] = static_cast<double>((static_cast<long double>(response[i]) - r) / m);
  }
  return out;
}

PairedDifference compare_conditional_rates_paired(std::span<const std::uint8_t> response_a,
                                                  std::span<const std::uint8_t> denominator_a,
                                                  std::span<const std::uint8_t> response_b,
                                                  std::span<const std::uint8_t> denominator_b,
                                                  double conf_level) {
  const ConditionalRate a = conditional_rate(response_a, denominator_a);
  const ConditionalRate b = conditional_rate(response_b, denominator_b);
  if (a.n == 0 || b.n == 0) {
    PairedDifference none;
    none.difference = none.se_paired = none.se_unpaired = none.lower = none.upper = kNaN;
    return none;
  }
  return paired_difference(a.rate, conditional_rate_influence(response_a, denominator_a), b.rate,
                           conditional_rate_influence(response_b, denominator_b), conf_level);
}

}  // namespace mmsim::stats
