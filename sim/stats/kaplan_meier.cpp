#include "sim/stats/kaplan_meier.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <numeric>
#include <type_traits>
#include <unordered_set>
#include <utility>

#include "sim/core/errors.hpp"
#include "sim/core/numeric.hpp"
#include "sim/stats/km_workspace.hpp"
#include "sim/stats/pointwise_ci.hpp"
#include "sim/stats/quantile_scan.hpp"
#include "sim/stats/radix_sort.hpp"
#include "sim/stats/stats_detail.hpp"

namespace mmsim::stats {
namespace {

void check_time_argument(double t, const char* what) {
  if (!std::isfinite(t) || t < 0.0) {
    throw InputError(fmt::format("{} {} is not a finite time >= 0", what, t));
  }
}

// Empties a table for refilling (capacity a workspace kept is reused) and sets its patient counts.
void start_table(std::size_t included, std::size_t patients, double conf_level, KaplanMeier& km) {
  for (auto* v : {&km.time, &km.surv, &km.se_log_surv, &km.lower, &km.upper}) v->clear();
  for (auto* v : {&km.n_risk, &km.n_event}) v->clear();
  km.n = included;
  km.n_excluded = patients - included;
  km.conf_level = conf_level;
}

// The per-row estimates (S, Greenwood, and the pointwise limits when every row's are stored) from the counts
// km.time, km.n_risk and km.n_event already hold.
void fill_estimates(double z, PointwiseCiRows ci_rows, KaplanMeier& km) {
  const std::size_t distinct = km.time.size();
  const bool every_ci = ci_rows == PointwiseCiRows::every_row;
  for (auto* v : {&km.surv, &km.se_log_surv}) v->reserve(distinct);
  if (every_ci) {
    km.lower.reserve(distinct);
    km.upper.reserve(distinct);
  }
  long double s = 1.0L;
  detail::CompensatedSum greenwood;
  bool reached_zero = false;
  for (std::size_t j = 0; j < distinct; ++j) {
    const std::int64_t risk = km.n_risk[j];
    const std::int64_t d = km.n_event[j];
    if (d > 0) {
      if (risk > d) {
        const auto r = static_cast<long double>(risk);
        const auto dd = static_cast<long double>(d);
        s *= (r - dd) / r;
        greenwood.add(dd / (r * (r - dd)));
      } else {
        s = 0.0L;
        reached_zero = true;
      }
    } else if (j > 0) {
      // A row of censorings only leaves S and the Greenwood sum as they were: the same inputs give the same
      // estimates, so they are copied rather than recomputed (two logs and four exps a row).
      km.surv.push_back(km.surv.back());
      km.se_log_surv.push_back(km.se_log_surv.back());
      if (every_ci) {
        km.lower.push_back(km.lower.back());
        km.upper.push_back(km.upper.back());
      }
      continue;
    }
    const double surv = static_cast<double>(s);
    const double se_log = reached_zero ? kInf : std::sqrt(static_cast<double>(greenwood.value()));
    km.surv.push_back(surv);
    km.se_log_surv.push_back(se_log);
    if (!every_ci) continue;
    double lower = 0.0;
    double upper = 0.0;
    detail::loglog_limits(surv, se_log, z, lower, upper);
    km.lower.push_back(lower);
    km.upper.push_back(upper);
  }
}

// The table from the included patients sorted by time, into km. With `rows`, records[i].aux is the patient's
// position and rows[aux] receives the patient's row. The counts are read off the records first; unless a
// workspace keeps them, the records are freed before the per-row estimates are allocated, so the two never
// take memory at the same time.
void build_table(std::vector<detail::TimeRecord>& records, bool keep_records, std::size_t patients,
                 double conf_level, std::vector<std::uint32_t>* rows, PointwiseCiRows ci_rows,
                 KaplanMeier& km) {
  const double z = detail::normal_critical_value(conf_level);
  start_table(records.size(), patients, conf_level, km);
  std::size_t distinct = 0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (i == 0 || records[i].time != records[i - 1].time) ++distinct;
  }
  km.time.reserve(distinct);
  for (auto* v : {&km.n_risk, &km.n_event}) v->reserve(distinct);

