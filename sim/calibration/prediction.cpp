#include "sim/calibration/prediction.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/calibration/fit_report.hpp"

namespace mmsim::calibration {
namespace {

// A CSV field: quoted when it holds a comma or a quote.
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (const char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string prediction_csv(const Trial& t, const std::vector<Simulated>& sims,
                           const std::vector<std::vector<double>>& reps) {
  std::string out = "trial,evidence,label,value,ci_low,ci_high,simulated,se,pi_low,pi_high,pi_n,pass\n";
  for (std::size_t i = 0; i < t.targets().size(); ++i) {
    const Target& g = t.targets()[i];
    const auto finite =
        std::count_if(reps[i].begin(), reps[i].end(), [](double v) { return std::isfinite(v); });
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{}\n", csv_field(t.name()), g.evidence,
                       csv_field(g.label()), g.value, g.ci_low, g.ci_high, sims[i].value, sims[i].se,
                       quantile(reps[i], 0.025), quantile(reps[i], 0.975), finite,
                       passes(g, sims[i].value) ? "yes" : "no");
  }
  return out;
}

}  // namespace

std::string predict_trial(const std::filesystem::path& trial_config, const ScenarioLoader& loader,
                          const PredictionOptions& options) {
  const Trial t = load_trial(trial_config, loader);
  const std::uint64_t seed = t.settings.simulation.seed;
  const std::uint64_t patients = options.patients > 0 ? options.patients : t.settings.simulation.patients;
  const std::uint64_t replicates = options.replicates > 0 ? options.replicates : t.config.replicates;
  const auto sims = evaluate_trial(t, {}, patients, seed, options.threads);
  const auto reps = trial_replicates(t, {}, replicates, seed + 1, options.threads);
  if (options.csv) return prediction_csv(t, sims, reps);
  std::string arms;
  for (const auto& a : t.config.arms)
    arms += fmt::format("{}{} n={}", arms.empty() ? "" : ", ", a.strategy, a.n);
  std::string out =
      fmt::format("{}: {} trial-sized replicates (arms: {}), large cohort {} patients per arm\n\n", t.name(),
                  replicates, arms, patients);
  out += fmt::format("{:<36} {:>8} {:>20} {:>18} {:>22} {:>8}\n", "target", "evidence", "published (95% CI)",
                     "large cohort (SE)", "trial-sized 95% PI", "PI n");
  for (std::size_t i = 0; i < t.targets().size(); ++i) {
    const Target& g = t.targets()[i];
    const auto finite = static_cast<std::size_t>(
        std::count_if(reps[i].begin(), reps[i].end(), [](double v) { return std::isfinite(v); }));
    out += fmt::format("{:<36} {:>8} {:>20} {:>18} {:>22} {:>8}\n", g.label(), g.evidence, published_text(g),
                       fmt::format("{} ({:.3f})", format_figure(g, sims[i].value), sims[i].se),
                       fmt::format("{} - {}", format_figure(g, quantile(reps[i], 0.025)),
                                   format_figure(g, quantile(reps[i], 0.975))),
                       finite);
  }
  out +=
      "\nThe PI is the spread of the figure across trials of this size if the model were true (medians not "
      "reached in a replicate are left out: PI n counts the replicates that reached it).\n";
  return out;
}

}  // namespace mmsim::calibration
