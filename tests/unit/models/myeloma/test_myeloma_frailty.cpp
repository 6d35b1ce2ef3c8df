// The progression frailty shared across lines (docs/model.md P7, `progression_frailty`; issue 11 item 8).
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "models/myeloma/src/population.hpp"
#include "models/myeloma/src/simulate.hpp"
#include "test_myeloma_support.hpp"

namespace mmsim::myeloma::test {
namespace {

// Two conventional lines in the real-world population; the frailty variance as given.
std::unique_ptr<MyelomaModel> two_lines(double variance) {
  return fixed_lines_model("default_relapsed", 120.0, {{"pvd_twice", {"pvd_dpd", "pvd_dpd"}}},
                           "\n[progression_frailty]\nvariance = " + std::to_string(variance) + "\n");
}

struct LinePair {
  int depth;             // best response of both lines
  double first, second;  // progression times of lines 1 and 2 from each line's start
};

std::vector<LinePair> progressed_pairs(const Params& p, std::uint64_t n) {
  std::vector<LinePair> out;
  History h;
  const std::array<double, kAttrs> x = average_patient();  // no heterogeneity from the attributes
  for (std::uint64_t i = 0; i < n; ++i) {
    simulate_patient(p, 0, StreamKey{5, 0, i, 0, 0}, h, &x);
    if (h.n_lines < 2) continue;
    const LineRecord& a = h.lines[0];
    const LineRecord& b = h.lines[1];
    if (a.end_reason != EndReason::progression || b.end_reason != EndReason::progression) continue;
    if (a.best_response != b.best_response) continue;  // same time-to-progression law on both lines
    out.push_back({a.best_response, a.end - a.start, b.end - b.start});
  }
  return out;
}

// Kendall's tau within strata of the best response (pairs of patients with the same depth only: the depth
// sets the time-to-progression law, so pooling depths would correlate the lines through the depth alone).
double kendall_tau(const std::vector<LinePair>& v) {
  double concordant = 0, discordant = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    for (std::size_t j = i + 1; j < v.size(); ++j) {
      if (v[i].depth != v[j].depth) continue;
      const double s = (v[i].first - v[j].first) * (v[i].second - v[j].second);
      if (s > 0) concordant += 1;
      if (s < 0) discordant += 1;
    }
  }
  return (concordant - discordant) / (concordant + discordant);
}

}  // namespace

TEST_CASE("The progression frailty has mean 1 and the configured variance (gamma law)", "[myeloma]") {
  // Closed form: Gamma(shape 1/v, scale v) has mean 1, variance v and fourth central moment (3 + 6v) v^2, so
  // the sample mean has SE sqrt(v/N) and the sample variance SE sqrt(((3 + 6v) v^2 - v^2) / N). Tolerance
  // 4 SE (seed fixed; a wrong scale, e.g. shape v, or a log-normal with the wrong sdlog, is off by > 50 SE).
  for (const double v : {0.25, 1.0}) {
    constexpr std::uint64_t kN = 200000;
    double sum = 0, sum2 = 0;
    for (std::uint64_t i = 0; i < kN; ++i) {
      const double z = draw_progression_frailty(v, StreamKey{7, 0, i, 0, 0});
      REQUIRE(z > 0);
      sum += z;
      sum2 += z * z;
    }
    const double mean = sum / kN;
    const double var = sum2 / kN - mean * mean;
    INFO("variance " << v << ": mean " << mean << ", variance " << var);
    CHECK(std::abs(mean - 1.0) < 4.0 * std::sqrt(v / kN));
    CHECK(std::abs(var - v) < 4.0 * std::sqrt((2.0 + 6.0 * v) * v * v / kN));
  }
  // No frailty: exactly 1, for every patient.
  for (std::uint64_t i = 0; i < 100; ++i)
    CHECK(draw_progression_frailty(0.0, StreamKey{7, 0, i, 0, 0}) == 1.0);
}

TEST_CASE("The shipped frailty variance is the fitted one and a variance changes only the progression times",
          "[myeloma]") {
  // disease.toml says 0 (independence, the model before the frailty); the whole-sequence fit's value in
  // calibrated.toml replaces it, inside the fit's bounds (configs/calibration/default.toml: 0-1).
  const auto shipped = build_file("configs/post_cart_salvage.toml");
  CHECK(shipped->params().disease.frailty_variance > 0.0);
  CHECK(shipped->params().disease.frailty_variance <= 1.0);
  // The frailty has its own stream: with it, each patient's attributes, waits and best responses are those of
  // the model without it (common random numbers across the variance, as for a calibration); only the
  // progression times (and what follows from them) move.
  const auto none = two_lines(0.0);
  const auto frail = two_lines(1.0);
  History a, b;
  int moved = 0;
  for (std::uint64_t i = 0; i < 500; ++i) {
    simulate_patient(none->params(), 0, StreamKey{3, 0, i, 0, 0}, a);
    simulate_patient(frail->params(), 0, StreamKey{3, 0, i, 0, 0}, b);
    REQUIRE(a.n_lines >= 1);
    REQUIRE(b.n_lines >= 1);
    CHECK(a.state.x == b.state.x);
    CHECK(a.lines[0].infusion == b.lines[0].infusion);
    CHECK(a.lines[0].best_response == b.lines[0].best_response);
    if (a.lines[0].end != b.lines[0].end) ++moved;
  }
  CHECK(moved > 400);
}

TEST_CASE("A shared frailty correlates the progression times of successive lines", "[myeloma]") {
  // One constructed patient (no attribute heterogeneity), pairs compared within the same best response:
  // without a frailty the two lines' times are independent (tau ~ 0; only line 1's failure mechanism links
  // them, and it does not depend on line 1's time). A gamma frailty of variance 1 gives two progression times
  // that share it a Clayton dependence, Kendall's tau v / (v + 2) = 1/3; only patients progressing on both
  // lines before death and the horizon are seen, which truncates the long-time pairs and lowers the observed
  // tau (0.14 here). SE of a within-stratum tau at ~1000 pairs ~0.025: bounds at 2 (tau0) and 2.5 (tau1) SE
  // from the truth.
  const auto none = progressed_pairs(two_lines(0.0)->params(), 8000);
  const auto frail = progressed_pairs(two_lines(1.0)->params(), 8000);
  REQUIRE(none.size() > 800);
  REQUIRE(frail.size() > 800);
  const double tau0 = kendall_tau(none), tau1 = kendall_tau(frail);
  INFO("Kendall tau line 1 vs line 2: variance 0 " << tau0 << " (" << none.size() << " pairs), variance 1 "
                                                   << tau1 << " (" << frail.size() << " pairs)");
  CHECK(std::abs(tau0) < 0.05);
  CHECK(tau1 > 0.08);
}

}  // namespace mmsim::myeloma::test