  // The rows are appended to the vectors reserved above (not resized: zeroing them first would cost another
  // pass over them), with or without each patient's row.
  const auto count_rows = [&](auto with_rows) {
    const detail::TimeRecord* rec = records.data();
    const std::size_t n = records.size();
    std::int64_t at_risk = static_cast<std::int64_t>(n);
    std::uint32_t row = 0;
    for (std::size_t i = 0; i < n; ++row) {
      const double t = rec[i].time;
      std::int64_t d = 0;
      const std::size_t first = i;
      for (; i < n && rec[i].time == t; ++i) {
        if constexpr (decltype(with_rows)::value) (*rows)[rec[i].aux] = row;
        d += rec[i].code == 1 ? 1 : 0;
      }
      km.time.push_back(t);
      km.n_risk.push_back(at_risk);
      km.n_event.push_back(d);
      at_risk -= static_cast<std::int64_t>(i - first);
    }
  };
  if (rows != nullptr) {
    count_rows(std::true_type{});
  } else {
    count_rows(std::false_type{});
  }
  if (!keep_records) std::vector<detail::TimeRecord>().swap(records);
  fill_estimates(z, ci_rows, km);
}

// The curve without patients' rows sorts each included patient as one 64-bit key, the bit pattern of its time
// shifted left by one with the event code (0 or 1) in the low bit: 8 bytes a patient where a TimeRecord takes
// 16, and as many again of radix scratch. Ties in time stay adjacent (their censorings before their events),
// which is all the counts need. The keys are held as int64 so that, sorted, their buffer becomes the table's
// n_risk column in place and the radix scratch its n_event column (build_table_from_keys): the curve then
// takes fresh memory only for time, S and Greenwood, 24 bytes a row beside the sort's 16 a patient, where the
// records' path takes 32 a patient and 40 a row. (Fresh pages are what costs here: docs/performance.md,
// "fresh pages".)
constexpr std::uint64_t key_time_bits(std::int64_t key) {
  return static_cast<std::uint64_t>(key) >> 1;
}

// validate_sample(sample, 1) and the included patients' keys sorted into `keys` (`scratch` for the radix
// sort), one pass checking and copying as validated_sorted_records does. False when a time is -0.0 (a key
// cannot keep its sign bit, which the records' path leaves in km.time): the caller takes that path instead.
bool validated_sorted_keys(const SurvivalSample& sample, std::vector<std::int64_t>& keys,
                           std::vector<std::int64_t>& scratch) {
  const std::size_t n = sample.time.size();
  if (sample.event.size() != n) validate_sample(sample, 1);  // throws
  keys.clear();
  keys.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = sample.time[i];
    if (std::isnan(t)) continue;
    const std::uint8_t code = sample.event[i];
    if (!(t >= 0.0 && t < kInf) || code > 1) validate_sample(sample, 1);  // throws
    const auto bits = std::bit_cast<std::uint64_t>(t);
    if (bits >> 63 != 0) return false;  // -0.0
    keys.push_back(static_cast<std::int64_t>(bits << 1 | code));
  }
  const auto key = [](std::int64_t k) { return static_cast<std::uint64_t>(k); };
  if (keys.size() < 4096) {
    std::sort(keys.begin(), keys.end(), [&](std::int64_t a, std::int64_t b) { return key(a) < key(b); });
  } else {
    detail::radix_sort_by(keys, scratch, key);
  }
  return true;
}

