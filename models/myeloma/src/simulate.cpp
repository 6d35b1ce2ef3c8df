#include "models/myeloma/src/simulate.hpp"

#include <algorithm>
#include <cmath>

#include "models/myeloma/src/efficacy.hpp"
#include "models/myeloma/src/mechanisms.hpp"
#include "models/myeloma/src/population.hpp"
#include "models/myeloma/src/strategy.hpp"
#include "models/myeloma/src/streams.hpp"

namespace mmsim::myeloma {
namespace {

RandomStream stream(const StreamKey& key, Purpose purpose, int step) {
  return RandomStream({key.seed, key.domain, key.patient, purpose, static_cast<std::uint32_t>(step)});
}

double exp_draw(RandomStream& rng) {
  return -std::log(rng.uniform());
}

class Recorder {
 public:
  explicit Recorder(History& h) : h_(h) {}
  void to(double t, State next, int line, DeathCause cause = DeathCause::none) {
    if (next == state_) return;
    if (h_.n_events < kMaxEvents) h_.events[h_.n_events++] = EventRecord{t, state_, next, line, cause};
    state_ = next;
  }
  State state() const { return state_; }

 private:
  History& h_;
  State state_ = State::relapsed;
};

enum class LineEnd { failed, died, censored };

struct LineOutcome {
  LineEnd end = LineEnd::censored;
  double time = 0;  // failure or death time
};

}  // namespace

// Disease-death multiplier: per line received before the current one, counting the lines before the
// simulation (a patient entering at line 7 is not a first relapse), centred on the line count at which the
// state hazards were measured; uncentred covariates (P7).
double disease_death_multiplier(const Params& p, const PatientState& s) {
  const DiseaseSpec& d = p.disease;
  const double lines = s.x[idx(Attr::prior_lines)] + s.lines_before_current();
  double m = std::pow(d.per_line_multiplier, lines - d.per_line_reference);
  if (s.x[idx(Attr::penta_refractory)] > 0.5) m *= d.hr_penta;
  if (s.x[idx(Attr::emd)] > 0.5) m *= d.hr_emd;
  if (s.x[idx(Attr::high_risk_cytogenetics)] > 0.5) m *= d.hr_hrc;
  if (s.x[idx(Attr::pcl)] > 0.5) m *= d.hr_pcl;
  return m;
}

double History::line_failure(std::size_t i) const {
  if (i >= n_lines) return NAN;
  const LineRecord& r = lines[i];
  const bool failed = r.end_reason == EndReason::progression || r.end_reason == EndReason::dropout ||
                      r.end_reason == EndReason::manufacturing_failure;
  return failed ? r.end : NAN;
}

double background_death_time(const BackgroundSpec& b, double age, bool male, double e) {
  const std::size_t s = male ? 1 : 0;
  const double rate0 =
      b.rate_per_month[s] * std::exp(b.shape_per_year[s] * age);  // hazard at t = 0, per month
  const double shape = b.shape_per_year[s] / 12.0;                // per month
  return std::log1p(shape * e / rate0) / shape;
}

double progression_time(const TimeDistribution& law, double log_hr, double hm, double m1, double m2,
                        double cond, double e) {
  const double c = std::exp(log_hr);
  if (hm == 1.0 || !(m1 < m2)) {
    const double h0 = cond > 0 ? law.cumhazard(cond) : 0.0;
    return law.inv_cumhazard(h0 + e / c);
  }
  const double h1 = law.cumhazard(m1), h2 = law.cumhazard(m2);
  // H(u) / c: H0 before m1, stretched by hm on [m1, m2), shifted after.
  const auto scaled = [&](double u) {
    const double h = law.cumhazard(u);
    if (u <= m1) return h;
    if (u <= m2) return h1 + hm * (h - h1);
    return h + (hm - 1.0) * (h2 - h1);
  };
  const double target = (cond > 0 ? scaled(cond) : 0.0) + e / c;
  if (target <= h1) return law.inv_cumhazard(target);
  if (target <= h1 + hm * (h2 - h1)) return law.inv_cumhazard(h1 + (target - h1) / hm);
  return law.inv_cumhazard(target - (hm - 1.0) * (h2 - h1));
}

namespace {

// Runs line n (1-based) from `start` with the chosen action; updates the state and the records.
LineOutcome run_line(const Params& p, const Choice& ch, int n, double start, double t_bg, double log_frailty,
                     const StreamKey& key, History& h, Recorder& rec) {
  PatientState& s = h.state;
  const Therapy& th = p.therapies[static_cast<std::size_t>(ch.therapy)];
  const double horizon = p.horizon;
  LineRecord& lr = h.lines[h.n_lines++];
  lr = LineRecord{};
  lr.line = n;
  lr.therapy = ch.therapy;
  lr.partner = ch.partner;
  lr.maintenance = ch.maintenance;
  lr.rule = ch.rule_code;
  lr.start = start;
  s.lines_given += 1;
  const double dmult = disease_death_multiplier(p, s);
  const double h_prog = p.disease.hazard_progressive * dmult;

  auto finish = [&](LineEnd end, double t, EndReason reason, DeathCause cause) {
    lr.end = std::min(t, horizon);
    lr.end_reason = reason;
    if (end == LineEnd::died) {
      rec.to(t, State::dead, n, cause);
      h.death = t;
      h.death_cause = cause;
    }
    return LineOutcome{end, t};
  };

  // 1. Waiting (manufacturing, bridging).
  RandomStream mrng = stream(key, kManufacturing, n);
  const double wait = std::max(0.0, th.manufacturing_time->sample(mrng));
  RandomStream pre = stream(key, kPreTreatment, n);
  const double u_fail = pre.uniform(), u_drop = pre.uniform(), u_bridge = pre.uniform();
  lr.bridged = u_bridge < th.bridging_prob;
  const double ti = start + wait;
  if (wait > 0) {
    rec.to(start, State::waiting, n);
    // A bridged patient's disease is treated while the product is made: it carries the bridged-wait hazard
    // (disease.toml, sized by B079's 7% deaths without the product), not that of untreated progression.
    const double h_disease = lr.bridged && p.disease.hazard_waiting_bridged >= 0
                                 ? p.disease.hazard_waiting_bridged * dmult
                                 : h_prog;
    const double h_wait = h_disease + th.waitlist_death_hazard;
    RandomStream wr = stream(key, kWaitDeath, n);
    const double e = exp_draw(wr), u = wr.uniform();
    const double td = h_wait > 0 ? start + e / h_wait : kInf;
    const double death = std::min(td, t_bg);
    if (death < ti && death <= horizon) {
      const DeathCause cause = t_bg <= td                              ? DeathCause::background
                               : u * h_wait < th.waitlist_death_hazard ? DeathCause::waitlist
                                                                       : DeathCause::myeloma;
      return finish(LineEnd::died, death, EndReason::death, cause);
    }
  }
  if (ti > horizon) return finish(LineEnd::censored, horizon, EndReason::censored, DeathCause::none);
  // A line that ends before treatment draws no mechanism and no pattern and is not biopsied: the last test's
  // antigen calls stay what the rules know.
  const auto untreated_end = [&s]() {
    s.last_mechanism = Mech::none;
    s.best_response_last = -1;
    s.last_response_months = 0;
    s.last_pattern = Pattern::none;
    s.tested = false;
  };
  if (u_fail < th.manufacturing_failure_prob) {
    rec.to(ti, State::progressed, n);
    untreated_end();
    return finish(LineEnd::failed, ti, EndReason::manufacturing_failure, DeathCause::none);
  }
  if (u_drop < th.dropout_prob) {
    rec.to(ti, State::progressed, n);
    untreated_end();
    return finish(LineEnd::failed, ti, EndReason::dropout, DeathCause::none);
  }

  // 2. Treatment starts: exposures, efficacy for this patient, toxicity, early death.
  lr.infusion = ti;
  rec.to(ti, State::on_therapy, n);
  const Efficacy eff = line_efficacy(p, th, ch.partner, s, ti);
  s.therapy_exposed.set(static_cast<std::size_t>(ch.therapy));
  s.class_exposed.set(th.klass);
  s.category_exposed |= 1u << idx(th.category);
  s.antigen_exposed |= th.target_mask;
  if (const int type = exposure_type_of(th.category); type >= 0)
    s.antigen_exposed_by_type[static_cast<std::size_t>(type)] |= th.target_mask;
  if (th.category == Category::car_t || th.category == Category::allo_car_t) s.last_cart_infusion = ti;
  {
    RandomStream tox = stream(key, kToxicity, n);
    const double u1 = tox.uniform(), u2 = tox.uniform(), u3 = tox.uniform(), u4 = tox.uniform();
    const ToxicityRates tr = toxicity_rates(p, th, s);  // the patient's odds (issue 11 item 6)
    if (u1 < tr.crs_any) lr.crs = u2 * tr.crs_any < tr.crs_g3 ? 3 : 1;
    if (u3 < tr.icans_any) lr.icans = u4 * tr.icans_any < tr.icans_g3 ? 3 : 1;
  }
  double t_trm = kInf;
  {
    RandomStream tr = stream(key, kEarlyTrm, n);
    const double u1 = tr.uniform(), u2 = tr.uniform();
    if (u1 < th.early_trm_prob) t_trm = ti + u2 * th.early_window;
  }

  // 3. Best response and time to progression.
  RandomStream rr = stream(key, kResponse, n);
  const Depth depth = pick_depth(eff.probs, rr.uniform());
  lr.best_response = static_cast<int>(depth);
  const double ta = ti + th.assessment_months;
  const Maintenance* mt =
      ch.maintenance >= 0 ? &p.maintenances[static_cast<std::size_t>(ch.maintenance)] : nullptr;
  const bool maintained = mt != nullptr && depth != Depth::pd && depth >= mt->min_response &&
                          !(mt->not_if_len_refractory && s.x[idx(Attr::len_refractory)] > 0.5);
  lr.maintained = maintained;
  // The patient's progression frailty multiplies this line's hazard as it does every other line's (P7): a
  // patient whose disease progresses early on one line tends to on the next (issue 11 item 8).
  const double log_hr =
      eff.log_hr + th.log_hr[idx(Cov::bridged)] * ((lr.bridged ? 1.0 : 0.0) - th.bridging_prob) + log_frailty;
  RandomStream pr = stream(key, kProgression, n);
  const double e_prog = exp_draw(pr);
  const TimeDistribution& law = *th.ttp[idx(depth)];
  // Every depth, PD included, progresses on its own law conditional on the first response assessment: a best
  // response (primary refractory disease too) is a finding of that assessment, so its progression is
  // documented there or later, and the next line starts after it (issue 11 item 3). Drawn from the treatment
  // start instead, PD lines of high-risk patients ended a median 0.8 months after the infusion, a tenth of
  // them within a week.
  const double t_rel =
      maintained ? progression_time(law, log_hr, std::exp(mt->log_hr), mt->start_months,
                                    mt->start_months + mt->duration_months, th.assessment_months, e_prog)
                 : progression_time(law, log_hr, 1.0, 0, 0, th.assessment_months, e_prog);
  const double tp = ti + t_rel;

  // 4. Competing deaths on piecewise-constant hazards (disease by state, late NRM, maintenance toxicity).
  // The disease hazard follows the line's best response from the treatment start, not only from its
  // assessment: the response is under way in that first month (median time to first response ~1 month for
  // CAR-T), so a patient bound for CR does not carry a progressive-disease death risk until then. Charging
  // the progressive hazard there killed ~6% of CAR-T responders in the first month, which no trial shows.
  const DiseaseSpec& d = p.disease;
  const double h_line = depth == Depth::pd      ? d.hazard_progressive
                        : depth == Depth::mr_sd ? d.hazard_stable
                                                : d.hazard_responding;
  const double m_start = maintained ? ti + mt->start_months : kInf;
  const double m_end = maintained ? m_start + mt->duration_months : kInf;
  std::array<double, 4> cuts{ti + th.early_window, ti + th.late_nrm_months, m_start, m_end};
  std::sort(cuts.begin(), cuts.end());
  const double line_end = std::min({tp, t_bg, t_trm, horizon});
  // A late NRM hazard with a finite half-life (infections fading with immune reconstitution, P3 mortality) is
  // drawn by inversion of its closed-form cumulative hazard, h0 hl/ln2 (1 - 2^(-u/hl)) at u months after the
  // early window, from a stream of its own; the constant hazard (infinite half-life) stays in the segments.
  const bool decaying_nrm = std::isfinite(th.late_nrm_halflife) && th.late_nrm_hazard > 0;
  double t_nrm = kInf;
  if (decaying_nrm) {
    RandomStream nr = stream(key, kLateNrm, n);
    const double e = exp_draw(nr), k = std::log(2.0) / th.late_nrm_halflife;
    const double t0 = ti + th.early_window, t1 = ti + th.late_nrm_months;
    const double x = 1.0 - e * k / th.late_nrm_hazard;
    if (x > 0) {
      const double t = t0 - std::log(x) / k;
      if (t < t1 && t < line_end) t_nrm = t;
    }
  }
  RandomStream dr = stream(key, kLineDeath, n);
  double t_other = kInf;
  DeathCause other_cause = DeathCause::myeloma;
  double a = ti;
  for (std::size_t k = 0; k <= cuts.size() && a < line_end; ++k) {
    const double b = k < cuts.size() ? std::min(cuts[k], line_end) : line_end;
    if (b <= a) continue;
    const double mid = 0.5 * (a + b);
    const double hd = h_line * dmult;
    const double hn = (decaying_nrm || !(mid >= ti + th.early_window && mid < ti + th.late_nrm_months))
                          ? 0.0
                          : th.late_nrm_hazard;
    const double hm = (mid >= m_start && mid < m_end) ? mt->extra_death_hazard : 0.0;
    const double total = hd + hn + hm;
    const double e = exp_draw(dr), u = dr.uniform();
    if (total > 0 && a + e / total < b) {
      t_other = a + e / total;
      other_cause = u * total < hd ? DeathCause::myeloma : DeathCause::treatment;
      break;
    }
    a = b;
  }

  // 5. Events in time order up to the end of the line.
  double t_death = t_bg;
  DeathCause cause = DeathCause::background;
  if (t_trm < t_death) {
    t_death = t_trm;
    cause = DeathCause::treatment;
  }
  if (t_other < t_death) {
    t_death = t_other;
    cause = other_cause;
  }
  if (t_nrm < t_death) {
    t_death = t_nrm;
    cause = DeathCause::treatment;
  }
  const double end = std::min({tp, t_death, horizon});
  if (ta < end) {
    rec.to(ta,
           depth == Depth::pd      ? State::progressive
           : depth == Depth::mr_sd ? State::stable
                                   : State::responding,
           n);
  }
  if (t_death <= tp && t_death <= horizon) return finish(LineEnd::died, t_death, EndReason::death, cause);
  if (tp > horizon) return finish(LineEnd::censored, horizon, EndReason::censored, DeathCause::none);

  // 6. Progression: failure mechanism, antigen drift/escape, T-cell fitness.
  rec.to(tp, State::progressed, n);
  RandomStream mr = stream(key, kMechanism, n);
  const double u_mech = mr.uniform();
  const Mech m = draw_mechanism(p, th, s, eff.fitness, u_mech);
  lr.mechanism = m;
  // The mechanism's persistence and the T-cell recovery run from the treatment for one-shot therapies (a
  // CAR-T infusion: the remission is a treatment-free interval in which T cells recover, seed 2.4.3), from
  // the progression for therapies given until progression (mechanisms.toml [clocks]; issue 11 item 9). A long
  // remission after CAR-T so leaves a faded exhaustion and a recovered fitness; an early relapse neither.
  const bool from_start = (p.mechanisms.clock_from_start_mask >> idx(th.category)) & 1u;
  const double clock = from_start ? ti : tp;
  s.mech_time[idx(m)] = clock;
  apply_antigen_effects(p, th, m, s, key, n);
  // What the strategy learns (new streams, so no earlier draw moves): the pattern, the test and its calls.
  s.last_pattern = lr.pattern = draw_pattern(p, s, key, n);
  observe_at_progression(p, th, m, s, key, n);
  lr.tested = s.tested;
  s.last_response_months = depth >= Depth::pr ? tp - ta : 0.0;
  s.fitness_at =
      std::max(p.mechanisms.fitness_floor, s.fitness(clock, p.mechanisms) + th.tcell_fitness_shift);
  s.fitness_time = clock;
  s.best_response_last = static_cast<int>(depth);
  return finish(LineEnd::failed, tp, EndReason::progression, DeathCause::none);
}

}  // namespace

void simulate_patient(const Params& p, std::size_t strategy, const StreamKey& key, History& h,
                      const std::array<double, kAttrs>* fixed_baseline) {
  PatientState& s = h.state;
  if (fixed_baseline != nullptr) {
    s.x = *fixed_baseline;
  } else {
    sample_baseline(p.pop(), key, s.x);
  }
  init_state(p, s);
  {
    RandomStream nr = stream(key, kTargetNonresponse, 0);
    for (double& u : s.nonresponse_u) u = nr.uniform();
  }
  h.n_lines = 0;
  h.n_events = 0;
  h.death = kInf;
  h.death_cause = DeathCause::none;
  h.stop_time = NAN;
  Recorder rec(h);
  const Strategy& st = p.strategies[strategy];
  const double horizon = p.horizon;

  RandomStream bg = stream(key, kBackgroundDeath, 0);
  const double t_bg = background_death_time(p.background, s.age0, s.x[idx(Attr::male)] > 0.5, exp_draw(bg));
  // log 1 = 0 exactly without a frailty, so every sum it joins is unchanged.
  const double log_frailty = std::log(draw_progression_frailty(p.disease.frailty_variance, key));

  double t = 0;
  for (int n = 1;; ++n) {
    const Choice ch = choose_action(p, st, n, s, t, key);
    if (ch.therapy == kStop || h.n_lines + 1 >= kMaxLineRecords) {
      h.stop_time = t;
      rec.to(t, State::no_further_therapy, n);
      RandomStream nr = stream(key, kNoFurtherTherapy, n);
      const double td = t + exp_draw(nr) / (p.disease.no_further_therapy_hazard * 1.0);
      const double death = std::min(td, t_bg);
      if (death <= horizon) {
        h.death = death;
        h.death_cause = t_bg <= td ? DeathCause::background : DeathCause::no_further_therapy;
        rec.to(death, State::dead, n, h.death_cause);
      }
      return;
    }
    const LineOutcome out = run_line(p, ch, n, t, t_bg, log_frailty, key, h, rec);
    if (out.end != LineEnd::failed) return;
    // Gap to the next line, with progressive-disease and background death.
    RandomStream gr = stream(key, kGap, n);
    const double gap = p.disease.gap->sample(gr);
    RandomStream gd = stream(key, kGapDeath, n);
    const double hg = p.disease.hazard_progressive * disease_death_multiplier(p, s);
    const double td = hg > 0 ? out.time + exp_draw(gd) / hg : kInf;
    const double death = std::min(td, t_bg);
    t = out.time + gap;
    if (death < t && death <= horizon) {
      h.death = death;
      h.death_cause = t_bg <= td ? DeathCause::background : DeathCause::myeloma;
      rec.to(death, State::dead, n, h.death_cause);
      return;
    }
    if (t > horizon) return;
  }
}

}  // namespace mmsim::myeloma
