#include "models/myeloma/src/strategy.hpp"

#include "models/myeloma/src/streams.hpp"

namespace mmsim::myeloma {

bool condition_holds(const Params& p, const Condition& c, int line, const PatientState& s, double t) {
  double v = 0;
  switch (c.field) {
    case RuleField::line_number:
      v = line;
      break;
    case RuleField::mechanism_at_last_failure:
      v = static_cast<double>(idx(s.last_mechanism));
      break;
    case RuleField::bcma_status:
      v = static_cast<double>(idx(seen_antigen_status(p, s, Antigen::BCMA)));
      break;
    case RuleField::gprc5d_status:
      v = static_cast<double>(idx(seen_antigen_status(p, s, Antigen::GPRC5D)));
      break;
    case RuleField::prior_exposure:
      switch (c.exposure_kind) {
        case ExposureKind::antigen:
          v = s.exposed_to_antigen(static_cast<Antigen>(c.exposure_index)) ? 1 : 0;
          break;
        case ExposureKind::category:
          v = (s.category_exposed >> c.exposure_index) & 1u;
          break;
        case ExposureKind::klass:
          v = s.class_exposed[c.exposure_index] ? 1 : 0;
          break;
        case ExposureKind::therapy:
          v = s.therapy_exposed[c.exposure_index] ? 1 : 0;
          break;
      }
      break;
    case RuleField::months_since_last_cart:
      v = std::isnan(s.last_cart_infusion) ? kNoCart : t - s.last_cart_infusion;
      break;
    case RuleField::best_response_last_line:
      v = s.best_response_last + 1;  // none = 0, pd = 1 ... cr = 5
      break;
    case RuleField::age:
      v = s.age0 + t / 12.0;
      break;
    case RuleField::tcell_fitness:
      v = s.fitness(t, p.mechanisms);
      break;
    case RuleField::emd:
      v = s.x[idx(Attr::emd)] > 0.5 ? 1 : 0;
      break;
    case RuleField::high_tumor_burden:
      v = s.x[idx(Attr::high_tumor_burden)] > 0.5 ? 1 : 0;
      break;
    case RuleField::len_refractory:
      v = s.x[idx(Attr::len_refractory)] > 0.5 ? 1 : 0;
      break;
    case RuleField::last_response_months:
      v = s.last_response_months;
      break;
    case RuleField::prior_exposure_type:
      // Simulated lines only: the kind of the baseline prior_bcma_exposure is not recorded.
      v = (s.antigen_exposed_by_type[c.exposure_type] >> c.exposure_index) & 1u;
      break;
    case RuleField::progression_pattern:
      v = static_cast<double>(idx(s.last_pattern));
      break;
    case RuleField::mechanism_tested:
      v = s.tested ? 1 : 0;
      break;
  }
  switch (c.op) {
    case Op::eq:
      return v == c.number;
    case Op::ne:
      return v != c.number;
    case Op::lt:
      return v < c.number;
    case Op::le:
      return v <= c.number;
    case Op::gt:
      return v > c.number;
    case Op::ge:
      return v >= c.number;
    case Op::in:
      return (c.set_mask >> static_cast<unsigned>(v)) & 1u;
    case Op::not_in:
      return ((c.set_mask >> static_cast<unsigned>(v)) & 1u) == 0;
  }
  return false;
}

Choice choose_action(const Params& p, const Strategy& st, int line, const PatientState& s, double t,
                     const StreamKey& key) {
  Choice c;
  if (line > p.max_lines) return c;
  const auto n = static_cast<std::size_t>(line);
  const Action* a = nullptr;
  if (n <= st.lines.size()) {
    a = &st.lines[n - 1];
    c.therapy = a->therapy;
    if (!a->mix.empty()) {
      RandomStream rng({key.seed, key.domain, key.patient, kTherapyMix, static_cast<std::uint32_t>(line)});
      const double u = rng.uniform();
      for (const auto& [therapy, cum] : a->mix) {
        c.therapy = therapy;
        if (u < cum) break;
      }
    }
  } else {
    for (std::size_t r = 0; r < st.rules.size() && a == nullptr; ++r) {
      const Rule& rule = st.rules[r];
      bool ok = true;
      for (const auto& cond : rule.when) {
        if (!condition_holds(p, cond, line, s, t)) {
          ok = false;
          break;
        }
      }
      if (ok) {
        a = &rule.action;
        c.rule = static_cast<int>(r);
        c.rule_code = st.rule_codes.empty() ? 0 : st.rule_codes[r];
        c.therapy = a->therapy;
      }
    }
  }
  if (a == nullptr) return c;
  c.partner = a->partner;
  c.maintenance = a->maintenance;
  return c;
}

}  // namespace mmsim::myeloma