// build_table from sorted keys, the same table bit for bit: row j's n_risk is written over key j, already
// read (a row starts at or after its index among the patients), and n_event appended to the scratch. Both
// buffers are moved into km; unless a workspace keeps their capacity, a buffer much larger than its rows
// (heavily tied times) is shrunk to them.
void build_table_from_keys(std::vector<std::int64_t>& keys, std::vector<std::int64_t>& scratch,
                           bool keep_capacity, std::size_t patients, double conf_level,
                           PointwiseCiRows ci_rows, KaplanMeier& km) {
  const double z = detail::normal_critical_value(conf_level);
  start_table(keys.size(), patients, conf_level, km);
  const std::size_t n = keys.size();
  std::int64_t* key = keys.data();
  std::size_t distinct = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (i == 0 || key_time_bits(key[i]) != key_time_bits(key[i - 1])) ++distinct;
  }
  km.time.reserve(distinct);
  scratch.clear();
  scratch.reserve(distinct);
  std::int64_t at_risk = static_cast<std::int64_t>(n);
  std::size_t row = 0;
  for (std::size_t i = 0; i < n; ++row) {
    const std::uint64_t bits = key_time_bits(key[i]);
    std::int64_t d = 0;
    const std::size_t first = i;
    for (; i < n && key_time_bits(key[i]) == bits; ++i) d += key[i] & 1;
    km.time.push_back(std::bit_cast<double>(bits));
    key[row] = at_risk;
    scratch.push_back(d);
    at_risk -= static_cast<std::int64_t>(i - first);
  }
  keys.resize(distinct);
  km.n_risk = std::move(keys);
  km.n_event = std::move(scratch);
  if (!keep_capacity && distinct < n / 2) {
    km.n_risk.shrink_to_fit();
    km.n_event.shrink_to_fit();
  }
  fill_estimates(z, ci_rows, km);
}

}  // namespace

namespace detail {

// R's approx(x = key, y = index, v, method = "constant", f = 1) on points already sorted by key with ties
// collapsed: the value at the first key >= v, or NaN when v is outside [key.front(), key.back()].
double approx_step_right(const std::vector<double>& key, const std::vector<double>& value, double v) {
  if (key.empty() || v < key.front() || v > key.back()) return kNaN;
  const auto it = std::lower_bound(key.begin(), key.end(), v);
  return value[static_cast<std::size_t>(it - key.begin())];
}

// Sorts (key, index) pairs by key and averages the index over tied keys, as R's regularize.values does.
void regularize(std::vector<std::pair<double, double>>& points, std::vector<double>& key,
                std::vector<double>& value) {
  const auto by_key = [](const auto& a, const auto& b) { return a.first < b.first; };
  if (!std::is_sorted(points.begin(), points.end(), by_key)) {
    std::stable_sort(points.begin(), points.end(), by_key);
  }
  key.clear();
  value.clear();
  for (std::size_t i = 0; i < points.size();) {
    std::size_t j = i;
    double total = 0.0;
    while (j < points.size() && points[j].first == points[i].first) total += points[j++].second;
    key.push_back(points[i].first);
    value.push_back(total / static_cast<double>(j - i));
    i = j;
  }
}

// The general path: a transcription of the algorithm of survival:::findq (R survival 3.5): x = c(0, time), y
// = c(0, 1 - curve), where the curve may hold NaN (R's NA). Written from its documented behaviour, per
// probability p.
std::vector<double> find_quantiles_reference(const std::vector<double>& x_all,
                                             const std::vector<double>& y_all,
                                             std::span<const double> probs) {
  constexpr double tol = kFindqTol;
  std::vector<double> out(probs.size(), kNaN);
  if (probs.empty()) return out;
  double ymax = -kInf;
  for (double y : y_all) {
    if (!std::isnan(y)) ymax = std::max(ymax, y);
  }
  if (ymax < *std::min_element(probs.begin(), probs.end())) return out;
  const double xmax = x_all.back();

  // Drop repeated y values (NaN counts as one value), keeping the first occurrence. y = 1 - curve is
  // almost always non-decreasing, where a repeat can only equal the last value kept: a linear pass. A
  // hash set handles the rare non-monotone confidence limit.
  bool monotone = true;
  double last_value = -kInf;
  for (double v : y_all) {
    if (std::isnan(v)) continue;
    if (v < last_value) {
      monotone = false;
      break;
    }
    last_value = v;
  }
  std::vector<double> x;
  std::vector<double> y;
  x.reserve(y_all.size());
  y.reserve(y_all.size());
  bool seen_nan = false;
  std::unordered_set<double> seen;
  if (!monotone) seen.reserve(y_all.size());
  bool have_last = false;
  last_value = 0.0;
  for (std::size_t i = 0; i < y_all.size(); ++i) {
    const double v = y_all[i];
    bool dup = false;
    if (std::isnan(v)) {
      dup = seen_nan;
      seen_nan = true;
    } else if (monotone) {
      dup = have_last && v == last_value;
      have_last = true;
      last_value = v;
    } else {
      dup = !seen.insert(v).second;
    }
    if (!dup) {
      x.push_back(x_all[i]);
      y.push_back(v);
    }
  }
  const std::size_t n = y.size();

  std::vector<std::pair<double, double>> plus;
  std::vector<std::pair<double, double>> minus;
  plus.reserve(n);
  minus.reserve(n);
  for (std::size_t k = 0; k < n; ++k) {
    if (std::isnan(y[k])) continue;
    plus.emplace_back(y[k] + tol, static_cast<double>(k));
    minus.emplace_back(y[k] - tol, static_cast<double>(k));
  }
  std::vector<double> key_plus, idx_plus, key_minus, idx_minus;
  regularize(plus, key_plus, idx_plus);
  regularize(minus, key_minus, idx_minus);

  // R indexes with a double by truncation; with 0-based positions that is floor of a non-negative value.
  auto at = [&](double index) { return std::isnan(index) ? kNaN : x[static_cast<std::size_t>(index)]; };
  for (std::size_t q = 0; q < probs.size(); ++q) {
    const double p = probs[q];
    const double i1 = approx_step_right(key_plus, idx_plus, p);
    const double i2 = approx_step_right(key_minus, idx_minus, p);
    double value = (at(i1) + at(i2)) / 2.0;
    if (p == 0.0) value = x[0];
    if (!std::isnan(y[n - 1]) && std::fabs(p - y[n - 1]) < tol) value = (at(i1) + xmax) / 2.0;
    out[q] = value;
  }
  return out;
}

std::vector<double> find_quantiles(std::span<const double> x, std::span<const double> y,
                                   std::span<const double> probs) {
  return find_quantiles_at(
      y.size(), [&](std::size_t i) { return x[i]; }, [&](std::size_t i) { return y[i]; }, probs);
}

}  // namespace detail

