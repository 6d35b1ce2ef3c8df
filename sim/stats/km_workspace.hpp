#pragma once
// The buffers a Kaplan-Meier fit works in, kept from one fit to the next. A report fits one curve per
// endpoint and strategy, each as large as the cohort (sorted records and radix scratch 32 bytes a patient,
// the table 56 a distinct time, the patients' rows 4): allocated afresh, each is a new mapping that the
// kernel faults in page by page (glibc maps every block above 32 MiB and unmaps it on free), ~600 k minor
// faults for the reference model at 10^7. A workspace keeps them, so the next fit refills the same pages.
// The price: between fits it holds all of them at once (the fit alone frees the records before the table's
// estimates are allocated).
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
