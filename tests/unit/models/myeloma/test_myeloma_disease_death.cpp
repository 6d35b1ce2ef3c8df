// The disease-death hazard's per-line multiplier (docs/model.md P7): it counts the lines a patient received
// before entering the simulation, centred on the line count at which the state hazards were measured.
#include <catch2/catch.hpp>

#include <cmath>

#include "models/myeloma/src/simulate.hpp"
#include "test_myeloma_support.hpp"

using namespace mmsim::myeloma;
using namespace mmsim::myeloma::test;

namespace {

// The state simulate.cpp evaluates on line n, for an average patient with this many prior lines.
PatientState on_line(const Params& p, double prior_lines, int n) {
  std::array<double, kAttrs> x = average_patient();  // no covariate other than the line count
  x[idx(Attr::prior_lines)] = prior_lines;
  return state_on_line(p, x, n);
}

}  // namespace

TEST_CASE("Disease death rises with the lines before the simulation, not only the simulated ones (P7)",
          "[myeloma]") {
  const Params& p = flagship_model().params();
  const double k = p.disease.per_line_multiplier;
  const double ref = p.disease.per_line_reference;
  REQUIRE(k > 1.0);
  REQUIRE(ref == 5.0);  // MAMMOTH's median lines at T0 (X390)
  // A patient entering at the reference line count on line 1 carries no line term.
  CHECK(disease_death_multiplier(p, on_line(p, ref, 1)) == Approx(1.0).epsilon(1e-12));
  // Eight prior lines against two, both on line 1: six lines apart. The old count (simulated lines only)
  // gave both the same hazard.
  const double late = disease_death_multiplier(p, on_line(p, 8, 1));
  const double early = disease_death_multiplier(p, on_line(p, 2, 1));
  CHECK(late / early == Approx(std::pow(k, 6)).epsilon(1e-12));
  CHECK(early == Approx(std::pow(k, 2 - ref)).epsilon(1e-12));
  // Simulated lines add to the prior ones: line 3 after two prior lines equals line 1 after four.
  CHECK(disease_death_multiplier(p, on_line(p, 2, 3)) ==
        Approx(disease_death_multiplier(p, on_line(p, 4, 1))).epsilon(1e-12));
}
