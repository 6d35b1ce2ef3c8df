// therapy_classes.toml and therapies.toml (docs/model.md P3): class templates, products inheriting them
// (top-level keys replace, sub-tables replace as a whole), and the consistency checks.
#include <fmt/format.h>

#include <cmath>
#include <string>
#include <utility>

#include "models/myeloma/src/read_params.hpp"
#include "sim/dist/parse_distribution.hpp"

namespace mmsim::myeloma {
namespace {

using config::NumberRule;
using config::TableReader;

template <std::size_t N>
int read_enum(TableReader& r, std::string_view key, const std::array<std::string_view, N>& names) {
  std::vector<std::string> choices(names.begin(), names.end());
  const std::string v = r.choice(key, choices, choices.front());
  return find_name(names, v);
}

// `own` is the therapy's table, `base` its class's (null when reading a class): a key the therapy writes
// replaces the class's, a sub-table replaces it as a whole (P3). Positions stay those of the file that wrote
// each value.
void read_record(TableReader& own, TableReader* base, const Params& p, Therapy& t) {
  auto& diag = own.diagnostics();
  const auto R = [&](std::string_view key) -> TableReader& {
    return (base == nullptr || own.has(key)) ? own : *base;
  };
  t.label = R("label").string("label");
  t.source = R("source").string("source");
  t.category = static_cast<Category>(read_enum(base ? *base : own, "category", kCategoryNames));
  for (const auto& name : R("targets").strings("targets")) {
    const int a = find_name(kAntigenNames, name);
    if (a < 0) {
      R("targets").error(
          "targets", fmt::format("unknown antigen \"{}\" (antigens: {})", name, join_names(kAntigenNames)));
    } else {
      t.target_mask |= 1u << a;
    }
  }
  const std::string escape = R("escape_antigen").string("escape_antigen");
  if (escape != "none") {
    t.escape_antigen = find_name(kAntigenNames, escape);
    if (t.escape_antigen < 0) {
      R("escape_antigen").error("escape_antigen", fmt::format("unknown antigen \"{}\"", escape));
    } else if ((t.target_mask & (1u << t.escape_antigen)) == 0) {
      R("escape_antigen")
          .error("escape_antigen", fmt::format("escape antigen {} is not among the targets", escape));
    }
  }
  t.binder = static_cast<Binder>(read_enum(R("binder_origin"), "binder_origin", kBinderNames));
  t.cell_source = static_cast<CellSource>(read_enum(R("cell_source"), "cell_source", kCellSourceNames));
  t.tcell_dependent = R("tcell_dependent").boolean("tcell_dependent");
  const std::string ref = R("reference_population").string("reference_population");
  t.reference_population = 0;
  bool found = false;
  for (std::size_t i = 0; i < p.populations.size(); ++i) {
    if (p.populations[i].id == ref) {
      t.reference_population = static_cast<std::uint32_t>(i);
      found = true;
    }
  }
  if (!found)
    R("reference_population").error("reference_population", fmt::format("unknown population \"{}\"", ref));
  const bool cart = t.category == Category::car_t || t.category == Category::allo_car_t;
  if (cart != (t.binder != Binder::none)) {
    R("binder_origin")
        .error("binder_origin",
               "binder_origin must be given exactly for car_t/allo_car_t (\"none\" otherwise)");
  }
  if (t.cell_source == CellSource::autologous && t.category != Category::car_t) {
    R("cell_source").error("cell_source", "autologous cells require category car_t");
  }

  if (const toml::table* s = R("pre_treatment").subtable("pre_treatment")) {
    TableReader q(*s, R("pre_treatment").key_path("pre_treatment"), diag);
    if (const toml::table* m = q.subtable("manufacturing_time")) {
      TableReader mr(*m, q.key_path("manufacturing_time"), diag);
      t.manufacturing_time = parse_value_distribution(mr);
    }
    t.manufacturing_failure_prob = q.number("manufacturing_failure_prob", NumberRule::probability());
    t.dropout_prob = q.number("dropout_prob", NumberRule::probability());
    t.waitlist_death_hazard = q.number("waitlist_death_hazard", NumberRule::hazard());
    t.bridging_prob = q.number("bridging_prob", NumberRule::probability());
    t.target_fraction_infused = q.number("target_fraction_infused", NumberRule::probability());
    t.src_pre = q.string("source");
    q.finish();
  }
  if (const toml::table* s = R("toxicity").subtable("toxicity")) {
    TableReader q(*s, R("toxicity").key_path("toxicity"), diag);
    t.crs_any = q.number("crs_any", NumberRule::probability());
    t.crs_g3 = q.number("crs_grade3plus", NumberRule::probability());
    t.icans_any = q.number("icans_any", NumberRule::probability());
    t.icans_g3 = q.number("icans_grade3plus", NumberRule::probability());
    // Patient covariates of the CRS/ICANS odds (issue 11 item 6): optional, 1 (no effect) when absent,
    // centred on the population whose rates the table gives (default: the therapy's reference population).
    // `or_<covariate>` acts on both outcomes; `crs_or_<covariate>` / `icans_or_<covariate>` replace it for
    // one.
    const auto log_or = [&](const std::string& covariate, std::string_view outcome) {
      const std::string specific = std::string(outcome) + "_or_" + covariate, both = "or_" + covariate;
      const std::string& key = q.has(specific) ? specific : both;
      return q.has(key) ? std::log(q.number(key, NumberRule::ratio())) : 0.0;
    };
    for (const auto& [outcome, odds] :
         {std::pair<std::string_view, Therapy::ToxicityOdds*>{"crs", &t.tox_crs}, {"icans", &t.tox_icans}}) {
      odds->per_prior_line = log_or("per_prior_line", outcome);
      odds->burden = log_or("high_tumor_burden", outcome);
      odds->emd = log_or("emd", outcome);
      odds->age_decade = log_or("age_per_decade", outcome);
    }
    t.tox_reference_population = t.reference_population;
    if (q.has("reference_population")) {
      const std::string tref = q.string("reference_population");
      bool known = false;
      for (std::size_t i = 0; i < p.populations.size(); ++i) {
        if (p.populations[i].id == tref) {
          t.tox_reference_population = static_cast<std::uint32_t>(i);
          known = true;
        }
      }
      if (!known) q.error("reference_population", fmt::format("unknown population \"{}\"", tref));
    }
    t.src_tox = q.string("source");
    if (t.crs_g3 > t.crs_any) q.error("crs_grade3plus", "grade >= 3 rate exceeds the any-grade rate");
    if (t.icans_g3 > t.icans_any) q.error("icans_grade3plus", "grade >= 3 rate exceeds the any-grade rate");
    q.finish();
  }
  if (const toml::table* s = R("mortality").subtable("mortality")) {
    TableReader q(*s, R("mortality").key_path("mortality"), diag);
    t.early_trm_prob = q.number("early_trm_prob", NumberRule::probability());
    t.early_window = q.number("early_window_months", NumberRule::positive_months());
    t.late_nrm_hazard = q.number("late_nrm_hazard", NumberRule::hazard());
    t.late_nrm_months = q.number("late_nrm_months", NumberRule::months());
    if (q.has("late_nrm_halflife_months"))
      t.late_nrm_halflife = q.number("late_nrm_halflife_months", NumberRule::positive_months());
    t.src_mort = q.string("source");
    q.finish();
  }
  if (const toml::table* s = R("response").subtable("response")) {
    TableReader q(*s, R("response").key_path("response"), diag);
    t.response = read_depth_probs(q, "probs");
    t.assessment_months = q.number("assessment_months", NumberRule::positive_months());
    t.reference_lines_before = q.number("reference_lines_before", NumberRule::between(0.0, 20.0), 0.0);
    t.src_resp = q.string("source");
    q.finish();
  }
  if (const toml::table* s = R("ttp").subtable("ttp")) {
    TableReader q(*s, R("ttp").key_path("ttp"), diag);
    for (std::size_t d = 0; d < kDepths; ++d) {
      if (const toml::table* dt = q.subtable(kDepthNames[d])) {
        TableReader dr(*dt, q.key_path(kDepthNames[d]), diag);
        t.ttp[d] = parse_time_distribution(dr);
      }
    }
    t.src_ttp = q.string("source");
    q.finish();
  }
  if (const toml::table* s = R("response_odds_ratios").subtable("response_odds_ratios")) {
    TableReader q(*s, R("response_odds_ratios").key_path("response_odds_ratios"), diag);
    for (std::size_t c = 0; c < kResponseCovs; ++c)
      t.log_or[c] = std::log(q.number(kCovNames[c], NumberRule::ratio(), 1.0));
    for (std::size_t c = 0; c < kResponseCovs; ++c) {
      if (!q.has(kCovNames[c])) q.error(kCovNames[c], "missing odds ratio");
    }
    t.log_or_cr_per_line = std::log(q.number("per_prior_line_cr", NumberRule::ratio(), 1.0));
    t.src_or = q.string("source");
    q.finish();
  }
  if (const toml::table* s = R("progression_hazard_ratios").subtable("progression_hazard_ratios")) {
    TableReader q(*s, R("progression_hazard_ratios").key_path("progression_hazard_ratios"), diag);
    for (std::size_t c = 0; c < kProgressionCovs; ++c) {
      if (!q.has(kCovNames[c])) q.error(kCovNames[c], "missing hazard ratio");
      t.log_hr[c] = std::log(q.number(kCovNames[c], NumberRule::ratio(), 1.0));
    }
    t.src_hr = q.string("source");
    q.finish();
  }
  if (const toml::table* s = R("failure_mechanisms").subtable("failure_mechanisms")) {
    TableReader q(*s, R("failure_mechanisms").key_path("failure_mechanisms"), diag);
    double sum = 0;
    for (std::size_t m = 0; m < kMechanisms; ++m) {
      t.failure[m] = q.number(kMechNames[m], NumberRule::probability());
      sum += t.failure[m];
    }
    t.src_mech = q.string("source");
    q.finish();
    if (std::fabs(sum - 1.0) > 1e-6) {
      diag.error(anchor(*s).source(), q.path(),
                 fmt::format("mechanism probabilities sum to {:.6g}, not 1", sum));
    }
    if (t.escape_antigen < 0 &&
        (t.failure[idx(Mech::antigen_loss)] > 0 || t.failure[idx(Mech::antigen_down)] > 0)) {
      q.error("antigen_loss", "antigen_loss/antigen_down need an escape_antigen (it is \"none\")");
    }
    if (!cart && t.failure[idx(Mech::anti_car_immunity)] > 0) {
      q.error("anti_car_immunity", "anti_car_immunity is only possible after car_t/allo_car_t");
    }
  }
  if (const toml::table* s = R("state_effects").subtable("state_effects")) {
    TableReader q(*s, R("state_effects").key_path("state_effects"), diag);
    t.tcell_fitness_shift = q.number("tcell_fitness_shift", NumberRule::between(-5.0, 5.0));
    t.src_state = q.string("source");
    q.finish();
  }
  if (const toml::table* s = R("prior_exposure").subtable("prior_exposure")) {
    TableReader q(*s, R("prior_exposure").key_path("prior_exposure"), diag);
    t.nonresponse_same_target = q.number("nonresponse_same_target", NumberRule::probability());
    t.nonresponse_same_product = q.number("nonresponse_same_product", NumberRule::probability());
    static constexpr std::array<std::string_view, 3> kAfter{
        "progression_hr_after_car_t", "progression_hr_after_bsab", "progression_hr_after_adc"};
    for (std::size_t k = 0; k < kAfter.size(); ++k)
      t.log_hr_after[k] = std::log(q.number(kAfter[k], NumberRule::ratio(), 1.0));
    t.src_exposure = q.string("source");
    if (t.nonresponse_same_product < t.nonresponse_same_target) {
      q.error(
          "nonresponse_same_product",
          "re-treatment with the product itself is an exposure to its targets: its share must be at least "
          "nonresponse_same_target");
    }
    const bool any_hr = t.log_hr_after[0] != 0 || t.log_hr_after[1] != 0 || t.log_hr_after[2] != 0;
    if (t.target_mask == 0 && any_hr)
      q.error("progression_hr_after_car_t", "a therapy without targets has no same-target exposure effect");
    if (t.target_mask == 0 && (t.nonresponse_same_target > 0 || t.nonresponse_same_product > 0)) {
      q.error("nonresponse_same_target", "a therapy without targets has no same-target non-response");
    }
    q.finish();
  }
  own.finish({"inherits"});
}

}  // namespace

void read_therapies(TableReader& top, Params& p) {
  const toml::table* classes = top.subtable("class");
  const toml::table* products = top.subtable("therapy");
  if (classes == nullptr || products == nullptr) return;
  auto& diag = top.diagnostics();
  TableReader cr(*classes, "class", diag);
  for (const auto& [k, v] : *classes) {
    const toml::table* ct = cr.subtable(k.str());
    if (ct == nullptr) continue;
    if (ct->contains("inherits")) {
      diag.error(ct->get("inherits")->source(), fmt::format("class.{}.inherits", k.str()),
                 "a class is a complete record and cannot inherit");
    }
    // Classes are validated as complete records too (a product may inherit everything).
    Therapy t;
    t.id = std::string(k.str());
    TableReader r(*ct, cr.key_path(k.str()), diag);
    read_record(r, nullptr, p, t);
    p.class_ids.push_back(t.id);
  }
  cr.finish();
  TableReader tr(*products, "therapy", diag);
  for (const auto& [k, v] : *products) {
    const toml::table* pt = tr.subtable(k.str());
    if (pt == nullptr) continue;
    const std::string id(k.str());
    if (id == "stop") tr.error(k.str(), "\"stop\" is reserved for the no-further-therapy action");
    TableReader r(*pt, tr.key_path(k.str()), diag);
    const std::string base = r.string("inherits");
    const toml::table* ct = classes->get_as<toml::table>(base);
    if (ct == nullptr) {
      r.error("inherits", fmt::format("unknown class \"{}\"", base));
      continue;
    }
    if (pt->contains("category")) r.error("category", "a therapy takes its category from its class");
    Therapy t;
    t.id = id;
    t.class_id = base;
    for (std::size_t c = 0; c < p.class_ids.size(); ++c) {
      if (p.class_ids[c] == base) t.klass = static_cast<std::uint32_t>(c);
    }
    TableReader br(*ct, fmt::format("class.{}", base),
                   diag);  // never finished: the class checks its own keys
    if (pt->contains("category")) r.node("category");
    read_record(r, &br, p, t);
    t.index = static_cast<std::uint32_t>(p.therapies.size());
    p.therapies.push_back(std::move(t));
  }
  tr.finish();
  if (p.therapies.size() > 250) top.error("therapy", "at most 250 therapies are supported");
}

int Params::therapy_index(std::string_view id) const {
  for (std::size_t i = 0; i < therapies.size(); ++i) {
    if (therapies[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace mmsim::myeloma
