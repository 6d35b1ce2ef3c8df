// Strategies (docs/model.md S): fixed lines, ordered rules with the condition grammar, shared fallback rules;
// unknown names and unreachable rules are located errors.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "models/myeloma/src/read_params.hpp"
#include "sim/core/strategy_name.hpp"

namespace mmsim::myeloma {
namespace {

using config::NumberRule;
using config::TableReader;

struct FieldInfo {
  const char* name;
  RuleField field;
  bool numeric;  // <, <=, >, >= allowed
};
constexpr FieldInfo kFields[] = {
    {"line_number", RuleField::line_number, true},
    {"mechanism_at_last_failure", RuleField::mechanism_at_last_failure, false},
    {"bcma_status", RuleField::bcma_status, false},
    {"gprc5d_status", RuleField::gprc5d_status, false},
    {"months_since_last_cart", RuleField::months_since_last_cart, true},
    {"best_response_last_line", RuleField::best_response_last_line, true},
    {"age", RuleField::age, true},
    {"tcell_fitness", RuleField::tcell_fitness, true},
    {"emd", RuleField::emd, false},
    {"high_tumor_burden", RuleField::high_tumor_burden, false},
    {"len_refractory", RuleField::len_refractory, false},
    {"last_response_months", RuleField::last_response_months, true},
    {"progression_pattern", RuleField::progression_pattern, false},
    {"mechanism_tested", RuleField::mechanism_tested, false},
};
constexpr const char* kExposureTypeNames[] = {"car_t", "bsab", "adc"};

bool is_bool_field(RuleField f) {
  return f == RuleField::emd || f == RuleField::high_tumor_burden || f == RuleField::len_refractory ||
         f == RuleField::mechanism_tested;
}
constexpr const char* kOps[] = {"==", "!=", "<", "<=", ">", ">=", "in", "not_in"};

std::string trim(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  while (!s.empty() && s.front() == ' ') s.erase(s.begin());
  return s;
}

// Enum code of a value name for an enum field (best_response: none = 0, pd = 1 ... cr = 5), or -1.
int enum_code(RuleField f, const std::string& v) {
  switch (f) {
    case RuleField::mechanism_at_last_failure:
      return find_name(kMechNames, v);
    case RuleField::bcma_status:
    case RuleField::gprc5d_status:
      return find_name(kStatusNames, v);
    case RuleField::best_response_last_line:
      return v == "none" ? 0 : (find_name(kDepthNames, v) < 0 ? -1 : find_name(kDepthNames, v) + 1);
    case RuleField::progression_pattern:
      return find_name(kPatternNames, v);
    default:
      return -1;
  }
}

std::string enum_choices(RuleField f) {
  switch (f) {
    case RuleField::mechanism_at_last_failure:
      return join_names(kMechNames);
    case RuleField::bcma_status:
    case RuleField::gprc5d_status:
      return join_names(kStatusNames);
    case RuleField::progression_pattern:
      return join_names(kPatternNames);
    default:
      return "none, " + join_names(kDepthNames);
  }
}

// Parses one condition string; returns an error message ("" when fine).
std::string parse_condition(const std::string& text, const Params& p, Condition& c) {
  c.text = text;
  const auto s1 = text.find(' ');
  const auto s2 = s1 == std::string::npos ? std::string::npos : text.find(' ', s1 + 1);
  if (s2 == std::string::npos) return "expected \"FIELD OP VALUE\" separated by single spaces";
  const std::string field = text.substr(0, s1), op = text.substr(s1 + 1, s2 - s1 - 1);
  const std::string value = trim(text.substr(s2 + 1));
  int opi = -1;
  for (int i = 0; i < 8; ++i) {
    if (op == kOps[i]) opi = i;
  }
  if (opi < 0) return fmt::format("unknown operator \"{}\" (==, !=, <, <=, >, >=, in, not_in)", op);
  c.op = static_cast<Op>(opi);
  const bool list_op = c.op == Op::in || c.op == Op::not_in;
  const bool order_op = c.op == Op::lt || c.op == Op::le || c.op == Op::gt || c.op == Op::ge;

  if (field.rfind("prior_exposure.", 0) == 0 && field.find('.', 15) != std::string::npos) {
    // prior_exposure.<ANTIGEN>.<car_t|bsab|adc>: the kind of an earlier line against that antigen.
    c.field = RuleField::prior_exposure_type;
    const auto dot = field.find('.', 15);
    const std::string antigen = field.substr(15, dot - 15), kind = field.substr(dot + 1);
    const int a = find_name(kAntigenNames, antigen);
    if (a < 0)
      return fmt::format("prior_exposure.{}.{}: \"{}\" is not an antigen ({})", antigen, kind, antigen,
                         join_names(kAntigenNames));
    int k = -1;
    for (int i = 0; i < 3; ++i) {
      if (kind == kExposureTypeNames[i]) k = i;
    }
    if (k < 0)
      return fmt::format("prior_exposure.{}.{}: \"{}\" is not a kind of exposure (car_t, bsab, adc)", antigen,
                         kind, kind);
    c.exposure_index = static_cast<std::uint32_t>(a);
    c.exposure_type = static_cast<std::uint32_t>(k);
    if (c.op != Op::eq && c.op != Op::ne) return "prior_exposure takes == or != with true/false";
    if (value != "true" && value != "false") return "prior_exposure compares with true or false";
    c.number = value == "true" ? 1.0 : 0.0;
    return "";
  }
  if (field.rfind("prior_exposure.", 0) == 0) {
    c.field = RuleField::prior_exposure;
    const std::string x = field.substr(15);
    if (int a = find_name(kAntigenNames, x); a >= 0) {
      c.exposure_kind = ExposureKind::antigen;
      c.exposure_index = static_cast<std::uint32_t>(a);
    } else if (int k = find_name(kCategoryNames, x); k >= 0) {
      c.exposure_kind = ExposureKind::category;
      c.exposure_index = static_cast<std::uint32_t>(k);
    } else if (int t = p.therapy_index(x); t >= 0) {
      c.exposure_kind = ExposureKind::therapy;
      c.exposure_index = static_cast<std::uint32_t>(t);
    } else if (auto it = std::find(p.class_ids.begin(), p.class_ids.end(), x); it != p.class_ids.end()) {
      c.exposure_kind = ExposureKind::klass;
      c.exposure_index = static_cast<std::uint32_t>(it - p.class_ids.begin());
    } else {
      return fmt::format("prior_exposure.{}: \"{}\" is not an antigen, category, therapy class or therapy", x,
                         x);
    }
    if (c.op != Op::eq && c.op != Op::ne) return "prior_exposure takes == or != with true/false";
    if (value != "true" && value != "false") return "prior_exposure compares with true or false";
    c.number = value == "true" ? 1.0 : 0.0;
    return "";
  }
  const FieldInfo* info = nullptr;
  for (const auto& f : kFields) {
    if (field == f.name) info = &f;
  }
  if (info == nullptr) {
    return fmt::format(
        "unknown condition field \"{}\" (fields: line_number, mechanism_at_last_failure, bcma_status, "
        "gprc5d_status, prior_exposure.<X>, prior_exposure.<ANTIGEN>.<car_t|bsab|adc>, "
        "months_since_last_cart, best_response_last_line, age, tcell_fitness, emd, high_tumor_burden, "
        "len_refractory, last_response_months, progression_pattern, mechanism_tested)",
        field);
  }
  c.field = info->field;
  if (is_bool_field(c.field)) {
    if (c.op != Op::eq && c.op != Op::ne) return fmt::format("{} takes == or != with true/false", field);
    if (value != "true" && value != "false") return fmt::format("{} compares with true or false", field);
    c.number = value == "true" ? 1.0 : 0.0;
    return "";
  }
  if (order_op && !info->numeric) return fmt::format("{} is not ordered: use ==, !=, in or not_in", field);
  const bool is_enum = c.field == RuleField::mechanism_at_last_failure || c.field == RuleField::bcma_status ||
                       c.field == RuleField::gprc5d_status || c.field == RuleField::best_response_last_line ||
                       c.field == RuleField::progression_pattern;
  if (list_op) {
    if (!is_enum) return fmt::format("in/not_in need an enum field; {} is a number", field);
    if (value.size() < 2 || value.front() != '[' || value.back() != ']')
      return "in/not_in need a list [a, b]";
    std::string body = value.substr(1, value.size() - 2);
    std::size_t start = 0;
    while (start <= body.size()) {
      const auto comma = body.find(',', start);
      const std::string item =
          trim(body.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      const int code = enum_code(c.field, item);
      if (code < 0)
        return fmt::format("unknown value \"{}\" for {} ({})", item, field, enum_choices(c.field));
      c.set_mask |= 1u << code;
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    return "";
  }
  if (is_enum) {
    const int code = enum_code(c.field, value);
    if (code < 0) return fmt::format("unknown value \"{}\" for {} ({})", value, field, enum_choices(c.field));
    c.number = code;
    return "";
  }
  char* end = nullptr;
  c.number = std::strtod(value.c_str(), &end);
  if (value.empty() || end == nullptr || *end != '\0' || !std::isfinite(c.number)) {
    return fmt::format("{} compares with a number, not \"{}\"", field, value);
  }
  return "";
}

Action read_action(TableReader& r, const Params& p, bool allow_mix) {
  Action a;
  const bool has_mix = r.has("therapy_mix");
  if (has_mix == r.has("therapy")) {
    r.error(has_mix ? "therapy_mix" : "therapy", "give exactly one of therapy or therapy_mix");
  }
  std::vector<int> chosen;
  if (r.has("therapy")) {
    const std::string id = r.string("therapy");
    a.text = id;
    if (id == "stop") {
      a.therapy = kStop;
    } else {
      a.therapy = p.therapy_index(id);
      if (a.therapy < 0)
        r.error("therapy", fmt::format("unknown therapy \"{}\"", id));
      else
        chosen.push_back(a.therapy);
    }
  } else if (has_mix) {
    if (!allow_mix) r.error("therapy_mix", "therapy_mix is allowed in [[strategy.line]] only");
    const toml::table* mt = r.subtable("therapy_mix");
    if (mt != nullptr) {
      TableReader mr(*mt, r.key_path("therapy_mix"), r.diagnostics());
      double cum = 0;
      for (const auto& [k, v] : *mt) {
        const int t = p.therapy_index(k.str());
        const double prob = mr.number(k.str(), NumberRule::probability());
        if (t < 0) {
          mr.error(k.str(), fmt::format("unknown therapy \"{}\"", k.str()));
          continue;
        }
        cum += prob;
        a.mix.emplace_back(t, cum);
        chosen.push_back(t);
        a.text += fmt::format("{}{}={}", a.text.empty() ? "mix(" : ", ", k.str(), prob);
      }
      a.text += ")";
      if (std::fabs(cum - 1.0) > 1e-6)
        r.error("therapy_mix", fmt::format("probabilities sum to {:.6g}, not 1", cum));
      if (!a.mix.empty()) {
        a.mix.back().second = 1.0;
        a.therapy = a.mix.front().first;
      }
      mr.finish();
    }
  }
  if (r.has("partner")) {
    const std::string id = r.string("partner");
    for (std::size_t i = 0; i < p.partners.size(); ++i) {
      if (p.partners[i].id == id) a.partner = static_cast<int>(i);
    }
    if (a.partner < 0) {
      r.error("partner", fmt::format("unknown partner \"{}\"", id));
    } else {
      for (int t : chosen) {
        const Therapy& th = p.therapies[static_cast<std::size_t>(t)];
        if ((p.partners[static_cast<std::size_t>(a.partner)].category_mask & (1u << idx(th.category))) == 0) {
          r.error("partner", fmt::format("partner \"{}\" does not apply to {} (category {})", id, th.id,
                                         kCategoryNames[idx(th.category)]));
        }
      }
      if (chosen.empty() && a.therapy == kStop) r.error("partner", "a partner needs a therapy");
    }
    a.text += " + " + id;
  }
  if (r.has("maintenance")) {
    const std::string id = r.string("maintenance");
    for (std::size_t i = 0; i < p.maintenances.size(); ++i) {
      if (p.maintenances[i].id == id) a.maintenance = static_cast<int>(i);
    }
    if (a.maintenance < 0) r.error("maintenance", fmt::format("unknown maintenance \"{}\"", id));
    if (chosen.empty() && a.therapy == kStop) r.error("maintenance", "maintenance needs a therapy");
    a.text += " then " + id + " maintenance";
  }
  return a;
}

struct ParsedRule {
  Rule rule;
  const toml::table* table;
  std::string path;
  std::vector<std::string> canonical;  // sorted condition texts
  bool valid = true;                   // all conditions parsed (else left out of the reachability check)
};

ParsedRule read_rule(const toml::table& t, std::string path, const Params& p, config::Diagnostics& diag) {
  ParsedRule pr;
  pr.table = &t;
  pr.path = std::move(path);
  TableReader r(t, pr.path, diag);
  pr.rule.is_default = r.boolean("default", false);
  if (pr.rule.is_default && r.has("when")) r.error("default", "a default rule has no `when`");
  if (!pr.rule.is_default) {
    if (!r.has("when")) r.error("when", "a rule needs `when = [...]` or `default = true`");
    const toml::array* arr = r.node("when") ? r.node("when")->as_array() : nullptr;
    if (arr != nullptr && arr->empty())
      r.error("when", "empty `when`: write `default = true` for an unconditional rule");
    for (std::size_t i = 0; arr != nullptr && i < arr->size(); ++i) {
      const auto* s = (*arr)[i].as_string();
      const std::string cpath = fmt::format("{}[{}]", r.key_path("when"), i);
      if (s == nullptr) {
        diag.error((*arr)[i].source(), cpath, "a condition is a string \"FIELD OP VALUE\"");
        continue;
      }
      Condition c;
      const std::string msg = parse_condition(s->get(), p, c);
      if (!msg.empty()) {
        diag.error((*arr)[i].source(), cpath, msg);
        pr.valid = false;
        continue;
      }
      pr.rule.when.push_back(c);
      pr.canonical.push_back(c.text);
    }
    std::sort(pr.canonical.begin(), pr.canonical.end());
  }
  pr.rule.action = read_action(r, p, false);
  r.string("description", "");
  pr.rule.name = r.string("name", "");
  if (pr.rule.name.empty()) {
    pr.rule.name = pr.path.substr(pr.path.rfind('.') == std::string::npos ? 0 : pr.path.rfind('.') + 1);
  } else if (const std::string problem = strategy_name_problem(pr.rule.name); !problem.empty()) {
    r.error("name", problem);
  }
  r.finish();
  return pr;
}

// A rule name labels the lines table's `rule` column, so two rules of one list may not share it.
void report_duplicate_names(const std::vector<ParsedRule>& rules, std::size_t begin, std::size_t end,
                            const std::string& where, config::Diagnostics& diag) {
  for (std::size_t j = begin; j < end; ++j) {
    for (std::size_t k = begin; k < j; ++k) {
      if (rules[k].rule.name != rules[j].rule.name) continue;
      TableReader jr(*rules[j].table, rules[j].path, diag);
      jr.error("name", fmt::format("duplicate rule name \"{}\" in {} (also {})", rules[j].rule.name, where,
                                   rules[k].path));
      break;
    }
  }
}

}  // namespace

void read_strategies(TableReader& top, Params& p) {
  auto& diag = top.diagnostics();
  p.rule_labels = {"fixed_line"};
  std::vector<ParsedRule> fallback;
  const auto fb = top.table_array("fallback_rule", false);
  for (std::size_t i = 0; i < fb.size(); ++i) {
    fallback.push_back(read_rule(*fb[i], fmt::format("fallback_rule[{}]", i), p, diag));
  }
  report_duplicate_names(fallback, 0, fallback.size(), "[[fallback_rule]]", diag);
  std::vector<bool> fallback_reported(fallback.size(), false);
  const auto tables = top.table_array("strategy");
  for (std::size_t s = 0; s < tables.size(); ++s) {
    TableReader r(*tables[s], fmt::format("strategy[{}]", s), diag);
    Strategy st;
    st.name = r.string("name");
    if (const std::string problem = strategy_name_problem(st.name); !problem.empty())
      r.error("name", problem);
    st.description = r.string("description", "");
    st.label = r.string("label", "");
    for (const auto& other : p.strategies) {
      if (other.name == st.name) r.error("name", fmt::format("duplicate strategy \"{}\"", st.name));
    }
    const auto lines = r.table_array("line", false);
    for (std::size_t l = 0; l < lines.size(); ++l) {
      TableReader lr(*lines[l], fmt::format("{}.line[{}]", r.path(), l), diag);
      st.lines.push_back(read_action(lr, p, true));
      lr.string("description", "");
      lr.finish();
    }
    std::vector<ParsedRule> combined;
    const auto rules = r.table_array("rule", false);
    for (std::size_t k = 0; k < rules.size(); ++k) {
      combined.push_back(read_rule(*rules[k], fmt::format("{}.rule[{}]", r.path(), k), p, diag));
    }
    const std::size_t own = combined.size();
    combined.insert(combined.end(), fallback.begin(), fallback.end());
    r.finish();
    // Reachability: the first matching rule wins, so a rule is dead when an earlier rule's conditions are a
    // subset of its own (an unconditional default is the empty set).
    for (std::size_t j = 0; j < combined.size(); ++j) {
      const bool shared = j >= own;
      if ((shared && fallback_reported[j - own]) || !combined[j].valid) continue;
      for (std::size_t i = 0; i < j; ++i) {
        if (!combined[i].valid) continue;
        const auto& a = combined[i].canonical;
        const auto& b = combined[j].canonical;
        if (!std::includes(b.begin(), b.end(), a.begin(), a.end())) continue;
        if (!combined[i].rule.is_default && !combined[j].rule.is_default && a.size() == b.size() && a.empty())
          continue;
        TableReader jr(*combined[j].table, combined[j].path, diag);
        const std::string where = located(*combined[i].table);
        jr.error(combined[j].rule.is_default ? "default" : "when",
                 fmt::format("unreachable rule: {} {} ({}) always fires first{}",
                             combined[i].rule.is_default ? "the default rule" : "the rule", combined[i].path,
                             where, shared ? fmt::format(" in strategy \"{}\"", st.name) : ""));
        if (shared) fallback_reported[j - own] = true;
        break;
      }
    }
    if (combined.empty() || !combined.back().rule.is_default) {
      r.error("rule",
              "the rules (strategy rules, then [[fallback_rule]]) must end with a `default = true` rule");
    }
    for (auto& pr : combined) st.rules.push_back(pr.rule);
    // Codes of the lines table's `rule` column: own rules by strategy, fallback rules shared.
    report_duplicate_names(combined, 0, own, fmt::format("strategy \"{}\"", st.name), diag);
    for (std::size_t j = 0; j < combined.size(); ++j) {
      const bool shared = j >= own;
      const std::string label =
          shared ? "fallback." + combined[j].rule.name : st.name + "." + combined[j].rule.name;
      auto it = std::find(p.rule_labels.begin(), p.rule_labels.end(), label);
      if (it == p.rule_labels.end()) it = p.rule_labels.insert(p.rule_labels.end(), label);
      st.rule_codes.push_back(static_cast<int>(it - p.rule_labels.begin()));
    }
    p.strategies.push_back(std::move(st));
  }
  if (p.rule_labels.size() > 256) {
    top.error("strategy",
              fmt::format("{} rule labels: the lines table's `rule` column holds at most 255 rules",
                          p.rule_labels.size() - 1));
  }
  if (tables.empty() && !top.has("strategy")) top.error("strategy", "at least one [[strategy]] is needed");
}

}  // namespace mmsim::myeloma
