#pragma once
// The files a calibration writes, as text: the fit table (Markdown, docs/calibration.md "The fit table") and
// the calibrated-parameters file (TOML dotted keys, included last by the model's configs). The words around
// the figures come from the calibration file's [calibration.text].
#include <string>
#include <vector>

#include "sim/calibration/calibration_problem.hpp"
#include "sim/calibration/targets.hpp"

namespace mmsim::calibration {

// A figure as the tables print it: "NR" when not finite, one decimal for medians (months), else three.
std::string format_figure(const Target& t, double v);
// A simulated figure: as format_figure, and "> 29.7" for a median not reached by the curve's last time.
std::string format_simulated(const Target& t, const Simulated& sim);
// The published value with its 95% CI where one is given, e.g. "8.8 (5.6-11.6)".
std::string published_text(const Target& t);

// One target's line of the fit table.
struct TargetRow {
  const Target* target = nullptr;
  Simulated sim;
  double pi_low = kNaN, pi_high = kNaN;  // trial-sized 95% prediction interval
};

// The table of every target: published, simulated, the trial-sized PI, the pass rule and whether it passes.
std::string fit_table(const std::vector<TargetRow>& rows);

// The whole fit table file. `fitted`: the point was fitted in this run (else read from the parameter file);
// `identifiability`: the section of that name (sim/calibration/identifiability.hpp).
std::string report_markdown(const Problem& problem, const std::vector<TargetRow>& rows,
                            const std::vector<double>& u, bool fitted, const std::string& identifiability);

// The calibrated-parameters file for unit point u with objective f: a header, then every parameter's paths
// as TOML dotted keys.
std::string parameters_file_text(const Problem& problem, const std::vector<double>& u, double f);

}  // namespace mmsim::calibration
