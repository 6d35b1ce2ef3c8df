#include "models/myeloma/src/therapy_listing.hpp"

#include <fmt/format.h>

#include <map>

#include "sim/config/diagnostics.hpp"

namespace mmsim::myeloma {
namespace {

std::string targets_of(std::uint32_t mask) {
  std::string out;
  for (std::size_t a = 0; a < kAntigens; ++a) {
    if ((mask & (1U << a)) == 0) continue;
    if (!out.empty()) out += "+";
    out += kAntigenNames[a];
  }
  return out.empty() ? std::string("none") : out;
}

std::string defined_at(const toml::table& root, const std::string& id) {
  const auto* therapies = root.get_as<toml::table>("therapy");
  const toml::node* n = therapies != nullptr ? therapies->get(id) : nullptr;
  if (n == nullptr) return "";
  const toml::source_region& where = n->source();
  return fmt::format("{}:{}", config::source_file(where), where.begin.line);
}

// Values of a therapy's table set by another file than the one that defines the table (calibrated.toml, a
// scenario's own override), counted per file: "calibrated.toml (9 values)".
void count_overrides(const toml::table& table, const std::string& home, std::map<std::string, int>& counts) {
  for (const auto& [key, node] : table) {
    if (const toml::table* sub = node.as_table()) {
      count_overrides(*sub, home, counts);
      continue;
    }
    const std::string file = config::source_file(node.source());
    if (file != home) ++counts[file];
  }
}

std::string overrides(const toml::table& root, const std::string& id) {
  const auto* therapies = root.get_as<toml::table>("therapy");
  const toml::table* own = therapies != nullptr ? therapies->get_as<toml::table>(id) : nullptr;
  if (own == nullptr) return "";
  std::map<std::string, int> counts;
  count_overrides(*own, config::source_file(own->source()), counts);
  std::string out;
  for (const auto& [file, n] : counts) {
    if (!out.empty()) out += "; ";
    out += fmt::format("{} ({} value{})", file, n, n == 1 ? "" : "s");
  }
  return out;
}

}  // namespace

std::vector<TherapyListing> list_therapies(const Params& params, const toml::table& root) {
  std::vector<TherapyListing> rows;
  for (const auto& t : params.therapies) {
    TherapyListing r;
    r.id = t.id;
    r.label = t.label;
    r.class_id = params.class_ids[t.klass];
    r.category = std::string(kCategoryNames[idx(t.category)]);
    r.targets = targets_of(t.target_mask);
    r.binder = std::string(kBinderNames[idx(t.binder)]);
    r.cell_source = std::string(kCellSourceNames[idx(t.cell_source)]);
    r.defined_at = defined_at(root, t.id);
    r.overridden_by = overrides(root, t.id);
    r.source = t.source;
    rows.push_back(std::move(r));
  }
  return rows;
}

}  // namespace mmsim::myeloma
