// `mmsim check CONFIG --print`: every effective parameter of the scenario with its source.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>

#include "models/myeloma/myeloma_model.hpp"

namespace mmsim::myeloma {
namespace {

std::string probs_text(const DepthProbs& p) {
  return fmt::format("cr={:.3g} vgpr={:.3g} pr={:.3g} mr_sd={:.3g} pd={:.3g}", p[4], p[3], p[2], p[1], p[0]);
}

std::string targets_text(std::uint32_t mask) {
  std::string out;
  for (std::size_t a = 0; a < kAntigens; ++a) {
    if (((mask >> a) & 1u) == 0) continue;
    if (!out.empty()) out += '+';
    out += kAntigenNames[a];
  }
  return out.empty() ? "none" : out;
}

}  // namespace

std::string MyelomaModel::parameter_report() const {
  const Params& p = params_;
  std::string o;
  auto line = [&o](const std::string& s) {
    o += s;
    o += '\n';
  };
  line(fmt::format("# scenario {}: {}", p.scenario_name, p.description));
  line(fmt::format("horizon = {} months; time_zero = {}; max_lines = {}; population = {}", p.horizon,
                   p.time_zero == TimeZero::infusion ? "infusion" : "line_start", p.max_lines, p.pop().id));
  line("\n# population (attribute law [source])");
  const Population& pop = p.pop();
  for (std::size_t a = 0; a < kAttrs; ++a) {
    line(fmt::format("population.{}.{} ~ {} (mean {:.4g}) [{}]", pop.id, kAttrNames[a],
                     pop.laws[a]->describe(), pop.mean[a], pop.law_sources[a]));
  }
  for (const auto& c : pop.corr_sources) line(fmt::format("population.{}.correlation {}", pop.id, c));
  line(fmt::format("population.{} [{}]", pop.id, pop.source));

  line("\n# background mortality: mu(age) = rate * exp(shape * age), per month");
  const char* sex[2] = {"female", "male"};
  for (std::size_t s = 0; s < 2; ++s) {
    line(fmt::format("background_mortality.{}: rate_per_month={:.6g} shape_per_year_of_age={:.6g} [{}]",
                     sex[s], p.background.rate_per_month[s], p.background.shape_per_year[s],
                     p.background.source[s]));
  }
  const DiseaseSpec& d = p.disease;
  line("\n# disease");
  line(
      fmt::format("disease_mortality: responding={} stable={} progressive={} per_line={} (reference {} "
                  "lines) hr_penta={} "
                  "hr_emd={} "
                  "hr_hrc={} hr_pcl={} [{}]",
                  d.hazard_responding, d.hazard_stable, d.hazard_progressive, d.per_line_multiplier,
                  d.per_line_reference, d.hr_penta, d.hr_emd, d.hr_hrc, d.hr_pcl, d.src_mortality));
  if (d.hazard_waiting_bridged >= 0)
    line(fmt::format("disease_mortality.hazard_waiting_bridged = {} [{}]", d.hazard_waiting_bridged,
                     d.src_mortality));
  line(fmt::format("between_lines.gap ~ {} [{}]", d.gap->describe(), d.src_gap));
  line(fmt::format("no_further_therapy.hazard = {} [{}]", d.no_further_therapy_hazard, d.src_nft));

  line("\n# antigens");
  for (std::size_t a = 0; a < kAntigens; ++a) {
    const AntigenSpec& s = p.antigens[a];
    if (!s.modelled) {
      line(fmt::format("antigen.{}: not modelled [{}]", kAntigenNames[a], s.source));
      continue;
    }
    line(
        fmt::format("antigen.{}: {} ({}), reference {} threshold {} low {} cap x{} drift ~ {} down ~ {} [{}]",
                    kAntigenNames[a], kAttrNames[idx(s.density_attribute)], s.unit, s.reference_density,
                    s.functional_threshold, s.low_cutoff, s.cap_ratio, s.drift->describe(),
                    s.downregulation->describe(), s.source));
  }
  line(fmt::format("antigen_negative_response: {} [{}]", probs_text(p.antigen_negative),
                   p.antigen_negative_source));

  const MechanismSpec& m = p.mechanisms;
  line("\n# mechanisms");
  for (std::size_t i = 0; i < kMechanisms; ++i) {
    line(fmt::format("persistence.{} = {} months [{}]", kMechNames[i], m.half_life[i], m.src_persistence));
  }
  line(fmt::format(
      "weight_modifiers: antigen_loss_if_bcma_het_loss={} tcell_exhaustion_per_sd_lower_fitness={} [{}]",
      m.het_loss_weight, m.exhaustion_weight_per_sd, m.src_weights));
  if (p.has_testing) {
    const TestingSpec& t = p.testing;
    line(
        fmt::format("testing.{}: tested_prob={} loss sens/spec={}/{} low sens/spec={}/{} "
                    "mechanism_identified_prob={} [{}]",
                    t.id, t.tested_prob, t.loss_sensitivity, t.loss_specificity, t.low_sensitivity,
                    t.low_specificity, t.mechanism_identified_prob, t.source));
  } else {
    line("testing: none named in [scenario]: rules see the true antigen status and mechanism");
  }
  line(fmt::format("progression_pattern (systemic, extramedullary, oligo): if_emd=({}) if_no_emd=({}) [{}]",
                   fmt::join(p.pattern.if_emd, ", "), fmt::join(p.pattern.if_no_emd, ", "),
                   p.pattern.source));
  line(fmt::format("tcell_fitness_dynamics: recovery_per_month={} floor={} [{}]", m.recovery_per_month,
                   m.fitness_floor, m.src_fitness));
  for (std::size_t i = 0; i < kMechanisms; ++i) {
    std::string row;
    for (std::size_t c = 0; c < kCategories; ++c) {
      row += fmt::format(" {}=({:.3g},{:.3g})", kCategoryNames[c], std::exp(m.modifier[i][c].log_odds),
                         std::exp(m.modifier[i][c].log_hr));
    }
    line(fmt::format("modifier.{} (odds,hr):{} [{}]", kMechNames[i], row, m.src_modifier[i]));
  }
  std::string binders;
  for (std::size_t b = 0; b < 4; ++b) {
    binders += fmt::format(" {}=({:.3g},{:.3g})", kBinderNames[b], std::exp(m.anti_car_by_binder[b].log_odds),
                           std::exp(m.anti_car_by_binder[b].log_hr));
  }
  line(fmt::format("anti_car_by_binder (odds,hr):{} [{}]", binders, m.src_anti_car));
  std::string from_start;
  for (std::size_t c = 0; c < kCategories; ++c) {
    if ((m.clock_from_start_mask >> c) & 1u) from_start += fmt::format(" {}", kCategoryNames[c]);
  }
  line(fmt::format("clocks from the treatment start:{} (others from the progression) [{}]", from_start,
                   m.src_clocks));

  line("\n# partners and maintenance");
  for (const auto& x : p.partners) {
    line(fmt::format("partner.{}: antigen {} fold {} OR {:.3g} HR {:.3g} fitness {:+} [{}]", x.id,
                     x.antigen >= 0 ? kAntigenNames[static_cast<std::size_t>(x.antigen)] : "none",
                     x.density_fold, std::exp(x.log_or), std::exp(x.log_hr), x.fitness_shift, x.source));
  }
  for (const auto& x : p.maintenances) {
    line(fmt::format("maintenance.{}: min_response {} start {} duration {} HR {:.3g} extra death {} [{}]",
                     x.id, kDepthNames[idx(x.min_response)], x.start_months, x.duration_months,
                     std::exp(x.log_hr), x.extra_death_hazard, x.source));
  }

  line("\n# therapies (effective values after class inheritance)");
  for (const auto& t : p.therapies) {
    const std::string k = "therapy." + t.id;
    line(fmt::format(
        "{}: {} | class {} | category {} | targets {} | escape {} | binder {} | cells {} | "
        "T-cell dependent {} | reference population {} [{}]",
        k, t.label, t.class_id, kCategoryNames[idx(t.category)], targets_text(t.target_mask),
        t.escape_antigen >= 0 ? kAntigenNames[static_cast<std::size_t>(t.escape_antigen)] : "none",
        kBinderNames[idx(t.binder)], kCellSourceNames[idx(t.cell_source)], t.tcell_dependent,
        p.populations[t.reference_population].id, t.source));
    line(fmt::format(
        "{}.pre_treatment: manufacturing_time ~ {}, failure {}, dropout {}, waitlist death {}/mo, "
        "bridging {} [{}]",
        k, t.manufacturing_time->describe(), t.manufacturing_failure_prob, t.dropout_prob,
        t.waitlist_death_hazard, t.bridging_prob, t.src_pre));
    line(fmt::format("{}.toxicity: CRS {} (>=3 {}), ICANS {} (>=3 {}) [{}]", k, t.crs_any, t.crs_g3,
                     t.icans_any, t.icans_g3, t.src_tox));
    line(fmt::format("{}.mortality: early TRM {} within {} mo, late NRM {}/mo to {} mo [{}]", k,
                     t.early_trm_prob, t.early_window, t.late_nrm_hazard, t.late_nrm_months, t.src_mort));
    line(fmt::format("{}.response: {} assessed at {} mo [{}]", k, probs_text(t.response), t.assessment_months,
                     t.src_resp));
    std::string ttp;
    for (std::size_t dd = kDepths; dd-- > 0;)
      ttp += fmt::format(" {}~{}", kDepthNames[dd], t.ttp[dd]->describe());
    line(fmt::format("{}.ttp:{} [{}]", k, ttp, t.src_ttp));
    std::string ors, hrs, mech;
    for (std::size_t c = 0; c < kResponseCovs; ++c)
      ors += fmt::format(" {}={:.3g}", kCovNames[c], std::exp(t.log_or[c]));
    if (t.log_or_cr_per_line != 0)
      ors += fmt::format(" per_prior_line_cr={:.3g}", std::exp(t.log_or_cr_per_line));
    for (std::size_t c = 0; c < kProgressionCovs; ++c)
      hrs += fmt::format(" {}={:.3g}", kCovNames[c], std::exp(t.log_hr[c]));
    for (std::size_t i = 0; i < kMechanisms; ++i)
      mech += fmt::format(" {}={:.3g}", kMechNames[i], t.failure[i]);
    line(fmt::format("{}.response_odds_ratios:{} [{}]", k, ors, t.src_or));
    line(fmt::format("{}.progression_hazard_ratios:{} [{}]", k, hrs, t.src_hr));
    line(fmt::format("{}.failure_mechanisms:{} [{}]", k, mech, t.src_mech));
    line(
        fmt::format("{}.state_effects.tcell_fitness_shift = {} [{}]", k, t.tcell_fitness_shift, t.src_state));
    line(fmt::format(
        "{}.prior_exposure: non-response after same target {}, after the product itself {}; progression HR "
        "after CAR-T {:.3g}, BsAb {:.3g}, ADC {:.3g} [{}]",
        k, t.nonresponse_same_target, t.nonresponse_same_product, std::exp(t.log_hr_after[0]),
        std::exp(t.log_hr_after[1]), std::exp(t.log_hr_after[2]), t.src_exposure));
  }

  line("\n# strategies (fixed lines, then rules: first match wins)");
  for (const auto& s : p.strategies) {
    line(fmt::format("strategy {}: {}", s.name, s.description));
    for (std::size_t i = 0; i < s.lines.size(); ++i)
      line(fmt::format("  line {}: {}", i + 1, s.lines[i].text));
    for (std::size_t k = 0; k < s.rules.size(); ++k) {
      const Rule& r = s.rules[k];
      std::string cond;
      for (const auto& c : r.when) {
        if (!cond.empty()) cond += " and ";
        cond += c.text;
      }
      // The label the lines table's `rule` column writes for this rule.
      const std::string label =
          k < s.rule_codes.size() ? p.rule_labels[static_cast<std::size_t>(s.rule_codes[k])] : r.name;
      line(fmt::format("  [{}] {} -> {}", label, r.is_default ? "otherwise" : "if " + cond, r.action.text));
    }
  }
  return o;
}

}  // namespace mmsim::myeloma
