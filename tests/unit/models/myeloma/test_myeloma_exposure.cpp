// Prior exposure to a bispecific's target (docs/model.md P3 `prior_exposure`, issue 11 items 1 and 2): the
// response moves only through the antigen and T-cell state the exposure left, the durability through the
// progression hazard ratio of the exposure's kind.
#include <catch2/catch.hpp>

#include <cmath>

#include "models/myeloma/src/efficacy.hpp"
#include "test_myeloma_support.hpp"

using namespace mmsim;
using namespace mmsim::myeloma;
using namespace mmsim::myeloma::test;

namespace {

// The state after a BCMA CAR-T line that left the antigen and the T cells as they were: only the exposure
// records differ from a naive patient.
PatientState after_bcma_cart(const Params& p, const std::array<double, kAttrs>& x) {
  PatientState s = state_on_line(p, x, 2);
  const std::uint32_t bcma = 1u << idx(Antigen::BCMA);
  s.antigen_exposed |= bcma;
  s.antigen_exposed_by_type[idx(ExposureType::car_t)] |= bcma;
  s.category_exposed |= 1u << idx(Category::car_t);
  return s;
}

}  // namespace

TEST_CASE(
    "A bispecific's response after same-target exposure moves only through the antigen and T-cell state",
    "[myeloma]") {
  // Teclistamab and elranatamab after a BCMA CAR-T, for an average constructed patient: with the antigen
  // density and T-cell fitness unchanged, the response probabilities are those of a naive patient on the same
  // line (an extra odds ratio for the exposure, 0.60 before, counted the antigen and T-cell effects twice).
  const Params& p = flagship_model().params();
  const auto x = average_patient();
  for (const char* id : {"teclistamab", "elranatamab"}) {
    INFO(id);
    const Therapy& th = therapy_named(p, id);
    const PatientState naive = state_on_line(p, x, 2);
    const PatientState exposed = after_bcma_cart(p, x);
    const Efficacy en = line_efficacy(p, th, -1, naive, 0.0);
    const Efficacy ee = line_efficacy(p, th, -1, exposed, 0.0);
    for (std::size_t d = 0; d < kDepths; ++d) CHECK(ee.probs[d] == Approx(en.probs[d]).margin(1e-12));
    // The durability term of the exposure's kind is what separates them.
    CHECK(ee.log_hr - en.log_hr == Approx(th.log_hr_after[idx(ExposureType::car_t)]).margin(1e-12));
    CHECK(th.log_hr_after[idx(ExposureType::car_t)] > 0.0);

    // The state does carry the exposure: a down-regulated antigen, a lower T-cell fitness and a lost antigen
    // each lower the response, the last to the antigen-negative probabilities.
    PatientState down = exposed;
    down.density[idx(Antigen::BCMA)] *= 0.35;  // median down-regulation factor (antigens.toml)
    CHECK(orr(line_efficacy(p, th, -1, down, 0.0).probs) < orr(ee.probs) - 0.02);
    PatientState tired = exposed;
    tired.fitness_at = -1.0;  // one SD below, not yet recovered at t = 0
    CHECK(orr(line_efficacy(p, th, -1, tired, 0.0).probs) < orr(ee.probs) - 0.02);
    PatientState lost = exposed;
    lost.lost[idx(Antigen::BCMA)] = true;
    lost.density[idx(Antigen::BCMA)] = 0.0;
    const Efficacy el = line_efficacy(p, th, -1, lost, 0.0);
    CHECK(el.antigen_negative);
    for (std::size_t d = 0; d < kDepths; ++d)
      CHECK(el.probs[d] == Approx(p.antigen_negative[d]).margin(1e-12));
  }
}

TEST_CASE("Baseline BCMA exposure leaves teclistamab's responses unchanged, draw for draw, and shortens them",
          "[myeloma]") {
  // Whole model, common random numbers: the same constructed patient with and without baseline
  // prior_bcma_exposure (no simulated line: the antigen and T-cell state are the same) on teclistamab as line
  // 1 responds identically in every one of n patients (same keys, same uniforms, same probabilities); with
  // the former odds ratio of 0.60 about a third of them moved. Among responders the exposed progress
  // earlier: the durability ratio (X285/X286) acts on the progression time. Deterministic comparison, no SE.
  const auto m = fixed_lines_model("default_relapsed", 60.0, {{"tec", {"teclistamab"}}});
  auto naive = average_patient();
  auto exposed = naive;
  exposed[idx(Attr::prior_bcma_exposure)] = 1.0;
  const auto& lay = m->schema().patients;
  const FieldId best = lay.find("best_response_line1"), pfs = lay.find("pfs_time");
  const std::size_t n = 3000;
  const TableBuffer tn = run_cohort(*m, 0, n, 21, &naive), te = run_cohort(*m, 0, n, 21, &exposed);
  std::size_t differ = 0, responders = 0, shorter = 0, longer = 0;
  for (std::size_t r = 0; r < n; ++r) {
    const auto bn = tn.get<std::uint8_t>(r, best), be = te.get<std::uint8_t>(r, best);
    differ += bn != be;
    if (bn != be || bn < idx(Depth::pr) + 1) continue;  // enum: 0 = none, then pd .. cr
    ++responders;
    const double a = tn.get<double>(r, pfs), b = te.get<double>(r, pfs);
    shorter += b < a;
    longer += b > a;
  }
  CHECK(differ == 0);
  REQUIRE(responders > 1000);
  // The same exponential draw under a larger hazard ratio never gives a later progression (death and the
  // horizon can tie the two).
  CHECK(longer == 0);
  CHECK(shorter > responders / 2);
}
