#include "sim/stats/voi_analysis.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "sim/core/errors.hpp"
#include "sim/core/text.hpp"
#include "sim/io/atomic_output.hpp"
#include "sim/io/output_path.hpp"

namespace mmsim::stats::voi {
namespace {

double parse_wtp_number(const std::string& text, const std::string& option) {
  const auto v = parse_number(text);
  if (!v || !std::isfinite(*v) || *v < 0)
    throw InputError(
        fmt::format("{}: '{}' is not a non-negative number (money per unit of effect)", option, text));
  return *v;
}

}  // namespace

std::vector<double> parse_wtp_list(const std::string& text, const std::string& option) {
  std::vector<double> out;
  for (const std::string& item : split_list(text)) {
    const std::vector<std::string> parts = split_list(item, ':');
    if (parts.size() == 1) {
      out.push_back(parse_wtp_number(parts[0], option));
    } else if (parts.size() == 3 && item.find("::") == std::string::npos) {
      const double lo = parse_wtp_number(parts[0], option), hi = parse_wtp_number(parts[1], option);
      const double step = parse_wtp_number(parts[2], option);
      if (!(step > 0) || hi < lo || (hi - lo) / step > 100000)
        throw InputError(
            fmt::format("{}: range '{}' must be LOW:HIGH:STEP with LOW <= HIGH, STEP > 0 and at "
                        "most 100000 steps",
                        option, item));
      const auto steps = static_cast<long>(std::floor((hi - lo) / step + 1e-9));
      for (long i = 0; i <= steps; ++i) out.push_back(lo + step * static_cast<double>(i));
    } else {
      throw InputError(fmt::format("{}: '{}' is neither a number nor a range LOW:HIGH:STEP", option, item));
    }
  }
  if (out.empty()) throw InputError(fmt::format("{}: no willingness-to-pay value given", option));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

GroupSpec parse_group(const std::string& text) {
  const auto eq = text.find('=');
  GroupSpec g;
  if (eq != std::string::npos) {
    g.name = text.substr(0, eq);
    g.parameters = split_list(text.substr(eq + 1));
  }
  if (eq == std::string::npos || g.name.empty() || g.parameters.empty())
    throw InputError(fmt::format(
        "--group: '{}' must be NAME=PARAMETER[,PARAMETER...] (the sweep's parameter names)", text));
  return g;
}

VoiAnalysis analyse_sweep(const VoiRequest& request) {
  const std::filesystem::path csv = request.sweep_dir / "economics.csv";
  if (!std::filesystem::is_regular_file(csv))
    throw InputError(
        fmt::format("{}: not found; a sweep whose base scenario has an [economics] table writes it "
                    "(docs/economics_voi.md)",
                    csv.string()));
  VoiAnalysis a;
  a.sample = read_economics_csv(csv, request.read);
  a.effect_name = request.read.effect == EffectMeasure::qaly ? "qaly" : "ly";
  a.currency = request.currency;
  try {
    a.decisions = analyse_decision(a.sample, request.wtp);
  } catch (const std::invalid_argument& e) {
    throw InputError(fmt::format("{}: {}", csv.string(), e.what()));
  }
  if (!request.evppi) return a;
  a.groups = request.groups;
  if (a.groups.empty()) {
    for (std::size_t p = 0; p < a.sample.parameters.size(); ++p) {
      bool varies = false;
      for (std::size_t i = 1; i < a.sample.simulations; ++i)
        varies = varies || a.sample.parameter(i, p) != a.sample.parameter(0, p);
      if (varies) a.groups.push_back({a.sample.parameters[p], {a.sample.parameters[p]}});
    }
  }
  const std::vector<double>& wtps = request.evppi_wtp.empty() ? request.wtp : request.evppi_wtp;
  for (const GroupSpec& spec : a.groups) {
    ParameterGroup group{spec.name, {}};
    if (spec.parameters.size() > kMaxGroupParameters)
      throw InputError(
          fmt::format("--group {}: {} parameters; the GAM regression takes at most {} (split the group)",
                      spec.name, spec.parameters.size(), kMaxGroupParameters));
    for (const std::string& name : spec.parameters) {
      const auto it = std::find(a.sample.parameters.begin(), a.sample.parameters.end(), name);
      if (it == a.sample.parameters.end())
        throw InputError(fmt::format("--group {}: '{}' is not a parameter of {} (its parameters: {})",
                                     spec.name, name, csv.string(), fmt::join(a.sample.parameters, ", ")));
      const auto index = static_cast<std::size_t>(it - a.sample.parameters.begin());
      if (std::find(group.parameters.begin(), group.parameters.end(), index) != group.parameters.end())
        throw InputError(fmt::format("--group {}: '{}' is named twice", spec.name, name));
      group.parameters.push_back(index);
    }
    for (const double w : wtps) {
      try {
        a.evppi.push_back(evppi(a.sample, group, w, request.evppi_options));
      } catch (const std::invalid_argument& e) {
        throw InputError(fmt::format("{}: {}", csv.string(), e.what()));
      }
    }
  }
  return a;
}

namespace {
const std::vector<std::string>& voi_output_names() {
  static const std::vector<std::string> names{"ceac.csv",           "ceaf.csv",     "evpi.csv",
                                              "evppi.csv",          "psa_cost.csv", "psa_effectiveness.csv",
                                              "psa_parameters.csv", "load_psa.R"};
  return names;
}

}  // namespace

void check_voi_outputs(const std::filesystem::path& out_dir, const std::filesystem::path& sweep_dir) {
  io::check_output_dir(out_dir, voi_output_names());
  const std::vector<std::filesystem::path> inputs{sweep_dir / "economics.csv"};
  for (const std::string& name : voi_output_names()) io::check_output_path(out_dir / name, inputs);
}

void write_voi_outputs(const VoiAnalysis& analysis, const std::filesystem::path& out_dir,
                       const std::filesystem::path& sweep_dir) {
  check_voi_outputs(out_dir, sweep_dir);
  for (const auto& [name, text] : voi_output_files(analysis)) io::write_text_atomically(out_dir / name, text);
}

}  // namespace mmsim::stats::voi
