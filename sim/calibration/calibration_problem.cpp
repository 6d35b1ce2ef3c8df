#include "sim/calibration/calibration_problem.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <string>

#include "sim/core/errors.hpp"

namespace mmsim::calibration {
namespace {

namespace fs = std::filesystem;

// A file reader that answers the calibrated-parameters file with an empty parameter file.
config::FileReader blank_reader(const fs::path& parameters_file) {
  const fs::path target = fs::weakly_canonical(parameters_file);
  return [target](const fs::path& p) -> std::optional<std::string> {
    std::error_code ec;
    if (fs::weakly_canonical(p, ec) == target) return std::string("schema_version = 1\n");
    return config::read_file_text(p);
  };
}

std::vector<Trial> load_blank_trials(const Settings& settings, const ScenarioLoader& loader) {
  const auto reader = blank_reader(settings.parameters_file);
  std::vector<Trial> trials;
  for (const auto& t : settings.trials) trials.push_back(load_trial(t, loader, reader));
  return trials;
}

}  // namespace

std::size_t Problem::target_count() const {
  std::size_t k = 0;
  for (const auto& t : trials) k += t.targets().size();
  return k;
}

Problem load_problem(Settings settings, const ScenarioLoader& loader, unsigned threads) {
  std::vector<Trial> trials = load_blank_trials(settings, loader);
  ParameterSpace space(settings.parameters, trials.front().document.root);
  return Problem{std::move(settings), std::move(trials), std::move(space), threads};
}

void check_bounds(const Problem& problem) {
  const ParameterSpace& space = problem.space;
  std::vector<std::string> refused;
  for (std::size_t i = 0; i < space.size(); ++i) {
    const Parameter& p = space.parameters()[i];
    for (const bool upper : {false, true}) {
      std::vector<double> u = space.start();
      u[i] = upper ? 1.0 : 0.0;
      const auto ov = space.overrides(space.values(u));
      for (const auto& t : problem.trials) {
        try {
          build_trial_model(t, ov);
        } catch (const InputError& e) {
          // The model's first complaint, without its location (an override has no line of its own).
          std::string why(e.what());
          why = why.substr(0, why.find('\n'));
          if (const auto at = why.find(": error: "); at != std::string::npos) why = why.substr(at + 9);
          const std::string& where = upper ? p.upper_at : p.lower_at;
          const auto key = where.rfind(": ");
          refused.push_back(fmt::format("{}: error: {}: {} = {} makes the model of {} refuse its values: {}",
                                        where.substr(0, key), where.substr(key + 2),
                                        upper ? "upper" : "lower", upper ? p.upper : p.lower,
                                        t.path.filename().string(), why));
          break;
        }
      }
    }
  }
  if (!refused.empty())
    throw InputError(
        fmt::format("{}\n(narrow these bounds to the parameter's legal range; nothing was fitted)",
                    fmt::join(refused, "\n")));
}

std::vector<double> residuals(const Problem& problem, const std::vector<double>& u, std::uint64_t patients) {
  const auto ov = problem.space.overrides(problem.space.values(u));
  std::vector<double> r;
  for (const auto& t : problem.trials) {
    const auto sims = evaluate_trial(t, ov, patients, problem.settings.seed, problem.threads);
    for (std::size_t i = 0; i < t.targets().size(); ++i) {
      for (double ri : target_residuals(t.targets()[i], sims[i])) r.push_back(ri);
    }
  }
  return r;
}

double objective(const Problem& problem, const std::vector<double>& u) {
  double f = 0;
  try {
    for (double r : residuals(problem, u, problem.settings.patients)) f += r * r;
  } catch (const InputError&) {
    f = kInvalidObjective;  // an invalid parameter combination (e.g. probabilities below 0)
  }
  return f;
}

}  // namespace mmsim::calibration
