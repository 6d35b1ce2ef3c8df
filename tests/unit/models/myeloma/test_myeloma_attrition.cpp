// Attrition after a failed line (docs/model.md P7, disease.toml [between_lines]): a share of the patients
// whose line fails start no further line and go to best supportive care, logistic in the lines received.
#include <catch2/catch.hpp>

#include <cmath>

#include "models/myeloma/src/simulate.hpp"
#include "test_myeloma_support.hpp"

using namespace mmsim::myeloma;
using namespace mmsim::myeloma::test;

namespace {

// Three conventional lines in the real-world population (a third of the patients do not respond to the
// first), then no further therapy.
const MyelomaModel& three_lines() {
  static const auto m =
      fixed_lines_model("default_relapsed", 120.0, {{"pvd_thrice", {"pvd_dpd", "pvd_dpd", "pvd_dpd"}}});
  return *m;
}

// That scenario's parameters with the given attrition share (at per_line_reference lines) and odds ratio.
Params with_attrition(double q, double odds_ratio) {
  Params p = three_lines().params();
  p.disease.no_next_line_prob = q;
  p.disease.no_next_line_or_per_line = odds_ratio;
  return p;
}

// The state at the top of the line loop before line n: n - 1 lines given.
PatientState before_line(const Params& p, double prior_lines, int n) {
  std::array<double, kAttrs> x = average_patient();
  x[idx(Attr::prior_lines)] = prior_lines;
  PatientState s = state_of(p, x);
  s.lines_given = n - 1;
  return s;
}

struct Continuation {
  int failed_alive = 0;  // line 1 failed and the patient was alive at the next line's decision
  int went_on = 0;       // of those, started line 2
};

struct ByResponse {
  Continuation responded, not_responded;  // by the first line's best response (PR or better, or not)
};

// Patients whose first line fails by progression and who survive the gap: how many start a second line.
ByResponse after_first_failure(const Params& p, std::size_t strategy, std::uint64_t n) {
  ByResponse r;
  History h;
  const std::array<double, kAttrs> x = average_patient();
  for (std::uint64_t i = 0; i < n; ++i) {
    simulate_patient(p, strategy, mmsim::StreamKey{9, 0, i, 0, 0}, h, &x);
    if (h.n_lines == 0 || h.lines[0].end_reason != EndReason::progression) continue;
    const bool second = h.n_lines >= 2;
    // Alive at the decision: either a second line started, or therapy stopped (no_further_therapy) alive.
    if (!second && !(h.stop_time >= 0)) continue;
    Continuation& c = h.lines[0].best_response >= static_cast<int>(Depth::pr) ? r.responded : r.not_responded;
    ++c.failed_alive;
    if (second) ++c.went_on;
  }
  return r;
}

}  // namespace

TEST_CASE("The attrition share is logistic in the lines received, centred at the reference count (P7)",
          "[myeloma]") {
  const Params p = with_attrition(0.2, 2.0);
  const double ref = p.disease.per_line_reference;
  const auto odds = [](double q) { return q / (1 - q); };
  // At the reference count (prior lines + lines given) the share is the parameter itself.
  CHECK(no_next_line_probability(p, before_line(p, ref - 1, 2)) == Approx(0.2).epsilon(1e-12));
  // Each line more doubles the odds; the simulated lines count like the prior ones.
  const double q3 = no_next_line_probability(p, before_line(p, ref, 3));  // ref + 2 lines
  CHECK(odds(q3) / odds(0.2) == Approx(4.0).epsilon(1e-12));
  CHECK(q3 == Approx(no_next_line_probability(p, before_line(p, ref + 1, 2))).epsilon(1e-12));
  // An odds ratio of 1 gives the same share at every line count.
  const Params flat = with_attrition(0.3, 1.0);
  CHECK(no_next_line_probability(flat, before_line(flat, 2, 2)) == 0.3);
  CHECK(no_next_line_probability(flat, before_line(flat, 9, 4)) == 0.3);
}

TEST_CASE("Attrition stops the given share of patients after a line without response (P7)", "[myeloma]") {
  const std::size_t conventional = 0;
  // Without attrition every surviving patient goes on (the strategy has later lines).
  const ByResponse none = after_first_failure(with_attrition(0.0, 1.0), conventional, 4000);
  REQUIRE(none.not_responded.failed_alive > 1000);
  REQUIRE(none.responded.failed_alive > 300);
  CHECK(none.not_responded.went_on == none.not_responded.failed_alive);
  CHECK(none.responded.went_on == none.responded.failed_alive);
  // With a share of 0.3 at every line count, 70% of the non-responders go on: binomial, 4 standard errors.
  // Before attrition existed this was 100%. Responders all go on.
  const ByResponse some = after_first_failure(with_attrition(0.3, 1.0), conventional, 4000);
  const Continuation& nr = some.not_responded;
  REQUIRE(nr.failed_alive > 1000);
  const double frac = static_cast<double>(nr.went_on) / nr.failed_alive;
  const double se = std::sqrt(0.7 * 0.3 / nr.failed_alive);
  CHECK(std::abs(frac - 0.7) < 4 * se);
  CHECK(some.responded.went_on == some.responded.failed_alive);
  // A share of 1 stops every non-responder after the first failure, and no responder.
  const ByResponse all = after_first_failure(with_attrition(1.0, 1.0), conventional, 2000);
  CHECK(all.not_responded.failed_alive > 500);
  CHECK(all.not_responded.went_on == 0);
  CHECK(all.responded.went_on == all.responded.failed_alive);
}

TEST_CASE("Attrition leaves the patients who go on unchanged: their lines draw what they drew (P7)",
          "[myeloma]") {
  const std::size_t conventional = 0;
  const Params off = with_attrition(0.0, 1.0);
  const Params on = with_attrition(0.3, 1.0);
  const std::array<double, kAttrs> x = average_patient();
  History a, b;
  int compared = 0;
  for (std::uint64_t i = 0; i < 500; ++i) {
    simulate_patient(off, conventional, mmsim::StreamKey{9, 0, i, 0, 0}, a, &x);
    simulate_patient(on, conventional, mmsim::StreamKey{9, 0, i, 0, 0}, b, &x);
    // Up to the first line attrition stopped, both histories are the same line for line.
    const std::size_t n = std::min(a.n_lines, b.n_lines);
    for (std::size_t k = 0; k < n; ++k) {
      CHECK(a.lines[k].start == b.lines[k].start);
      CHECK(a.lines[k].end == b.lines[k].end);
      CHECK(a.lines[k].best_response == b.lines[k].best_response);
      ++compared;
    }
    if (b.n_lines == a.n_lines) CHECK(a.death == b.death);
  }
  CHECK(compared > 500);
}
