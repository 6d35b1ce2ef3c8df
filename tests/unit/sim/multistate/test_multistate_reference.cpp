// The reference illness-death model against an independent computation of its state occupancy.
//
// Truth: with clock reset, the occupancy probabilities solve the Kolmogorov forward equations, which here
// reduce to one integral:  P(on_therapy at t) = S1(t) = exp(-(t/12)^1.2 - 0.01 t),
//                   P(progressed at t) = int_0^t h12(u) S1(u) S2(t-u) du,  S2(v) = exp(-(v/18)^1.1),
// computed by Gauss-Kronrod quadrature (Boost.Math). The PFS median m solves S1(m) = 1/2 (TOMS 748 root
// finder). Tolerances: 4 Monte Carlo standard errors (binomial SE sqrt(p(1-p)/n) for occupancy; for the
// sample median, sqrt(1/4n) / f(m) with f the PFS density), so a correct simulator fails a check with
// probability ~6e-5.
#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <boost/math/tools/roots.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "sim/runner/cohort_runner.hpp"
#include "tests/unit/multistate_scenario.hpp"

namespace {

double S1(double t) {
  return std::exp(-std::pow(t / 12.0, 1.2) - 0.01 * t);
}
double h12(double t) {
  return (1.2 / 12.0) * std::pow(t / 12.0, 0.2);
}
double S2(double v) {
  return std::exp(-std::pow(v / 18.0, 1.1));
}

double p_progressed(double t) {
  auto f = [t](double u) { return h12(u) * S1(u) * S2(t - u); };
  return boost::math::quadrature::gauss_kronrod<double, 61>::integrate(f, 0.0, t, 15, 1e-12);
}

}  // namespace

TEST_CASE("reference illness-death model matches numerical integration", "[multistate][reference]") {
  const auto model = mmsim::test::load_multistate("configs/reference/illness_death.toml");
  mmsim::RunOptions opt;
  opt.patients = 200000;
  opt.seed = 42;
  opt.threads = 2;
  opt.mode = mmsim::OutputMode::summary_only;
  const auto outcome = mmsim::run_cohort(*model, opt, nullptr);
  const auto& pfs = outcome.columns[0][0];
  const auto& os = outcome.columns[0][1];
  const double n = static_cast<double>(opt.patients);

  SECTION("PFS median") {
    std::vector<double> t(pfs.time.begin(), pfs.time.end());
    std::nth_element(t.begin(), t.begin() + static_cast<long>(t.size() / 2), t.end());
    const double sim_median = t[t.size() / 2];
    std::uintmax_t iters = 100;
    const auto bracket =
        boost::math::tools::toms748_solve([](double x) { return S1(x) - 0.5; }, 0.1, 60.0,
                                          boost::math::tools::eps_tolerance<double>(50), iters);
    const double true_median = 0.5 * (bracket.first + bracket.second);
    const double density = (h12(true_median) + 0.01) * S1(true_median);
    const double se = std::sqrt(0.25 / n) / density;
    INFO("simulated " << sim_median << " true " << true_median << " se " << se);
    CHECK(std::abs(sim_median - true_median) < 4.0 * se);
  }

  SECTION("state occupancy at 12, 24 and 60 months") {
    for (const double at : {12.0, 24.0, 60.0}) {
      double on = 0, prog = 0, dead = 0;
      for (std::size_t i = 0; i < pfs.time.size(); ++i) {
        if (os.event[i] == 1 && os.time[i] <= at) {
          dead += 1;
        } else if (pfs.time[i] <= at) {
          prog += 1;
        } else {
          on += 1;
        }
      }
      const double p_on = S1(at), p_prog = p_progressed(at), p_dead = 1.0 - p_on - p_prog;
      const double sims[] = {on / n, prog / n, dead / n}, truth[] = {p_on, p_prog, p_dead};
      for (int k = 0; k < 3; ++k) {
        const double se = std::sqrt(truth[k] * (1 - truth[k]) / n);
        INFO("t=" << at << " state " << k << " simulated " << sims[k] << " true " << truth[k] << " se "
                  << se);
        CHECK(std::abs(sims[k] - truth[k]) < 4.0 * se);
      }
    }
  }
}
