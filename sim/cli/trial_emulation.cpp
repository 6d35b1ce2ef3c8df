#include "sim/cli/trial_emulation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/cli/model_registry.hpp"
#include "sim/config/config_path.hpp"
#include "sim/config/table_reader.hpp"
#include "sim/core/errors.hpp"
#include "sim/runner/cohort_runner.hpp"

namespace mmsim::cli {
namespace {

using calibration::ArmColumns;
using calibration::Simulated;
using calibration::Target;

LoadedScenario build(const Trial& trial, const std::vector<Override>& overrides) {
  config::ConfigDocument doc;
  doc.root = trial.document.root;
  doc.main_file = trial.document.main_file;
  // Fitted values are fractional in general, so an integer node takes a float (see config::IntegerNode).
  for (const auto& o : overrides)
    config::set_number(doc.root, config::require_config_path(o.path), o.value, config::IntegerNode::to_float);
  return load_scenario(std::move(doc));
}

RunOutcome run(const Model& model, std::uint64_t patients, std::uint64_t seed, std::uint64_t domain,
               unsigned threads) {
  RunOptions opt;
  opt.patients = patients;
  opt.seed = seed;
  opt.domain = domain;
  opt.threads = threads;
  opt.mode = OutputMode::summary_only;
  return run_cohort(model, opt, nullptr);
}

// Columns of one strategy, patients [first, first + count).
ArmColumns arm_columns(const Model& model, const RunOutcome& out, std::size_t strategy, std::size_t first,
                       std::size_t count) {
  const auto& schema = model.schema();
  const auto ep = std::find(schema.endpoints.begin(), schema.endpoints.end(), calibration::kSurvivalEndpoint);
  if (ep == schema.endpoints.end())
    throw InputError(fmt::format("trial emulation needs the endpoint \"{}\" in [scenario].endpoints",
                                 calibration::kSurvivalEndpoint));
  const auto& cols = out.columns[strategy][static_cast<std::size_t>(ep - schema.endpoints.begin())];
  ArmColumns a;
  a.time = std::span<const double>(cols.time).subspan(first, count);
  a.event = std::span<const std::uint8_t>(cols.event).subspan(first, count);
  for (std::size_t o = 0; o < schema.outcomes.size(); ++o) {
    const auto& v = out.outcomes[strategy][o];
    a.outcomes[schema.outcomes[o]] =
        std::vector<std::uint8_t>(v.begin() + static_cast<std::ptrdiff_t>(first),
                                  v.begin() + static_cast<std::ptrdiff_t>(first + count));
  }
  return a;
}

std::size_t arm_of(const Trial& trial, const std::string& strategy) {
  for (std::size_t k = 0; k < trial.arms.size(); ++k)
    if (trial.arms[k].strategy == strategy) return k;
  throw InputError(fmt::format("{}: no arm \"{}\" in [trial].arm", trial.path.string(), strategy));
}

}  // namespace

Trial load_trial(const std::filesystem::path& path, const config::FileReader& reader) {
  Trial t;
  t.path = path;
  t.document = config::load_config(path, reader);
  // Validate the whole scenario once (located errors), and learn the strategy names.
  const LoadedScenario s = load_scenario(config::ConfigDocument{t.document.root, t.document.main_file});
  const auto& names = s.model->strategies();
  config::Diagnostics diag;
  const toml::table* trial = t.document.root["trial"].as_table();
  if (trial == nullptr)
    throw InputError(fmt::format("{}: a trial config needs a [trial] table", path.string()));
  config::TableReader r(*trial, "trial", diag);
  t.name = r.string("name");
  t.accrual_months = r.number("accrual_months", config::NumberRule::non_negative());
  t.cutoff_months = r.number("cutoff_months", config::NumberRule::positive());
  t.replicates = static_cast<std::uint64_t>(r.integer("replicates", 1, 100000, 200));
  const std::filesystem::path evidence_file = path.parent_path() / r.string("evidence_file");
  const toml::array* arms = r.node("arm") ? r.node("arm")->as_array() : nullptr;
  if (arms == nullptr || arms->empty()) r.error("arm", "needs arm = [{ strategy = \"...\", n = ... }, ...]");
  if (arms != nullptr) {
    for (std::size_t i = 0; i < arms->size(); ++i) {
      const toml::table* a = arms->get(i)->as_table();
      if (a == nullptr) {
        r.error("arm", "each arm is a table { strategy, n }");
        continue;
      }
      config::TableReader ar(*a, fmt::format("trial.arm[{}]", i), diag);
      TrialArm arm;
      arm.strategy = ar.string("strategy");
      arm.n = static_cast<std::uint64_t>(ar.integer("n", 1, 1000000));
      const auto it = std::find(names.begin(), names.end(), arm.strategy);
      if (it == names.end()) {
        ar.error("strategy", fmt::format("no strategy \"{}\" in this config", arm.strategy));
      } else {
        arm.index = static_cast<std::size_t>(it - names.begin());
      }
      ar.finish();
      t.arms.push_back(arm);
    }
  }
  r.string("description", "");
  r.string("source", "");
  const auto evidence = diag.ok() ? calibration::read_evidence_csv(evidence_file)
                                  : std::map<std::string, calibration::EvidenceRow>{};
  const auto targets = r.table_array("target", true);
  for (std::size_t i = 0; i < targets.size(); ++i) {
    config::TableReader tr(*targets[i], fmt::format("trial.target[{}]", i), diag);
    Target g;
    g.trial = t.name;
    g.evidence = tr.string("evidence");
    const std::string kind = tr.string("kind");
    if (!calibration::parse_kind(kind, g.kind))
      tr.error("kind",
               fmt::format("unknown kind \"{}\" (orr, cr, median_pfs, pfs_at, hr, crs_any, crs_grade3, "
                           "infused)",
                           kind));
    g.arm = tr.string("arm");
    g.reference = tr.string("reference", "");
    if (g.kind == calibration::TargetKind::hr && g.reference.empty())
      tr.error("reference", "an HR target needs reference = \"<arm>\"");
    g.time = g.kind == calibration::TargetKind::pfs_at ? tr.number("time", config::NumberRule::positive())
                                                       : calibration::kNaN;
    g.note = tr.string("note", "");
    // Rates among infused patients for single-arm trials timed from infusion (their analysis population),
    // among all randomized patients otherwise; a target may say which.
    const std::string tz = t.document.root["scenario"]["time_zero"].value_or(std::string("line_start"));
    g.infused_only =
        tr.choice("population", {"infused", "all"}, tz == "infusion" ? "infused" : "all") == "infused";
    if (tr.has("value")) g.value = tr.number("value", config::NumberRule::any());
    if (tr.has("ci_low")) g.ci_low = tr.number("ci_low", config::NumberRule::any());
    if (tr.has("ci_high")) g.ci_high = tr.number("ci_high", config::NumberRule::any());
    if (tr.has("n")) g.n = tr.number("n", config::NumberRule::positive());
    tr.finish();
    if (diag.ok()) {
      const auto row = evidence.find(g.evidence);
      if (row == evidence.end()) {
        tr.error("evidence", fmt::format("no row {} in {}", g.evidence, evidence_file.string()));
      } else {
        calibration::fill_from_evidence(g, row->second);
      }
      if (std::isnan(g.value)) tr.error("evidence", fmt::format("row {} has no numeric value", g.evidence));
      bool known = false;
      for (const auto& a : t.arms) known = known || a.strategy == g.arm;
      if (!known) tr.error("arm", fmt::format("no arm \"{}\" in [trial].arm", g.arm));
    }
    t.targets.push_back(g);
  }
  r.finish({"accrual_months", "cutoff_months"});
  diag.throw_if_errors();
  return t;
}

std::vector<Simulated> evaluate_trial(const Trial& trial, const std::vector<Override>& overrides,
                                      std::uint64_t patients, std::uint64_t seed, unsigned threads) {
  const LoadedScenario s = build(trial, overrides);
  const RunOutcome out = run(*s.model, patients, seed, 0, threads);
  std::vector<ArmColumns> arms;
  for (const auto& a : trial.arms) arms.push_back(arm_columns(*s.model, out, a.index, 0, patients));
  std::vector<Simulated> values;
  for (const auto& t : trial.targets) {
    const ArmColumns* ref = t.reference.empty() ? nullptr : &arms[arm_of(trial, t.reference)];
    values.push_back(calibration::simulate_target(t, arms[arm_of(trial, t.arm)], ref));
  }
  return values;
}

std::vector<std::vector<double>> trial_replicates(const Trial& trial, const std::vector<Override>& overrides,
                                                  std::uint64_t replicates, std::uint64_t seed,
                                                  unsigned threads) {
  const LoadedScenario s = build(trial, overrides);
  // Each arm gets its own block of patients (disjoint between arms), 1.5x its n plus a margin so that arms
  // analysed from infusion still reach n analysed patients.
  std::vector<std::size_t> first, size;
  std::size_t total = 0;
  for (const auto& a : trial.arms) {
    first.push_back(total);
    size.push_back(static_cast<std::size_t>(std::ceil(1.5 * static_cast<double>(a.n))) + 20);
    total += size.back();
  }
  std::vector<std::vector<double>> values(trial.targets.size(),
                                          std::vector<double>(replicates, calibration::kNaN));
  for (std::uint64_t r = 0; r < replicates; ++r) {
    const RunOutcome out = run(*s.model, total, seed, r + 1, threads);
    std::vector<ArmColumns> arms;
    for (std::size_t k = 0; k < trial.arms.size(); ++k) {
      ArmColumns all = arm_columns(*s.model, out, trial.arms[k].index, first[k], size[k]);
      std::size_t m = 0, analysed = 0;  // the first m patients hold n analysed ones
      while (m < size[k] && analysed < trial.arms[k].n) analysed += std::isnan(all.time[m++]) ? 0 : 1;
      arms.push_back(arm_columns(*s.model, out, trial.arms[k].index, first[k], m));
    }
    for (std::size_t i = 0; i < trial.targets.size(); ++i) {
      const Target& t = trial.targets[i];
      const ArmColumns* ref = t.reference.empty() ? nullptr : &arms[arm_of(trial, t.reference)];
      values[i][r] = calibration::simulate_target(t, arms[arm_of(trial, t.arm)], ref).value;
    }
  }
  return values;
}

double quantile(std::vector<double> v, double q) {
  v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return !std::isfinite(x); }), v.end());
  if (v.empty()) return calibration::kNaN;
  std::sort(v.begin(), v.end());
  const double h = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

}  // namespace mmsim::cli
