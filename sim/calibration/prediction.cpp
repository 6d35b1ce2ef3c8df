#include "sim/calibration/prediction.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/calibration/fit_report.hpp"
#include "sim/format/text_table.hpp"

namespace mmsim::calibration {
namespace {

using format::csv_field;

// The large cohort's figure with its Monte Carlo SE ("-" for a median not reached, which has none).
std::string simulated_text(const Target& g, const Simulated& sim) {
  if (!std::isfinite(sim.value) && std::isfinite(sim.beyond)) return format_simulated(g, sim) + " (-)";
  return fmt::format("{} ({:.3f})", format_simulated(g, sim), sim.se);
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
                       passes(g, sims[i]) ? "yes" : "no");
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
                       simulated_text(g, sims[i]),
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
