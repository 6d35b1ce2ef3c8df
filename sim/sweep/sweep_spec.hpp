#pragma once
// A sweep file: a base scenario, the parameters to vary (addressed by dotted paths into the base scenario's
// resolved config, sim/config/config_path.hpp) and a design that turns them into points. The format is
// documented in docs/sweeps.md.
//
// Reading a sweep file validates everything that can be known without simulating: the design and its
// distributions, every path (it must name a number of the base scenario), sum-to-one groups, and each
// parameter's extreme values (loaded into the base scenario, so the model's own rules judge them). Every
// problem is reported at once with the sweep file's line; an empty design is an error.
#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "sim/config/config_path.hpp"
#include "sim/config/loader.hpp"
#include "sim/dist/value_distribution.hpp"
#include "sim/random/stream.hpp"

namespace mmsim::sweep {

enum class DesignKind { grid, oneway, lhs, psa };

struct Parameter {
  config::ConfigPath path;
  std::string name;  // column name (default: the path)
  toml::source_region where;
  double base = 0.0;               // the base scenario's value
  toml::source_region base_where;  // where the base scenario sets it (a parameter file, maybe)
  bool integer = false;
  std::vector<double> values;  // grid / one-way
  double low = 0.0, high = 0.0;
  bool log_scale = false;    // lhs
  ValueDistributionPtr law;  // psa (sim/sweep/psa_law.hpp); a draw is law->sample(stream of the point);
                             // one-way: the law whose quantiles are the values (or null)
  int group = -1;            // index into SweepSpec::groups when renormalized
};

// A table (or array) of probabilities that must keep summing to one: its members that are parameters are set
// by the design, the others are rescaled by one common factor so the total stays 1.
struct SumGroup {
  config::ConfigPath path;
  std::vector<config::ConfigPath> members;  // every numeric member
  std::vector<double> base;                 // their base values
  std::vector<int> parameter;               // per member: the parameter setting it, or -1
};

struct SweepPoint {
  std::uint64_t index = 0;
  int varied = -1;             // one-way: the parameter moved away from its base value (-1: base case)
  std::vector<double> values;  // one per parameter
};

struct SweepSpec {
  std::string file;                 // the sweep file as given
  config::ConfigDocument document;  // the sweep file itself (resolved)
  config::ConfigDocument base;      // the base scenario (resolved)
  std::string base_file;
  DesignKind design = DesignKind::grid;
  std::uint64_t samples = 0;     // lhs, psa
  std::uint32_t replicates = 1;  // per point, with stream domains 0..replicates-1
  std::uint64_t seed = 0;        // parameter draws (default: the base scenario's seed)
  std::uint64_t patients = 0;    // per point (0: the base scenario's)
  std::vector<double> landmarks{6.0, 12.0, 24.0, 60.0};
  std::string reference;                          // reference strategy ("" = the first)
  std::array<double, 2> quantiles{0.025, 0.975};  // one-way: the quantiles of a parameter's law
  std::vector<Parameter> parameters;
  std::vector<SumGroup> groups;
  std::vector<SweepPoint> points;  // the whole design, in point order
  // "file:line:column: warning: ..." lines for the user (a law's mean that is not the base value); the
  // commands print them, the design does not depend on them.
  std::vector<std::string> warnings;

  // The sweep and its base, resolved, as one text (no file names): what the OUTDIR's hash is computed from.
  std::string resolved_text() const;
};

// The stream domain of parameter draws (patient draws use domain = replicate, small numbers).
inline constexpr std::uint64_t kParameterDomain = 0x5357'4545'5000'0000ULL;

// Checks a point document with the model's own rules (cli::load_scenario in production); throws InputError.
// Takes the document by value: a copied toml++ node loses its source position, so pass it on by moving.
using ScenarioCheck = std::function<void(config::ConfigDocument)>;

// Reads and validates a sweep file and generates its design. Throws InputError listing every problem.
SweepSpec read_sweep(const std::filesystem::path& file, const ScenarioCheck& check);
SweepSpec read_sweep_text(const std::string& text, const std::filesystem::path& file,
                          const ScenarioCheck& check);

// The base document with the point's values set (and sum groups renormalized); values carry the sweep file's
// lines so the model's errors point there.
config::ConfigDocument point_document(const SweepSpec& spec, const SweepPoint& point);

std::string design_name(DesignKind kind);

}  // namespace mmsim::sweep
