#include "sim/economics/economics_spec.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/config/table_reader.hpp"

namespace mmsim::economics {
namespace {

using config::NumberRule;
using config::TableReader;

constexpr double kInfinity = std::numeric_limits<double>::infinity();
constexpr double kDaysPerYear = 365.25;
constexpr double kMaxAmount = 1e12;  // a single cost past this is a unit mix-up

NumberRule amount() {
  return NumberRule::between(0.0, kMaxAmount);
}

// The tables a column name may be looked up in, with what the messages call them.
struct TableRef {
  const TableLayout* layout = nullptr;
  std::string what;  // "lines table", ...
};

// A column of `table` of type `type` (f64 when `want_f64`), or an error at `key`.
std::optional<FieldId> column(TableReader& r, std::string_view key, const TableRef& table, bool want_f64,
                              std::optional<std::string> fallback = std::nullopt) {
  const bool given = r.has(key);
  const std::string name = r.string(key, fallback ? fallback : std::optional<std::string>(""));
  if (name.empty()) {
    if (!fallback) r.error(key, "name a column");
    return std::nullopt;
  }
  if (table.layout == nullptr) return std::nullopt;
  if (!table.layout->contains(name)) {
    std::vector<std::string> names;
    for (const auto& f : table.layout->fields()) names.push_back(f.name);
    r.error(key, fmt::format("the {} has no column '{}'{} (columns: {})", table.what, name,
                             given ? "" : " (the default)", fmt::join(names, ", ")));
    return std::nullopt;
  }
  const FieldId id = table.layout->find(name);
  const bool is_f64 = table.layout->field(id).type == FieldType::f64;
  if (want_f64 != is_f64) {
    r.error(key, fmt::format("column '{}' of the {} must be {}", name, table.what,
                             want_f64 ? "an f64 (time) column" : "an integer or enumeration column"));
    return std::nullopt;
  }
  return id;
}

std::int64_t label_code(const Field& f, const std::string& label) {
  const auto it = std::find(f.labels.begin(), f.labels.end(), label);
  return it == f.labels.end() ? -1 : static_cast<std::int64_t>(it - f.labels.begin());
}

// `match = { column = value | [values] }` against a table.
Match read_match(TableReader& r, const TableRef& table) {
  Match m;
  const toml::node* node = r.node("match");
  if (node == nullptr || table.layout == nullptr) return m;
  const toml::table* t = node->as_table();
  config::Diagnostics& diag = r.diagnostics();
  if (t == nullptr) {
    diag.error(node->source(), r.key_path("match"),
               fmt::format("expected an inline table {{ column = value }}, found {}",
                           config::toml_type_name(*node)));
    return m;
  }
  for (const auto& [k, v] : *t) {
    const std::string key = fmt::format("{}.{}", r.key_path("match"), k.str());
    const std::string name(k.str());
    if (!table.layout->contains(name)) {
      diag.error(v.source(), key, fmt::format("the {} has no column '{}'", table.what, name));
      continue;
    }
    Condition c;
    c.field = table.layout->find(name);
    const Field& f = table.layout->field(c.field);
    c.type = f.type;
    if (f.type == FieldType::f64) {
      diag.error(v.source(), key,
                 fmt::format("column '{}' is an f64 column: match only integer or label columns", name));
      continue;
    }
    std::vector<const toml::node*> items;
    if (const toml::array* a = v.as_array()) {
      for (const auto& x : *a) items.push_back(&x);
      if (items.empty()) diag.error(v.source(), key, "name at least one value");
    } else {
      items.push_back(&v);
    }
    for (const toml::node* x : items) {
      if (f.type == FieldType::enumeration) {
        const auto s = x->value<std::string>();
        const std::int64_t code = s ? label_code(f, *s) : -1;
        if (!s) {
          diag.error(
              x->source(), key,
              fmt::format("expected a label of column '{}', found {}", name, config::toml_type_name(*x)));
        } else if (code < 0) {
          diag.error(x->source(), key,
                     fmt::format("column '{}' has no label \"{}\" (labels: {})", name, *s,
                                 fmt::join(f.labels, ", ")));
        } else {
          c.values.push_back(static_cast<std::uint64_t>(code));
        }
      } else {
        const auto i = x->value<std::int64_t>();
        if (!i || *i < 0) {
          diag.error(x->source(), key,
                     fmt::format("expected a non-negative integer value of column '{}'", name));
        } else {
          c.values.push_back(static_cast<std::uint64_t>(*i));
        }
      }
    }
    m.push_back(std::move(c));
  }
  return m;
}

// A list of state labels as a mask by state code.
std::vector<bool> read_states(TableReader& r, std::string_view key, const std::vector<std::string>& labels,
                              bool required) {
  if (!r.has(key) && !required) {
    r.node(key);
    return {};
  }
  std::vector<bool> mask(labels.size(), false);
  const std::vector<std::string> names = r.strings(key, required);
  if (names.empty() && r.has(key)) r.error(key, "name at least one state");
  for (const auto& n : names) {
    const auto it = std::find(labels.begin(), labels.end(), n);
    if (it == labels.end()) {
      r.error(key, fmt::format("unknown state \"{}\" (states: {})", n, fmt::join(labels, ", ")));
    } else {
      mask[static_cast<std::size_t>(it - labels.begin())] = true;
    }
  }
  return mask;
}

std::string item_path(const std::string& array, std::size_t i) {
  return fmt::format("{}[{}]", array, i);
}

// Reads each table of the array `key` of `parent` as a named item with a source: its name, what `body`
// reads, its source, then no other key (finish); in array order into `out`.
template <class Item, class Body>
void read_items(TableReader& parent, std::string_view key, std::vector<Item>& out, Body body) {
  const auto tables = parent.table_array(key, false);
  for (std::size_t i = 0; i < tables.size(); ++i) {
    TableReader r(*tables[i], item_path(parent.key_path(key), i), parent.diagnostics());
    Item x;
    x.name = r.string("name");
    body(r, x);
    x.source = r.string("source");
    r.finish();
    out.push_back(std::move(x));
  }
}

struct Tables {
  TableRef patients, events, lines;
};

void read_costs(TableReader& top, const Tables& t, EconomicsSpec& s, FieldId default_at) {
  const toml::table* costs = top.subtable("costs", false);
  if (costs == nullptr) return;
  config::Diagnostics& diag = top.diagnostics();
  TableReader c(*costs, "economics.costs", diag);
  read_items(c, "line", s.line_costs, [&](TableReader& r, LineCost& x) {
    x.match = read_match(r, t.lines);
    x.at = column(r, "at", t.lines, true, std::string()).value_or(default_at);
    x.cost = r.number("cost", amount()) * r.number("quantity", amount(), 1.0);
  });
  read_items(c, "treatment", s.treatment_costs, [&](TableReader& r, TreatmentCost& x) {
    x.match = read_match(r, t.lines);
    const double quantity = r.number("quantity", amount(), 1.0);
    const auto phases = r.table_array("phases");
    if (phases.empty() && r.has("phases")) r.error("phases", "give at least one phase");
    for (std::size_t k = 0; k < phases.size(); ++k) {
      TableReader p(*phases[k], item_path(r.key_path("phases"), k), diag);
      Phase ph;
      const bool last = k + 1 == phases.size();
      if (p.has("months") || !last) {
        ph.months = p.number("months", NumberRule::positive_months());
      } else {
        ph.months = kInfinity;
      }
      ph.monthly_cost = p.number("cost", amount()) * quantity;
      p.finish();
      x.phases.push_back(ph);
    }
  });
  read_items(c, "event", s.event_costs, [&](TableReader& r, EventCost& x) {
    x.match = read_match(r, t.events);
    x.cost = r.number("cost", amount()) * r.number("quantity", amount(), 1.0);
  });
  read_items(c, "state", s.state_costs, [&](TableReader& r, StateCost& x) {
    x.states = read_states(r, "states", s.state_labels, true);
    x.monthly_cost = r.number("cost", amount()) * r.number("quantity", amount(), 1.0);
  });
  c.finish();
}

void read_effects(TableReader& top, const Tables& t, EconomicsSpec& s, FieldId line_start, FieldId line_end) {
  config::Diagnostics& diag = top.diagnostics();
  if (const toml::table* u = top.subtable("utilities")) {
    TableReader r(*u, "economics.utilities", diag);
    s.state_utility.assign(s.state_labels.size(), 0.0);
    if (const toml::table* st = r.subtable("states")) {
      TableReader sr(*st, "economics.utilities.states", diag);
      for (std::size_t k = 0; k < s.state_labels.size(); ++k)
        s.state_utility[k] = sr.number(s.state_labels[k], NumberRule::between(-1.0, 1.0));
      sr.finish();
    }
    s.utility_source = r.string("source");
    read_items(r, "line", s.line_utilities, [&](TableReader& lr, LineUtility& x) {
      x.match = read_match(lr, t.lines);
      x.states = read_states(lr, "states", s.state_labels, false);
      x.from = column(lr, "from", t.lines, true, std::string()).value_or(line_start);
      x.to = column(lr, "to", t.lines, true, std::string()).value_or(line_end);
      x.utility = lr.number("utility", NumberRule::between(-1.0, 1.0));
    });
    r.finish();
  }
  read_items(top, "disutilities", s.disutilities, [&](TableReader& r, Disutility& x) {
    x.match = read_match(r, t.lines);
    x.at = column(r, "at", t.lines, true, std::string()).value_or(line_start);
    const double decrement = r.number("decrement", NumberRule::between(0.0, 2.0));
    const double days = r.number("days", NumberRule::between(0.0, 36525.0));
    x.qaly_loss = decrement * days / kDaysPerYear;
  });
}

}  // namespace

std::optional<EconomicsSpec> read_economics(const toml::table& root, const Model& model, double sim_horizon,
                                            config::Diagnostics& diag) {
  const toml::node* node = root.get(kEconomicsTable);
  if (node == nullptr) return std::nullopt;
  const toml::table* et = node->as_table();
  if (et == nullptr) {
    diag.error(node->source(), kEconomicsTable, "expected a table [economics]");
    return std::nullopt;
  }
  const std::size_t errors_before = diag.issues().size();
  const OutputSchema& schema = model.schema();
  EconomicsSpec s;
  s.strategies = model.strategies();
  TableReader top(*et, kEconomicsTable, diag);
  s.currency = top.string("currency");
  s.price_year = top.integer("price_year", 1900, 2100);
  s.perspective = top.string("perspective");
  s.discount_costs = top.number("discount_costs", NumberRule::between(0.0, 0.5), 0.03);
  s.discount_effects = top.number("discount_effects", NumberRule::between(0.0, 0.5), 0.03);
  s.horizon = top.number("horizon", NumberRule::between(0.0, sim_horizon), sim_horizon);
  const std::string reference = top.string("reference", s.strategies.front());
  const auto ref = std::find(s.strategies.begin(), s.strategies.end(), reference);
  if (ref == s.strategies.end()) {
    top.error("reference", fmt::format("unknown strategy \"{}\" (strategies: {})", reference,
                                       fmt::join(s.strategies, ", ")));
  } else {
    s.reference = static_cast<std::size_t>(ref - s.strategies.begin());
  }
  s.willingness_to_pay = top.numbers("willingness_to_pay", amount());
  if (s.willingness_to_pay.empty() && top.has("willingness_to_pay"))
    top.error("willingness_to_pay", "give at least one threshold");
  if (!std::is_sorted(s.willingness_to_pay.begin(), s.willingness_to_pay.end()))
    top.error("willingness_to_pay", "list the thresholds in ascending order");
  s.source = top.string("source");

  Tables t;
  t.patients = {&schema.patients, "patients table"};
  FieldId line_start, line_end;
  if (const toml::table* ct = top.subtable("columns")) {
    TableReader c(*ct, "economics.columns", diag);
    const std::string follow_up = c.string("follow_up");
    if (!follow_up.empty()) {
      if (std::find(schema.endpoints.begin(), schema.endpoints.end(), follow_up) == schema.endpoints.end()) {
        c.error("follow_up", fmt::format("unknown endpoint \"{}\" (endpoints: {})", follow_up,
                                         fmt::join(schema.endpoints, ", ")));
      } else {
        s.follow_up_time = schema.patients.find(follow_up + "_time");
      }
    }
    auto table_index = [&](std::string_view key, bool required) -> std::optional<std::size_t> {
      if (!required && !c.has(key)) return std::nullopt;
      const std::string name = c.string(key);
      for (std::size_t i = 0; i < schema.trajectories.size(); ++i) {
        if (schema.trajectories[i].name() == name) return i;
      }
      std::vector<std::string> names;
      for (const auto& l : schema.trajectories) names.push_back(l.name());
      if (!name.empty())
        c.error(key,
                fmt::format("the model writes no table '{}' (tables: {})", name, fmt::join(names, ", ")));
      return std::nullopt;
    };
    if (const auto ev = table_index("events", true)) {
      s.events_table = *ev;
      t.events = {&schema.trajectories[*ev], "events table"};
    }
    if (const auto f = column(c, "event_time", t.events, true, std::string("time"))) s.event_time = *f;
    column(c, "event_from", t.events, false, std::string("from"));
    if (const auto f = column(c, "event_to", t.events, false, std::string("to"))) {
      s.event_to = *f;
      const Field& field = t.events.layout->field(*f);
      if (field.type != FieldType::enumeration) {
        c.error("event_to", "must be an enumeration column of states");
      } else {
        s.state_labels = field.labels;
      }
    }
    const std::string initial = c.string("initial_state");
    if (!s.state_labels.empty()) {
      const std::int64_t code = label_code(t.events.layout->field(s.event_to), initial);
      if (code < 0) {
        c.error("initial_state",
                fmt::format("unknown state \"{}\" (states: {})", initial, fmt::join(s.state_labels, ", ")));
      } else {
        s.initial_state = static_cast<std::uint8_t>(code);
      }
    }
    s.lines_table = table_index("lines", false);
    if (s.lines_table) t.lines = {&schema.trajectories[*s.lines_table], "lines table"};
    const bool lines = s.lines_table.has_value();
    auto line_column = [&](std::string_view key, const char* fallback) {
      if (!lines) {
        if (c.has(key)) c.error(key, "set columns.lines to name the lines table first");
        c.node(key);
        return FieldId{};
      }
      return column(c, key, t.lines, true, std::string(fallback)).value_or(FieldId{});
    };
    line_start = s.line_start = line_column("line_start", "start");
    line_end = s.line_end = line_column("line_end", "end");
    s.treatment_start = line_column("treatment_start", "infusion");
    s.treatment_end = line_column("treatment_end", "end");
    const bool age = c.has("age");
    std::optional<FieldId> age_column, sex_column;
    if (age) age_column = column(c, "age", t.patients, true);
    if (c.has("sex")) sex_column = column(c, "sex", t.patients, false);
    c.finish();
    if (const toml::table* at = top.subtable("age_adjustment", false)) {
      TableReader r(*at, "economics.age_adjustment", diag);
      AgeAdjustment a;
      a.intercept = r.number("intercept", NumberRule::positive());
      a.male = r.number("male", NumberRule::between(-1.0, 1.0));
      a.age = r.number("age", NumberRule::between(-1.0, 1.0));
      a.age_squared = r.number("age_squared", NumberRule::between(-1.0, 1.0));
      a.source = r.string("source");
      r.finish();
      if (!age_column) {
        if (!age)
          top.error("age_adjustment", "set columns.age (the patients column of age in years at time zero)");
      } else {
        a.age_column = *age_column;
        a.sex_column = sex_column;
        s.age_adjustment = a;
      }
    }
  }
  if (!t.events.layout) {
    top.subtable("costs", false);
    top.subtable("utilities", false);
    top.table_array("disutilities", false);
    top.subtable("age_adjustment", false);
    top.finish();
    return std::nullopt;
  }
  const bool any_line_item = [&] {
    if (top.has("disutilities")) return true;
    if (const auto* u = et->get_as<toml::table>("utilities"); u && u->contains("line")) return true;
    if (const auto* c = et->get_as<toml::table>("costs");
        c && (c->contains("line") || c->contains("treatment")))
      return true;
    return false;
  }();
  if (any_line_item && !s.lines_table)
    top.error("columns", "line items need columns.lines (the lines table)");
  read_costs(top, t, s, line_start);
  read_effects(top, t, s, line_start, line_end);
  top.finish();
  for (const auto& name :
       {"cost", "qaly", "ly", "cost_undiscounted", "qaly_undiscounted", "ly_undiscounted"}) {
    if (schema.patients.contains(name))
      top.error(
          "columns",
          fmt::format("the model's patients table already has a column '{}', which economics appends", name));
  }
  if (diag.issues().size() != errors_before) return std::nullopt;
  return s;
}

std::string describe(const EconomicsSpec& s) {
  std::string out = fmt::format(
      "economics: currency {} ({} prices), perspective {}, discount {}/yr costs, {}/yr effects, horizon {} "
      "months, reference {}, willingness to pay {} per QALY [{}]\n",
      s.currency, s.price_year, s.perspective, s.discount_costs, s.discount_effects, s.horizon,
      s.strategies[s.reference], fmt::join(s.willingness_to_pay, ", "), s.source);
  for (const auto& x : s.line_costs)
    out += fmt::format("  cost per line: {} = {} [{}]\n", x.name, x.cost, x.source);
  for (const auto& x : s.treatment_costs) {
    out += fmt::format("  cost per month on treatment: {}:", x.name);
    for (const auto& p : x.phases) out += fmt::format(" {} months at {}/month;", p.months, p.monthly_cost);
    out += fmt::format(" [{}]\n", x.source);
  }
  for (const auto& x : s.event_costs)
    out += fmt::format("  cost per event: {} = {} [{}]\n", x.name, x.cost, x.source);
  for (const auto& x : s.state_costs)
    out += fmt::format("  cost per month in state: {} = {} [{}]\n", x.name, x.monthly_cost, x.source);
  for (std::size_t k = 0; k < s.state_utility.size(); ++k)
    out +=
        fmt::format("  utility of {} = {} [{}]\n", s.state_labels[k], s.state_utility[k], s.utility_source);
  for (const auto& x : s.line_utilities)
    out += fmt::format("  utility on line: {} = {} [{}]\n", x.name, x.utility, x.source);
  for (const auto& x : s.disutilities)
    out += fmt::format("  QALY loss: {} = {} [{}]\n", x.name, x.qaly_loss, x.source);
  if (s.age_adjustment) {
    const auto& a = *s.age_adjustment;
    out += fmt::format("  age adjustment: {} + {} male + {} age + {} age^2 [{}]\n", a.intercept, a.male,
                       a.age, a.age_squared, a.source);
  }
  return out;
}

}  // namespace mmsim::economics
