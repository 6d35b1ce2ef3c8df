#include "sim/calibration/calibrate.hpp"

#include <fmt/format.h>

#include <cmath>

#include "sim/calibration/calibration_problem.hpp"
#include "sim/calibration/fit.hpp"
#include "sim/calibration/fit_report.hpp"
#include "sim/calibration/identifiability.hpp"
#include "sim/calibration/resume_state.hpp"
#include "sim/core/errors.hpp"
#include "sim/io/atomic_output.hpp"

namespace mmsim::calibration {
namespace {

namespace fs = std::filesystem;

FitProgress fit(const Problem& pr, bool resume) {
  std::vector<double> x0 = pr.space.start();
  const fs::path& state = pr.settings.state;
  if (resume) {
    if (read_resume_state(state, pr.space, x0) > 0) {
      fmt::print(stderr, "calibrate: resuming from the best point in {}\n", state.string());
    } else {
      fmt::print(stderr, "calibrate: no usable state in {}; starting afresh\n", state.string());
    }
  }
  const Settings& s = pr.settings;
  const FitOptions options{s.algorithm, s.starts, s.max_evaluations, s.xtol, s.seed};
  return minimize(
      [&](const std::vector<double>& u) { return objective(pr, u); }, x0, options,
      [&](const FitProgress& p) { write_resume_state(state, pr.space, p.best_u, p.best, p.evaluations); });
}

// The targets as the default model now meets them: the trial configs with the parameter file as written,
// `report_patients` per arm (seed + 1) and the trial-sized replicates (seed + 2).
std::vector<TargetRow> evaluate_rows(const Problem& pr, const std::vector<Trial>& real) {
  const Settings& s = pr.settings;
  std::vector<TargetRow> rows;
  for (const auto& t : real) {
    fmt::print(stderr, "calibrate: fit table, {} ({} patients per arm, {} trial-sized replicates)\n",
               t.name(), s.report_patients, t.config.replicates);
    const auto sims = evaluate_trial(t, {}, s.report_patients, s.seed + 1, pr.threads);
    const auto reps = trial_replicates(t, {}, t.config.replicates, s.seed + 2, pr.threads);
    for (std::size_t i = 0; i < t.targets().size(); ++i)
      rows.push_back(TargetRow{&t.targets()[i], sims[i], quantile(reps[i], 0.025), quantile(reps[i], 0.975)});
  }
  return rows;
}

void write_report(const Problem& pr, const ScenarioLoader& loader, const std::vector<double>& u,
                  bool fitted) {
  std::vector<Trial> real;
  for (const auto& t : pr.trials) real.push_back(load_trial(t.path, loader));
  const std::vector<TargetRow> rows = evaluate_rows(pr, real);
  const Matrix jtj =
      curvature([&](const std::vector<double>& x) { return residuals(pr, x, pr.settings.patients); }, u);
  const std::string md = report_markdown(pr, rows, u, fitted, identifiability_section(pr.space, u, jtj));
  io::write_text_atomically(pr.settings.report, md);
  std::size_t pass = 0;
  for (const auto& r : rows) pass += passes(*r.target, r.sim) ? 1 : 0;
  fmt::print(stderr, "calibrate: {} of {} targets pass; wrote {}\n", pass, rows.size(),
             pr.settings.report.string());
}

}  // namespace

void calibrate(const fs::path& calibration_file, const CalibrateOptions& options,
               const ScenarioLoader& loader) {
  Settings settings = read_settings(calibration_file);
  if (options.patients > 0) settings.patients = options.patients;
  if (options.starts > 0) settings.starts = options.starts;
  if (options.max_evaluations > 0) settings.max_evaluations = options.max_evaluations;
  const Problem pr = load_problem(std::move(settings), loader, options.threads);
  std::vector<double> u;
  if (options.report_only) {
    // The point whose overrides reproduce the values the real parameter file sets.
    u = pr.space.point_of(config::load_config(pr.trials.front().path).root);
  } else {
    check_bounds(pr);
    const FitProgress done = fit(pr, options.resume);
    u = done.best_u;
    // Every scenario includes the parameter file: only a point the model accepted may replace it.
    if (!std::isfinite(done.best) || done.best >= kInvalidObjective || u.size() != pr.space.size()) {
      throw InputError(fmt::format(
          "calibrate {}: no valid point found ({} evaluations, best objective {}): every parameter "
          "combination "
          "tried was refused by the model (check the [[parameter]] bounds against the model's legal ranges); "
          "{} was not written",
          calibration_file.string(), done.evaluations, done.best, pr.settings.parameters_file.string()));
    }
    io::write_text_atomically(pr.settings.parameters_file, parameters_file_text(pr, u, done.best));
    fmt::print(stderr, "calibrate: wrote {}\n", pr.settings.parameters_file.string());
  }
  write_report(pr, loader, u, !options.report_only);
}

}  // namespace mmsim::calibration
