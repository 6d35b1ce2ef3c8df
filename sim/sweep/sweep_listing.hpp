#pragma once
// `mmsim sweep --list`: the design's parameters (with their values, ranges or laws) as comment lines, then
// one tab-separated line per point, without running anything.
#include <optional>
#include <ostream>

#include "sim/sweep/sharding.hpp"
#include "sim/sweep/sweep_spec.hpp"

namespace mmsim::sweep {

// Every point, or only the points of `shard`.
void write_sweep_listing(const SweepSpec& spec, std::optional<ShardId> shard, std::ostream& out);

}  // namespace mmsim::sweep
