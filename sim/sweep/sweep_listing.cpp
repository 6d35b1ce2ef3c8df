#include "sim/sweep/sweep_listing.hpp"

#include <fmt/format.h>

#include <iterator>

#include "sim/sweep/psa_law.hpp"

namespace mmsim::sweep {

void write_sweep_listing(const SweepSpec& spec, std::optional<ShardId> shard, std::ostream& out) {
  // Streamed rather than built as one string: a grid may have 10^8 points.
  const std::ostreambuf_iterator<char> put(out);
  fmt::format_to(put, "# sweep {} on {}: {} design, {} point(s) x {} replicate(s), parameter seed {}\n",
                 spec.file, spec.base_file, design_name(spec.design), spec.points.size(), spec.replicates,
                 spec.seed);
  for (std::size_t j = 0; j < spec.parameters.size(); ++j) {
    const auto& p = spec.parameters[j];
    std::string how;
    if (spec.design == DesignKind::psa) how = describe_psa_law(*p.law);
    if (spec.design == DesignKind::lhs)
      how = fmt::format("[{}, {}]{}", p.low, p.high, p.log_scale ? " log scale" : "");
    if (spec.design == DesignKind::grid || spec.design == DesignKind::oneway)
      how = fmt::format("{}", fmt::join(p.values, ", "));
    if (spec.design == DesignKind::oneway && p.law)
      how += fmt::format(" (quantiles {} and {} of {})", spec.quantiles[0], spec.quantiles[1],
                         describe_psa_law(*p.law));
    fmt::format_to(put, "# p{} {} = {} (base {}){}: {}\n", j, p.name, p.path.text, p.base,
                   p.group >= 0 ? ", renormalized" : "", how);
  }
  for (const auto& g : spec.groups)
    fmt::format_to(put, "# {} keeps summing to 1: its other members are rescaled\n", g.path.text);
  fmt::format_to(put, "point{}", spec.design == DesignKind::oneway ? "\tvaried" : "");
  for (const auto& p : spec.parameters) fmt::format_to(put, "\t{}", p.name);
  fmt::format_to(put, "\n");
  for (const auto& pt : spec.points) {
    if (shard && pt.index % shard->n != shard->k) continue;
    fmt::format_to(put, "{}", pt.index);
    if (spec.design == DesignKind::oneway)
      fmt::format_to(
          put, "\t{}",
          pt.varied < 0 ? std::string("base") : spec.parameters[static_cast<std::size_t>(pt.varied)].name);
    for (double v : pt.values) fmt::format_to(put, "\t{}", v);
    fmt::format_to(put, "\n");
  }
}

}  // namespace mmsim::sweep
