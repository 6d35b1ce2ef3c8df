#include "sim/multistate/multistate_spec.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "sim/config/table_reader.hpp"
#include "sim/core/strategy_name.hpp"
#include "sim/dist/parse_distribution.hpp"

namespace mmsim::multistate {
namespace {

using config::Diagnostics;
using config::NumberRule;
using config::TableReader;

int index_of(const std::vector<std::string>& names, const std::string& name) {
  const auto it = std::find(names.begin(), names.end(), name);
  return it == names.end() ? -1 : static_cast<int>(it - names.begin());
}

std::string transition_label(const MultistateSpec& m, const TransitionSpec& t) {
  return fmt::format("{}->{}", m.states[t.from], m.states[t.to]);
}

// Which states can be reached from `from` (including itself).
std::vector<bool> reachable_from(const MultistateSpec& m, std::uint32_t from) {
  std::vector<bool> seen(m.states.size(), false);
  std::vector<std::uint32_t> stack{from};
  seen[from] = true;
  while (!stack.empty()) {
    const std::uint32_t s = stack.back();
    stack.pop_back();
    for (const auto& t : m.transitions) {
      if (t.from == s && !seen[t.to]) {
        seen[t.to] = true;
        stack.push_back(t.to);
      }
    }
  }
  return seen;
}

int read_state(TableReader& r, std::string_view key, const MultistateSpec& m) {
  if (!r.has(key)) {
    r.string(key);  // reports the missing key
    return -1;
  }
  const std::string name = r.string(key);
  const int s = index_of(m.states, name);
  if (s < 0) r.error(key, fmt::format("unknown state \"{}\" (states: {})", name, fmt::join(m.states, ", ")));
  return s;
}

void read_attributes(TableReader& ms, MultistateSpec& m, Diagnostics& diag) {
  const auto tables = ms.table_array("attributes", false);
  for (std::size_t i = 0; i < tables.size(); ++i) {
    TableReader r(*tables[i], fmt::format("{}[{}]", ms.key_path("attributes"), i), diag);
    AttributeSpec a;
    a.name = r.string("name");
    if (index_of(
            [&] {
              std::vector<std::string> names;
              for (const auto& x : m.attributes) names.push_back(x.name);
              return names;
            }(),
            a.name) >= 0) {
      r.error("name", fmt::format("duplicate attribute \"{}\"", a.name));
    }
    if (const toml::table* d = r.subtable("distribution")) {
      TableReader dr(*d, r.key_path("distribution"), diag);
      a.law = parse_value_distribution(dr);
    }
    r.finish();
    m.attributes.push_back(std::move(a));
  }
  if (m.attributes.size() > kMaxAttributes) {
    ms.error("attributes", fmt::format("at most {} attributes are supported", kMaxAttributes));
  }
}

int attribute_index(const MultistateSpec& m, const std::string& name) {
  for (std::size_t i = 0; i < m.attributes.size(); ++i) {
    if (m.attributes[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

// Reads a table of attribute name -> number (hazard ratios, assignments).
template <class Out, class Make>
void read_attribute_map(TableReader& r, std::string_view key, const MultistateSpec& m, NumberRule rule,
                        std::vector<Out>& out, Make make) {
  const toml::table* t = r.subtable(key, false);
  if (t == nullptr) return;
  for (const auto& [k, v] : *t) {
    const std::string path = fmt::format("{}.{}", r.key_path(key), k.str());
    const int a = attribute_index(m, std::string(k.str()));
    if (a < 0) {
      r.diagnostics().error(k.source(), path, fmt::format("unknown attribute \"{}\"", k.str()));
      continue;
    }
    double value = 0.0;
    if (config::check_number(v, path, rule, r.diagnostics(), value)) {
      out.push_back(make(static_cast<std::uint32_t>(a), value));
    }
  }
}

void read_transitions(TableReader& ms, MultistateSpec& m, const std::vector<bool>& absorbing,
                      Diagnostics& diag) {
  const auto tables = ms.table_array("transitions");
  if (tables.empty() && ms.has("transitions")) ms.error("transitions", "at least one transition is needed");
  for (std::size_t i = 0; i < tables.size(); ++i) {
    TableReader r(*tables[i], fmt::format("{}[{}]", ms.key_path("transitions"), i), diag);
    const int from = read_state(r, "from", m);
    const int to = read_state(r, "to", m);
    TransitionSpec t;
    const std::string clock = r.choice("clock", {"reset", "forward"}, "reset");
    t.clock = clock == "forward" ? ClockKind::forward : ClockKind::reset;
    if (r.has("clock_origin")) {
      const std::string origin = r.string("clock_origin");
      t.clock_origin_attribute = attribute_index(m, origin);
      if (t.clock_origin_attribute < 0) {
        r.error("clock_origin", fmt::format("unknown attribute \"{}\"", origin));
      } else if (t.clock != ClockKind::forward) {
        r.error("clock_origin", "only a forward clock has an origin: set clock = \"forward\"");
      }
    }
    if (const toml::table* d = r.subtable("distribution")) {
      TableReader dr(*d, r.key_path("distribution"), diag);
      t.law = parse_time_distribution(dr);
    }
    read_attribute_map(r, "hazard_ratios", m, NumberRule::positive(), t.hazard_ratios,
                       [](std::uint32_t a, double v) {
                         return AttributeEffect{a, v};
                       });
    read_attribute_map(r, "set", m, NumberRule::any(), t.on_fire, [](std::uint32_t a, double v) {
      return AttributeAssignment{a, v};
    });
    r.string("source", "");  // provenance, free text
    r.finish();
    if (from < 0 || to < 0) continue;
    t.from = static_cast<std::uint32_t>(from);
    t.to = static_cast<std::uint32_t>(to);
    if (from == to) r.error("to", "a transition must change state");
    if (absorbing[t.from]) {
      r.error("from", fmt::format("\"{}\" is absorbing: no transition may leave it", m.states[t.from]));
    }
    for (const auto& other : m.transitions) {
      if (other.from == t.from && other.to == t.to) {
        r.error("to", fmt::format("duplicate transition {}", transition_label(m, t)));
      }
    }
    m.transitions.push_back(std::move(t));
  }
}

void read_endpoints(TableReader& ms, MultistateSpec& m, Diagnostics& diag) {
  const auto tables = ms.table_array("endpoints", false);
  for (std::size_t i = 0; i < tables.size(); ++i) {
    TableReader r(*tables[i], fmt::format("{}[{}]", ms.key_path("endpoints"), i), diag);
    EndpointSpec e;
    e.name = r.string("name");
    for (const auto& other : m.endpoints) {
      if (other.name == e.name) r.error("name", fmt::format("duplicate endpoint \"{}\"", e.name));
    }
    const std::string start = r.string("start", "time_zero");
    if (start != "time_zero") {
      e.start_state = index_of(m.states, start);
      if (e.start_state < 0) {
        r.error("start", fmt::format("unknown state \"{}\": use time_zero or a state name", start));
      }
    }
    e.ends.assign(m.states.size(), false);
    const auto ends = r.strings("end");
    if (ends.empty() && r.has("end")) r.error("end", "name at least one terminating state");
    bool ends_ok = !ends.empty();
    for (const auto& name : ends) {
      const int s = index_of(m.states, name);
      if (s < 0) {
        r.error("end", fmt::format("unknown state \"{}\"", name));
        ends_ok = false;
      } else {
        e.ends[static_cast<std::size_t>(s)] = true;
      }
    }
    r.finish();
    if (ends_ok && e.start_state >= 0 && e.ends[static_cast<std::size_t>(e.start_state)]) {
      r.error("start", "the start state cannot also end the endpoint");
    } else if (ends_ok && (e.start_state >= 0 || start == "time_zero")) {
      // Unreachable endpoints: the start is never entered, or no terminating state follows it.
      const auto from_initial = reachable_from(m, m.initial);
      const std::uint32_t origin = e.start_state >= 0 ? static_cast<std::uint32_t>(e.start_state) : m.initial;
      if (!from_initial[origin]) {
        r.error("start", fmt::format("unreachable endpoint: state \"{}\" cannot be reached from \"{}\"",
                                     m.states[origin], m.states[m.initial]));
      } else {
        const auto after = reachable_from(m, origin);
        bool any = false;
        for (std::size_t s = 0; s < m.states.size(); ++s) any = any || (after[s] && e.ends[s] && s != origin);
        if (!any) r.error("end", "unreachable endpoint: no terminating state can be reached from its start");
      }
    }
    m.endpoints.push_back(std::move(e));
  }
  if (m.endpoints.size() > kMaxEndpoints)
    ms.error("endpoints", fmt::format("at most {} endpoints", kMaxEndpoints));
}

void read_strategies(const toml::table& root, MultistateSpec& m, Diagnostics& diag) {
  TableReader top(root, "", diag);
  const auto tables = top.table_array("strategies", false);
  for (std::size_t i = 0; i < tables.size(); ++i) {
    TableReader r(*tables[i], fmt::format("strategies[{}]", i), diag);
    StrategySpec s;
    s.name = r.string("name");
    if (const std::string problem = strategy_name_problem(s.name); !problem.empty()) r.error("name", problem);
    for (const auto& other : m.strategies) {
      if (other.name == s.name) r.error("name", fmt::format("duplicate strategy \"{}\"", s.name));
    }
    s.transition_hr.assign(m.transitions.size(), 1.0);
    if (const toml::table* hm = r.subtable("hazard_multipliers", false)) {
      for (const auto& [k, v] : *hm) {
        const std::string path = fmt::format("{}.hazard_multipliers.{}", r.path(), k.str());
        int which = -1;
        for (std::size_t t = 0; t < m.transitions.size(); ++t) {
          if (transition_label(m, m.transitions[t]) == k.str()) which = static_cast<int>(t);
        }
        if (which < 0) {
          diag.error(k.source(), path, "unknown transition: write it as \"from->to\"");
          continue;
        }
        double value = 1.0;
        if (config::check_number(v, path, NumberRule::positive(), diag, value)) {
          s.transition_hr[static_cast<std::size_t>(which)] = value;
        }
      }
    }
    r.string("description", "");
    r.finish();
    m.strategies.push_back(std::move(s));
  }
  if (m.strategies.empty())
    m.strategies.push_back(StrategySpec{"default", std::vector<double>(m.transitions.size(), 1.0)});
}

}  // namespace

MultistateSpec read_multistate_spec(const toml::table& root, const ScenarioSettings& settings,
                                    Diagnostics& diag) {
  MultistateSpec m;
  m.settings = settings.simulation;
  TableReader top(root, "", diag);
  top.string("model");
  top.string("description", "");
  const toml::table* mt = top.subtable("multistate");
  for (const auto key : kSharedTables) top.node(key);  // read by the registry
  if (settings.trial)
    top.error("trial", "the multistate model does not emulate trials (it has no accrual or data cut-off)");
  top.table_array("strategies", false);
  top.finish({"schema_version"});  // checked per file by the loader
  if (mt == nullptr) return m;

  TableReader ms(*mt, "multistate", diag);
  m.states = ms.strings("states");
  if (m.states.empty() && ms.has("states")) ms.error("states", "name at least one state");
  if (m.states.size() > kMaxStates) ms.error("states", fmt::format("at most {} states", kMaxStates));
  for (std::size_t i = 0; i < m.states.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (m.states[i] == m.states[j]) ms.error("states", fmt::format("duplicate state \"{}\"", m.states[i]));
    }
  }
  if (m.states.empty()) {
    ms.finish({"initial", "absorbing", "attributes", "transitions", "endpoints"});
    return m;
  }
  const int initial = read_state(ms, "initial", m);
  m.initial = initial < 0 ? 0 : static_cast<std::uint32_t>(initial);
  std::vector<bool> absorbing(m.states.size(), false);
  for (const auto& name : ms.strings("absorbing", false)) {
    const int s = index_of(m.states, name);
    if (s < 0) {
      ms.error("absorbing", fmt::format("unknown state \"{}\"", name));
    } else {
      absorbing[static_cast<std::size_t>(s)] = true;
    }
  }
  read_attributes(ms, m, diag);
  read_transitions(ms, m, absorbing, diag);
  read_endpoints(ms, m, diag);
  ms.finish();
  read_strategies(root, m, diag);
  return m;
}

}  // namespace mmsim::multistate
