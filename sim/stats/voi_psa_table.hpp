#pragma once
// Reads a sweep's economics.csv (docs/economics_voi.md; the shape is fixed by the sweep writer: one row per
// point, replicate and strategy, the swept parameters as columns between `replicate` and `strategy`) into a
// PSA sample: one simulation per point, its cost and effect per strategy the n-weighted mean over the point's
// replicates (the pooled cohort's per-patient mean), its parameters the point's values.
#include <filesystem>
#include <string>

#include "sim/stats/voi_decision.hpp"

namespace mmsim::stats::voi {

enum class EffectMeasure { qaly, ly };

struct PsaReadOptions {
  EffectMeasure effect = EffectMeasure::qaly;
  bool discounted = true;
};

// Throws mmsim::InputError naming the file, line and column on anything malformed: a missing column, a
// non-numeric value, a point missing a strategy or listing one twice in a replicate, parameter values that
// differ between rows of one point.
PsaSample read_economics_csv(const std::filesystem::path& path, const PsaReadOptions& options = {});

// One CSV line split into fields (RFC 4180 quoting: "a,b" and "" inside quotes).
std::vector<std::string> split_csv_line(const std::string& line);

}  // namespace mmsim::stats::voi
