// The top of the myeloma config: which tables exist, [scenario], and the order the pieces are read in.
#include "models/myeloma/src/read_params.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace mmsim::myeloma {

using config::TableReader;

Params read_params(const toml::table& root, const ScenarioSettings& settings, config::Diagnostics& diag) {
  Params p;
  p.horizon = settings.simulation.horizon;
  if (settings.trial) {
    p.trial = true;
    p.trial_accrual = settings.trial->accrual_months;
    p.trial_cutoff = settings.trial->cutoff_months;
  }
  TableReader top(root, "", diag);
  top.string("model");
  top.string("description", "");
  for (const auto key : kSharedTables) top.node(key);  // read by the registry
  if (root.contains("schema_version")) {
    top.integer("schema_version", 1, 1);
  } else {
    top.error("schema_version", "missing schema_version = 1 (parameter files)");
  }
  // Order matters: therapies name populations; strategies name therapies, partners, maintenance.
  read_populations(top, p);
  read_antigens(top, p);
  read_mechanisms(top, p);
  read_testing(top, p);
  read_disease(top, p);
  read_background(top, p);
  read_partners(top, p);
  read_therapies(top, p);

  if (const toml::table* s = top.subtable("scenario")) {
    TableReader r(*s, "scenario", diag);
    p.scenario_name = r.string("name");
    p.description = r.string("description", "");
    const std::string pop = r.string("population");
    bool found = false;
    for (std::size_t i = 0; i < p.populations.size(); ++i) {
      if (p.populations[i].id == pop) {
        p.population = static_cast<std::uint32_t>(i);
        found = true;
      }
    }
    if (!found && !p.populations.empty())
      r.error("population", fmt::format("unknown population \"{}\"", pop));
    p.time_zero = r.choice("time_zero", {"line_start", "infusion"}, "line_start") == "infusion"
                      ? TimeZero::infusion
                      : TimeZero::line_start;
    p.max_lines = static_cast<int>(r.integer("max_lines", 1, 50, 8));
    const std::vector<std::string> all(std::begin(kEndpointNames), std::end(kEndpointNames));
    const std::vector<std::string> defaults(all.begin(), all.begin() + kDefaultEndpoints);  // not per line
    const auto eps = r.has("endpoints") ? r.strings("endpoints") : defaults;
    for (const auto& e : eps) {
      const auto it = std::find(all.begin(), all.end(), e);
      if (it == all.end()) {
        r.error("endpoints", fmt::format("unknown endpoint \"{}\" ({})", e, fmt::join(all, ", ")));
      } else if (std::find(p.endpoints.begin(), p.endpoints.end(), static_cast<Endpoint>(it - all.begin())) !=
                 p.endpoints.end()) {
        r.error("endpoints", fmt::format("endpoint \"{}\" listed twice", e));
      } else {
        p.endpoints.push_back(static_cast<Endpoint>(it - all.begin()));
      }
    }
    pick_testing(r, p);
    r.finish();
  }
  read_strategies(top, p);
  top.finish({"fallback_rule"});
  // Antigen attributes must be the populations' density attributes.
  for (std::size_t a = 0; a < kAntigens; ++a) {
    if (p.antigens[a].modelled && p.antigens[a].drift == nullptr && diag.ok()) {
      top.error("antigen", fmt::format("modelled antigen {} lacks post_exposure_drift", kAntigenNames[a]));
    }
  }
  return p;
}

}  // namespace mmsim::myeloma