// The sample is validated while its keys or records are copied, and the table's builder checks conf_level:
// the errors of an invalid sample and of an invalid level come in that order, as they always have.
KaplanMeier kaplan_meier(const SurvivalSample& sample, double conf_level, PointwiseCiRows ci_rows) {
  KaplanMeier km;
  std::vector<std::int64_t> keys, scratch;
  if (validated_sorted_keys(sample, keys, scratch)) {
    build_table_from_keys(keys, scratch, false, sample.time.size(), conf_level, ci_rows, km);
    return km;
  }
  std::vector<detail::TimeRecord> records = detail::validated_sorted_records(sample, 1, false);
  build_table(records, false, sample.time.size(), conf_level, nullptr, ci_rows, km);
  return km;
}

namespace {

void check_row_count(const SurvivalSample& sample, double conf_level) {
  if (sample.time.size() >= kNoRow) {
    validate_sample(sample, 1);  // the sample's and the level's errors first, as before
    (void)detail::normal_critical_value(conf_level);
    throw InputError(
        fmt::format("kaplan_meier_with_rows: {} patients (at most {})", sample.time.size(), kNoRow - 1));
  }
}

}  // namespace

KaplanMeierRows kaplan_meier_with_rows(const SurvivalSample& sample, double conf_level,
                                       PointwiseCiRows ci_rows) {
  check_row_count(sample, conf_level);
  std::vector<detail::TimeRecord> records = detail::validated_sorted_records(sample, 1, true);
  KaplanMeierRows out;
  out.row.assign(sample.time.size(), kNoRow);
  build_table(records, false, sample.time.size(), conf_level, &out.row, ci_rows, out.km);
  return out;
}

