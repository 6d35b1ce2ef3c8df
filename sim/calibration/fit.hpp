#pragma once
// The optimizer: NLopt's derivative-free local algorithms over the unit cube, from one start point and then
// from perturbations of the best point found (docs/calibration.md, "Optimizer and starts"). Knows nothing of
// trials: it minimises whatever objective it is given.
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace mmsim::calibration {

struct FitOptions {
  std::string algorithm = "LN_BOBYQA";  // LN_BOBYQA | LN_NELDERMEAD | LN_SBPLX | LN_COBYLA
  int starts = 3;
  int max_evaluations = 300;  // per start
  double xtol = 1e-3;         // relative tolerance on the point
  std::uint64_t seed = 1;     // of the perturbations of later starts
};

// How far a fit has got.
struct FitProgress {
  int evaluations = 0;
  int start = 0;  // 0-based
  double best = std::numeric_limits<double>::infinity();
  std::vector<double> best_u;
};

// The objective at a unit point (each coordinate in [0, 1]).
using ObjectiveFunction = std::function<double(const std::vector<double>& u)>;
// Called after every improvement of the best point (e.g. to save it).
using ImprovementCallback = std::function<void(const FitProgress&)>;

// Minimises f over [0, 1]^n (n = x0.size()): start 1 from x0, each later start from the best point so far
// perturbed by up to +-20% of each range (a fixed stream of `options.seed`), initial step 0.1. Prints each
// improvement and every 10th evaluation on stderr. An exception from f ends the fit and is rethrown.
FitProgress minimize(const ObjectiveFunction& f, const std::vector<double>& x0, const FitOptions& options,
                     const ImprovementCallback& on_improvement = {});

}  // namespace mmsim::calibration
