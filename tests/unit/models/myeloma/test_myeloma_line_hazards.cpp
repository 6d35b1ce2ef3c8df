// Competing death hazards within a line (simulate.cpp step 4): each applies on the window it is defined on.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "models/myeloma/src/simulate.hpp"
#include "test_myeloma_support.hpp"

namespace mmsim::myeloma::test {
namespace {

// One cilta-cel line with lenalidomide maintenance whose toxicity is made lethal (5 deaths/month) on
// [infusion + 6, infusion + 12), and no other treatment-related death after the early window.
std::unique_ptr<MyelomaModel> lethal_maintenance() {
  return build_valid(scenario_text("default_relapsed", 60.0, "max_lines = 1\n", R"(
[maintenance.lenalidomide]
start_months = 6.0
duration_months = 6.0
extra_death_hazard = 5.0
not_if_len_refractory = false   # every responder maintained, so the window is seen in enough patients

[therapy.cilta_cel.mortality]
late_nrm_hazard = 0.0

[[strategy]]
name = "cilta_maintained"
[[strategy.line]]
therapy = "cilta_cel"
maintenance = "lenalidomide"
)" + kStopRule));
}

}  // namespace

TEST_CASE("Maintenance toxicity applies on the maintenance window, not after it (P4)", "[myeloma]") {
  const auto m = lethal_maintenance();
  const Params& p = m->params();
  const double early_window = therapy_named(p, "cilta_cel").early_window;
  History h;
  int maintained = 0, in_line_at_start = 0, died_in_window = 0, treatment_deaths_before = 0;
  for (std::uint64_t i = 0; i < 4000; ++i) {
    simulate_patient(p, 0, StreamKey{11, 0, i, 0, 0}, h);
    const LineRecord& l = h.lines[0];
    if (h.n_lines == 0 || !l.maintained) continue;
    ++maintained;
    const double since = h.death - l.infusion;  // inf when alive
    if (h.death_cause == DeathCause::treatment && since >= early_window && since < 6.0)
      ++treatment_deaths_before;
    if (l.end - l.infusion >= 6.0) {  // still on the line when the maintenance toxicity begins
      ++in_line_at_start;
      if (h.death_cause == DeathCause::treatment && since >= 6.0 && since < 7.0) ++died_in_window;
    }
  }
  INFO(maintained << " maintained; " << in_line_at_start << " still in the line at month 6; "
                  << died_in_window << " of them died of treatment in month 6-7");
  REQUIRE(in_line_at_start > 500);
  // No late NRM is configured, so a treatment death between the early window and month 6 would mean the
  // maintenance hazard leaked outside its window.
  CHECK(treatment_deaths_before == 0);
  // With 5 deaths/month from month 6, P(surviving month 6-7) = exp(-5) < 0.7%; progression in that month
  // takes a few more. 95% is far below the ~99% expected and far above what a misplaced window gives (~0).
  CHECK(died_in_window >= 0.95 * in_line_at_start);
}

}  // namespace mmsim::myeloma::test
