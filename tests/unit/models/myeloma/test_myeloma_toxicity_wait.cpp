// Deaths during the manufacturing wait: a bridged patient carries the bridged-wait disease hazard, an
// unbridged one the progressive hazard (docs/model.md P7 hazard_waiting_bridged; issue 11, B103/B079).
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "models/myeloma/src/simulate.hpp"
#include "test_myeloma_support.hpp"

namespace mmsim::myeloma::test {
namespace {

// Ide-cel at line 1 with a 2-month wait (lognormal of negligible spread: the file's law merges with this
// table), half the patients bridged, no failure or dropout, so every line that ends before an infusion ends
// in a wait death.
std::unique_ptr<MyelomaModel> ide_cel_fixed_wait() {
  return fixed_lines_model("default_relapsed", 24.0, {{"ide_cel", {"ide_cel"}}}, R"(
[therapy.ide_cel.pre_treatment]
manufacturing_time = { dist = "lognormal", meanlog = 0.6931471805599453, sdlog = 1e-9 }  # 2 months
manufacturing_failure_prob = 0.0
dropout_prob = 0.0
waitlist_death_hazard = 0.02
bridging_prob = 0.5
target_fraction_infused = 0.9
source = "test"
)");
}

}  // namespace

TEST_CASE(
    "A bridged patient waiting for CAR-T carries the bridged-wait hazard, an unbridged one the "
    "progressive hazard",
    "[myeloma]") {
  const auto m = ide_cel_fixed_wait();
  const Params& p = m->params();
  const DiseaseSpec& d = p.disease;
  REQUIRE(d.hazard_waiting_bridged >= 0);
  REQUIRE(d.hazard_waiting_bridged < d.hazard_progressive);
  auto x = average_patient();  // no penta-refractoriness, EMD, high-risk cytogenetics or PCL: multiplier 1
  const double wait = 2.0, extra = 0.02;
  // Background cumulative hazard over the wait (Gompertz from age 60, male), closed form.
  const double rate0 =
      p.background.rate_per_month[1] * std::exp(p.background.shape_per_year[1] * x[idx(Attr::age)]);
  const double shape = p.background.shape_per_year[1] / 12.0;
  const double h_bg = rate0 / shape * (std::exp(shape * wait) - 1.0);
  const auto expected = [&](double h_disease) { return 1.0 - std::exp(-(h_disease + extra) * wait - h_bg); };
  // The old model charged hazard_progressive to every wait: bridged 0.148, here 0.068 (0.035 x 2 months).
  const double p_bridged = expected(d.hazard_waiting_bridged), p_unbridged = expected(d.hazard_progressive);

  int bridged = 0, unbridged = 0, died_bridged = 0, died_unbridged = 0;
  History h;
  for (std::uint64_t i = 0; i < 20000; ++i) {
    simulate_patient(p, 0, StreamKey{31, 0, i, 0, 0}, h, &x);
    REQUIRE(h.n_lines == 1);
    const LineRecord& r = h.lines[0];
    const bool died_waiting = std::isnan(r.infusion) && r.end_reason == EndReason::death;
    if (died_waiting) CHECK(h.death < wait);
    (r.bridged ? bridged : unbridged) += 1;
    (r.bridged ? died_bridged : died_unbridged) += died_waiting ? 1 : 0;
  }
  REQUIRE(bridged > 9000);
  REQUIRE(unbridged > 9000);
  const double rb = static_cast<double>(died_bridged) / bridged;
  const double ru = static_cast<double>(died_unbridged) / unbridged;
  INFO("bridged " << rb << " vs " << p_bridged << "; unbridged " << ru << " vs " << p_unbridged);
  // 4 binomial SEs (sqrt(p(1-p)/n): ~0.0025 bridged, ~0.0036 unbridged).
  CHECK(std::abs(rb - p_bridged) < 4.0 * std::sqrt(p_bridged * (1 - p_bridged) / bridged));
  CHECK(std::abs(ru - p_unbridged) < 4.0 * std::sqrt(p_unbridged * (1 - p_unbridged) / unbridged));
}

}  // namespace mmsim::myeloma::test
