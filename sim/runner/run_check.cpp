#include "sim/runner/run_check.hpp"

#include <fmt/format.h>

#include <string>
#include <vector>

#include "sim/core/errors.hpp"

namespace mmsim {
namespace {

const char* mode_option(OutputMode mode) {
  switch (mode) {
    case OutputMode::trajectories:
      return "the default mode";
    case OutputMode::no_trajectories:
      return "--no-trajectories";
    case OutputMode::summary_only:
      return "--summary-only";
  }
  return "";
}

}  // namespace

void check_run_fits(const Model& model, const RunOptions& opt, bool statistics, std::uint64_t budget,
                    const RunEstimate& need, const std::filesystem::path& folder) {
  const std::uint64_t disk = need.output_bytes + (need.spill ? need.spill_bytes : 0);
  const auto free = free_disk_bytes(folder);
  // An upper bound that fits proves the exact estimate fits (the memory check reads no bounded field); one
  // that does not is replaced by the exact estimate, so the verdict and every figure printed are the exact
  // estimate's.
  if (need.upper_bound && free && disk > *free) {
    check_run_fits(model, opt, statistics, budget, estimate_run(model, opt, statistics, budget), folder);
    return;
  }
  std::vector<std::string> fits;
  auto alternatives = [&](bool for_disk) {
    for (const OutputMode m : {OutputMode::no_trajectories, OutputMode::summary_only}) {
      if (m == opt.mode || (m == OutputMode::no_trajectories && opt.mode == OutputMode::summary_only))
        continue;
      RunOptions o = opt;
      o.mode = m;
      const RunEstimate alt = estimate_run(model, o, statistics, budget);
      const std::uint64_t d = alt.output_bytes + (alt.spill ? alt.spill_bytes : 0);
      if (for_disk ? (!free || d <= *free) : alt.statistics_memory() <= budget) {
        fits.push_back(fmt::format("{} ({} of disk, peak memory {})", mode_option(m), format_size(d),
                                   format_size(alt.peak_memory())));
      }
    }
  };
  if (free && disk > *free) {
    alternatives(true);
    if (statistics) fits.push_back("--no-summary (then 'mmsim report' where there is room)");
    throw InputError(fmt::format(
        "mmsim run: {} patients in {} need about {} of disk in {} (run file {}{}), but only {} is free; "
        "fits: {}; or free space, or choose another --output",
        opt.patients, mode_option(opt.mode), format_size(disk), folder.string(),
        format_size(need.output_bytes),
        need.spill ? fmt::format(" + spilled statistics {}", format_size(need.spill_bytes)) : "",
        format_size(*free),
        fits.empty() ? "none of the other modes" : fmt::format("{}", fmt::join(fits, "; "))));
  }
  if (statistics && need.statistics_memory() > budget) {
    alternatives(false);
    if (statistics) fits.push_back("--no-summary");
    throw InputError(fmt::format(
        "mmsim run: the statistics of {} patients in {} need about {} of memory even when computed from "
        "disk, above the budget of {}; give --memory {} or more, or: {}",
        opt.patients, mode_option(opt.mode), format_size(need.statistics_memory()), format_size(budget),
        format_size(need.statistics_memory()),
        fits.empty() ? "fewer patients" : fmt::format("{}", fmt::join(fits, "; "))));
  }
}

std::string describe_estimate(const RunOptions& opt, bool statistics, std::uint64_t budget,
                              const RunEstimate& need, const std::filesystem::path& folder) {
  const auto free = free_disk_bytes(folder);
  std::string out = fmt::format("{} patients in {}\n  run file       {}\n", opt.patients,
                                mode_option(opt.mode), format_size(need.output_bytes));
  if (statistics) {
    out += fmt::format("  statistics     {} in {} (columns {}; budget {})\n",
                       format_size(need.statistics_memory()), need.spill ? "memory, from disk" : "memory",
                       format_size(need.columns_bytes), format_size(budget));
    if (need.spill) out += fmt::format("  spill files    {}\n", format_size(need.spill_bytes));
  }
  out += fmt::format("  peak memory    {}\n  free disk      {} in {}\n", format_size(need.peak_memory()),
                     free ? format_size(*free) : std::string("unknown"), folder.string());
  return out;
}

std::string format_size(std::uint64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024.0 && u < 4) {
    v /= 1024.0;
    ++u;
  }
  return u == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.1f} {}", v, units[u]);
}

}  // namespace mmsim
