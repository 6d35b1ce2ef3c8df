// population.toml (docs/model.md P2): attribute laws with inheritance, Gaussian-copula correlations.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "models/myeloma/src/read_params.hpp"
#include "sim/dist/parse_distribution.hpp"

namespace mmsim::myeloma {
namespace {

using config::NumberRule;
using config::TableReader;

const std::vector<std::string>& families(Attr a) {
  static const std::vector<std::string> normal{"normal", "truncated_normal"};
  static const std::vector<std::string> bern{"bernoulli"};
  static const std::vector<std::string> cat{"categorical"};
  static const std::vector<std::string> positive{"lognormal", "truncated_normal"};
  switch (a) {
    case Attr::age:
    case Attr::tcell_fitness:
      return normal;
    case Attr::prior_lines:
      return cat;
    case Attr::bcma_density:
    case Attr::gprc5d_level:
      return positive;
    default:
      return bern;
  }
}

// Prior lines of therapy are counted (an integer output column, compared by the rules): the categories of
// an integer attribute must be whole numbers, not 6.95 lines.
constexpr double kMaxPriorLines = 50.0;

void check_whole_values(const toml::table& law, const std::string& path, config::Diagnostics& diag) {
  const toml::node* n = law.get("values");
  const toml::array* values = n != nullptr ? n->as_array() : nullptr;
  for (std::size_t i = 0; values != nullptr && i < values->size(); ++i) {
    const toml::node& v = (*values)[i];
    if (!v.is_number()) continue;  // reported by the distribution reader
    const double x =
        v.is_integer() ? static_cast<double>(v.as_integer()->get()) : v.as_floating_point()->get();
    if (!(x >= 0.0 && x <= kMaxPriorLines && x == std::floor(x))) {
      diag.error(v.source(), fmt::format("{}.values[{}]", path, i),
                 fmt::format("{} is not a whole number in [0, {}] (an integer attribute: a count of lines)",
                             x, kMaxPriorLines));
    }
  }
}

struct RawPopulation {
  const toml::table* table = nullptr;
  std::string inherits;
  bool done = false, visiting = false;
};

// Cholesky factor of a positive semi-definite matrix (zero columns where the pivot vanishes). False if the
// matrix is not PSD.
bool cholesky(const std::array<std::array<double, kAttrs>, kAttrs>& c,
              std::array<std::array<double, kAttrs>, kAttrs>& l) {
  l = {};
  for (std::size_t j = 0; j < kAttrs; ++j) {
    double d = c[j][j];
    for (std::size_t k = 0; k < j; ++k) d -= l[j][k] * l[j][k];
    if (d < -1e-10) return false;
    const double root = d > 1e-12 ? std::sqrt(d) : 0.0;
    l[j][j] = root;
    for (std::size_t i = j + 1; i < kAttrs; ++i) {
      double s = c[i][j];
      for (std::size_t k = 0; k < j; ++k) s -= l[i][k] * l[j][k];
      if (root == 0.0) {
        if (std::fabs(s) > 1e-8) return false;
        l[i][j] = 0.0;
      } else {
        l[i][j] = s / root;
      }
    }
  }
  return true;
}

void build(const std::string& id, std::map<std::string, RawPopulation>& raw,
           std::map<std::string, Population>& out, TableReader& pops) {
  RawPopulation& rp = raw[id];
  if (rp.done) return;
  Population pop;
  pop.id = id;
  TableReader r(*rp.table, pops.key_path(id), pops.diagnostics());
  pop.label = r.string("label");
  pop.source = r.string("source");
  const Population* parent = nullptr;
  if (r.has("inherits")) {
    const std::string base = r.string("inherits");
    if (raw.count(base) == 0) {
      r.error("inherits", fmt::format("unknown population \"{}\"", base));
    } else if (raw[base].visiting) {
      r.error("inherits", fmt::format("inheritance cycle through population \"{}\"", base));
    } else {
      rp.visiting = true;
      build(base, raw, out, pops);
      rp.visiting = false;
      if (out.count(base)) parent = &out[base];
    }
  }
  if (parent != nullptr) {
    pop.laws = parent->laws;
    pop.law_sources = parent->law_sources;
    pop.corr = parent->corr;
    pop.corr_sources = parent->corr_sources;
  } else {
    for (std::size_t i = 0; i < kAttrs; ++i) pop.corr[i][i] = 1.0;
  }
  if (const toml::table* at = r.subtable("attributes", parent == nullptr)) {
    TableReader ar(*at, r.key_path("attributes"), r.diagnostics());
    for (std::size_t a = 0; a < kAttrs; ++a) {
      const std::string_view name = kAttrNames[a];
      if (!ar.has(name)) {
        if (parent == nullptr) ar.error(name, fmt::format("missing attribute \"{}\"", name));
        continue;
      }
      const toml::table* dt = ar.subtable(name);
      if (dt == nullptr) continue;
      TableReader dr(*dt, ar.key_path(name), r.diagnostics());
      const auto& fam = families(static_cast<Attr>(a));
      const auto* dist = dt->get("dist");
      if (dist != nullptr && dist->is_string() &&
          std::find(fam.begin(), fam.end(), dist->value_or(std::string())) == fam.end()) {
        dr.error("dist", fmt::format("attribute {} takes {} only", name, fmt::join(fam, " or ")));
        continue;
      }
      std::string src;
      pop.laws[a] = parse_value_distribution(dr, &src);
      if (static_cast<Attr>(a) == Attr::prior_lines) check_whole_values(*dt, dr.path(), r.diagnostics());
      pop.law_sources[a] = fmt::format("population.{}{}", id, src.empty() ? "" : " (" + src + ")");
    }
    ar.finish();
  }
  if (const toml::table* ct = r.subtable("correlation", false)) {
    for (std::size_t i = 0; i < kAttrs; ++i) {
      for (std::size_t j = 0; j < kAttrs; ++j) pop.corr[i][j] = i == j ? 1.0 : 0.0;
    }
    pop.corr_sources.clear();
    TableReader cr(*ct, r.key_path("correlation"), r.diagnostics());
    const toml::array* pairs = cr.node("pairs") ? cr.node("pairs")->as_array() : nullptr;
    if (pairs == nullptr) cr.error("pairs", "expected an array of { a, b, rho, source } tables");
    std::vector<std::pair<int, int>> seen;
    for (std::size_t k = 0; pairs != nullptr && k < pairs->size(); ++k) {
      const toml::table* pt = (*pairs)[k].as_table();
      const std::string path = fmt::format("{}[{}]", cr.key_path("pairs"), k);
      if (pt == nullptr) {
        r.diagnostics().error((*pairs)[k].source(), path, "expected { a, b, rho, source }");
        continue;
      }
      TableReader prr(*pt, path, r.diagnostics());
      const std::string a = prr.string("a"), b = prr.string("b");
      const double rho = prr.number("rho", NumberRule::between(-1.0, 1.0));
      const std::string src = prr.string("source");
      prr.finish();
      const int ia = find_name(kAttrNames, a), ib = find_name(kAttrNames, b);
      if (ia < 0) prr.error("a", fmt::format("unknown attribute \"{}\"", a));
      if (ib < 0) prr.error("b", fmt::format("unknown attribute \"{}\"", b));
      if (ia < 0 || ib < 0) continue;
      if (ia == ib) {
        prr.error("b", "a pair needs two different attributes");
        continue;
      }
      const auto key = std::minmax(ia, ib);
      if (std::find(seen.begin(), seen.end(), std::pair<int, int>(key.first, key.second)) != seen.end()) {
        prr.error("b", fmt::format("pair {}-{} listed twice", a, b));
      }
      seen.emplace_back(key.first, key.second);
      pop.corr[ia][ib] = pop.corr[ib][ia] = rho;
      pop.corr_sources.push_back(fmt::format("rho({}, {}) = {} [{}]", a, b, rho, src));
    }
    cr.finish();
  }
  r.finish();
  if (!cholesky(pop.corr, pop.cholesky)) {
    r.error("correlation", "the correlation matrix is not positive semi-definite");
  }
  for (std::size_t a = 0; a < kAttrs; ++a) {
    pop.mean[a] = pop.laws[a] ? pop.laws[a]->mean() : 0.0;
  }
  rp.done = true;
  out[id] = std::move(pop);
}

}  // namespace

void read_populations(TableReader& top, Params& p) {
  const toml::table* t = top.subtable("population");
  if (t == nullptr) return;
  TableReader pops(*t, "population", top.diagnostics());
  std::map<std::string, RawPopulation> raw;
  std::vector<std::string> order;
  for (const auto& [k, v] : *t) {
    const toml::table* pt = pops.subtable(k.str());
    if (pt == nullptr) continue;
    raw[std::string(k.str())].table = pt;
    order.emplace_back(k.str());
  }
  std::map<std::string, Population> built;
  for (const auto& id : order) build(id, raw, built, pops);
  for (const auto& id : order) {
    if (built.count(id)) p.populations.push_back(std::move(built[id]));
  }
  pops.finish();
}

}  // namespace mmsim::myeloma
