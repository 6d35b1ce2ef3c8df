#include "sim/stats/paired.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/core/errors.hpp"
#include "sim/core/numeric.hpp"
#include "sim/stats/stats_detail.hpp"

namespace mmsim::stats {
namespace {

void check_built_from(const SurvivalSample& sample, const KaplanMeier& km) {
  validate_sample(sample, 1);
  std::size_t used = 0;
  std::int64_t events = 0;
  for (std::size_t i = 0; i < sample.time.size(); ++i) {
    if (std::isnan(sample.time[i])) continue;
    ++used;
    events += sample.event[i];
  }
  std::int64_t km_events = 0;
  for (auto d : km.n_event) km_events += d;
  if (used != km.n || events != km_events) {
    throw InputError(fmt::format(
        "Kaplan-Meier curve has {} patients and {} events but the sample has {} and {} (the curve was not "
        "built from this sample)",
        km.n, km_events, used, events));
  }
}

// Rows with time <= t, i.e. J + 1 in the notation of docs/statistics.md.
std::size_t rows_up_to(const KaplanMeier& km, double t) {
  return static_cast<std::size_t>(std::upper_bound(km.time.begin(), km.time.end(), t) - km.time.begin());
}

// Shared shape of both influence functions: for patient i in row m with event e,
//   infl_i = -scale * ( e * [m < kept] * event_weight[m] - prefix[min(m, kept - 1)] ).
// rows[i] is patient i's row, or no_row.
template <class Row>
std::vector<double> assemble(const SurvivalSample& sample, std::span<const Row> rows, Row no_row,
                             std::size_t kept, long double scale,
                             const std::vector<long double>& event_weight,
                             const std::vector<long double>& prefix) {
  std::vector<double> out(sample.time.size(), 0.0);
  if (kept == 0) return out;
  for (std::size_t i = 0; i < sample.time.size(); ++i) {
    if (rows[i] == no_row) continue;
    const auto m = static_cast<std::size_t>(rows[i]);
    long double value = -prefix[std::min(m, kept - 1)];
    if (sample.event[i] == 1 && m < kept) value += event_weight[m];
    out[i] = static_cast<double>(-scale * value);
  }
  return out;
}

PairedDifference finish(double estimate_a, double estimate_b, long double ss_a, long double ss_b,
                        long double ss_diff, std::size_t n, double conf_level) {
  const double z = detail::normal_critical_value(conf_level);
  PairedDifference out;
  out.n = n;
  out.estimate_a = estimate_a;
  out.estimate_b = estimate_b;
  out.difference = estimate_a - estimate_b;
  out.se_a = std::sqrt(static_cast<double>(ss_a));
  out.se_b = std::sqrt(static_cast<double>(ss_b));
  out.se_paired = std::sqrt(static_cast<double>(ss_diff));
  out.se_unpaired = std::sqrt(static_cast<double>(ss_a + ss_b));
  out.correlation = out.se_a > 0.0 && out.se_b > 0.0
                        ? static_cast<double>((ss_a + ss_b - ss_diff) / (2.0L * std::sqrt(ss_a * ss_b)))
                        : kNaN;
  out.lower = out.difference - z * out.se_paired;
  out.upper = out.difference + z * out.se_paired;
  return out;
}

// The influence of patient i is determined by (row, event): the per-row tables of both estimators.
struct InfluenceTables {
  std::size_t kept = 0;
  long double scale = 1.0L;
  bool all_nan = false;
  std::vector<long double> event_weight, prefix;
};

InfluenceTables survival_tables(const KaplanMeier& km, double t) {
  if (!std::isfinite(t) || t < 0.0)
    throw InputError(fmt::format("landmark time {} is not finite and >= 0", t));
  InfluenceTables out;
  const std::size_t kept = rows_up_to(km, t);
  if (kept == 0) return out;
  const double s = km.surv[kept - 1];
  if (s == 0.0) return out;
  if (t > km.time.back()) {
    out.all_nan = true;
    return out;
  }
  // event_weight[m] = 1 / (r_m - d_m); prefix[j] = sum_{l<=j} d_l / (r_l (r_l - d_l)). S > 0 at t, so
  // r > d on every row up to t.
  std::vector<long double> event_weight(kept), prefix(kept);
  detail::CompensatedSum g;
  for (std::size_t j = 0; j < kept; ++j) {
    const auto r = static_cast<long double>(km.n_risk[j]);
    const auto d = static_cast<long double>(km.n_event[j]);
    event_weight[j] = 1.0L / (r - d);
    g.add(d / (r * (r - d)));
    prefix[j] = g.value();
  }
  out.kept = kept;
  out.scale = static_cast<long double>(s);
  out.event_weight = std::move(event_weight);
  out.prefix = std::move(prefix);
  return out;
}

InfluenceTables rmst_tables(const KaplanMeier& km, double tau) {
  if (!std::isfinite(tau) || tau < 0.0)
    throw InputError(fmt::format("RMST horizon {} is not finite and >= 0", tau));
  InfluenceTables out;
  const std::size_t kept = rows_up_to(km, tau);
  if (kept == 0) return out;
  // after[j] = area under S from time[j] to tau; event_weight[m] = after[m] / (r_m - d_m);
  // prefix[j] = sum_{l<=j} after[l] d_l / (r_l (r_l - d_l)); rows with r = d have after = 0 and drop out.
  std::vector<long double> after(kept), event_weight(kept), prefix(kept);
  detail::CompensatedSum tail;
  for (std::size_t j = kept; j-- > 0;) {
    const double next = j + 1 < kept ? km.time[j + 1] : tau;
    tail.add(static_cast<long double>(next - km.time[j]) * static_cast<long double>(km.surv[j]));
    after[j] = tail.value();
  }
  detail::CompensatedSum h;
  for (std::size_t j = 0; j < kept; ++j) {
    const auto r = static_cast<long double>(km.n_risk[j]);
    const auto d = static_cast<long double>(km.n_event[j]);
    if (r > d) {
      event_weight[j] = after[j] / (r - d);
      h.add(after[j] * d / (r * (r - d)));
    } else {
      event_weight[j] = 0.0L;
    }
    prefix[j] = h.value();
  }
  out.kept = kept;
  out.event_weight = std::move(event_weight);
  out.prefix = std::move(prefix);
  return out;
}

template <class Row>
std::vector<double> apply(const SurvivalSample& sample, std::span<const Row> rows, Row no_row,
                          const InfluenceTables& t) {
  if (t.all_nan) return std::vector<double>(sample.time.size(), kNaN);
  return assemble(sample, rows, no_row, t.kept, t.scale, t.event_weight, t.prefix);
}

void check_rows(const SurvivalSample& sample, const KaplanMeierRows& fit) {
  check_built_from(sample, fit.km);
  if (fit.row.size() != sample.time.size()) {
    throw InputError(fmt::format("Kaplan-Meier rows cover {} patients but the sample has {}", fit.row.size(),
                                 sample.time.size()));
  }
}

}  // namespace

std::vector<double> survival_influence(const SurvivalSample& sample, const KaplanMeier& km, double t) {
  check_built_from(sample, km);
  const InfluenceTables tables = survival_tables(km, t);
  const auto rows = detail::patient_rows(sample, km.time);
  return apply(sample, std::span<const std::size_t>(rows), detail::kNoRow, tables);
}

std::vector<double> rmst_influence(const SurvivalSample& sample, const KaplanMeier& km, double tau) {
  check_built_from(sample, km);
  const InfluenceTables tables = rmst_tables(km, tau);
  const auto rows = detail::patient_rows(sample, km.time);
  return apply(sample, std::span<const std::size_t>(rows), detail::kNoRow, tables);
}

std::vector<double> survival_influence(const SurvivalSample& sample, const KaplanMeierRows& fit, double t) {
  check_rows(sample, fit);
  return apply(sample, std::span<const std::uint32_t>(fit.row), kNoRow, survival_tables(fit.km, t));
}

std::vector<double> rmst_influence(const SurvivalSample& sample, const KaplanMeierRows& fit, double tau) {
  check_rows(sample, fit);
  return apply(sample, std::span<const std::uint32_t>(fit.row), kNoRow, rmst_tables(fit.km, tau));
}

std::vector<double> proportion_influence(std::span<const std::uint8_t> response) {
  std::vector<double> out(response.size(), 0.0);
  if (response.empty()) return out;
  std::uint64_t yes = 0;
  for (std::size_t i = 0; i < response.size(); ++i) {
    if (response[i] > 1) {
      throw InputError(
          fmt::format("patient {} has response {} (must be 0 or 1)", i, static_cast<int>(response[i])));
    }
    yes += response[i];
  }
  const auto n = static_cast<long double>(response.size());
  const long double p = static_cast<long double>(yes) / n;
  for (std::size_t i = 0; i < response.size(); ++i) {
    out[i] = static_cast<double>((static_cast<long double>(response[i]) - p) / n);
  }
  return out;
}

PairedDifference paired_difference(double estimate_a, std::span<const double> influence_a, double estimate_b,
                                   std::span<const double> influence_b, double conf_level) {
  if (influence_a.size() != influence_b.size()) {
    throw InputError(
        fmt::format("paired comparison needs the same patients under both strategies ({} vs {} "
                    "influence values)",
                    influence_a.size(), influence_b.size()));
  }
  detail::CompensatedSum ss_a, ss_b, ss_diff;
  for (std::size_t i = 0; i < influence_a.size(); ++i) {
    const auto a = static_cast<long double>(influence_a[i]);
    const auto b = static_cast<long double>(influence_b[i]);
    ss_a.add(a * a);
    ss_b.add(b * b);
    ss_diff.add((a - b) * (a - b));
  }
  return finish(estimate_a, estimate_b, ss_a.value(), ss_b.value(), ss_diff.value(), influence_a.size(),
                conf_level);
}

namespace {
void check_same_patients(const SurvivalSample& a, const SurvivalSample& b) {
  if (a.time.size() != b.time.size()) {
    throw InputError(
        fmt::format("paired comparison needs the same patients under both strategies ({} vs {} "
                    "patients)",
                    a.time.size(), b.time.size()));
  }
}
}  // namespace

PairedDifference compare_survival_paired(const SurvivalSample& a, const SurvivalSample& b, double t,
                                         double conf_level) {
  check_same_patients(a, b);
  const auto fit_a = kaplan_meier_with_rows(a, conf_level);
  const auto fit_b = kaplan_meier_with_rows(b, conf_level);
  const auto ia = survival_influence(a, fit_a, t);
  const auto ib = survival_influence(b, fit_b, t);
  return paired_difference(survival_at(fit_a.km, t).surv, ia, survival_at(fit_b.km, t).surv, ib, conf_level);
}

PairedDifference compare_rmst_paired(const SurvivalSample& a, const SurvivalSample& b, double tau,
                                     double conf_level) {
  check_same_patients(a, b);
  const auto fit_a = kaplan_meier_with_rows(a, conf_level);
  const auto fit_b = kaplan_meier_with_rows(b, conf_level);
  const auto ia = rmst_influence(a, fit_a, tau);
  const auto ib = rmst_influence(b, fit_b, tau);
  return paired_difference(restricted_mean(fit_a.km, tau).estimate, ia,
                           restricted_mean(fit_b.km, tau).estimate, ib, conf_level);
}

PairedDifference compare_proportions_paired(std::span<const std::uint8_t> response_a,
                                            std::span<const std::uint8_t> response_b, double conf_level) {
  if (response_a.size() != response_b.size()) {
    throw InputError(
        fmt::format("paired comparison needs the same patients under both strategies ({} vs {} "
                    "responses)",
                    response_a.size(), response_b.size()));
  }
  const auto ia = proportion_influence(response_a);
  const auto ib = proportion_influence(response_b);
  auto mean = [](std::span<const std::uint8_t> r) {
    std::uint64_t yes = 0;
    for (auto v : r) yes += v;
    return r.empty() ? kNaN : static_cast<double>(yes) / static_cast<double>(r.size());
  };
  return paired_difference(mean(response_a), ia, mean(response_b), ib, conf_level);
}

}  // namespace mmsim::stats
