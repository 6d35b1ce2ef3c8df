// `mmsim calibrate CALIBRATION.toml`: fits named parameters to the targets of a set of trial configs, writes
// the fitted parameter file and the fit table; `--predict TRIAL.toml` reports trial-sized prediction
// intervals. docs/calibration.md describes the files, the objective and the output.
#include <fmt/format.h>
#include <nlopt.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iostream>
#include <sstream>
#include <variant>

#include "sim/cli/commands.hpp"
#include "sim/cli/options.hpp"
#include "sim/cli/trial_emulation.hpp"
#include "sim/config/config_path.hpp"
#include "sim/config/simulation_settings.hpp"
#include "sim/config/table_reader.hpp"
#include "sim/core/errors.hpp"
#include "sim/random/stream.hpp"

namespace mmsim::cli {
namespace {

namespace fs = std::filesystem;
using calibration::Simulated;
using calibration::Target;

enum class Mode { set, scale, shift };

struct Parameter {
  std::string name, note;
  std::vector<std::string> paths;
  std::vector<double> weights;  // shift mode: path_i = base_i + w_i * value
  Mode mode = Mode::set;
  double lower = 0, upper = 1, start = calibration::kNaN;
};

struct Settings {
  fs::path file;
  std::vector<fs::path> trials;
  fs::path parameters_file, report, state;
  std::uint64_t patients = 10000, report_patients = 40000, seed = 1;
  std::string algorithm = "LN_BOBYQA";
  int starts = 3, max_evaluations = 300;
  double xtol = 1e-3;
  std::vector<Parameter> parameters;
};

// A calibrated path must parse and must not step into an array: the fitted values are written to the
// parameters file as TOML dotted keys, which name table keys only (and an included array would replace the
// whole array, not one element).
void check_path(config::TableReader& r, const std::string& text) {
  std::string error;
  const auto path = config::parse_config_path(text, error);
  if (!path) {
    r.error("paths", error);
  } else if (std::any_of(path->steps.begin(), path->steps.end(),
                         [](const config::PathStep& s) { return std::holds_alternative<std::size_t>(s); })) {
    r.error("paths",
            fmt::format("\"{}\" steps into an array: a calibrated value is written to the parameters "
                        "file as a TOML dotted key, which names table keys only",
                        text));
  }
}

Settings read_settings(const fs::path& file) {
  Settings s;
  s.file = file;
  const config::ConfigDocument doc = config::load_config(file);
  config::Diagnostics diag;
  config::TableReader top(doc.root, "", diag);
  const fs::path dir = file.parent_path();
  if (const toml::table* c = top.subtable("calibration")) {
    config::TableReader r(*c, "calibration", diag);
    for (const auto& t : r.strings("trials")) s.trials.push_back(dir / t);
    s.parameters_file = dir / r.string("parameters_file");
    s.report = dir / r.string("report");
    s.state = dir / r.string("state");
    s.patients = static_cast<std::uint64_t>(r.integer("patients", 100, 10000000, 10000));
    s.report_patients = static_cast<std::uint64_t>(r.integer("report_patients", 100, 100000000, 40000));
    s.seed = static_cast<std::uint64_t>(r.integer("seed", 0, INT64_MAX, 1));
    s.algorithm = r.choice("algorithm", {"LN_BOBYQA", "LN_NELDERMEAD", "LN_SBPLX", "LN_COBYLA"}, "LN_BOBYQA");
    s.starts = static_cast<int>(r.integer("starts", 1, 100, 3));
    s.max_evaluations = static_cast<int>(r.integer("max_evaluations", 1, 1000000, 300));
    s.xtol = r.number("xtol_rel", config::NumberRule::positive(), 1e-3);
    r.string("description", "");
    r.finish();
  }
  for (const toml::table* p : top.table_array("parameter")) {
    config::TableReader r(*p, "parameter", diag);
    Parameter q;
    q.name = r.string("name");
    q.paths = r.strings("paths");
    for (const auto& path : q.paths) check_path(r, path);
    const std::string mode = r.choice("mode", {"set", "scale", "shift"}, "set");
    q.mode = mode == "scale" ? Mode::scale : mode == "shift" ? Mode::shift : Mode::set;
    q.weights = r.has("weights") ? r.numbers("weights", config::NumberRule::any())
                                 : std::vector<double>(q.paths.size(), 1.0);
    if (q.weights.size() != q.paths.size()) r.error("weights", "one weight per path");
    q.lower = r.number("lower", config::NumberRule::any());
    q.upper = r.number("upper", config::NumberRule::any());
    if (!(q.upper > q.lower)) r.error("upper", "upper must exceed lower");
    if (r.has("start")) q.start = r.number("start", config::NumberRule::between(q.lower, q.upper));
    q.note = r.string("note", "");
    r.finish();
    s.parameters.push_back(q);
  }
  if (s.parameters.empty()) top.error("parameter", "no [[parameter]] to fit");
  top.finish();
  diag.throw_if_errors();
  return s;
}

// A file reader that answers the calibrated-parameters file with an empty parameter file, so that every
// evaluation starts from the hand-set values whatever the current fit says.
config::FileReader blank_reader(const fs::path& parameters_file) {
  const fs::path target = fs::weakly_canonical(parameters_file);
  return [target](const fs::path& p) -> std::optional<std::string> {
    std::error_code ec;
    if (fs::weakly_canonical(p, ec) == target) return std::string("schema_version = 1\n");
    return config::read_file_text(p);
  };
}

struct Problem {
  Settings settings;
  std::vector<Trial> trials;              // loaded with the blank reader
  std::vector<std::vector<double>> base;  // [parameter][path] hand-set values
  unsigned threads = 0;
  // Progress and the best point.
  int evaluations = 0, start = 0;
  double best = INFINITY;
  std::vector<double> best_u;
  std::chrono::steady_clock::time_point t0 = std::chrono::steady_clock::now();
};

double from_unit(const Parameter& p, double u) {
  return p.lower + std::clamp(u, 0.0, 1.0) * (p.upper - p.lower);
}
double to_unit(const Parameter& p, double v) {
  return (v - p.lower) / (p.upper - p.lower);
}

double identity_value(const Parameter& p, const std::vector<double>& base) {
  switch (p.mode) {
    case Mode::scale:
      return 1.0;
    case Mode::shift:
      return 0.0;
    default:
      return base[0];
  }
}

std::vector<Override> overrides(const Problem& pr, const std::vector<double>& values) {
  std::vector<Override> out;
  for (std::size_t i = 0; i < pr.settings.parameters.size(); ++i) {
    const Parameter& p = pr.settings.parameters[i];
    for (std::size_t j = 0; j < p.paths.size(); ++j) {
      const double b = pr.base[i][j];
      const double v = p.mode == Mode::set     ? values[i]
                       : p.mode == Mode::scale ? b * values[i]
                                               : b + p.weights[j] * values[i];
      out.push_back({p.paths[j], v});
    }
  }
  return out;
}

std::vector<double> values_of(const Problem& pr, const std::vector<double>& u) {
  std::vector<double> v;
  for (std::size_t i = 0; i < u.size(); ++i) v.push_back(from_unit(pr.settings.parameters[i], u[i]));
  return v;
}

// Residuals of every target of every trial at unit point u (empty on an invalid parameter combination).
std::vector<double> residuals(const Problem& pr, const std::vector<double>& u, std::uint64_t patients) {
  const auto ov = overrides(pr, values_of(pr, u));
  std::vector<double> r;
  for (const auto& t : pr.trials) {
    const auto sims = evaluate_trial(t, ov, patients, pr.settings.seed, pr.threads);
    for (std::size_t i = 0; i < t.targets.size(); ++i) {
      for (double ri : calibration::target_residuals(t.targets[i], sims[i])) r.push_back(ri);
    }
  }
  return r;
}

void write_state(const Problem& pr) {
  std::ofstream out(pr.settings.state);
  out << "# mmsim calibrate: best point so far (resume with --resume)\n";
  out << fmt::format("objective = {}\nevaluations = {}\n\n[best]\n", pr.best, pr.evaluations);
  for (std::size_t i = 0; i < pr.best_u.size(); ++i)
    out << fmt::format("{} = {}\n", pr.settings.parameters[i].name,
                       from_unit(pr.settings.parameters[i], pr.best_u[i]));
}

double objective(unsigned n, const double* x, double* grad, void* data) {
  (void)grad;
  auto& pr = *static_cast<Problem*>(data);
  const std::vector<double> u(x, x + n);
  double f = 0;
  try {
    for (double r : residuals(pr, u, pr.settings.patients)) f += r * r;
  } catch (const InputError&) {
    f = 1e12;  // an invalid parameter combination (e.g. response probabilities below 0)
  }
  ++pr.evaluations;
  const bool improved = f < pr.best;
  if (improved) {
    pr.best = f;
    pr.best_u = u;
    write_state(pr);
  }
  if (improved || pr.evaluations % 10 == 0) {
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - pr.t0).count();
    fmt::print(stderr, "calibrate: start {} eval {:4d}  objective {:10.3f}  best {:10.3f}  ({:.0f} s){}\n",
               pr.start + 1, pr.evaluations, f, pr.best, secs, improved ? "  *" : "");
  }
  return f;
}

nlopt_algorithm algorithm(const std::string& name) {
  if (name == "LN_NELDERMEAD") return NLOPT_LN_NELDERMEAD;
  if (name == "LN_SBPLX") return NLOPT_LN_SBPLX;
  if (name == "LN_COBYLA") return NLOPT_LN_COBYLA;
  return NLOPT_LN_BOBYQA;
}

// Overwrites u with the state file's best point for every parameter the file names; returns how many it
// named. A parameter added to the calibration since (absent from the file) keeps its start in u.
std::size_t read_state(const Problem& pr, std::vector<double>& u) {
  if (!fs::exists(pr.settings.state)) return 0;
  const toml::table t = toml::parse_file(pr.settings.state.string());
  std::size_t found = 0;
  for (std::size_t i = 0; i < pr.settings.parameters.size(); ++i) {
    const Parameter& p = pr.settings.parameters[i];
    if (const auto v = t["best"][p.name].value<double>()) {
      u[i] = std::clamp(to_unit(p, *v), 0.0, 1.0);
      ++found;
    } else {
      fmt::print(stderr, "calibrate: {} is not in the state file; it starts from its hand-set value\n",
                 p.name);
    }
  }
  return found;
}

void fit(Problem& pr, bool resume) {
  const std::size_t n = pr.settings.parameters.size();
  std::vector<double> x0(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Parameter& p = pr.settings.parameters[i];
    x0[i] = std::clamp(to_unit(p, std::isnan(p.start) ? identity_value(p, pr.base[i]) : p.start), 0.0, 1.0);
  }
  if (resume) {
    if (read_state(pr, x0) > 0) {
      fmt::print(stderr, "calibrate: resuming from the best point in {}\n", pr.settings.state.string());
    } else {
      fmt::print(stderr, "calibrate: no usable state in {}; starting afresh\n", pr.settings.state.string());
    }
  }
  RandomStream rs(StreamKey{pr.settings.seed, 7777, 0, 0, 0});
  for (int s = 0; s < pr.settings.starts; ++s) {
    pr.start = s;
    std::vector<double> x = x0;
    if (s > 0) {  // later starts: the best point so far, perturbed by up to +-20% of each range
      x = pr.best_u;
      for (double& xi : x) xi = std::clamp(xi + 0.4 * (rs.uniform() - 0.5), 0.0, 1.0);
    }
    nlopt_opt opt = nlopt_create(algorithm(pr.settings.algorithm), static_cast<unsigned>(n));
    std::vector<double> lo(n, 0.0), hi(n, 1.0), step(n, 0.1);
    nlopt_set_lower_bounds(opt, lo.data());
    nlopt_set_upper_bounds(opt, hi.data());
    nlopt_set_initial_step(opt, step.data());
    nlopt_set_min_objective(opt, objective, &pr);
    nlopt_set_maxeval(opt, pr.settings.max_evaluations);
    nlopt_set_xtol_rel(opt, pr.settings.xtol);
    double f = 0;
    const nlopt_result res = nlopt_optimize(opt, x.data(), &f);
    nlopt_destroy(opt);
    fmt::print(stderr, "calibrate: start {} finished (nlopt code {}), objective {:.3f}, best {:.3f}\n", s + 1,
               static_cast<int>(res), f, pr.best);
  }
}

// Jacobi eigen-decomposition of a symmetric matrix (small n): eigenvalues, eigenvectors as columns of v.
void jacobi(std::vector<std::vector<double>> a, std::vector<double>& eig,
            std::vector<std::vector<double>>& v) {
  const std::size_t n = a.size();
  v.assign(n, std::vector<double>(n, 0.0));
  for (std::size_t i = 0; i < n; ++i) v[i][i] = 1.0;
  for (int sweep = 0; sweep < 100; ++sweep) {
    double off = 0;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = i + 1; j < n; ++j) off += a[i][j] * a[i][j];
    if (off < 1e-22) break;
    for (std::size_t p = 0; p < n; ++p) {
      for (std::size_t q = p + 1; q < n; ++q) {
        if (std::fabs(a[p][q]) < 1e-300) continue;
        const double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const double t = (theta >= 0 ? 1.0 : -1.0) / (std::fabs(theta) + std::sqrt(theta * theta + 1));
        const double c = 1 / std::sqrt(t * t + 1), s = t * c;
        for (std::size_t k = 0; k < n; ++k) {
          const double akp = a[k][p], akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (std::size_t k = 0; k < n; ++k) {
          const double apk = a[p][k], aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
        for (std::size_t k = 0; k < n; ++k) {
          const double vkp = v[k][p], vkq = v[k][q];
          v[k][p] = c * vkp - s * vkq;
          v[k][q] = s * vkp + c * vkq;
        }
      }
    }
  }
  eig.resize(n);
  for (std::size_t i = 0; i < n; ++i) eig[i] = a[i][i];
}

// Identifiability at u: parameters at a bound, and the Gauss-Newton curvature J'J of the objective in unit
// coordinates (central differences of the residuals, step 0.02 of each range, one-sided at a bound).
std::string identifiability(const Problem& pr, const std::vector<double>& u) {
  const std::size_t n = u.size();
  std::vector<std::vector<double>> jac(n);
  const double h = 0.02;
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<double> up = u, dn = u;
    up[i] = std::min(1.0, u[i] + h);
    dn[i] = std::max(0.0, u[i] - h);
    std::vector<double> ru, rd;
    try {
      ru = residuals(pr, up, pr.settings.patients);
      rd = residuals(pr, dn, pr.settings.patients);
    } catch (const InputError&) {
      continue;
    }
    for (std::size_t k = 0; k < ru.size(); ++k) jac[i].push_back((ru[k] - rd[k]) / (up[i] - dn[i]));
    fmt::print(stderr, "calibrate: identifiability {}/{}\n", i + 1, n);
  }
  std::vector<std::vector<double>> jtj(n, std::vector<double>(n, 0.0));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      for (std::size_t k = 0; k < std::min(jac[i].size(), jac[j].size()); ++k)
        jtj[i][j] += jac[i][k] * jac[j][k];
  std::vector<double> eig;
  std::vector<std::vector<double>> vec;
  jacobi(jtj, eig, vec);
  std::ostringstream out;
  out << "Curvature of the objective at the fit, in unit coordinates (each parameter's range scaled to [0, "
         "1]); "
         "Gauss-Newton approximation 2 J'J from central differences of the target residuals (step 0.02 of "
         "each "
         "range, same random numbers). `sensitivity` = sqrt(J'J) diagonal: how many published SEs the "
         "targets "
         "move, in root-sum-square, across the parameter's whole range.\n\n";
  out << "| parameter | value | range | at a bound | sensitivity |\n|---|---|---|---|---|\n";
  std::vector<std::string> at_bound, weak;
  for (std::size_t i = 0; i < n; ++i) {
    const Parameter& p = pr.settings.parameters[i];
    const bool bound = u[i] < 0.01 || u[i] > 0.99;
    const double sens = std::sqrt(jtj[i][i]);
    if (bound) at_bound.push_back(p.name);
    if (sens < 1.0) weak.push_back(p.name);
    out << fmt::format("| {} | {:.4g} | {:g} .. {:g} | {} | {:.2f} |\n", p.name, from_unit(p, u[i]), p.lower,
                       p.upper, bound ? (u[i] < 0.5 ? "lower" : "upper") : "no", sens);
  }
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return eig[a] < eig[b]; });
  out << "\nEigen-directions of J'J, flattest first (eigenvalue < 1: moving a whole range along the "
         "direction "
         "changes the objective by less than about 1, so the targets do not pin it down):\n\n";
  out << "| eigenvalue | flat | main components (unit coordinates) |\n|---|---|---|\n";
  int flat = 0;
  for (std::size_t k : order) {
    std::vector<std::size_t> comp(n);
    for (std::size_t i = 0; i < n; ++i) comp[i] = i;
    std::sort(comp.begin(), comp.end(),
              [&](std::size_t a, std::size_t b) { return std::fabs(vec[a][k]) > std::fabs(vec[b][k]); });
    std::string desc;
    for (std::size_t c = 0; c < std::min<std::size_t>(3, n); ++c) {
      if (std::fabs(vec[comp[c]][k]) < 0.2) break;
      desc +=
          fmt::format("{}{:+.2f} {}", c ? ", " : "", vec[comp[c]][k], pr.settings.parameters[comp[c]].name);
    }
    const bool is_flat = eig[k] < 1.0;
    flat += is_flat ? 1 : 0;
    out << fmt::format("| {:.3g} | {} | {} |\n", eig[k], is_flat ? "yes" : "no", desc);
  }
  out << fmt::format(
      "\nParameters at a bound: {}.\nParameters the targets barely move (sensitivity < 1): {}.\n"
      "Flat directions: {}.\n",
      at_bound.empty() ? "none" : fmt::format("{}", fmt::join(at_bound, ", ")),
      weak.empty() ? "none" : fmt::format("{}", fmt::join(weak, ", ")), flat);
  return out.str();
}

