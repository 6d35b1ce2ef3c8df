// mmsim merge: joins a sweep's shard files into OUTDIR/sweep.h5 and OUTDIR/sweep.csv.
#include <fmt/format.h>

#include <iostream>
#include <optional>

#include "sim/cli/commands.hpp"
#include "sim/cli/options.hpp"
#include "sim/core/errors.hpp"
#include "sim/sweep/sweep_store.hpp"

namespace mmsim::cli {

int merge_command(const std::vector<std::string>& args) {
  po::options_description visible(
      "mmsim merge OUTDIR [--shards N]\n\nChecks that every shard OUTDIR/shards/shard-K-of-N.h5 (K = 0..N-1) "
      "is "
      "present, complete and of the sweep recorded in OUTDIR, then writes OUTDIR/sweep.h5, OUTDIR/sweep.csv "
      "(endpoints), OUTDIR/rates.csv and OUTDIR/points.csv. A missing or partial shard is an error naming "
      "it.\n\nOptions");
  visible.add_options()("help,h", "show this help")(
      "shards", integer_value(), "the shard count N (needed only when OUTDIR holds shards of several N)")(
      "quiet,q", "print nothing on success");
  const auto parsed = parse_command("merge", args, visible, {"outdir", "sweep output directory"});
  if (!parsed) return kExitOk;
  const po::variables_map& vm = *parsed;
  if (!vm.count("outdir")) throw InputError("mmsim merge: name the sweep's output directory");
  std::optional<std::uint64_t> n;
  if (const auto shards = integer_option(vm, "merge", "shards", 1, 1 << 20))
    n = static_cast<std::uint64_t>(*shards);
  const sweep::SweepStore store(vm["outdir"].as<std::string>());
  const std::uint64_t points = store.merge(n);
  if (!vm.count("quiet"))
    fmt::print("merged {} point(s) into {}\n", points, (store.dir() / "sweep.h5").string());
  return kExitOk;
}

}  // namespace mmsim::cli
