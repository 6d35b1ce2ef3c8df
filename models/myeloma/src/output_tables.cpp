#include "models/myeloma/src/output_tables.hpp"

#include <cmath>
#include <string>
#include <utility>
#include <vector>

namespace mmsim::myeloma {
namespace {

template <std::size_t N>
std::vector<std::string> labels(const std::array<std::string_view, N>& names, std::size_t count = N) {
  return std::vector<std::string>(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(count));
}

// Enums of an optional choice (therapy, partner, maintenance, best response) store code + 1; 0 is "none".
std::vector<std::string> with_none(std::vector<std::string> v) {
  v.insert(v.begin(), "none");
  return v;
}
constexpr std::int64_t plus_one(int code) {
  return code + 1;
}

template <class Item>
std::vector<std::string> ids(const std::vector<Item>& items) {
  std::vector<std::string> out;
  for (const auto& x : items) out.push_back(x.id);
  return out;
}

// Labels of the enums, fixed at construction (some come from the config).
struct Vocabularies {
  std::vector<std::string> therapies, partners, maintenances, depths, mechanisms, end_reasons, death_causes,
      states, rules, patterns;
  explicit Vocabularies(const Params& p)
      : therapies(with_none(ids(p.therapies))),
        partners(with_none(ids(p.partners))),
        maintenances(with_none(ids(p.maintenances))),
        depths(with_none(labels(kDepthNames))),
        mechanisms(labels(kMechNames, kMechanisms + 1)),  // the six drawn mechanisms, then none
        end_reasons(labels(kEndReasonNames)),
        death_causes(labels(kDeathCauseNames)),
        states(labels(kStateNames)),
        rules(p.rule_labels),
        patterns(labels(kPatternNames)) {}
};

using P = PatientRecord;

bool treatment_started(const LineRecord* l) {
  return l != nullptr && !std::isnan(l->infusion);
}

constexpr bool attribute_is_flag(Attr a) {
  return a != Attr::age && a != Attr::prior_lines && a != Attr::bcma_density && a != Attr::gprc5d_level &&
         a != Attr::tcell_fitness;
}

constexpr const char* attribute_unit(Attr a) {
  switch (a) {
    case Attr::age:
      return "years";
    case Attr::bcma_density:
      return "molecules/cell";
    case Attr::gprc5d_level:
      return "ratio to the population median";
    case Attr::tcell_fitness:
      return "SD";
    default:
      return "";
  }
}

// Baseline attribute A (docs/model.md P2): prior_lines is a count, flags are 0/1, the others are reals.
template <std::size_t A>
Column<P> attribute_column() {
  constexpr auto attr = static_cast<Attr>(A);
  Field f{std::string(kAttrNames[A]),
          FieldType::f64,
          {},
          "baseline attribute (docs/model.md P2)",
          attribute_unit(attr)};
  if constexpr (attr == Attr::prior_lines) {
    f.type = FieldType::i32;
    return {f, [](const P& p) { return static_cast<std::int32_t>(std::lround(p.history->state.x[A])); }};
  } else if constexpr (attribute_is_flag(attr)) {
    f.type = FieldType::u8;
    return {f, [](const P& p) { return p.history->state.x[A] > 0.5; }};
  } else {
    return {f, [](const P& p) { return p.history->state.x[A]; }};
  }
}

template <std::size_t... A>
void add_attribute_columns(std::vector<Column<P>>& columns, std::index_sequence<A...>) {
  (columns.push_back(attribute_column<A>()), ...);
}

// Endpoint E's two columns.
template <std::size_t E>
std::vector<Column<P>> endpoint_columns() {
  const std::string name(kEndpointNames[E]);
  return {{{name + "_time", FieldType::f64, {}, "months from the endpoint's start; NaN: undefined", "months"},
           [](const P& p) { return p.endpoints[E].time; }},
          {{name + "_event", FieldType::u8, {}, "1 event, 0 censored"},
           [](const P& p) { return p.endpoints[E].event; }}};
}

template <std::size_t... E>
std::array<std::vector<Column<P>>, kEndpoints> all_endpoint_columns(std::index_sequence<E...>) {
  return {endpoint_columns<E>()...};
}

std::vector<Column<P>> patient_columns(const Params& params, const Vocabularies& v) {
  constexpr int pr = static_cast<int>(Depth::pr), cr = static_cast<int>(Depth::cr);
  std::vector<Column<P>> c{{{"id", FieldType::u64, {}, "0-based patient index (random stream key)"},
                            [](const P& p) { return p.patient; }}};
  add_attribute_columns(c, std::make_index_sequence<kAttrs>{});
  const std::vector<Column<P>> courses{
      {{"index_therapy", FieldType::enumeration, v.therapies, "therapy of line 1"},
       [](const P& p) { return p.line1 ? plus_one(p.line1->therapy) : 0; }},
      {{"infused_line1", FieldType::u8, {}, "1 if line 1 started (CAR-T infused)"},
       [](const P& p) { return p.line1 && !std::isnan(p.line1->infusion); }},
      {{"best_response_line1", FieldType::enumeration, v.depths, "best response of line 1"},
       [](const P& p) { return p.line1 ? plus_one(p.line1->best_response) : 0; }},
      {{"response_line1", FieldType::u8, {}, "1 if best response of line 1 >= PR (intention to treat)"},
       [](const P& p) { return p.line1 && p.line1->best_response >= pr; }},
      {{"cr_line1", FieldType::u8, {}, "1 if best response of line 1 is CR/sCR (intention to treat)"},
       [](const P& p) { return p.line1 && p.line1->best_response == cr; }},
      {{"crs_any_line1", FieldType::u8, {}, "1 if line 1 caused CRS of any grade"},
       [](const P& p) { return p.line1 && p.line1->crs > 0; }},
      {{"crs_grade3_line1", FieldType::u8, {}, "1 if line 1 caused CRS of grade >= 3"},
       [](const P& p) { return p.line1 && p.line1->crs >= 3; }},
      {{"mechanism_line1", FieldType::enumeration, v.mechanisms, "failure mechanism at line 1 progression"},
       [](const P& p) { return p.line1 ? p.line1->mechanism : Mech::none; }},
      {{"therapy_line2", FieldType::enumeration, v.therapies, "therapy of line 2 (none if not started)"},
       [](const P& p) { return p.line2 ? plus_one(p.line2->therapy) : 0; }},
      {{"best_response_line2", FieldType::enumeration, v.depths, "best response of line 2"},
       [](const P& p) { return p.line2 ? plus_one(p.line2->best_response) : 0; }},
      {{"response_line2", FieldType::u8, {}, "1 if best response of line 2 >= PR (0 if no line 2)"},
       [](const P& p) { return p.line2 && p.line2->best_response >= pr; }},
      {{"lines_received", FieldType::i32, {}, "lines of therapy started (simulated)"},
       [](const P& p) { return p.history->n_lines; }},
      {{"death_cause", FieldType::enumeration, v.death_causes, "cause of death (none if alive)"},
       [](const P& p) { return p.history->death_cause; }}};
  c.insert(c.end(), courses.begin(), courses.end());
  if (writes_per_line_outputs(params)) {
    const std::vector<Column<P>> per_line{
        {{"icans_any_line1", FieldType::u8, {}, "1 if line 1 caused ICANS of any grade"},
         [](const P& p) { return p.line1 && p.line1->icans > 0; }},
        {{"icans_grade3_line1", FieldType::u8, {}, "1 if line 1 caused ICANS of grade >= 3"},
         [](const P& p) { return p.line1 && p.line1->icans >= 3; }},
        {{"started_line2",
          FieldType::u8,
          {},
          "1 if line 2's treatment started (denominator of line-2 rates)"},
         [](const P& p) { return treatment_started(p.line2); }},
        {{"therapy_line3", FieldType::enumeration, v.therapies, "therapy of line 3 (none if not started)"},
         [](const P& p) { return p.line3 ? plus_one(p.line3->therapy) : 0; }},
        {{"started_line3",
          FieldType::u8,
          {},
          "1 if line 3's treatment started (denominator of line-3 rates)"},
         [](const P& p) { return treatment_started(p.line3); }},
        {{"response_line3", FieldType::u8, {}, "1 if best response of line 3 >= PR (0 if no line 3)"},
         [](const P& p) { return p.line3 && p.line3->best_response >= pr; }},
        {{"nrm", FieldType::u8, {}, "1 if died before the index line failed, of a cause other than myeloma"},
         [](const P& p) { return non_relapse_death(*p.history, p.horizon); }},
        {{"trm", FieldType::u8, {}, "1 if died of a treatment-related cause (toxicity, infection)"},
         [](const P& p) { return treatment_death(*p.history, p.horizon); }}};
    c.insert(c.end(), per_line.begin(), per_line.end());
  }
  const auto endpoints = all_endpoint_columns(std::make_index_sequence<kEndpoints>{});
  for (const Endpoint e : params.endpoints) {
    const auto& pair = endpoints[idx(e)];
    c.insert(c.end(), pair.begin(), pair.end());
  }
  return c;
}

std::vector<Column<LineRow>> line_columns(const Vocabularies& v) {
  using L = LineRow;
  return {
      {{"patient", FieldType::u64, {}, "patient index"}, [](const L& r) { return r.patient; }},
      {{"line", FieldType::i32, {}, "line of therapy, 1 = index line"},
       [](const L& r) { return r.line->line; }},
      {{"therapy", FieldType::enumeration, v.therapies, "therapy id"},
       [](const L& r) { return plus_one(r.line->therapy); }},
      {{"partner", FieldType::enumeration, v.partners, "combination partner"},
       [](const L& r) { return plus_one(r.line->partner); }},
      {{"maintenance", FieldType::enumeration, v.maintenances, "maintenance named by the strategy"},
       [](const L& r) { return plus_one(r.line->maintenance); }},
      {{"start", FieldType::f64, {}, "months since time zero: decision/apheresis", "months"},
       [](const L& r) { return r.line->start; }},
      {{"infusion",
        FieldType::f64,
        {},
        "months since time zero: treatment start (NaN if never given)",
        "months"},
       [](const L& r) { return r.line->infusion; }},
      {{"end",
        FieldType::f64,
        {},
        "months since time zero: progression, dropout, failure, death or horizon",
        "months"},
       [](const L& r) { return r.line->end; }},
      {{"best_response", FieldType::enumeration, v.depths, "best response (none if not treated)"},
       [](const L& r) { return plus_one(r.line->best_response); }},
      {{"end_reason", FieldType::enumeration, v.end_reasons, "how the line ended"},
       [](const L& r) { return r.line->end_reason; }},
      {{"mechanism", FieldType::enumeration, v.mechanisms, "failure mechanism drawn at progression"},
       [](const L& r) { return r.line->mechanism; }},
      {{"crs_grade", FieldType::u8, {}, "0 none, 1 grade 1-2, 3 grade >= 3"},
       [](const L& r) { return r.line->crs; }},
      {{"icans_grade", FieldType::u8, {}, "0 none, 1 grade 1-2, 3 grade >= 3"},
       [](const L& r) { return r.line->icans; }},
      {{"bridged", FieldType::u8, {}, "1 if bridging therapy was given during the wait"},
       [](const L& r) { return r.line->bridged; }},
      {{"maintained", FieldType::u8, {}, "1 if maintenance was started (response >= its minimum)"},
       [](const L& r) { return r.line->maintained; }},
      {{"rule", FieldType::enumeration, v.rules,
        "rule that chose the line: <strategy>.<rule>, fallback.<rule>, or fixed_line"},
       [](const L& r) { return r.line->rule; }},
      {{"progression_pattern", FieldType::enumeration, v.patterns, "pattern of this line's progression"},
       [](const L& r) { return r.line->pattern; }},
      {{"tested",
        FieldType::u8,
        {},
        "1 if this line's progression was tested (biopsy with antigen testing; always 1 without a testing "
        "model)"},
       [](const L& r) { return r.line->tested; }}};
}

std::vector<Column<EventRow>> event_columns(const Vocabularies& v) {
  using E = EventRow;
  return {
      {{"patient", FieldType::u64, {}, "patient index"}, [](const E& r) { return r.patient; }},
      {{"time", FieldType::f64, {}, "months since time zero", "months"},
       [](const E& r) { return r.event->time; }},
      {{"from", FieldType::enumeration, v.states, "state left"}, [](const E& r) { return r.event->from; }},
      {{"to", FieldType::enumeration, v.states, "state entered"}, [](const E& r) { return r.event->to; }},
      {{"line", FieldType::i32, {}, "current line of therapy"}, [](const E& r) { return r.event->line; }},
      {{"cause", FieldType::enumeration, v.death_causes, "cause of death"},
       [](const E& r) { return r.event->cause; }}};
}

}  // namespace

OutcomeColumns outcome_columns(const Params& params) {
  OutcomeColumns o{
      {"response_line1", "cr_line1", "response_line2", "infused_line1", "crs_any_line1", "crs_grade3_line1"},
      {}};
  if (!writes_per_line_outputs(params)) return o;
  o.outcomes.insert(o.outcomes.end(), {"icans_any_line1", "icans_grade3_line1", "started_line2",
                                       "response_line3", "started_line3", "nrm", "trm"});
  // Rates of line k among those who started it; toxicity and mortality among the infused.
  const std::string inf = "infused_line1";
  o.denominators = {inf, inf, "started_line2", "", inf, inf, inf, inf, "", "started_line3", "", inf, inf};
  return o;
}

OutputTables make_output_tables(const Params& params) {
  const Vocabularies v(params);
  return {RecordTable<PatientRecord>("patients", patient_columns(params, v)),
          RecordTable<LineRow>("lines", line_columns(v)), RecordTable<EventRow>("events", event_columns(v))};
}

}  // namespace mmsim::myeloma