std::string fmt_value(const Target& t, double v) {
  if (!std::isfinite(v)) return "NR";
  return t.kind == calibration::TargetKind::median_pfs ? fmt::format("{:.1f}", v) : fmt::format("{:.3f}", v);
}

std::string published_text(const Target& t) {
  std::string s = fmt_value(t, t.value);
  if (std::isfinite(t.ci_low) && std::isfinite(t.ci_high))
    s += fmt::format(" ({}-{})", fmt_value(t, t.ci_low), fmt_value(t, t.ci_high));
  return s;
}

struct TargetRow {
  const Trial* trial;
  const Target* target;
  Simulated sim;
  double pi_low = calibration::kNaN, pi_high = calibration::kNaN;
};

std::string fit_table(const std::vector<TargetRow>& rows, bool with_pi) {
  std::ostringstream out;
  out << "| trial | target | evidence | n | published (95% CI) | simulated (MC SE) |"
      << (with_pi ? " trial-sized 95% PI |" : "") << " rule | pass |\n";
  out << "|---|---|---|---|---|---|" << (with_pi ? "---|" : "") << "---|---|\n";
  for (const auto& r : rows) {
    const Target& t = *r.target;
    const bool ci = std::isfinite(t.ci_low) && std::isfinite(t.ci_high);
    out << fmt::format("| {} | {} | {} | {} | {} | {} ({}) |", t.trial, t.label(), t.evidence,
                       std::isfinite(t.n) ? fmt::format("{:g}", t.n) : "-", published_text(t),
                       fmt_value(t, r.sim.value),
                       std::isfinite(r.sim.se) ? fmt::format("{:.3f}", r.sim.se) : "-");
    if (with_pi) out << fmt::format(" {} - {} |", fmt_value(t, r.pi_low), fmt_value(t, r.pi_high));
    out << fmt::format(" {} | {} |\n", ci ? "in CI" : "10% rel.",
                       calibration::passes(t, r.sim.value) ? "yes" : "**NO**");
  }
  return out.str();
}

