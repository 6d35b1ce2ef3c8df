#include "sim/calibration/resume_state.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <string>

#include <toml++/toml.h>

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
  const toml::table t = toml::parse_file(path.string());
  std::size_t found = 0;
  for (std::size_t i = 0; i < space.size(); ++i) {
    const Parameter& p = space.parameters()[i];
    if (const auto v = t["best"][p.name].value<double>()) {
      u[i] = std::clamp(space.unit(i, *v), 0.0, 1.0);
      ++found;
    } else {
      fmt::print(stderr, "calibrate: {} is not in the state file; it starts from its hand-set value\n",
                 p.name);
    }
  }
  return found;
}

}  // namespace mmsim::calibration
