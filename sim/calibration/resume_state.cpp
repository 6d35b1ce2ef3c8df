#include "sim/calibration/resume_state.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <string>

#include <toml++/toml.h>

#include "sim/config/diagnostics.hpp"
#include "sim/config/table_reader.hpp"
#include "sim/core/numeric.hpp"
#include "sim/io/atomic_output.hpp"

namespace mmsim::calibration {

void write_resume_state(const std::filesystem::path& path, const ParameterSpace& space,
                        const std::vector<double>& best_u, double objective, int evaluations) {
  std::string text = "# mmsim calibrate: best point so far (resume with --resume)\n";
  text += fmt::format("objective = {}\nevaluations = {}\n\n[best]\n", objective, evaluations);
  for (std::size_t i = 0; i < best_u.size(); ++i)
    text += fmt::format("{} = {}\n", space.parameters()[i].name, space.value(i, best_u[i]));
  io::write_text_atomically(path, text);
}

std::size_t read_resume_state(const std::filesystem::path& path, const ParameterSpace& space,
                              std::vector<double>& u) {
  if (!std::filesystem::exists(path)) return 0;
  toml::table t;
  config::Diagnostics diag;
  try {
    t = toml::parse_file(path.string());
  } catch (const toml::parse_error& e) {
    diag.error(e.source(), "", fmt::format("TOML syntax error: {}", e.description()));
    diag.throw_if_errors();
  }
  const toml::table* best = t["best"].as_table();
  if (best == nullptr) {
    diag.error(t.source(), "best", "the state file has no [best] table (delete it to start afresh)");
    diag.throw_if_errors();
  }
  // A value that is not a finite number would start the fit from NaN or from a silently reset value: refuse
  // the file instead, naming the key (the state is the fit's own output, so a bad value means damage).
  std::size_t found = 0;
  std::vector<double> read(space.size(), kNaN);
  for (std::size_t i = 0; i < space.size(); ++i) {
    const Parameter& p = space.parameters()[i];
    const toml::node* n = best->get(p.name);
    if (n == nullptr) continue;
    const auto v = n->value<double>();
    if (!v || !std::isfinite(*v)) {
      diag.error(n->source(), "best." + p.name,
                 fmt::format("expected a finite number, found {} (delete the state file to start afresh)",
                             v ? fmt::format("{}", *v) : std::string(config::toml_type_name(*n))));
      continue;
    }
    read[i] = *v;
    ++found;
  }
  diag.throw_if_errors();
  for (std::size_t i = 0; i < space.size(); ++i) {
    if (!std::isnan(read[i])) {
      u[i] = std::clamp(space.unit(i, read[i]), 0.0, 1.0);
    } else {
      fmt::print(stderr, "calibrate: {} is not in the state file; it starts from its hand-set value\n",
                 space.parameters()[i].name);
    }
  }
  return found;
}

}  // namespace mmsim::calibration