void write_parameters(const Problem& pr, const std::vector<double>& u, double f) {
  std::ofstream out(pr.settings.parameters_file);
  out << "# mmsim myeloma model - CALIBRATED PARAMETERS (written by `mmsim calibrate "
      << pr.settings.file.generic_string() << "`).\n"
      << "# Included last by every scenario and trial config, so each value here replaces the one in the "
         "file it\n"
      << "# names. Fit table: results/calibration.md. Do not edit by hand: re-run the calibration.\n"
      << fmt::format(
             "# Objective {:.3f} over {} targets of {} trials.\n\nschema_version = 1\n", f,
             [&] {
               std::size_t k = 0;
               for (const auto& t : pr.trials) k += t.targets.size();
               return k;
             }(),
             pr.trials.size());
  const auto values = values_of(pr, u);
  for (std::size_t i = 0; i < values.size(); ++i) {
    const Parameter& p = pr.settings.parameters[i];
    out << fmt::format("\n# {} = {} ({} in [{}, {}]){}\n", p.name, values[i],
                       p.mode == Mode::set     ? "value"
                       : p.mode == Mode::scale ? "multiplier"
                                               : "shift",
                       p.lower, p.upper, p.note.empty() ? "" : "; " + p.note);
    const auto ov = overrides(pr, std::vector<double>(values.begin(), values.end()));
    std::size_t k = 0;
    for (std::size_t j = 0; j < i; ++j) k += pr.settings.parameters[j].paths.size();
    for (std::size_t j = 0; j < p.paths.size(); ++j)
      out << fmt::format("{} = {}\n", p.paths[j], ov[k + j].value);
  }
}

