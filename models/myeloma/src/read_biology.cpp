// antigens.toml (P5), partners.toml (P4), mechanisms.toml (P6), disease.toml (P7), background_mortality.toml
// (P8).
#include <fmt/format.h>

#include <cmath>

#include "models/myeloma/src/read_params.hpp"
#include "sim/dist/parse_distribution.hpp"

namespace mmsim::myeloma {
namespace {

using config::NumberRule;
using config::TableReader;

ValueDistributionPtr value_law(TableReader& r, std::string_view key) {
  const toml::table* t = r.subtable(key);
  if (t == nullptr) return nullptr;
  TableReader d(*t, r.key_path(key), r.diagnostics());
  return parse_value_distribution(d);
}

Modifier read_modifier(TableReader& r, std::string_view key) {
  Modifier m;
  const toml::table* t = r.subtable(key);
  if (t == nullptr) return m;
  TableReader q(*t, r.key_path(key), r.diagnostics());
  m.log_odds = std::log(q.number("odds", NumberRule::ratio()));
  m.log_hr = std::log(q.number("hr", NumberRule::ratio()));
  q.finish();
  return m;
}

// Checks a fixed list of names written in the file against the model's enum.
template <std::size_t N>
void check_names(TableReader& r, std::string_view key, const std::array<std::string_view, N>& names,
                 std::size_t count) {
  const auto written = r.strings(key);
  bool same = written.size() == count;
  for (std::size_t i = 0; same && i < count; ++i) same = written[i] == names[i];
  if (!same)
    r.error(key, fmt::format("must be exactly [{}] (the model's names, in order)", join_names(names, count)));
}

}  // namespace

void read_antigens(TableReader& top, Params& p) {
  auto& diag = top.diagnostics();
  if (const toml::table* t = top.subtable("antigen")) {
    TableReader ar(*t, "antigen", diag);
    for (const auto& [k, v] : *t) {
      const int a = find_name(kAntigenNames, k.str());
      const toml::table* at = ar.subtable(k.str());
      if (a < 0) {
        ar.error(k.str(),
                 fmt::format("unknown antigen \"{}\" (antigens: {})", k.str(), join_names(kAntigenNames)));
        continue;
      }
      if (at == nullptr) continue;
      TableReader r(*at, ar.key_path(k.str()), diag);
      AntigenSpec& s = p.antigens[static_cast<std::size_t>(a)];
      s.modelled = r.boolean("modelled");
      s.source = r.string("source");
      if (s.modelled) {
        s.unit = r.string("unit");
        const std::string attr =
            r.choice("density_attribute", {"bcma_density", "gprc5d_level"}, "bcma_density");
        s.density_attribute = static_cast<Attr>(find_name(kAttrNames, attr));
        s.reference_density = r.number("reference_density", NumberRule::positive());
        s.functional_threshold = r.number("functional_threshold", NumberRule::non_negative());
        s.low_cutoff = r.number("low_cutoff", NumberRule::positive());
        s.cap_ratio = r.number("density_effect_cap_ratio", NumberRule::between(1.0, config::kMaxRatio));
        s.drift = value_law(r, "post_exposure_drift");
        s.downregulation = value_law(r, "downregulation_factor");
        if (s.low_cutoff <= s.functional_threshold) r.error("low_cutoff", "must exceed functional_threshold");
      }
      r.finish();
    }
    ar.finish();
  }
  if (const toml::table* t = top.subtable("antigen_negative_response")) {
    TableReader r(*t, "antigen_negative_response", diag);
    p.antigen_negative = read_depth_probs(r, "probs");
    p.antigen_negative_source = r.string("source");
    r.finish();
  }
}

void read_partners(TableReader& top, Params& p) {
  auto& diag = top.diagnostics();
  if (const toml::table* t = top.subtable("partner")) {
    TableReader pr(*t, "partner", diag);
    for (const auto& [k, v] : *t) {
      const toml::table* pt = pr.subtable(k.str());
      if (pt == nullptr) continue;
      TableReader r(*pt, pr.key_path(k.str()), diag);
      Partner x;
      x.id = std::string(k.str());
      x.label = r.string("label");
      x.source = r.string("source");
      for (const auto& c : r.strings("applies_to_categories")) {
        const int ci = find_name(kCategoryNames, c);
        if (ci < 0) {
          r.error("applies_to_categories", fmt::format("unknown category \"{}\"", c));
        } else {
          x.category_mask |= 1u << ci;
        }
      }
      const std::string antigen = r.string("antigen");
      if (antigen != "none") {
        x.antigen = find_name(kAntigenNames, antigen);
        if (x.antigen < 0) r.error("antigen", fmt::format("unknown antigen \"{}\"", antigen));
      }
      x.density_fold = r.number("antigen_density_fold", NumberRule::ratio());
      x.log_or = std::log(r.number("response_odds_ratio", NumberRule::ratio()));
      x.log_hr = std::log(r.number("progression_hr", NumberRule::ratio()));
      x.fitness_shift = r.number("tcell_fitness_shift", NumberRule::between(-5.0, 5.0));
      r.finish();
      p.partners.push_back(std::move(x));
    }
    pr.finish();
  }
  if (const toml::table* t = top.subtable("maintenance")) {
    TableReader mr(*t, "maintenance", diag);
    for (const auto& [k, v] : *t) {
      const toml::table* mt = mr.subtable(k.str());
      if (mt == nullptr) continue;
      TableReader r(*mt, mr.key_path(k.str()), diag);
      Maintenance m;
      m.id = std::string(k.str());
      m.label = r.string("label");
      m.source = r.string("source");
      m.min_response = static_cast<Depth>(
          find_name(kDepthNames, r.choice("min_response", {"cr", "vgpr", "pr", "mr_sd"}, "pr")));
      m.start_months = r.number("start_months", NumberRule::months());
      m.duration_months = r.number("duration_months", NumberRule::positive_months());
      m.log_hr = std::log(r.number("progression_hr", NumberRule::ratio()));
      m.extra_death_hazard = r.number("extra_death_hazard", NumberRule::hazard());
      m.not_if_len_refractory = r.boolean("not_if_len_refractory");
      r.finish();
      p.maintenances.push_back(std::move(m));
    }
    mr.finish();
  }
}

void read_mechanisms(TableReader& top, Params& p) {
  auto& diag = top.diagnostics();
  MechanismSpec& m = p.mechanisms;
  check_names(top, "mechanisms", kMechNames, kMechanisms);
  check_names(top, "categories", kCategoryNames, kCategories);
  if (const toml::table* t = top.subtable("persistence")) {
    TableReader r(*t, "persistence", diag);
    for (std::size_t i = 0; i < kMechanisms; ++i) {
      const toml::node* n = r.node(kMechNames[i]);
      if (n == nullptr) {
        r.error(kMechNames[i], "missing half-life (months, or inf)");
      } else if (n->is_floating_point() && std::isinf(n->value_or(0.0)) && n->value_or(0.0) > 0) {
        m.half_life[i] = kInf;
      } else {
        m.half_life[i] = r.number(kMechNames[i], NumberRule::positive());
      }
    }
    m.src_persistence = r.string("source");
    r.finish();
  }
  if (const toml::table* t = top.subtable("weight_modifiers")) {
    TableReader r(*t, "weight_modifiers", diag);
    m.het_loss_weight = r.number("antigen_loss_if_bcma_het_loss", NumberRule::ratio());
    m.exhaustion_weight_per_sd = r.number("tcell_exhaustion_per_sd_lower_fitness", NumberRule::ratio());
    m.src_weights = r.string("source");
    r.finish();
  }
  if (const toml::table* t = top.subtable("tcell_fitness_dynamics")) {
    TableReader r(*t, "tcell_fitness_dynamics", diag);
    m.recovery_per_month = r.number("recovery_per_month", NumberRule::hazard());
    m.fitness_floor = r.number("floor", NumberRule::any());
    m.src_fitness = r.string("source");
    r.finish();
  }
  if (const toml::table* t = top.subtable("clocks")) {
    TableReader r(*t, "clocks", diag);
    for (const auto& name : r.strings("from_treatment_start")) {
      const int c = find_name(kCategoryNames, name);
      if (c < 0) {
        r.error("from_treatment_start",
                fmt::format("unknown category \"{}\" (categories: {})", name, join_names(kCategoryNames)));
      } else {
        m.clock_from_start_mask |= 1u << c;
      }
    }
    m.src_clocks = r.string("source");
    r.finish();
  }
  if (const toml::table* t = top.subtable("modifier")) {
    TableReader mr(*t, "modifier", diag);
    for (std::size_t i = 0; i < kMechanisms; ++i) {
      const toml::table* mt = mr.subtable(kMechNames[i]);
      if (mt == nullptr) continue;
      TableReader r(*mt, mr.key_path(kMechNames[i]), diag);
      for (std::size_t c = 0; c < kCategories; ++c) m.modifier[i][c] = read_modifier(r, kCategoryNames[c]);
      m.src_modifier[i] = r.string("source");
      r.finish();
    }
    mr.finish();
  }
  if (const toml::table* t = top.subtable("anti_car_by_binder")) {
    TableReader r(*t, "anti_car_by_binder", diag);
    for (std::size_t b = 0; b < 4; ++b) m.anti_car_by_binder[b] = read_modifier(r, kBinderNames[b]);
    m.src_anti_car = r.string("source");
    r.finish();
  }
}

void read_disease(TableReader& top, Params& p) {
  auto& diag = top.diagnostics();
  DiseaseSpec& d = p.disease;
  if (const toml::table* t = top.subtable("disease_mortality")) {
    TableReader r(*t, "disease_mortality", diag);
    d.hazard_responding = r.number("hazard_responding", NumberRule::hazard());
    d.hazard_stable = r.number("hazard_stable", NumberRule::hazard());
    d.hazard_progressive = r.number("hazard_progressive", NumberRule::hazard());
    if (r.has("hazard_waiting_bridged"))
      d.hazard_waiting_bridged = r.number("hazard_waiting_bridged", NumberRule::hazard());
    d.per_line_multiplier = r.number("per_line_multiplier", NumberRule::ratio());
    d.per_line_reference = r.number("per_line_reference", NumberRule::between(0.0, 30.0));
    d.hr_penta = r.number("hr_penta_refractory", NumberRule::ratio());
    d.hr_emd = r.number("hr_emd", NumberRule::ratio());
    d.hr_hrc = r.number("hr_high_risk_cytogenetics", NumberRule::ratio());
    d.hr_pcl = r.number("hr_pcl", NumberRule::ratio());
    d.src_mortality = r.string("source");
    r.finish();
  }
  if (const toml::table* t = top.subtable("between_lines")) {
    TableReader r(*t, "between_lines", diag);
    if (const toml::table* g = r.subtable("gap")) {
      TableReader gr(*g, r.key_path("gap"), diag);
      d.gap = parse_time_distribution(gr);
    }
    d.src_gap = r.string("source");
    r.finish();
  }
  if (const toml::table* t = top.subtable("no_further_therapy")) {
    TableReader r(*t, "no_further_therapy", diag);
    d.no_further_therapy_hazard = r.number("hazard", NumberRule::positive_hazard());
    d.src_nft = r.string("source");
    r.finish();
  }
  if (const toml::table* t = top.subtable("progression_frailty")) {
    TableReader r(*t, "progression_frailty", diag);
    d.frailty_variance = r.number("variance", NumberRule::between(0.0, 10.0));
    d.src_frailty = r.string("source");
    r.finish();
  }
}

void read_background(TableReader& top, Params& p) {
  const toml::table* t = top.subtable("background_mortality");
  if (t == nullptr) return;
  TableReader br(*t, "background_mortality", top.diagnostics());
  const char* sexes[2] = {"female", "male"};
  for (std::size_t s = 0; s < 2; ++s) {
    const toml::table* st = br.subtable(sexes[s]);
    if (st == nullptr) continue;
    TableReader r(*st, br.key_path(sexes[s]), top.diagnostics());
    p.background.rate_per_month[s] = r.number("rate_per_month", NumberRule::positive_hazard());
    p.background.shape_per_year[s] = r.number("shape_per_year_of_age", NumberRule::between(0.0, 1.0));
    r.number("fit_r2_log_hazard", NumberRule::between(0.0, 1.0));
    r.number("fit_max_abs_rel_err_q", NumberRule::non_negative());
    r.numbers("fit_ages", NumberRule::non_negative());
    p.background.source[s] = r.string("source");
    r.finish();
  }
  br.finish();
}

}  // namespace mmsim::myeloma
