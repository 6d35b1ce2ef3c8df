#include "models/myeloma/src/efficacy.hpp"

#include <cmath>

namespace mmsim::myeloma {

std::array<double, kMechanisms> mechanism_weights(const Params& p, const PatientState& s, double t) {
  std::array<double, kMechanisms> w{};
  for (std::size_t m = 0; m < kMechanisms; ++m) {
    if (std::isnan(s.mech_time[m])) continue;
    const double hl = p.mechanisms.half_life[m];
    w[m] = std::isinf(hl) ? 1.0 : std::exp2(-(t - s.mech_time[m]) / hl);
  }
  return w;
}

DepthProbs shift_odds(const DepthProbs& base, double eta, double eta_cr) {
  // Tail probabilities P(Y >= k) for k = mr_sd, pr, vgpr, cr.
  std::array<double, kDepths + 1> tail{};
  tail[0] = 1.0;
  tail[kDepths] = 0.0;
  constexpr std::size_t kCr = idx(Depth::cr);
  double acc = 0;
  for (std::size_t k = kDepths - 1; k >= 1; --k) {
    acc += base[k];
    const double p0 = std::min(acc, 1.0);
    const double shift = k == kCr ? eta + eta_cr : eta;
    if (p0 <= 0.0 || p0 >= 1.0 || shift == 0.0) {
      tail[k] = p0;
    } else {
      const double logit = std::log(p0 / (1.0 - p0)) + shift;
      tail[k] = 1.0 / (1.0 + std::exp(-logit));
    }
  }
  // A CR-only shift upwards can cross the VGPR threshold; the thresholds below it keep their order (one eta).
  if (eta_cr != 0.0) tail[kCr] = std::min(tail[kCr], tail[kCr - 1]);
  DepthProbs out{};
  for (std::size_t k = 0; k < kDepths; ++k) out[k] = std::max(0.0, tail[k] - tail[k + 1]);
  return out;
}

ToxicityRates toxicity_rates(const Params& p, const Therapy& th, const PatientState& s) {
  ToxicityRates r{th.crs_any, th.crs_g3, th.icans_any, th.icans_g3};
  const Population& ref = p.populations[th.tox_reference_population];
  const auto centred = [&](Attr a) { return s.x[idx(a)] - ref.mean[idx(a)]; };
  // The patient's log-odds shift of one outcome (CRS and ICANS each have their own odds ratios).
  const auto shift = [&](const Therapy::ToxicityOdds& o) {
    double eta = 0;
    if (o.per_prior_line != 0)
      eta += o.per_prior_line *
             (s.x[idx(Attr::prior_lines)] + s.lines_before_current() - ref.mean[idx(Attr::prior_lines)]);
    if (o.burden != 0) eta += o.burden * centred(Attr::high_tumor_burden);
    if (o.emd != 0) eta += o.emd * centred(Attr::emd);
    if (o.age_decade != 0) eta += o.age_decade * centred(Attr::age) / 10.0;
    return eta;
  };
  const auto shifted = [](double eta, double any, double g3, double& out_any, double& out_g3) {
    if (eta == 0 || !(any > 0 && any < 1)) return;  // no shift, and 0 and 1 stay, exactly
    out_any = 1.0 / (1.0 + std::exp(-(std::log(any / (1.0 - any)) + eta)));
    out_g3 = g3 * (out_any / any);  // the grade >= 3 share among any grade is the table's
  };
  shifted(shift(th.tox_crs), th.crs_any, th.crs_g3, r.crs_any, r.crs_g3);
  shifted(shift(th.tox_icans), th.icans_any, th.icans_g3, r.icans_any, r.icans_g3);
  return r;
}

Depth pick_depth(const DepthProbs& probs, double u) {
  double acc = 0;
  for (std::size_t k = kDepths; k-- > 0;) {  // from cr down, so a uniform near 0 is a deep response
    acc += probs[k];
    if (u < acc) return static_cast<Depth>(k);
  }
  for (std::size_t k = 0; k < kDepths; ++k) {
    if (probs[k] > 0) return static_cast<Depth>(k);
  }
  return Depth::pd;
}

bool target_nonresponsive(const Params& p, const Therapy& th, const PatientState& s) {
  const bool given_before = s.therapy_exposed.test(th.index);
  bool any = false;
  for (std::size_t a = 0; a < kAntigens; ++a) {
    if (((th.target_mask >> a) & 1u) == 0 || !p.antigens[a].modelled) continue;
    const double share = given_before                                    ? th.nonresponse_same_product
                         : s.exposed_to_antigen(static_cast<Antigen>(a)) ? th.nonresponse_same_target
                                                                         : 0.0;
    if (!(s.nonresponse_u[a] < share)) return false;
    any = true;
  }
  return any;
}

double prior_exposure_log_hr(const Params& p, const Therapy& th, const PatientState& s) {
  constexpr double kBaselineAdcShare = 13.0 / 20.0;  // X302
  std::uint32_t modelled = 0;
  for (std::size_t a = 0; a < kAntigens; ++a) {
    if (p.antigens[a].modelled) modelled |= 1u << a;
  }
  const std::uint32_t targets = th.target_mask & modelled;
  if (targets == 0) return 0.0;
  bool any = false;
  double best = 0.0;
  const auto take = [&](double v) {
    best = any ? std::max(best, v) : v;
    any = true;
  };
  for (std::size_t k = 0; k < kExposureTypes; ++k) {
    if (s.antigen_exposed_by_type[k] & targets) take(th.log_hr_after[k]);
  }
  const std::uint32_t bcma = 1u << idx(Antigen::BCMA);
  if ((targets & bcma) && s.x[idx(Attr::prior_bcma_exposure)] > 0.5) {
    take(kBaselineAdcShare * th.log_hr_after[idx(ExposureType::adc)] +
         (1.0 - kBaselineAdcShare) * th.log_hr_after[idx(ExposureType::bsab)]);
  }
  return best;
}

Efficacy line_efficacy(const Params& p, const Therapy& th, int partner, const PatientState& s, double t) {
  Efficacy e;
  const Partner* pa = partner >= 0 ? &p.partners[static_cast<std::size_t>(partner)] : nullptr;
  const Population& ref = p.populations[th.reference_population];

  // Antigen density of the best modelled target (partner fold included) and the antigen-negative rule.
  bool any_modelled = false, any_functional = false;
  double best = -INFINITY;
  for (std::size_t a = 0; a < kAntigens; ++a) {
    if (((th.target_mask >> a) & 1u) == 0 || !p.antigens[a].modelled) continue;
    const AntigenSpec& as = p.antigens[a];
    any_modelled = true;
    const double fold = (pa != nullptr && pa->antigen == static_cast<int>(a)) ? pa->density_fold : 1.0;
    const double d = s.lost[a] ? 0.0 : s.density[a] * fold;
    if (d >= as.functional_threshold && d > 0) {
      any_functional = true;
      best =
          std::max(best, std::log(std::min(d, as.cap_ratio * as.reference_density) / as.reference_density));
    }
  }
  e.antigen_negative = any_modelled && !any_functional;
  e.density_term = any_functional ? best : 0.0;

  e.fitness =
      std::max(p.mechanisms.fitness_floor, s.fitness(t, p.mechanisms) + (pa ? pa->fitness_shift : 0.0));

  // Centred covariates.
  std::array<double, kResponseCovs> d{};
  const auto bin = [&](Cov c, Attr a) { d[idx(c)] = s.x[idx(a)] - ref.mean[idx(a)]; };
  bin(Cov::emd, Attr::emd);
  bin(Cov::high_risk_cytogenetics, Attr::high_risk_cytogenetics);
  bin(Cov::pcl, Attr::pcl);
  bin(Cov::high_ferritin, Attr::high_ferritin);
  bin(Cov::high_tumor_burden, Attr::high_tumor_burden);
  bin(Cov::penta_refractory, Attr::penta_refractory);
  bin(Cov::triple_class_refractory, Attr::triple_class_refractory);
  bool same_target = false;
  for (std::size_t a = 0; a < kAntigens; ++a) {
    if ((th.target_mask >> a) & 1u)
      same_target = same_target || s.exposed_to_antigen(static_cast<Antigen>(a));
  }
  const bool bcma_directed = (th.target_mask >> idx(Antigen::BCMA)) & 1u;
  d[idx(Cov::prior_same_target)] =
      (same_target ? 1.0 : 0.0) - (bcma_directed ? ref.mean[idx(Attr::prior_bcma_exposure)] : 0.0);
  d[idx(Cov::per_prior_line)] = s.x[idx(Attr::prior_lines)] + s.lines_before_current() -
                                ref.mean[idx(Attr::prior_lines)] - th.reference_lines_before;
  d[idx(Cov::tcell_fitness_per_sd)] =
      th.tcell_dependent ? e.fitness - ref.mean[idx(Attr::tcell_fitness)] : 0.0;
  d[idx(Cov::antigen_density_per_log)] = e.density_term;

  const auto w = mechanism_weights(p, s, t);
  const bool cart = th.category == Category::car_t || th.category == Category::allo_car_t;
  double mech_odds = 0, mech_hr = 0;
  for (std::size_t m = 0; m < kMechanisms; ++m) {
    if (w[m] == 0.0) continue;
    const Modifier& mod = (m == idx(Mech::anti_car_immunity) && cart && th.binder != Binder::none)
                              ? p.mechanisms.anti_car_by_binder[idx(th.binder)]
                              : p.mechanisms.modifier[m][idx(th.category)];
    mech_odds += w[m] * mod.log_odds;
    mech_hr += w[m] * mod.log_hr;
  }

  double eta = mech_odds + (pa ? pa->log_or : 0.0);
  double lhr = mech_hr + (pa ? pa->log_hr : 0.0);
  for (std::size_t c = 0; c < kResponseCovs; ++c) {
    eta += th.log_or[c] * d[c];
    lhr += th.log_hr[c] * d[c];
  }
  e.log_hr = lhr + prior_exposure_log_hr(p, th, s);
  e.target_nonresponsive = target_nonresponsive(p, th, s);
  const double eta_cr = th.log_or_cr_per_line * d[idx(Cov::per_prior_line)];
  e.probs = (e.antigen_negative || e.target_nonresponsive) ? p.antigen_negative
                                                           : shift_odds(th.response, eta, eta_cr);
  return e;
}

}  // namespace mmsim::myeloma
