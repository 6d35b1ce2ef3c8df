#include "sim/calibration/fit_report.hpp"

#include <fmt/format.h>

#include <cmath>
#include <sstream>

#include "sim/calibration/text_template.hpp"

namespace mmsim::calibration {
namespace {

// Each line of `text` as a TOML comment.
std::string commented(const std::string& text) {
  std::string out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out += "# " + line + "\n";
  return out;
}

}  // namespace

std::string format_figure(const Target& t, double v) {
  if (!std::isfinite(v)) return "NR";
  return t.kind.statistic == Statistic::median ? fmt::format("{:.1f}", v) : fmt::format("{:.3f}", v);
}

std::string format_simulated(const Target& t, const Simulated& sim) {
  if (!std::isfinite(sim.value) && std::isfinite(sim.beyond)) return "> " + format_figure(t, sim.beyond);
  return format_figure(t, sim.value);
}

std::string published_text(const Target& t) {
  std::string s = format_figure(t, t.value);
  if (std::isfinite(t.ci_low) && std::isfinite(t.ci_high))
    s += fmt::format(" ({}-{})", format_figure(t, t.ci_low), format_figure(t, t.ci_high));
  return s;
}

std::string fit_table(const std::vector<TargetRow>& rows) {
  std::ostringstream out;
  out << "| trial | target | evidence | n | published (95% CI) | simulated (MC SE) | trial-sized 95% PI | "
         "rule "
         "| pass |\n";
  out << "|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& r : rows) {
    const Target& t = *r.target;
    const bool ci = std::isfinite(t.ci_low) && std::isfinite(t.ci_high);
    out << fmt::format("| {} | {} | {} | {} | {} | {} ({}) |", t.trial, t.label(), t.evidence,
                       std::isfinite(t.n) ? fmt::format("{:g}", t.n) : "-", published_text(t),
                       format_simulated(t, r.sim),
                       std::isfinite(r.sim.se) ? fmt::format("{:.3f}", r.sim.se) : "-");
    out << fmt::format(" {} - {} |", format_figure(t, r.pi_low), format_figure(t, r.pi_high));
    out << fmt::format(" {} | {} |\n", ci ? "in CI" : "10% rel.", passes(t, r.sim) ? "yes" : "**NO**");
  }
  return out.str();
}

std::string report_markdown(const Problem& problem, const std::vector<TargetRow>& rows,
                            const std::vector<double>& u, bool fitted, const std::string& identifiability) {
  const Settings& s = problem.settings;
  const TemplateValues command{{"command", s.command()}};
  std::size_t pass = 0;
  double f = 0;
  for (const auto& r : rows) {
    pass += passes(*r.target, r.sim) ? 1 : 0;
    f += objective_term(*r.target, r.sim);
  }
  std::ostringstream md;
  md << "# " << fill_template(s.text.title, command) << "\n\n"
     << fill_template(s.text.generated_by, command) << "\n\n"
     << fmt::format(
            "**{} of {} targets pass** (inside the published 95% CI, or within 10% relative where no CI is "
            "published). Objective (sum of squared residuals in published SEs) at the fit: {:.2f}.\n\n",
            pass, rows.size(), f);
  md << "Simulated values: " << fill_template(s.text.simulated_with, command) << ", "
     << fmt::format(
            "{} patients per trial arm (seed {}, independent of the fitting seed), Monte Carlo SE in "
            "brackets. Trial-sized 95% PI: 2.5-97.5 percentiles over replicates of the trial's own size "
            "(fresh patients, arms disjoint): the spread a real trial of that size would show if the model "
            "were true; read it, not the Monte Carlo SE, against a published CI.\n\n",
            s.report_patients, s.seed + 1);
  if (!s.text.notes.empty()) md << fill_template(s.text.notes, command) << "\n\n";
  md << fit_table(rows) << "\n";
  md << "## Fitted parameters\n\n";
  md << (fitted ? "Fitted in this run" : "As found in the parameter file (report-only run)")
     << fmt::format(
            " with {} ({} starts, at most {} evaluations each), {} patients per arm per evaluation, one "
            "fixed seed (common random numbers).\n\n",
            s.algorithm, s.starts, s.max_evaluations, s.patients);
  md << "| parameter | mode | paths | value | bounds | note |\n|---|---|---|---|---|---|\n";
  const auto values = problem.space.values(u);
  for (std::size_t i = 0; i < values.size(); ++i) {
    const Parameter& p = problem.space.parameters()[i];
    md << fmt::format("| {} | {} | `{}` | {:.4g} | {:g} .. {:g} | {} |\n", p.name, mode_noun(p.mode),
                      fmt::join(p.paths, "`, `"), values[i], p.lower, p.upper, p.note);
  }
  md << "\n## Identifiability\n\n" << identifiability;
  md << "\n## Targets outside\n\n";
  bool any = false;
  for (const auto& r : rows) {
    if (passes(*r.target, r.sim)) continue;
    any = true;
    md << fmt::format("- {} {} ({}): published {}, simulated {}.\n", r.target->trial, r.target->label(),
                      r.target->evidence, published_text(*r.target), format_simulated(*r.target, r.sim));
  }
  if (!any) md << "None.\n";
  return md.str();
}

std::string parameters_file_text(const Problem& problem, const std::vector<double>& u, double f) {
  const ParameterSpace& space = problem.space;
  std::string out = commented(
      fill_template(problem.settings.text.parameters_header, {{"command", problem.settings.command()}}));
  out += fmt::format("# Objective {:.3f} over {} targets of {} trials.\n\nschema_version = 1\n", f,
                     problem.target_count(), problem.trials.size());
  const auto values = space.values(u);
  const auto ov = space.overrides(values);
  std::size_t k = 0;  // index of the parameter's first path in ov
  for (std::size_t i = 0; i < values.size(); ++i) {
    const Parameter& p = space.parameters()[i];
    out += fmt::format("\n# {} = {} ({} in [{}, {}]){}\n", p.name, values[i], mode_noun(p.mode), p.lower,
                       p.upper, p.note.empty() ? "" : "; " + p.note);
    for (std::size_t j = 0; j < p.paths.size(); ++j)
      out += fmt::format("{} = {}\n", p.paths[j], ov[k + j].value);
    k += p.paths.size();
  }
  return out;
}

}  // namespace mmsim::calibration
