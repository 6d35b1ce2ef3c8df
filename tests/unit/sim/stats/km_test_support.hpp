#pragma once
// Bit-for-bit comparison of two Kaplan-Meier tables, for the tests that check a faster path (reused
// workspace, sorted keys) gives the table of the plain fit.
#include <catch2/catch.hpp>

#include <cstring>
#include <vector>

#include "sim/stats/kaplan_meier.hpp"

namespace mmsim::test {

inline bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

// Every stored column; the derived ones (n_censor, se_surv) follow from these.
inline void check_same(const stats::KaplanMeier& a, const stats::KaplanMeier& b) {
  CHECK(a.n == b.n);
  CHECK(a.n_excluded == b.n_excluded);
  CHECK(a.conf_level == b.conf_level);
  CHECK(same_bits(a.time, b.time));
  CHECK(a.n_risk == b.n_risk);
  CHECK(a.n_event == b.n_event);
  CHECK(same_bits(a.surv, b.surv));
  CHECK(same_bits(a.se_log_surv, b.se_log_surv));
  CHECK(same_bits(a.lower, b.lower));
  CHECK(same_bits(a.upper, b.upper));
}

}  // namespace mmsim::test
