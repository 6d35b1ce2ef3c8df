#pragma once
// The buffers a Kaplan-Meier fit works in, kept from one fit to the next. A report fits one curve per
// endpoint and strategy, each as large as the cohort: allocated afresh, each buffer is a new mapping that the
// kernel faults in page by page (glibc maps every block above 32 MiB and unmaps it on free), and on these VMs
// a fresh page costs ~2.5 us of system time (docs/performance.md, "fresh pages"). A workspace keeps them, so
// the next fit refills the same pages. A curve without patients' rows sorts 8-byte keys whose two buffers
// become the table's n_risk and n_event (kept in `spare`: 16 bytes a patient, then 24 a row for time, S and
// Greenwood); one with rows sorts 16-byte records in `records` and `scratch` (32 a patient, 40 a row). The
// price: between fits the workspace holds them all at once (the fit alone frees the records before the
// table's estimates are allocated).
#include <cstdint>
#include <vector>

#include "sim/stats/kaplan_meier.hpp"
#include "sim/stats/stats_detail.hpp"

namespace mmsim::stats {

struct KmWorkspace {
  std::vector<detail::TimeRecord> records;
  std::vector<detail::TimeRecord> scratch;
  KaplanMeierRows spare;  // a finished fit's vectors, cleared and refilled by the next (recycle)
};

// kaplan_meier and kaplan_meier_with_rows in the workspace's buffers: the same table, bit for bit.
KaplanMeier kaplan_meier(const SurvivalSample& sample, double conf_level, PointwiseCiRows ci_rows,
                         KmWorkspace& workspace);
KaplanMeierRows kaplan_meier_with_rows(const SurvivalSample& sample, double conf_level,
                                       PointwiseCiRows ci_rows, KmWorkspace& workspace);

// Hands a fit's vectors back to the workspace for the next fit (the fit is left empty).
void recycle(KmWorkspace& workspace, KaplanMeierRows&& fit);

}  // namespace mmsim::stats
