#include "sim/calibration/trial_emulation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/config/config_path.hpp"
#include "sim/core/errors.hpp"
#include "sim/runner/cohort_runner.hpp"

namespace mmsim::calibration {
namespace {

RunOutcome run(const Trial& trial, const Model& model, std::uint64_t patients, std::uint64_t seed,
               std::uint64_t domain, unsigned threads) {
  RunOptions opt;
  opt.extra_columns = trial.config.columns_read();
  opt.patients = patients;
  opt.seed = seed;
  opt.domain = domain;
  opt.threads = threads;
  opt.mode = OutputMode::summary_only;
  return run_cohort(model, opt, nullptr);
}

// Columns of one strategy, patients [first, first + count): the endpoints and every collected u8 column.
ArmColumns arm_columns(const Trial& trial, const Model& model, const RunOutcome& out, std::size_t strategy,
                       std::size_t first, std::size_t count) {
  const auto& schema = model.schema();
  const auto collected = collected_outcome_columns(schema, trial.config.columns_read());
  ArmColumns a;
  for (std::size_t e = 0; e < schema.endpoints.size(); ++e) {
    const auto& cols = out.columns[strategy][e];
    a.endpoints[schema.endpoints[e]] =
        SurvivalColumns{std::span<const double>(cols.time).subspan(first, count),
                        std::span<const std::uint8_t>(cols.event).subspan(first, count)};
  }
  for (std::size_t o = 0; o < collected.size(); ++o)
    a.outcomes[collected[o]] = std::span<const std::uint8_t>(out.outcomes[strategy][o]).subspan(first, count);
  return a;
}

std::size_t arm_of(const Trial& trial, const std::string& strategy) {
  const auto& arms = trial.config.arms;
  for (std::size_t k = 0; k < arms.size(); ++k)
    if (arms[k].strategy == strategy) return k;
  throw InputError(fmt::format("{}: no arm \"{}\" in [trial].arm", trial.path.string(), strategy));
}

std::vector<Simulated> simulate_targets(const Trial& trial, const std::vector<ArmColumns>& arms) {
  std::vector<Simulated> values;
  for (const auto& t : trial.targets()) {
    const ArmColumns* ref = t.reference.empty() ? nullptr : &arms[arm_of(trial, t.reference)];
    values.push_back(simulate_target(t, arms[arm_of(trial, t.arm)], ref));
  }
  return values;
}

}  // namespace

std::unique_ptr<Model> build_trial_model(const Trial& trial, const std::vector<Override>& overrides) {
  config::ConfigDocument doc;
  doc.root = trial.document.root;
  doc.main_file = trial.document.main_file;
  // Fitted values are fractional in general, so an integer node takes a float (see config::IntegerNode).
  for (const auto& o : overrides)
    config::set_number(doc.root, config::require_config_path(o.path), o.value, config::IntegerNode::to_float);
  return trial.loader.build_model(std::move(doc), trial.settings);
}

Trial load_trial(const std::filesystem::path& path, ScenarioLoader loader, const config::FileReader& reader) {
  Trial t;
  t.path = path;
  t.loader = std::move(loader);
  t.document = config::load_config(path, reader);
  // Validated and built from a document of its own: a toml++ copy drops the source positions that the
  // errors point at.
  TrialScenario s = t.loader.load(config::load_config(path, reader));
  if (!s.trial) throw InputError(fmt::format("{}: a trial config needs a [trial] table", path.string()));
  t.config = std::move(*s.trial);
  t.settings = s.settings;
  return t;
}

std::vector<Simulated> evaluate_trial(const Trial& trial, const std::vector<Override>& overrides,
                                      std::uint64_t patients, std::uint64_t seed, unsigned threads) {
  const auto model = build_trial_model(trial, overrides);
  const RunOutcome out = run(trial, *model, patients, seed, 0, threads);
  std::vector<ArmColumns> arms;
  for (const auto& a : trial.config.arms)
    arms.push_back(arm_columns(trial, *model, out, a.index, 0, patients));
  return simulate_targets(trial, arms);
}

std::vector<std::vector<double>> trial_replicates(const Trial& trial, const std::vector<Override>& overrides,
                                                  std::uint64_t replicates, std::uint64_t seed,
                                                  unsigned threads) {
  const auto model = build_trial_model(trial, overrides);
  const auto& trial_arms = trial.config.arms;
  // Each arm gets its own block of patients (disjoint between arms), 1.5x its n plus a margin so that arms
  // analysed from a later time zero (e.g. treatment) still reach n analysed patients.
  std::vector<std::size_t> first, size;
  std::size_t total = 0;
  for (const auto& a : trial_arms) {
    first.push_back(total);
    size.push_back(static_cast<std::size_t>(std::ceil(1.5 * static_cast<double>(a.n))) + 20);
    total += size.back();
  }
  std::vector<std::vector<double>> values(trial.targets().size(), std::vector<double>(replicates, kNaN));
  for (std::uint64_t r = 0; r < replicates; ++r) {
    const RunOutcome out = run(trial, *model, total, seed, r + 1, threads);
    std::vector<ArmColumns> arms;
    for (std::size_t k = 0; k < trial_arms.size(); ++k) {
      std::size_t m = size[k];  // the first m patients hold n analysed ones
      if (!out.columns[trial_arms[k].index].empty()) {
        const std::span<const double> time =
            std::span<const double>(out.columns[trial_arms[k].index].front().time).subspan(first[k], size[k]);
        std::size_t analysed = 0;
        m = 0;
        while (m < size[k] && analysed < trial_arms[k].n) analysed += std::isnan(time[m++]) ? 0 : 1;
      } else {
        m = std::min<std::size_t>(size[k], trial_arms[k].n);
      }
      arms.push_back(arm_columns(trial, *model, out, trial_arms[k].index, first[k], m));
    }
    const auto sims = simulate_targets(trial, arms);
    for (std::size_t i = 0; i < sims.size(); ++i) values[i][r] = sims[i].value;
  }
  return values;
}

double quantile(std::vector<double> v, double q) {
  v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return !std::isfinite(x); }), v.end());
  if (v.empty()) return kNaN;
  std::sort(v.begin(), v.end());
  const double h = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

}  // namespace mmsim::calibration
