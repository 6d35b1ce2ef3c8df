#include "sim/calibration/targets.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>

#include "sim/core/errors.hpp"
#include "sim/core/text.hpp"
#include "sim/stats/cox.hpp"
#include "sim/stats/kaplan_meier.hpp"

namespace mmsim::calibration {
namespace {

constexpr double kZ = 1.959963984540054;

struct KindInfo {
  TargetKind kind;
  const char* name;
  const char* column;
};
constexpr KindInfo kKinds[] = {{TargetKind::orr, "orr", "response_line1"},
                               {TargetKind::cr, "cr", "cr_line1"},
                               {TargetKind::median_pfs, "median_pfs", ""},
                               {TargetKind::pfs_at, "pfs_at", ""},
                               {TargetKind::hr, "hr", ""},
                               {TargetKind::crs_any, "crs_any", "crs_any_line1"},
                               {TargetKind::crs_grade3, "crs_grade3", "crs_grade3_line1"},
                               {TargetKind::infused, "infused", "infused_line1"}};

const KindInfo& info(TargetKind k) {
  for (const auto& i : kKinds)
    if (i.kind == k) return i;
  return kKinds[0];
}

double scale(TargetKind k, double v) {
  return log_scale(k) ? std::log(v) : v;
}

double parse_double(const std::string& s) {
  return parse_number(s).value_or(kNaN);
}

// One CSV record (RFC 4180 quoting); false at end of input.
bool read_record(std::istream& in, std::vector<std::string>& fields) {
  fields.clear();
  std::string field;
  bool quoted = false, any = false;
  char c;
  while (in.get(c)) {
    any = true;
    if (quoted) {
      if (c == '"') {
        if (in.peek() == '"') {
          field += '"';
          in.get(c);
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      break;
    } else if (c != '\r') {
      field += c;
    }
  }
  if (!any) return false;
  fields.push_back(std::move(field));
  return true;
}

}  // namespace

bool parse_kind(const std::string& name, TargetKind& kind) {
  for (const auto& i : kKinds) {
    if (name == i.name) {
      kind = i.kind;
      return true;
    }
  }
  return false;
}

const char* kind_name(TargetKind kind) {
  return info(kind).name;
}

bool log_scale(TargetKind kind) {
  return kind == TargetKind::median_pfs || kind == TargetKind::hr;
}

bool is_rate(TargetKind kind) {
  return std::string(info(kind).column).size() > 0;
}

std::string outcome_column(TargetKind kind) {
  return info(kind).column;
}

std::string Target::label() const {
  switch (kind) {
    case TargetKind::orr:
      return fmt::format("ORR ({})", arm);
    case TargetKind::cr:
      return fmt::format("CR rate ({})", arm);
    case TargetKind::median_pfs:
      return fmt::format("median PFS, mo ({})", arm);
    case TargetKind::pfs_at:
      return fmt::format("PFS at {:g} mo ({})", time, arm);
    case TargetKind::hr:
      return fmt::format("PFS HR {} : {}", arm, reference);
    case TargetKind::crs_any:
      return fmt::format("CRS any grade ({})", arm);
    case TargetKind::crs_grade3:
      return fmt::format("CRS grade >= 3 ({})", arm);
    case TargetKind::infused:
      return fmt::format("fraction infused ({})", arm);
  }
  return arm;
}

double published_se(const Target& t) {
  double se = kNaN;
  if (std::isfinite(t.ci_low) && std::isfinite(t.ci_high) && t.ci_high > t.ci_low &&
      (!log_scale(t.kind) || t.ci_low > 0)) {
    se = (scale(t.kind, t.ci_high) - scale(t.kind, t.ci_low)) / (2.0 * kZ);
  } else if (is_rate(t.kind) || t.kind == TargetKind::pfs_at) {
    if (std::isfinite(t.n) && t.n > 0) {
      const double p = std::clamp(t.value, 0.5 / t.n, 1.0 - 0.5 / t.n);
      se = std::sqrt(p * (1.0 - p) / t.n);
    }
  } else if (t.kind == TargetKind::median_pfs && std::isfinite(t.n) && t.n > 0) {
    se = 1.0 / std::sqrt(t.n / 2.0);
  }
  if (!std::isfinite(se)) se = log_scale(t.kind) ? 0.1 : 0.1 * std::fabs(t.value);
  return std::max(se, 1e-3);
}

double residual(const Target& t, double simulated) {
  if (!std::isfinite(simulated) || (log_scale(t.kind) && simulated <= 0)) return 3.0 + 100.0;
  return (scale(t.kind, simulated) - scale(t.kind, t.value)) / published_se(t);
}

namespace {

bool has_ci(const Target& t) {
  return std::isfinite(t.ci_low) && std::isfinite(t.ci_high);
}

// The acceptance band of `passes`.
std::pair<double, double> band(const Target& t) {
  if (has_ci(t)) return {t.ci_low, t.ci_high};
  return {t.value - 0.1 * std::fabs(t.value), t.value + 0.1 * std::fabs(t.value)};
}

}  // namespace

double band_residual(const Target& t, double simulated, double margin) {
  if (!std::isfinite(simulated) || (log_scale(t.kind) && simulated <= 0)) return 0.0;
  auto [lo, hi] = band(t);
  margin = std::min(margin, 0.5 * (hi - lo));
  lo += margin;
  hi -= margin;
  const double g = scale(t.kind, simulated);
  if (simulated < lo) return (g - scale(t.kind, lo)) / published_se(t);
  if (simulated > hi) return (g - scale(t.kind, hi)) / published_se(t);
  return 0.0;
}

double objective_term(const Target& t, double simulated) {
  const double r = residual(t, simulated), b = band_residual(t, simulated);
  return r * r + b * b;
}

bool passes(const Target& t, double simulated) {
  if (!std::isfinite(simulated)) return false;
  const auto [lo, hi] = band(t);
  return simulated >= lo && simulated <= hi;
}

Simulated simulate_target(const Target& t, const ArmColumns& arm, const ArmColumns* reference) {
  Simulated out;
  if (is_rate(t.kind)) {
    const auto it = arm.outcomes.find(outcome_column(t.kind));
    if (it == arm.outcomes.end())
      throw InputError(
          fmt::format("target {}: the model has no outcome column {}", t.evidence, outcome_column(t.kind)));
    const std::vector<std::uint8_t>* denom = nullptr;
    if (t.infused_only && t.kind != TargetKind::infused) {
      const auto d = arm.outcomes.find(kInfusedColumn);
      if (d == arm.outcomes.end())
        throw InputError(
            fmt::format("target {}: the model has no outcome column {}", t.evidence, kInfusedColumn));
      denom = &d->second;
    }
    double num = 0, n = 0;
    for (std::size_t i = 0; i < it->second.size(); ++i) {
      if (denom != nullptr && (*denom)[i] == 0) continue;
      n += 1;
      num += it->second[i];
    }
    if (n > 0) {
      out.value = num / n;
      out.se = std::sqrt(out.value * (1 - out.value) / n);
    }
    return out;
  }
  const stats::SurvivalSample sample{arm.time, arm.event};
  if (t.kind == TargetKind::median_pfs || t.kind == TargetKind::pfs_at) {
    const stats::KaplanMeier km = stats::kaplan_meier(sample);
    if (t.kind == TargetKind::median_pfs) {
      const auto q = stats::median_survival(km);
      out.value = q.time;
      out.se = q.se_equivalent;
    } else {
      const auto l = stats::survival_at(km, t.time);
      out.value = l.surv;
      out.se = l.se;
    }
    return out;
  }
  // Hazard ratio: the two arms stacked as independent samples.
  if (reference == nullptr)
    throw InputError(fmt::format("target {}: an HR needs a reference arm", t.evidence));
  std::vector<double> time(arm.time.begin(), arm.time.end());
  std::vector<std::uint8_t> event(arm.event.begin(), arm.event.end());
  std::vector<std::uint32_t> group(time.size(), 1);
  time.insert(time.end(), reference->time.begin(), reference->time.end());
  event.insert(event.end(), reference->event.begin(), reference->event.end());
  group.resize(time.size(), 0);
  const auto cox = stats::cox_hazard_ratio(stats::SurvivalSample{time, event}, group, 1, 0);
  if (cox.finite) {
    out.value = cox.hr;
    out.se = cox.hr * cox.se_log_hr;  // delta method, natural scale
  }
  return out;
}

std::map<std::string, EvidenceRow> read_evidence_csv(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot read the evidence table", path.string()));
  std::vector<std::string> header, fields;
  if (!read_record(in, header)) throw InputError(fmt::format("{}: empty evidence table", path.string()));
  std::map<std::string, EvidenceRow> rows;
  while (read_record(in, fields)) {
    if (fields.size() == 1 && fields[0].empty()) continue;
    EvidenceRow row;
    for (std::size_t i = 0; i < header.size() && i < fields.size(); ++i) row[header[i]] = fields[i];
    const std::string id = row["id"];
    rows.emplace(id, std::move(row));
  }
  return rows;
}

void fill_from_evidence(Target& t, const EvidenceRow& row) {
  const auto get = [&](const char* key) {
    const auto it = row.find(key);
    return it == row.end() ? std::string() : it->second;
  };
  if (std::isnan(t.value)) t.value = parse_double(get("value"));
  if (std::isnan(t.ci_low)) t.ci_low = parse_double(get("ci_low"));
  if (std::isnan(t.ci_high)) t.ci_high = parse_double(get("ci_high"));
  if (std::isnan(t.n)) t.n = parse_double(get("n"));
  if (std::isnan(t.median_followup)) t.median_followup = parse_double(get("median_followup_months"));
  if (t.source.empty()) t.source = get("source");
}

}  // namespace mmsim::calibration