// Unit point whose overrides reproduce the values the real parameter file sets (for --report-only).
std::vector<double> current_point(const Problem& pr) {
  std::vector<double> u;
  const Trial& t = pr.trials.front();
  const config::ConfigDocument real = config::load_config(t.path);
  for (std::size_t i = 0; i < pr.settings.parameters.size(); ++i) {
    const Parameter& p = pr.settings.parameters[i];
    const double cur = config::get_number(real.root, config::require_config_path(p.paths[0]));
    const double b = pr.base[i][0];
    const double v = p.mode == Mode::set ? cur : p.mode == Mode::scale ? cur / b : (cur - b) / p.weights[0];
    u.push_back(to_unit(p, v));
  }
  return u;
}

void write_report(const Problem& pr, const std::vector<double>& u, bool fitted) {
  // Evaluate with the parameter file as written (real reader): what the default model now does.
  std::vector<Trial> real;
  for (const auto& t : pr.trials) real.push_back(load_trial(t.path));
  std::vector<TargetRow> rows;
  std::size_t pass = 0, total = 0;
  double f = 0;
  for (const auto& t : real) {
    fmt::print(stderr, "calibrate: fit table, {} ({} patients per arm, {} trial-sized replicates)\n", t.name,
               pr.settings.report_patients, t.replicates);
    const auto sims = evaluate_trial(t, {}, pr.settings.report_patients, pr.settings.seed + 1, pr.threads);
    const auto reps = trial_replicates(t, {}, t.replicates, pr.settings.seed + 2, pr.threads);
    for (std::size_t i = 0; i < t.targets.size(); ++i) {
      TargetRow r{&t, &t.targets[i], sims[i], quantile(reps[i], 0.025), quantile(reps[i], 0.975)};
      rows.push_back(r);
      ++total;
      pass += calibration::passes(t.targets[i], sims[i].value) ? 1 : 0;
      f += calibration::objective_term(t.targets[i], sims[i].value);
    }
  }
  std::ostringstream md;
  md << "# Calibration of the myeloma model to the pivotal trials\n\n"
     << "Generated by `mmsim calibrate " << pr.settings.file.generic_string()
     << "` (see README, \"Calibration\", and docs/calibration.md). Do not edit by hand.\n\n"
     << fmt::format(
            "**{} of {} targets pass** (inside the published 95% CI, or within 10% relative where no CI is "
            "published). Objective (sum of squared residuals in published SEs) at the fit: {:.2f}.\n\n",
            pass, total, f);
  md << "Simulated values: the default model with `models/myeloma/params/calibrated.toml`, "
     << fmt::format(
            "{} patients per trial arm (seed {}, independent of the fitting seed), Monte Carlo SE in "
            "brackets. Trial-sized 95% PI: 2.5-97.5 percentiles over replicates of the trial's own size "
            "(fresh patients, arms disjoint): the spread a real trial of that size would show if the model "
            "were true; read it, not the Monte Carlo SE, against a published CI.\n\n",
            pr.settings.report_patients, pr.settings.seed + 1);
  md << "Data cuts: each trial is emulated at the latest data cut in the evidence (accrual and cut-off in "
        "`configs/trials/*.toml`); where the evidence holds several figures for one target, the latest cut "
        "is used "
        "and the trial config's note says which (CARTITUDE-1 CR X039 and median X037 from the final "
        "analysis, "
        "LEGEND-2 median B179 from the 5-year cut, CARTITUDE-4 HR X056 and standard-arm median X058 from the "
        "updated analysis). Landmarks published only at an earlier cut (CARTITUDE-1 12/24 months, "
        "CARTITUDE-4 "
        "12 months) are read off the latest emulated cut.\n\n";
  md << fit_table(rows, true) << "\n";
  md << "## Fitted parameters\n\n";
  md << (fitted ? "Fitted in this run" : "As found in the parameter file (report-only run)")
     << fmt::format(
            " with {} ({} starts, at most {} evaluations each), {} patients per arm per evaluation, one "
            "fixed seed "
            "(common random numbers).\n\n",
            pr.settings.algorithm, pr.settings.starts, pr.settings.max_evaluations, pr.settings.patients);
  md << "| parameter | mode | paths | value | bounds | note |\n|---|---|---|---|---|---|\n";
  const auto values = values_of(pr, u);
  for (std::size_t i = 0; i < values.size(); ++i) {
    const Parameter& p = pr.settings.parameters[i];
    md << fmt::format("| {} | {} | `{}` | {:.4g} | {:g} .. {:g} | {} |\n", p.name,
                      p.mode == Mode::set     ? "value"
                      : p.mode == Mode::scale ? "multiplier"
                                              : "shift",
                      fmt::join(p.paths, "`, `"), values[i], p.lower, p.upper, p.note);
  }
  md << "\n## Identifiability\n\n" << identifiability(pr, u);
  md << "\n## Targets outside\n\n";
  bool any = false;
  for (const auto& r : rows) {
    if (calibration::passes(*r.target, r.sim.value)) continue;
    any = true;
    md << fmt::format("- {} {} ({}): published {}, simulated {}.\n", r.target->trial, r.target->label(),
                      r.target->evidence, published_text(*r.target), fmt_value(*r.target, r.sim.value));
  }
  if (!any) md << "None.\n";
  fs::create_directories(pr.settings.report.parent_path());
  std::ofstream(pr.settings.report) << md.str();
  fmt::print(stderr, "calibrate: {} of {} targets pass; wrote {}\n", pass, total,
             pr.settings.report.string());
}

