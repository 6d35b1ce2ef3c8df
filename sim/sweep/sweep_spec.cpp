#include "sim/sweep/sweep_spec.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <set>

#include "sim/config/table_reader.hpp"
#include "sim/core/errors.hpp"
#include "sim/sweep/oneway_design.hpp"
#include "sim/sweep/psa_law.hpp"

namespace mmsim::sweep {
namespace {

using config::Diagnostics;
using config::NumberRule;
using config::TableReader;

constexpr double kSumTolerance = 1e-6;
// A written mean this close to the base value (relative) is the base value printed in full.
constexpr double kMeanTolerance = 1e-9;
constexpr std::uint64_t kLhsPermutationStream = std::numeric_limits<std::uint64_t>::max();

const std::vector<std::string>& design_names() {
  static const std::vector<std::string> names{"grid", "oneway", "lhs", "psa"};
  return names;
}

// Columns every long table has; a parameter's name must not take one of them.
const std::set<std::string>& reserved_names() {
  static const std::set<std::string> names{"point", "replicate", "strategy", "endpoint", "outcome", "varied"};
  return names;
}

std::vector<double> linspace(double lo, double hi, std::int64_t steps) {
  std::vector<double> v;
  for (std::int64_t i = 0; i < steps; ++i) {
    // Both ends exact.
    v.push_back(i == steps - 1 ? hi
                               : lo + (hi - lo) * static_cast<double>(i) / static_cast<double>(steps - 1));
  }
  return v;
}

// "file:line:column", as the diagnostics write positions.
std::string region_text(const toml::source_region& where) {
  return fmt::format("{}:{}:{}", config::source_file(where), where.begin.line, where.begin.column);
}

struct Reader {
  SweepSpec& spec;
  Diagnostics& diag;

  void parameters(TableReader& top) {
    if (!top.has("parameter")) {
      toml::source_region top_of_file;
      top_of_file.begin = {1, 1};
      top_of_file.end = {1, 1};
      top_of_file.path = std::make_shared<const std::string>(spec.file);
      diag.error(top_of_file, "parameter", "no [[parameter]] table: a sweep varies at least one parameter");
      return;
    }
    const auto tables = top.table_array("parameter");
    if (tables.empty()) top.error("parameter", "name at least one [[parameter]]");
    std::set<std::string> paths, names;
    for (std::size_t i = 0; i < tables.size(); ++i) {
      TableReader r(*tables[i], fmt::format("parameter[{}]", i), diag);
      Parameter p;
      p.where = tables[i]->source();
      const std::string text = r.string("path");
      bool path_ok = false;
      if (const toml::node* pn = r.node("path"); pn != nullptr && pn->is_string()) {
        p.where = pn->source();
        std::string error;
        if (auto parsed = config::parse_config_path(text, error)) {
          p.path = *parsed;
          const toml::node* target = config::find_node(spec.base.root, p.path, error);
          if (target == nullptr) {
            r.error("path", fmt::format("{} in the base scenario {}", error, spec.base_file));
          } else if (!target->is_number()) {
            r.error("path", fmt::format("{} is {} in the base scenario, not a number", p.path.text,
                                        config::toml_type_name(*target)));
          } else {
            path_ok = true;
            p.base_where = target->source();
            p.integer = target->is_integer();
            p.base = target->is_integer() ? static_cast<double>(*target->value<std::int64_t>())
                                          : *target->value<double>();
            if (!paths.insert(p.path.text).second) r.error("path", "this path is already a parameter");
          }
        } else {
          r.error("path", error);
        }
      }
      p.name = r.string("name", p.path.text.empty() ? text : p.path.text);
      if (!names.insert(p.name).second)
        r.error("name", fmt::format("duplicate parameter name \"{}\"", p.name));
      if (reserved_names().count(p.name) != 0)
        r.error("name", fmt::format("\"{}\" is a column of the result table: choose another name", p.name));
      const bool renormalize = r.boolean("renormalize", false);
      design_keys(r, p);
      r.finish();
      if (renormalize && path_ok) group(r, p, i);
      spec.parameters.push_back(std::move(p));
    }
  }