// The keys' buffers are the spare table's count columns, which the fit hands back to the workspace with the
// table (recycle).
KaplanMeier kaplan_meier(const SurvivalSample& sample, double conf_level, PointwiseCiRows ci_rows,
                         KmWorkspace& workspace) {
  KaplanMeier km = std::move(workspace.spare.km);
  std::vector<std::int64_t> keys = std::move(km.n_risk), scratch = std::move(km.n_event);
  if (validated_sorted_keys(sample, keys, scratch)) {
    build_table_from_keys(keys, scratch, true, sample.time.size(), conf_level, ci_rows, km);
    return km;
  }
  km.n_risk = std::move(keys);
  km.n_event = std::move(scratch);
  detail::validated_sorted_records(sample, 1, false, workspace.records, workspace.scratch);
  build_table(workspace.records, true, sample.time.size(), conf_level, nullptr, ci_rows, km);
  return km;
}

KaplanMeierRows kaplan_meier_with_rows(const SurvivalSample& sample, double conf_level,
                                       PointwiseCiRows ci_rows, KmWorkspace& workspace) {
  check_row_count(sample, conf_level);
  detail::validated_sorted_records(sample, 1, true, workspace.records, workspace.scratch);
  KaplanMeierRows out = std::move(workspace.spare);
  out.row.assign(sample.time.size(), kNoRow);
  build_table(workspace.records, true, sample.time.size(), conf_level, &out.row, ci_rows, out.km);
  return out;
}

void recycle(KmWorkspace& workspace, KaplanMeierRows&& fit) {
  workspace.spare = std::move(fit);
  fit = KaplanMeierRows{};
}

LandmarkSurvival survival_at(const KaplanMeier& km, double t) {
  check_time_argument(t, "landmark time");
  const double z = detail::normal_critical_value(km.conf_level);
  LandmarkSurvival out;
  out.time = t;
  const auto first_at_or_after = std::lower_bound(km.time.begin(), km.time.end(), t);
  out.n_risk = first_at_or_after == km.time.end() ? 0 : km.n_risk[first_at_or_after - km.time.begin()];
  // Index of the last row with time <= t.
  const auto past = std::upper_bound(km.time.begin(), km.time.end(), t);
  if (past == km.time.begin()) {
    out.surv = 1.0;
    out.se = 0.0;
    out.lower = out.upper = 1.0;
    if (km.n == 0) {
      out.surv = out.se = out.lower = out.upper = kNaN;
      out.beyond_follow_up = true;
    }
    return out;
  }
  const auto j = static_cast<std::size_t>(past - km.time.begin()) - 1;
  const double s = km.surv[j];
  if (s == 0.0) {
    out.surv = out.se = out.lower = out.upper = 0.0;
    return out;
  }
  if (t > km.time.back()) {
    out.surv = out.se = out.lower = out.upper = kNaN;
    out.beyond_follow_up = true;
    return out;
  }
  out.surv = s;
  out.se = km.se_surv(j);
  if (s == 1.0) {
    out.lower = out.upper = 1.0;
  } else {
    detail::loglog_limits(s, km.se_log_surv[j], z, out.lower, out.upper);
  }
  return out;
}

std::vector<SurvivalQuantile> survival_quantiles(const KaplanMeier& km, std::span<const double> probs) {
  for (double p : probs) {
    if (!(p >= 0.0 && p <= 1.0)) {
      throw InputError(fmt::format("survival quantile probability {} is outside [0, 1]", p));
    }
  }
  const double z = detail::normal_critical_value(km.conf_level);
  std::vector<SurvivalQuantile> out(probs.size());
  for (std::size_t q = 0; q < probs.size(); ++q) out[q].p = probs[q];
  if (km.n == 0) {
    for (auto& o : out) o.time = o.lower = o.upper = o.se_equivalent = kNaN;
    return out;
  }
  // x = c(0, time), y = c(0, 1 - curve) as findq sees them, read in place. The quantile's lower limit comes
  // from the lower survival limit (1 - lower rises first). S and the stored limits are read, and limits not
  // stored computed, only near their crossings (limit_quantiles), with the same result.
  const std::size_t m = km.time.size();
  const auto x = [time = km.time.data()](std::size_t i) { return i == 0 ? 0.0 : time[i - 1]; };
  const auto one_minus = [](const std::vector<double>& curve) {
    return [c = curve.data()](std::size_t i) { return i == 0 ? 0.0 : 1.0 - c[i - 1]; };
  };
  const auto limit = [&](const std::vector<double>& stored, detail::Limit which) {
    return stored.empty() ? detail::limit_quantiles(km, z, which, probs)
                          : detail::find_quantiles_at(m + 1, x, one_minus(stored), probs);
  };
  const auto est = detail::limit_quantiles(km, z, detail::Limit::estimate, probs);
  const auto low = limit(km.lower, detail::Limit::lower);
  const auto up = limit(km.upper, detail::Limit::upper);
  for (std::size_t q = 0; q < probs.size(); ++q) {
    out[q].time = est[q];
    out[q].lower = low[q];
    out[q].upper = up[q];
    out[q].se_equivalent =
        std::isfinite(low[q]) && std::isfinite(up[q]) ? (up[q] - low[q]) / (2.0 * z) : kNaN;
  }
  return out;
}