int predict(const fs::path& path, std::uint64_t replicates, std::uint64_t patients, unsigned threads) {
  const Trial t = load_trial(path);
  const std::uint64_t seed = t.document.root["simulation"]["seed"].value_or<std::int64_t>(1);
  if (patients == 0)
    patients =
        static_cast<std::uint64_t>(t.document.root["simulation"]["patients"].value_or<std::int64_t>(20000));
  if (replicates == 0) replicates = t.replicates;
  const auto sims = evaluate_trial(t, {}, patients, static_cast<std::uint64_t>(seed), threads);
  const auto reps = trial_replicates(t, {}, replicates, static_cast<std::uint64_t>(seed) + 1, threads);
  fmt::print(
      "{}: {} trial-sized replicates (arms: {}), large cohort {} patients per arm\n\n", t.name, replicates,
      [&] {
        std::string s;
        for (const auto& a : t.arms) s += fmt::format("{}{} n={}", s.empty() ? "" : ", ", a.strategy, a.n);
        return s;
      }(),
      patients);
  fmt::print("{:<36} {:>8} {:>20} {:>18} {:>22} {:>8}\n", "target", "evidence", "published (95% CI)",
             "large cohort (SE)", "trial-sized 95% PI", "PI n");
  for (std::size_t i = 0; i < t.targets.size(); ++i) {
    const Target& g = t.targets[i];
    const std::size_t finite = static_cast<std::size_t>(
        std::count_if(reps[i].begin(), reps[i].end(), [](double v) { return std::isfinite(v); }));
    fmt::print("{:<36} {:>8} {:>20} {:>18} {:>22} {:>8}\n", g.label(), g.evidence, published_text(g),
               fmt::format("{} ({:.3f})", fmt_value(g, sims[i].value), sims[i].se),
               fmt::format("{} - {}", fmt_value(g, quantile(reps[i], 0.025)),
                           fmt_value(g, quantile(reps[i], 0.975))),
               finite);
  }
  fmt::print(
      "\nThe PI is the spread of the figure across trials of this size if the model were true (medians not "
      "reached in a replicate are left out: PI n counts the replicates that reached it).\n");
  return 0;
}

}  // namespace