  // A PSA law (or a one-way parameter's law), with a warning when its mean is written and is not the base
  // value: the PSA is meant to be centred on the (calibrated) base.
  void law(TableReader& r, Parameter& p) {
    const PsaLaw read = read_psa_law(r, p.integer, p.base);
    p.law = read.law;
    if (!read.explicit_mean || !p.law) return;
    const double m = *read.explicit_mean;
    if (std::fabs(m - p.base) <= kMeanTolerance * std::max(1.0, std::fabs(p.base))) return;
    spec.warnings.push_back(fmt::format(
        "{}: warning: parameter \"{}\": mean {} is not the base value {} of {} (set at {}); write mean = "
        "\"base\" (or leave the mean out) to centre the law on the base scenario",
        region_text(p.where), p.name, m, p.base, p.path.text, region_text(p.base_where)));
  }

  void design_keys(TableReader& r, Parameter& p) {
    switch (spec.design) {
      case DesignKind::grid:
      case DesignKind::oneway:
        if (spec.design == DesignKind::oneway && r.has("dist")) {
          for (const char* key : {"values", "low", "high"}) {
            if (r.has(key))
              r.error(key, "give either a law (dist: the design uses its quantiles) or values/low/high");
          }
          law(r, p);
          if (p.law) p.values = oneway_law_values(*p.law, spec.quantiles);
        } else if (r.has("values")) {
          p.values = r.numbers("values", NumberRule::any());
          if (p.values.empty()) r.error("values", "list at least one value");
        } else {
          p.low = r.number("low", NumberRule::any());
          p.high = r.number("high", NumberRule::any());
          if (spec.design == DesignKind::grid) {
            const std::int64_t steps = r.integer("steps", 2, 100000);
            p.values = linspace(p.low, p.high, steps);
          } else {
            p.values = {p.low, p.high};
          }
        }
        if (p.integer) {
          for (double v : p.values) {
            if (std::trunc(v) != v) {
              r.error("values",
                      fmt::format("{} is an integer in the base scenario: {} is not", p.path.text, v));
              break;
            }
          }
        }
        break;
      case DesignKind::lhs: {
        p.low = r.number("low", NumberRule::any());
        p.high = r.number("high", NumberRule::any());
        if (r.has("low") && r.has("high") && !(p.high > p.low)) r.error("high", "must be greater than low");
        p.log_scale = r.choice("scale", {"linear", "log"}, "linear") == "log";
        if (p.log_scale && p.low <= 0.0 && r.has("low")) r.error("low", "a log-scale range needs low > 0");
        if (p.integer) r.error("path", "an integer cannot be drawn from a continuous range");
        break;
      }
      case DesignKind::psa:
        law(r, p);
        break;
    }
  }