SurvivalQuantile survival_quantile(const KaplanMeier& km, double p) {
  const double probs[] = {p};
  return survival_quantiles(km, probs).front();
}

RestrictedMean restricted_mean(const KaplanMeier& km, double tau) {
  check_time_argument(tau, "RMST horizon tau");
  const double z = detail::normal_critical_value(km.conf_level);
  RestrictedMean out;
  out.tau = tau;
  if (km.n == 0) {
    out.estimate = out.se = out.lower = out.upper = kNaN;
    return out;
  }
  out.extrapolated = tau > km.time.back();
  // Rows with time <= tau; the curve is integrated as a step function from 0 to tau.
  const auto kept =
      static_cast<std::size_t>(std::upper_bound(km.time.begin(), km.time.end(), tau) - km.time.begin());
  if (kept == 0) {
    out.estimate = tau;
    out.se = 0.0;
  } else {
    // after[j] = area under S from time[j] to tau, accumulated from the right; the variance adds its terms
    // from the left. Rather than storing after whole (16 bytes a row), the right-to-left sum is checkpointed
    // at every block start and after is recomputed block by block from those states: the same operations in
    // the same order, so the same bits.
    const auto term = [&](std::size_t j) {
      const double next = j + 1 < kept ? km.time[j + 1] : tau;
      return static_cast<long double>(next - km.time[j]) * static_cast<long double>(km.surv[j]);
    };
    constexpr std::size_t kBlock = 4096;
    const std::size_t blocks = (kept + kBlock - 1) / kBlock;
    // checkpoint[b]: the sum of the terms from b * kBlock on; checkpoint[blocks] is the empty sum.
    std::vector<detail::CompensatedSum> checkpoint(blocks + 1);
    detail::CompensatedSum tail;
    for (std::size_t j = kept; j-- > 0;) {
      tail.add(term(j));
      if (j % kBlock == 0) checkpoint[j / kBlock] = tail;
    }
    out.estimate = static_cast<double>(static_cast<long double>(km.time[0]) + checkpoint[0].value());
    detail::CompensatedSum variance;
    std::vector<long double> after(std::min(kept, kBlock));
    for (std::size_t b = 0; b < blocks; ++b) {
      const std::size_t lo = b * kBlock;
      const std::size_t hi = std::min(lo + kBlock, kept);
      detail::CompensatedSum block_tail = checkpoint[b + 1];
      for (std::size_t j = hi; j-- > lo;) {
        block_tail.add(term(j));
        after[j - lo] = block_tail.value();
      }
      for (std::size_t j = lo; j < hi; ++j) {
        const std::int64_t r = km.n_risk[j];
        const std::int64_t d = km.n_event[j];
        if (d == 0 || r == d) continue;  // R's hh = 0 where n.risk == n.event
        const auto rl = static_cast<long double>(r);
        const auto dl = static_cast<long double>(d);
        const long double a = after[j - lo];
        variance.add(a * a * dl / (rl * (rl - dl)));
      }
    }
    out.se = std::sqrt(static_cast<double>(variance.value()));
  }
  out.lower = out.estimate - z * out.se;
  out.upper = out.estimate + z * out.se;
  return out;
}

}  // namespace mmsim::stats
