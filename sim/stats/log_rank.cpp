#include "sim/stats/log_rank.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <limits>

#include "sim/core/errors.hpp"
#include "sim/stats/stats_detail.hpp"

namespace mmsim::stats {
namespace {

// Solves A x = b for a small dense system by Gaussian elimination with partial pivoting (long double).
// Throws InputError when A is singular, as R's solve() would stop.
std::vector<long double> solve_small(std::vector<long double> a, std::vector<long double> b) {
  const std::size_t k = b.size();
  for (std::size_t col = 0; col < k; ++col) {
    std::size_t pivot = col;
    for (std::size_t r = col + 1; r < k; ++r) {
      if (std::fabs(a[r * k + col]) > std::fabs(a[pivot * k + col])) pivot = r;
    }
    if (a[pivot * k + col] == 0.0L) {
      throw InputError("log-rank variance matrix is singular (some groups carry no information; drop them)");
    }
    if (pivot != col) {
      for (std::size_t c = 0; c < k; ++c) std::swap(a[col * k + c], a[pivot * k + c]);
      std::swap(b[col], b[pivot]);
    }
    for (std::size_t r = col + 1; r < k; ++r) {
      const long double f = a[r * k + col] / a[col * k + col];
      for (std::size_t c = col; c < k; ++c) a[r * k + c] -= f * a[col * k + c];
      b[r] -= f * b[col];
    }
  }
  std::vector<long double> x(k);
  for (std::size_t r = k; r-- > 0;) {
    long double s = b[r];
    for (std::size_t c = r + 1; c < k; ++c) s -= a[r * k + c] * x[c];
    x[r] = s / a[r * k + r];
  }
  return x;
}

}  // namespace

namespace {

// Sums over the distinct times of the observed and expected events per group and their covariance.
struct Accumulator {
  explicit Accumulator(std::size_t groups) : k(groups), obs(k), exp(k), var(k * k) {}
  // One distinct time: per group at risk just before it and events at it.
  void add(const std::vector<long double>& at_risk, const std::vector<long double>& deaths, long double d,
           long double r) {
    if (!(d > 0.0L)) return;
    // Hypergeometric covariance of the deaths across groups; zero when one patient is at risk.
    const long double scale = r > 1.0L ? d * (r - d) / (r * r * (r - 1.0L)) : 0.0L;
    for (std::size_t g = 0; g < k; ++g) {
      obs[g].add(deaths[g]);
      exp[g].add(at_risk[g] * d / r);
      if (scale == 0.0L || at_risk[g] == 0.0L) continue;
      for (std::size_t h = 0; h < k; ++h) {
        const long double term = (g == h ? r : 0.0L) - at_risk[h];
        if (term != 0.0L) var[g * k + h].add(scale * at_risk[g] * term);
      }
    }
  }
  std::size_t k;
  std::vector<detail::CompensatedSum> obs, exp, var;
};

void finish(LogRankTest& out, const Accumulator& acc) {
  const std::size_t k = acc.k;
  out.observed.resize(k);
  out.expected.resize(k);
  out.variance.resize(k * k);
  for (std::size_t g = 0; g < k; ++g) {
    out.observed[g] = static_cast<double>(acc.obs[g].value());
    out.expected[g] = static_cast<double>(acc.exp[g].value());
    for (std::size_t h = 0; h < k; ++h)
      out.variance[g * k + h] = static_cast<double>(acc.var[g * k + h].value());
  }
  // As survdiff: keep groups with expected > 0, drop the first of them, solve V x = (O - E).
  std::vector<std::size_t> keep;
  for (std::size_t g = 0; g < k; ++g) {
    if (acc.exp[g].value() > 0.0L) keep.push_back(g);
  }
  out.df = static_cast<int>(keep.size()) - 1;
  if (keep.size() < 2) {
    out.df = std::max(out.df, 0);
    out.chi_square = 0.0;
    out.p_value = std::numeric_limits<double>::quiet_NaN();
    return;
  }
  const std::size_t m = keep.size() - 1;
  std::vector<long double> a(m * m), b(m);
  for (std::size_t r = 0; r < m; ++r) {
    const std::size_t g = keep[r + 1];
    b[r] = acc.obs[g].value() - acc.exp[g].value();
    for (std::size_t c = 0; c < m; ++c) a[r * m + c] = acc.var[g * k + keep[c + 1]].value();
  }
  const auto x = solve_small(a, b);
  long double chi = 0.0L;
  for (std::size_t r = 0; r < m; ++r) chi += x[r] * b[r];
  out.chi_square = static_cast<double>(chi);
  out.p_value = boost::math::gamma_q(static_cast<double>(out.df) / 2.0, std::max(out.chi_square, 0.0) / 2.0);
}

}  // namespace

LogRankTest log_rank_test(const SurvivalSample& sample, std::span<const std::uint32_t> group) {
  validate_sample(sample, 1);
  if (group.size() != sample.time.size()) {
    throw InputError(fmt::format("log-rank test got {} group labels for {} patients (one per patient)",
                                 group.size(), sample.time.size()));
  }
  const auto gi = detail::index_groups(group, sample.time);
  const auto records = detail::sorted_records(sample, gi.index);
  const std::size_t k = gi.labels.size();

  LogRankTest out;
  out.groups = gi.labels;
  out.n_excluded = sample.time.size() - records.size();
  out.n.assign(k, 0);
  for (const auto& rec : records) ++out.n[rec.aux];

  std::vector<long double> at_risk(k);
  for (std::size_t g = 0; g < k; ++g) at_risk[g] = static_cast<long double>(out.n[g]);
  long double total_at_risk = static_cast<long double>(records.size());
  Accumulator acc(k);
  std::vector<long double> deaths(k), leaving(k);
  for (std::size_t i = 0; i < records.size();) {
    const double t = records[i].time;
    std::fill(deaths.begin(), deaths.end(), 0.0L);
    std::fill(leaving.begin(), leaving.end(), 0.0L);
    long double d = 0.0L;
    long double left = 0.0L;
    for (; i < records.size() && records[i].time == t; ++i) {
      const auto g = records[i].aux;
      leaving[g] += 1.0L;
      left += 1.0L;
      if (records[i].code == 1) {
        deaths[g] += 1.0L;
        d += 1.0L;
      }
    }
    acc.add(at_risk, deaths, d, total_at_risk);
    for (std::size_t g = 0; g < k; ++g) at_risk[g] -= leaving[g];
    total_at_risk -= left;
  }
  finish(out, acc);
  return out;
}

LogRankTest log_rank_test(const KaplanMeier& group0, const KaplanMeier& group1) {
  // Groups without patients are absent, as in the sample version (labels of the patients used).
  LogRankTest out;
  out.n_excluded = group0.n_excluded + group1.n_excluded;
  std::vector<std::size_t> slot;  // group (0/1) -> position among the groups present
  for (std::uint32_t g = 0; g < 2; ++g) {
    const std::size_t n = g == 0 ? group0.n : group1.n;
    if (n == 0) continue;
    out.groups.push_back(g);
    out.n.push_back(static_cast<std::int64_t>(n));
  }
  const std::size_t k = out.groups.size();
  Accumulator acc(k);
  std::vector<long double> at_risk(k), deaths(k);
  detail::for_each_two_group_time(
      group0, group1, [&](double, const std::int64_t* risk, const std::int64_t* dead, const std::int64_t*) {
        long double d = 0.0L;
        long double r = 0.0L;
        for (std::size_t p = 0; p < k; ++p) {
          const std::uint32_t g = out.groups[p];
          at_risk[p] = static_cast<long double>(risk[g]);
          deaths[p] = static_cast<long double>(dead[g]);
          d += deaths[p];
          r += at_risk[p];
        }
        acc.add(at_risk, deaths, d, r);
      });
  finish(out, acc);
  return out;
}

}  // namespace mmsim::stats
