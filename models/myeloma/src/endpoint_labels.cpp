#include "models/myeloma/src/endpoint_labels.hpp"

#include <algorithm>
#include <string>

#include "models/myeloma/src/names.hpp"

namespace mmsim::myeloma {
namespace {

// Time zero of the endpoints that start at the index line (docs/model.md, "Endpoints").
std::string index_time_zero(TimeZero t0) {
  return t0 == TimeZero::infusion ? "index infusion" : "start of index line";
}

EndpointLabel label_of(Endpoint e, TimeZero t0) {
  const std::string from_index = "Months since " + index_time_zero(t0);
  const std::string from_relapse = "Months since first relapse";
  switch (e) {
    case Endpoint::pfs:
      return {"Progression-free survival", "Progression-free survival", from_index};
    case Endpoint::pfs2:
      return {"Progression-free survival 2 (progression on the next line or death)", "PFS2", from_index};
    case Endpoint::os:
      return {"Overall survival", "Overall survival", from_index};
    case Endpoint::ttnt:
      return {"Time to next treatment or death", "Free of next treatment and alive", from_index};
    case Endpoint::pfs_after_relapse:
      return {"Progression-free survival after first relapse", "Progression-free survival", from_relapse};
    case Endpoint::os_after_relapse:
      return {"Overall survival after first relapse", "Overall survival", from_relapse};
    case Endpoint::pfs_line2:
      return {"Progression-free survival of line 2", "Progression-free survival",
              "Months since start of line 2"};
    case Endpoint::os_line2:
      return {"Overall survival from line 2", "Overall survival", "Months since start of line 2"};
    case Endpoint::pfs_line3:
      return {"Progression-free survival of line 3", "Progression-free survival",
              "Months since start of line 3"};
    case Endpoint::os_line3:
      return {"Overall survival from line 3", "Overall survival", "Months since start of line 3"};
    case Endpoint::dor_line1:
      return {"Duration of response of line 1 (responders)", "In response and alive",
              "Months since response on line 1"};
    case Endpoint::dor_line2:
      return {"Duration of response of line 2 (responders)", "In response and alive",
              "Months since response on line 2"};
  }
  return {};
}

// Causes of death in DeathCause order after `none` (names.hpp kDeathCauseNames).
const std::vector<std::string> kDeathCauseLabels{"Background mortality", "Myeloma", "Treatment-related",
                                                 "While waiting for therapy", "After the last line"};
static_assert(kDeathCauseNames.size() == 6);

}  // namespace

void add_display_labels(const Params& p, OutputSchema& schema) {
  for (const Endpoint e : p.endpoints) schema.endpoint_labels.push_back(label_of(e, p.time_zero));
  for (const auto& s : p.strategies) schema.strategy_labels.push_back(s.label.empty() ? s.name : s.label);
  auto reports = [&](Endpoint e) {
    return std::find(p.endpoints.begin(), p.endpoints.end(), e) != p.endpoints.end();
  };
  const auto name = [](Endpoint e) { return std::string(kEndpointNames[idx(e)]); };
  if (reports(Endpoint::pfs) && reports(Endpoint::os)) {
    schema.competing_risks.push_back({"pfs_events",
                                      "Progression or death without progression",
                                      name(Endpoint::pfs),
                                      "",
                                      name(Endpoint::os),
                                      {"Progression", "Death without progression"}});
  }
  if (reports(Endpoint::pfs_after_relapse) && reports(Endpoint::os_after_relapse)) {
    schema.competing_risks.push_back({"pfs_after_relapse_events",
                                      "Progression or death without progression after first relapse",
                                      name(Endpoint::pfs_after_relapse),
                                      "",
                                      name(Endpoint::os_after_relapse),
                                      {"Progression", "Death without progression"}});
  }
  if (reports(Endpoint::os)) {
    schema.competing_risks.push_back(
        {"death_cause", "Death by cause", name(Endpoint::os), "death_cause", "", kDeathCauseLabels});
  }
}

}  // namespace mmsim::myeloma
