#include "models/myeloma/src/endpoints.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mmsim::myeloma {

void endpoint_values(const Params& p, const History& h, double horizon,
                     std::array<EndpointValue, kEndpoints>& out) {
  // Start and end times on the patient's clock; inf = not (yet) happened.
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const auto opt = [](double v) { return std::isnan(v) ? kInf : v; };
  const LineRecord* l1 = h.n_lines > 0 ? &h.lines[0] : nullptr;
  const double death = h.death;
  const double t0 = p.time_zero == TimeZero::infusion ? (l1 ? l1->infusion : nan) : 0.0;
  const double fail1 = opt(h.line_failure(0)), fail2 = opt(h.line_failure(1));
  const double start2 = opt(h.line_start(1));
  const double relapse = fail1;
  for (const Endpoint e : p.endpoints) {
    double start = t0, end = kInf;
    switch (e) {
      case Endpoint::pfs:
        end = std::min(fail1, death);
        break;
      case Endpoint::pfs2:
        end = std::min(fail2, death);
        break;
      case Endpoint::os:
        end = death;
        break;
      case Endpoint::ttnt:
        end = std::min(start2, death);
        break;
      case Endpoint::pfs_after_relapse:
        start = std::isinf(relapse) ? nan : relapse;
        end = std::min(fail2, death);
        break;
      case Endpoint::os_after_relapse:
        start = std::isinf(relapse) ? nan : relapse;
        end = death;
        break;
    }
    EndpointValue& v = out[idx(e)];
    if (std::isnan(start) || start > horizon) {
      v = {nan, 0};
    } else if (end <= horizon) {
      v = {std::max(0.0, end - start), 1};
    } else {
      v = {horizon - start, 0};
    }
  }
}

}  // namespace mmsim::myeloma