int calibrate_command(const std::vector<std::string>& args) {
  po::options_description visible(
      "mmsim calibrate CALIBRATION.toml [options]\n"
      "mmsim calibrate --predict TRIAL.toml [--replicates N]\n\n"
      "Fits the [[parameter]]s of a calibration file to the targets of its trial configs (NLopt, several "
      "starts,\n"
      "common random numbers), writes the fitted parameter file and the fit table (docs/calibration.md).\n"
      "With --predict, runs one trial config at trial size many times and reports the prediction "
      "intervals.\n\nOptions");
  visible.add_options()("help,h", "show this help")("resume", "start from the best point of the state file")(
      "report-only", "no fit: write the fit table for the parameter file as it is")(
      "predict", "the argument is a trial config: report trial-sized prediction intervals")(
      "replicates", integer_value()->default_value(0),
      "replicates for --predict (default [trial].replicates)")(
      "patients", integer_value()->default_value(0), "patients per arm (default: the file's value)")(
      "max-evaluations", integer_value()->default_value(0),
      "evaluations per start (default: the file's value)")("threads", integer_value()->default_value(0),
                                                           "worker threads (0: all cores)");
  const auto parsed = parse_command("calibrate", args, visible, {"config", "calibration or trial config"});
  if (!parsed) return kExitOk;
  const po::variables_map& vm = *parsed;
  if (!vm.count("config")) throw InputError("calibrate: name a calibration file (or --predict TRIAL.toml)");
  const fs::path file = vm["config"].as<std::string>();
  const auto threads = static_cast<unsigned>(*integer_option(vm, "calibrate", "threads", 0, kMaxThreads));
  const auto replicates =
      static_cast<std::uint64_t>(*integer_option(vm, "calibrate", "replicates", 0, 1000000));
  const auto patients =
      static_cast<std::uint64_t>(*integer_option(vm, "calibrate", "patients", 0, kMaxPatients));
  const auto evaluations = static_cast<int>(*integer_option(vm, "calibrate", "max-evaluations", 0, 1000000));
  if (vm.count("predict")) return predict(file, replicates, patients, threads);

  Problem pr;
  pr.settings = read_settings(file);
  pr.threads = threads;
  if (patients > 0) pr.settings.patients = patients;
  if (evaluations > 0) pr.settings.max_evaluations = evaluations;
  const auto reader = blank_reader(pr.settings.parameters_file);
  for (const auto& t : pr.settings.trials) pr.trials.push_back(load_trial(t, reader));
  for (const auto& p : pr.settings.parameters) {
    std::vector<double> b;
    for (const auto& path : p.paths)
      b.push_back(config::get_number(pr.trials.front().document.root, config::require_config_path(path)));
    pr.base.push_back(b);
  }
  std::vector<double> u;
  if (vm.count("report-only")) {
    u = current_point(pr);
  } else {
    fit(pr, vm.count("resume") > 0);
    u = pr.best_u;
    write_parameters(pr, u, pr.best);
    fmt::print(stderr, "calibrate: wrote {}\n", pr.settings.parameters_file.string());
  }
  write_report(pr, u, !vm.count("report-only"));
  return 0;
}

}  // namespace mmsim::cli
