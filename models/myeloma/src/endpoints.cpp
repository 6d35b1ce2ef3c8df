#include "models/myeloma/src/endpoints.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mmsim::myeloma {
namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

double or_inf(double v) {
  return std::isnan(v) ? kInf : v;
}

// Start and end of endpoint e on the patient's clock (start NaN: undefined; end inf: not happened).
struct Span {
  double start = kNan, end = kInf;
};

// PFS or OS of line i (0-based) from the line's own start: NaN start when the line never began.
Span line_span(const History& h, std::size_t i, bool overall) {
  if (i >= h.n_lines) return {};
  return {h.lines[i].start, overall ? h.death : std::min(or_inf(h.line_failure(i)), h.death)};
}

// Duration of response of line i: from the first response (PR or better) to the line's failure or death;
// NaN start for a patient who did not respond on that line.
Span response_span(const History& h, std::size_t i) {
  const double onset = response_onset(h, i);
  if (std::isnan(onset)) return {};
  return {onset, std::min(or_inf(h.line_failure(i)), h.death)};
}

}  // namespace

bool writes_per_line_outputs(const Params& p) {
  return std::any_of(p.endpoints.begin(), p.endpoints.end(),
                     [](Endpoint e) { return idx(e) >= kDefaultEndpoints; });
}

double response_onset(const History& h, std::size_t i) {
  if (i >= h.n_lines || h.lines[i].best_response < static_cast<int>(Depth::pr)) return kNan;
  const int line = h.lines[i].line;
  for (std::size_t k = 0; k < h.n_events; ++k) {
    const EventRecord& ev = h.events[k];
    if (ev.line == line && ev.to == State::responding) return ev.time;
  }
  return kNan;  // the response was assessed after the end of follow-up
}

bool non_relapse_death(const History& h, double horizon) {
  if (h.death > horizon) return false;
  if (h.death_cause == DeathCause::myeloma || h.death_cause == DeathCause::no_further_therapy ||
      h.death_cause == DeathCause::none)
    return false;
  return h.death <= or_inf(h.line_failure(0));
}

bool treatment_death(const History& h, double horizon) {
  return h.death <= horizon && h.death_cause == DeathCause::treatment;
}

void endpoint_values(const Params& p, const History& h, double horizon,
                     std::array<EndpointValue, kEndpoints>& out) {
  const LineRecord* l1 = h.n_lines > 0 ? &h.lines[0] : nullptr;
  const double death = h.death;
  const double t0 = p.time_zero == TimeZero::infusion ? (l1 ? l1->infusion : kNan) : 0.0;
  const double fail1 = or_inf(h.line_failure(0)), fail2 = or_inf(h.line_failure(1));
  const double start2 = or_inf(h.line_start(1));
  const double relapse = std::isinf(fail1) ? kNan : fail1;
  for (const Endpoint e : p.endpoints) {
    Span s{t0, kInf};
    switch (e) {
      case Endpoint::pfs:
        s.end = std::min(fail1, death);
        break;
      case Endpoint::pfs2:
        s.end = std::min(fail2, death);
        break;
      case Endpoint::os:
        s.end = death;
        break;
      case Endpoint::ttnt:
        s.end = std::min(start2, death);
        break;
      case Endpoint::pfs_after_relapse:
        s = {relapse, std::min(fail2, death)};
        break;
      case Endpoint::os_after_relapse:
        s = {relapse, death};
        break;
      case Endpoint::pfs_line2:
        s = line_span(h, 1, false);
        break;
      case Endpoint::os_line2:
        s = line_span(h, 1, true);
        break;
      case Endpoint::pfs_line3:
        s = line_span(h, 2, false);
        break;
      case Endpoint::os_line3:
        s = line_span(h, 2, true);
        break;
      case Endpoint::dor_line1:
        s = response_span(h, 0);
        break;
      case Endpoint::dor_line2:
        s = response_span(h, 1);
        break;
    }
    EndpointValue& v = out[idx(e)];
    if (std::isnan(s.start) || s.start > horizon) {
      v = {kNan, 0};
    } else if (s.end <= horizon) {
      v = {std::max(0.0, s.end - s.start), 1};
    } else {
      v = {horizon - s.start, 0};
    }
  }
}

}  // namespace mmsim::myeloma
