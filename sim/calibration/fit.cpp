#include "sim/calibration/fit.hpp"

#include <fmt/format.h>
#include <nlopt.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <memory>

#include "sim/random/stream.hpp"

namespace mmsim::calibration {
namespace {

nlopt_algorithm algorithm(const std::string& name) {
  if (name == "LN_NELDERMEAD") return NLOPT_LN_NELDERMEAD;
  if (name == "LN_SBPLX") return NLOPT_LN_SBPLX;
  if (name == "LN_COBYLA") return NLOPT_LN_COBYLA;
  return NLOPT_LN_BOBYQA;
}

struct Session {
  const ObjectiveFunction& f;
  const ImprovementCallback& on_improvement;
  FitProgress progress;
  std::exception_ptr error;  // an exception must not unwind through NLopt's C frames
  nlopt_opt opt = nullptr;
  std::chrono::steady_clock::time_point t0 = std::chrono::steady_clock::now();
};

double evaluate(unsigned n, const double* x, double* grad, void* data) {
  (void)grad;
  auto& s = *static_cast<Session*>(data);
  if (s.error) return 0.0;
  const std::vector<double> u(x, x + n);
  double f = 0;
  try {
    f = s.f(u);
  } catch (...) {
    s.error = std::current_exception();
    if (s.opt != nullptr) nlopt_force_stop(s.opt);  // null: the start point's own evaluation, before NLopt
    return 0.0;
  }
  FitProgress& p = s.progress;
  ++p.evaluations;
  const bool improved = f < p.best;
  if (improved) {
    p.best = f;
    p.best_u = u;
    if (s.on_improvement) s.on_improvement(p);
  }
  if (improved || p.evaluations % 10 == 0) {
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - s.t0).count();
    fmt::print(stderr, "calibrate: start {} eval {:4d}  objective {:10.3f}  best {:10.3f}  ({:.0f} s){}\n",
               p.start + 1, p.evaluations, f, p.best, secs, improved ? "  *" : "");
  }
  return f;
}

using Optimizer = std::unique_ptr<std::remove_pointer_t<nlopt_opt>, decltype(&nlopt_destroy)>;

}  // namespace

FitProgress minimize(const ObjectiveFunction& f, const std::vector<double>& x0, const FitOptions& options,
                     const ImprovementCallback& on_improvement) {
  const std::size_t n = x0.size();
  Session session{f, on_improvement, {}, nullptr};
  RandomStream rs(StreamKey{options.seed, 7777, 0, 0, 0});
  constexpr double kStep = 0.1;  // initial step in unit coordinates
  // BOBYQA moves a start that lies within its initial step of a bound inward before its first evaluation, so
  // a resumed fit whose best point has a parameter near a bound would never evaluate that point: it could end
  // worse than where it resumed and write the worse point over the state. The point itself is evaluated
  // first then (one evaluation of the first start's budget).
  const bool near_bound =
      std::any_of(x0.begin(), x0.end(), [](double v) { return v < kStep || v > 1 - kStep; });
  const bool evaluate_x0 =
      algorithm(options.algorithm) == NLOPT_LN_BOBYQA && near_bound && options.max_evaluations > 1;
  if (evaluate_x0) {
    evaluate(static_cast<unsigned>(n), x0.data(), nullptr, &session);
    if (session.error) std::rethrow_exception(session.error);
  }
  for (int s = 0; s < options.starts; ++s) {
    session.progress.start = s;
    std::vector<double> x = x0;
    if (s > 0) {  // later starts: the best point so far, perturbed by up to +-20% of each range
      x = session.progress.best_u;
      for (double& xi : x) xi = std::clamp(xi + 0.4 * (rs.uniform() - 0.5), 0.0, 1.0);
    }
    const Optimizer opt(nlopt_create(algorithm(options.algorithm), static_cast<unsigned>(n)), &nlopt_destroy);
    session.opt = opt.get();
    std::vector<double> lo(n, 0.0), hi(n, 1.0), step(n, kStep);
    nlopt_set_lower_bounds(opt.get(), lo.data());
    nlopt_set_upper_bounds(opt.get(), hi.data());
    nlopt_set_initial_step(opt.get(), step.data());
    nlopt_set_min_objective(opt.get(), evaluate, &session);
    nlopt_set_maxeval(opt.get(), options.max_evaluations - (s == 0 && evaluate_x0 ? 1 : 0));
    nlopt_set_xtol_rel(opt.get(), options.xtol);
    double value = 0;
    const nlopt_result res = nlopt_optimize(opt.get(), x.data(), &value);
    if (session.error) std::rethrow_exception(session.error);
    fmt::print(stderr, "calibrate: start {} finished (nlopt code {}), objective {:.3f}, best {:.3f}\n", s + 1,
               static_cast<int>(res), value, session.progress.best);
  }
  return session.progress;
}

}  // namespace mmsim::calibration
