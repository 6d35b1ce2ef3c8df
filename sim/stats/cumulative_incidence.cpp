#include "sim/stats/cumulative_incidence.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/core/errors.hpp"
#include "sim/core/numeric.hpp"
#include "sim/stats/stats_detail.hpp"

namespace mmsim::stats {

CumulativeIncidence cumulative_incidence(const SurvivalSample& sample, std::size_t n_causes) {
  if (n_causes > 255) {
    throw InputError(
        fmt::format("{} competing causes requested; event codes are 8-bit (at most 255)", n_causes));
  }
  validate_sample(sample, n_causes == 0 ? std::uint8_t{255} : static_cast<std::uint8_t>(n_causes));
  const auto records = detail::sorted_records(sample, {});
  std::size_t k_causes = n_causes;
  if (k_causes == 0) {
    for (const auto& rec : records) k_causes = std::max<std::size_t>(k_causes, rec.code);
  }

  CumulativeIncidence ci;
  ci.n = records.size();
  ci.n_excluded = sample.time.size() - records.size();
  ci.n_causes = k_causes;
  ci.n_event.resize(k_causes);
  ci.cif.resize(k_causes);
  ci.se_cif.resize(k_causes);

  // Per cause, the influence variance at row J is
  //   sum_{l<=J} [ a_l (F_J - F_l)^2 - 2 b_l (F_J - F_l) + c_l ]
  // (docs/statistics.md). It is carried forward with non-negative running sums so nothing cancels:
  //   A = sum a_l, P = sum a_l (F_J - F_l), Q = sum a_l (F_J - F_l)^2, B = sum b_l, R = sum b_l (F_J - F_l).
  struct Running {
    long double f = 0.0L;  // F_J
    detail::CompensatedSum a, p, q, b, r, c;
  };
  std::vector<Running> run(k_causes);
  std::vector<std::int64_t> deaths(k_causes + 1);

  long double s = 1.0L;  // all-cause Kaplan-Meier S(t_{J-1}), then S(t_J)
  detail::CompensatedSum greenwood;
  std::int64_t at_risk = static_cast<std::int64_t>(records.size());
  for (std::size_t i = 0; i < records.size();) {
    const double t = records[i].time;
    std::fill(deaths.begin(), deaths.end(), 0);
    std::int64_t leaving = 0;
    for (; i < records.size() && records[i].time == t; ++i) {
      ++deaths[records[i].code];
      ++leaving;
    }
    const std::int64_t censored = deaths[0];
    const std::int64_t d = leaving - censored;
    const auto r = static_cast<long double>(at_risk);
    const auto dl = static_cast<long double>(d);
    const long double q = r - dl;
    const long double gamma = s / r;  // S(t_{J-1}) / r_J
    for (std::size_t k = 0; k < k_causes; ++k) {
      auto& u = run[k];
      const auto dk = static_cast<long double>(deaths[k + 1]);
      const long double step = gamma * dk;  // F_J - F_{J-1}
      const long double p_old = u.p.value();
      const long double a_sum = u.a.value();
      u.q.add(2.0L * step * p_old + step * step * a_sum);
      u.p.add(step * a_sum);
      u.r.add(step * u.b.value());
      u.f += step;
      if (d > 0 && q > 0.0L) u.a.add(dl / (q * r));
      u.b.add(gamma * dk / r);
      u.c.add(gamma * gamma * dk * (r - dk) / r);
      const long double var = u.q.value() - 2.0L * u.r.value() + u.c.value();
      ci.n_event[k].push_back(deaths[k + 1]);
      ci.cif[k].push_back(static_cast<double>(u.f));
      ci.se_cif[k].push_back(std::sqrt(std::max(0.0, static_cast<double>(var))));
    }
    if (d > 0) {
      if (q > 0.0L) {
        s *= q / r;
        greenwood.add(dl / (r * q));
      } else {
        s = 0.0L;
      }
    }
    ci.time.push_back(t);
    ci.n_risk.push_back(at_risk);
    ci.n_censor.push_back(censored);
    ci.surv.push_back(static_cast<double>(s));
    ci.se_surv.push_back(s == 0.0L ? 0.0 : static_cast<double>(s * std::sqrt(greenwood.value())));
    at_risk -= leaving;
  }
  return ci;
}

IncidenceAt cumulative_incidence_at(const CumulativeIncidence& ci, std::size_t cause, double t) {
  if (cause < 1 || cause > ci.n_causes) {
    throw InputError(fmt::format("cause {} is not one of 1..{}", cause, ci.n_causes));
  }
  if (!std::isfinite(t) || t < 0.0) throw InputError(fmt::format("time {} is not a finite time >= 0", t));
  using mmsim::kNaN;
  if (ci.n == 0) return {kNaN, kNaN};
  const auto past = std::upper_bound(ci.time.begin(), ci.time.end(), t);
  if (past == ci.time.begin()) return {0.0, 0.0};
  const auto j = static_cast<std::size_t>(past - ci.time.begin()) - 1;
  if (t > ci.time.back() && ci.surv.back() > 0.0) return {kNaN, kNaN};
  return {ci.cif[cause - 1][j], ci.se_cif[cause - 1][j]};
}

}  // namespace mmsim::stats