  void group(TableReader& r, Parameter& p, std::size_t index) {
    const config::ConfigPath parent = config::parent_path(p.path);
    std::string error;
    const toml::node* node = config::find_node(spec.base.root, parent, error);
    auto it = std::find_if(spec.groups.begin(), spec.groups.end(),
                           [&](const SumGroup& g) { return g.path.text == parent.text; });
    if (it == spec.groups.end()) {
      SumGroup g;
      g.path = parent;
      const auto add = [&](config::PathStep step, const toml::node& member) {
        if (!member.is_number()) return;  // e.g. a `source` string beside the probabilities
        g.members.push_back(config::child_path(parent, std::move(step)));
        g.base.push_back(member.is_integer() ? static_cast<double>(*member.value<std::int64_t>())
                                             : *member.value<double>());
        g.parameter.push_back(-1);
      };
      if (const toml::table* t = node->as_table()) {
        for (const auto& [k, v] : *t) add(std::string(k.str()), v);
      } else if (const toml::array* a = node->as_array()) {
        for (std::size_t j = 0; j < a->size(); ++j) add(j, *a->get(j));
      }
      const double sum = std::accumulate(g.base.begin(), g.base.end(), 0.0);
      if (std::fabs(sum - 1.0) > kSumTolerance) {
        r.error("renormalize", fmt::format("the numbers of {} sum to {} in the base scenario, not 1: nothing "
                                           "to keep summing to one",
                                           parent.text.empty() ? "the top level" : parent.text, sum));
        return;
      }
      spec.groups.push_back(std::move(g));
      it = spec.groups.end() - 1;
    }
    SumGroup& g = *it;
    for (std::size_t m = 0; m < g.members.size(); ++m) {
      if (g.members[m].text == p.path.text) g.parameter[m] = static_cast<int>(index);
    }
    p.group = static_cast<int>(it - spec.groups.begin());
  }
};

// Values of one point before validation.
std::vector<double> base_values(const SweepSpec& spec) {
  std::vector<double> v;
  for (const auto& p : spec.parameters) v.push_back(p.base);
  return v;
}

void generate(SweepSpec& spec) {
  const std::size_t np = spec.parameters.size();
  auto& pts = spec.points;
  switch (spec.design) {
    case DesignKind::grid: {
      std::uint64_t total = 1;
      for (const auto& p : spec.parameters) total *= p.values.size();
      if (total > 100'000'000ULL)
        throw InputError(fmt::format("{}: the grid has {} points", spec.file, total));
      std::vector<std::size_t> at(np, 0);
      for (std::uint64_t i = 0; i < total && np > 0; ++i) {
        SweepPoint pt;
        pt.index = i;
        for (std::size_t j = 0; j < np; ++j) pt.values.push_back(spec.parameters[j].values[at[j]]);
        pts.push_back(std::move(pt));
        for (std::size_t j = np; j-- > 0;) {  // the last parameter varies fastest
          if (++at[j] < spec.parameters[j].values.size()) break;
          at[j] = 0;
        }
      }
      break;
    }
    case DesignKind::oneway:
      pts = oneway_points(spec.parameters);
      break;
    case DesignKind::lhs: {
      const std::uint64_t n = spec.samples;
      pts.resize(n);
      for (std::uint64_t i = 0; i < n; ++i) {
        pts[i].index = i;
        pts[i].values.resize(np);
      }
      for (std::size_t j = 0; j < np; ++j) {
        // One stratum per point, in an order drawn from the parameter's own stream.
        std::vector<std::uint64_t> perm(n);
        std::iota(perm.begin(), perm.end(), 0);
        RandomStream shuffle(
            {spec.seed, kParameterDomain, kLhsPermutationStream, static_cast<std::uint32_t>(j), 0});
        for (std::uint64_t k = n; k > 1; --k) {
          const auto r = static_cast<std::uint64_t>(shuffle.uniform() * static_cast<double>(k));
          std::swap(perm[k - 1], perm[std::min(r, k - 1)]);
        }
        const Parameter& p = spec.parameters[j];
        const double lo = p.log_scale ? std::log(p.low) : p.low;
        const double hi = p.log_scale ? std::log(p.high) : p.high;
        for (std::uint64_t i = 0; i < n; ++i) {
          RandomStream rng({spec.seed, kParameterDomain, i, static_cast<std::uint32_t>(j), 0});
          const double u = (static_cast<double>(perm[i]) + rng.uniform()) / static_cast<double>(n);
          const double x = lo + (hi - lo) * u;
          pts[i].values[j] = p.log_scale ? std::exp(x) : x;
        }
      }
      break;
    }
    case DesignKind::psa: {
      pts.resize(spec.samples);
      for (std::uint64_t i = 0; i < spec.samples; ++i) {
        pts[i].index = i;
        for (std::size_t j = 0; j < np; ++j) {
          RandomStream rng({spec.seed, kParameterDomain, i, static_cast<std::uint32_t>(j), 0});
          pts[i].values.push_back(spec.parameters[j].law->sample(rng));
        }
      }
      break;
    }
  }
}

// Group sums: the varied members of each group may not exceed 1, and a group varied entirely must sum to 1.
void check_groups(const SweepSpec& spec, Diagnostics& diag) {
  for (const auto& g : spec.groups) {
    int first = -1;
    bool all = true;
    for (int q : g.parameter) {
      if (q >= 0 && first < 0) first = q;
      all = all && q >= 0;
    }
    const Parameter& p = spec.parameters[static_cast<std::size_t>(first)];
    for (const auto& pt : spec.points) {
      double varied = 0.0;
      for (int q : g.parameter) {
        if (q >= 0) varied += pt.values[static_cast<std::size_t>(q)];
      }
      const bool bad = all ? std::fabs(varied - 1.0) > kSumTolerance : varied > 1.0 + 1e-12;
      if (bad) {
        diag.error(p.where, fmt::format("parameter \"{}\"", p.name),
                   fmt::format("at point {} the varied members of {} sum to {}: {} (renormalize)", pt.index,
                               g.path.text, varied,
                               all ? "every member is varied, so they must sum to 1" : "more than 1"));
        break;
      }
    }
  }
}

void set_group(toml::table& root, const SweepSpec& spec, const SumGroup& g, const std::vector<double>& values,
               const toml::source_region& origin) {
  double varied = 0.0, others = 0.0;
  for (std::size_t m = 0; m < g.members.size(); ++m) {
    if (g.parameter[m] >= 0) {
      varied += values[static_cast<std::size_t>(g.parameter[m])];
    } else {
      others += g.base[m];
    }
  }
  if (others <= 0.0) return;
  const double factor = std::max(0.0, (1.0 - varied) / others);
  for (std::size_t m = 0; m < g.members.size(); ++m) {
    if (g.parameter[m] < 0)
      config::set_number(root, g.members[m], g.base[m] * factor, config::IntegerNode::keep, origin);
  }
  (void)spec;
}

// Loads every parameter's smallest and largest value (others at base) into the scenario.
void check_extremes(const SweepSpec& spec, const ScenarioCheck& check, Diagnostics& diag) {
  for (std::size_t j = 0; j < spec.parameters.size(); ++j) {
    const Parameter& p = spec.parameters[j];
    std::uint64_t lo = 0, hi = 0;
    bool finite = true;
    for (const auto& pt : spec.points) {
      const double v = pt.values[j];
      if (!std::isfinite(v)) {
        diag.error(p.where, fmt::format("parameter \"{}\"", p.name),
                   fmt::format("point {} has the value {}", pt.index, v));
        finite = false;
        break;
      }
      if (v < spec.points[lo].values[j]) lo = pt.index;
      if (v > spec.points[hi].values[j]) hi = pt.index;
    }
    if (!finite) continue;
    for (std::uint64_t which : {lo, hi}) {
      SweepPoint pt;
      pt.index = which;
      pt.values = base_values(spec);
      pt.values[j] = spec.points[which].values[j];
      // Other members of a group stay at base when only this one moves.
      try {
        check(point_document(spec, pt));
      } catch (const InputError& e) {
        diag.error(p.where, fmt::format("parameter \"{}\"", p.name),
                   fmt::format("the value {} (point {}) is rejected by the base scenario's model:\n  {}",
                               pt.values[j], which, e.what()));
        break;
      }
      if (lo == hi) break;
    }
  }
}

}  // namespace

std::string design_name(DesignKind kind) {
  return design_names()[static_cast<std::size_t>(kind)];
}

std::string SweepSpec::resolved_text() const {
  // No file names: the same sweep run from another directory (or by another path) is the same sweep.
  return fmt::format("# the sweep, resolved\n{}\n# its base scenario, resolved\n{}", document.resolved_text(),
                     base.resolved_text());
}

SweepSpec read_sweep(const std::filesystem::path& file, const ScenarioCheck& check) {
  const auto text = config::read_file_text(file);
  if (!text) throw InputError(fmt::format("{}: error: no such sweep file", file.string()));
  return read_sweep_text(*text, file, check);
}

SweepSpec read_sweep_text(const std::string& text, const std::filesystem::path& file,
                          const ScenarioCheck& check) {
  SweepSpec spec;
  spec.file = file.string();
  spec.document = config::load_config_text(text, file);
  Diagnostics diag;
  TableReader top(spec.document.root, "", diag);
  const std::string base = top.string("base");
  top.string("description", "");
  diag.throw_if_errors();
  const std::filesystem::path base_path = file.parent_path() / base;
  if (!std::filesystem::exists(base_path)) {
    top.error("base",
              fmt::format("no such scenario: {} (a path relative to the sweep file)", base_path.string()));
    diag.throw_if_errors();
  }
  spec.base_file = base_path.lexically_normal().string();
  spec.base = config::load_config(spec.base_file);

  const std::string design = top.choice("design", design_names());
  spec.design = static_cast<DesignKind>(std::find(design_names().begin(), design_names().end(), design) -
                                        design_names().begin());
  if (spec.design == DesignKind::lhs || spec.design == DesignKind::psa) {
    spec.samples = static_cast<std::uint64_t>(top.integer("samples", 0, 100'000'000));
  } else if (top.has("samples")) {
    top.error("samples", fmt::format("a {} design has no samples: its points come from the values", design));
  }
  spec.replicates = static_cast<std::uint32_t>(top.integer("replicates", 1, 1'000'000, 1));
  std::int64_t base_seed = 1;
  if (const auto* sim = spec.base.root.get_as<toml::table>("simulation")) {
    if (const auto* s = sim->get_as<std::int64_t>("seed")) base_seed = s->get();
  }
  spec.seed =
      static_cast<std::uint64_t>(top.integer("seed", 0, std::numeric_limits<std::int64_t>::max(), base_seed));
  spec.patients = static_cast<std::uint64_t>(top.integer("patients", 1, 1'000'000'000'000, 0));
  if (top.has("landmarks")) spec.landmarks = top.numbers("landmarks", NumberRule::non_negative());
  spec.reference = top.string("reference", "");
  if (top.has("quantiles")) {
    const std::vector<double> q = top.numbers("quantiles", {0.0, 1.0, true, true});
    if (spec.design != DesignKind::oneway) {
      top.error("quantiles", "only a oneway design has quantiles (of its parameters' laws)");
    } else if (q.size() != 2 || !(q[0] < q[1])) {
      top.error("quantiles", "expected two probabilities, low < high, e.g. [0.025, 0.975]");
    } else {
      spec.quantiles = {q[0], q[1]};
    }
  }
  Reader reader{spec, diag};
  reader.parameters(top);
  top.finish({"schema_version"});  // written by an included file of parameters, checked by the loader
  diag.throw_if_errors();

  generate(spec);
  if (spec.points.empty()) {
    top.error(spec.design == DesignKind::lhs || spec.design == DesignKind::psa ? "samples" : "design",
              "the design is empty: it has no points");
  }
  diag.throw_if_errors();
  check_groups(spec, diag);
  diag.throw_if_errors();
  check_extremes(spec, check, diag);
  diag.throw_if_errors();
  return spec;
}

config::ConfigDocument point_document(const SweepSpec& spec, const SweepPoint& point) {
  // Loaded again rather than copied: a toml++ copy drops every node's source position, and the model's
  // errors must keep pointing at the base scenario's lines (and at the sweep file's for the values set here).
  config::ConfigDocument doc = config::load_config(spec.base_file);
  for (std::size_t j = 0; j < spec.parameters.size(); ++j) {
    const Parameter& p = spec.parameters[j];
    config::set_number(doc.root, p.path, point.values[j], config::IntegerNode::keep, p.where);
  }
  for (const auto& g : spec.groups) {
    const int first = *std::find_if(g.parameter.begin(), g.parameter.end(), [](int q) { return q >= 0; });
    set_group(doc.root, spec, g, point.values, spec.parameters[static_cast<std::size_t>(first)].where);
  }
  return doc;
}

}  // namespace mmsim::sweep
