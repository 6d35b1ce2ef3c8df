// libFuzzer target: arbitrary bytes as a scenario config, through the loader (includes, cycles, limits,
// per-file schema_version), the model's readers (multistate or myeloma, as `model` says) and, when the config
// is valid, a few simulated patients of every strategy. Bad input must end in mmsim::InputError (exit 2 in
// the CLI); any other exception, a sanitizer report, a hang or a memory blow-up is a bug.
//
// Files: the input is <root>/configs/input.toml. It may include the shipped parameter files by their relative
// paths (../models/myeloma/params/*.toml) and the shipped configs, served from memory (read once at start-up
// from MMSIM_SOURCE_DIR), and itself (a cycle). Nothing else exists: the target never reads files it was not
// given, so every run is a pure function of its input.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "models/myeloma/myeloma_model.hpp"
#include "sim/config/loader.hpp"
#include "sim/config/simulation_settings.hpp"
#include "sim/config/table_reader.hpp"
#include "sim/core/errors.hpp"
#include "sim/multistate/multistate_model.hpp"

namespace {

namespace fs = std::filesystem;

const fs::path kRoot = fs::path(MMSIM_SOURCE_DIR);
const fs::path kInput = kRoot / "configs" / "input.toml";

// The shipped parameter files and configs, by their lexically normal absolute paths.
std::map<std::string, std::string> load_shipped_files() {
  std::map<std::string, std::string> files;
  for (const char* dir : {"models/myeloma/params", "configs", "configs/reference", "configs/trials"}) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(kRoot / dir, ec)) {
      if (entry.path().extension() != ".toml") continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      files[entry.path().lexically_normal().string()] = text.str();
    }
  }
  return files;
}

const std::map<std::string, std::string>& shipped() {
  static const std::map<std::string, std::string> files = load_shipped_files();
  return files;
}

// A few patients of every strategy: the simulation must survive any config its readers accept.
void simulate_a_few(const mmsim::Model& model) {
  const mmsim::OutputSchema& schema = model.schema();
  for (std::size_t s = 0; s < model.strategies().size(); ++s) {
    mmsim::TableBuffer patients(schema.patients);
    std::vector<mmsim::TableBuffer> trajectories;
    for (const auto& layout : schema.trajectories) trajectories.emplace_back(layout);
    mmsim::PatientSink sink{patients, &trajectories};
    for (std::uint64_t p = 0; p < 3; ++p) model.simulate(s, mmsim::StreamKey{1, 0, p, 0, 0}, sink);
  }
}

void run_one(const std::string& text) {
  const std::string input_key = kInput.lexically_normal().string();
  const mmsim::config::FileReader reader = [&](const fs::path& path) -> std::optional<std::string> {
    const std::string key = path.lexically_normal().string();
    if (key == input_key) return text;
    const auto it = shipped().find(key);
    if (it == shipped().end()) return std::nullopt;
    return it->second;
  };
  mmsim::config::ConfigDocument doc = mmsim::config::load_config_text(text, kInput, reader);
  (void)doc.resolved_text();
  mmsim::config::Diagnostics diag;
  mmsim::config::TableReader top(doc.root, "", diag);
  const std::string model = top.choice("model", {"multistate", "myeloma"});
  diag.throw_if_errors();
  // [simulation] read once and handed to the builder, as the CLI's registry does ([trial] is the
  // calibration library's, outside this target).
  mmsim::ScenarioSettings shared;
  shared.simulation = mmsim::read_simulation_settings(doc.root, diag);
  if (model == "multistate") {
    mmsim::multistate::MultistateSpec spec = mmsim::multistate::read_multistate_spec(doc.root, shared, diag);
    diag.throw_if_errors();
    simulate_a_few(mmsim::multistate::MultistateModel(std::move(spec)));
  } else {
    const auto built = mmsim::myeloma::build_myeloma_model(doc.root, shared, diag);
    diag.throw_if_errors();
    (void)built->parameter_report();
    simulate_a_few(*built);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    run_one(std::string(reinterpret_cast<const char*>(data), size));
  } catch (const mmsim::InputError&) {
    // the expected end of bad input
  }
  return 0;
}
