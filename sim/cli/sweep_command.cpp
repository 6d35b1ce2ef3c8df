// mmsim sweep: runs a sweep file's points (all, or one shard of them) into an output directory.
#include <optional>
#include <utility>

#include "sim/cli/commands.hpp"
#include "sim/cli/model_registry.hpp"
#include "sim/cli/options.hpp"
#include "sim/config/simulation_settings.hpp"
#include "sim/core/errors.hpp"
#include "sim/io/output_path.hpp"
#include "sim/sweep/sweep_driver.hpp"

namespace mmsim::cli {

int sweep_command(const std::vector<std::string>& args) {
  po::options_description visible(
      "mmsim sweep SWEEP.toml [--list | -o OUTDIR] [options]\n\nRuns every point of a sweep file (grid, "
      "one-way, "
      "Latin hypercube or PSA over parameters of a base scenario) for every strategy, with common random "
      "numbers, and writes the long tables OUTDIR/sweep.h5 and OUTDIR/sweep.csv (docs/sweeps.md).\nThe shard "
      "comes from --shard, else from MPI (under mpirun), else from a SLURM job array; sharded runs write "
      "OUTDIR/shards/shard-K-of-N.h5 for 'mmsim merge OUTDIR' (under MPI, rank 0 merges). Re-running into "
      "the "
      "same OUTDIR resumes.\n\nOptions");
  visible.add_options()("help,h", "show this help")("list", "print the design's points and exit")(
      "output,o", po::value<std::string>(), "output directory")(
      "patients", integer_value(), "cohort size of every point (overrides the sweep and the base)")(
      "trajectories", "also write every point's full run file to OUTDIR/points/")(
      "shard", po::value<std::string>(), "run shard K of N (K from 0): points p with p mod N = K")(
      "threads", integer_value()->default_value(0), "worker threads per process (0: all cores)")(
      "quiet,q", "no progress lines");
  const auto parsed = parse_command("sweep", args, visible, {"sweep", "sweep file"});
  if (!parsed) return kExitOk;
  const po::variables_map& vm = *parsed;
  if (!vm.count("sweep")) throw InputError("mmsim sweep: name the sweep file (see 'mmsim sweep --help')");
  sweep::SweepRequest request;
  request.sweep_file = vm["sweep"].as<std::string>();
  if (vm.count("shard"))
    request.shard = sweep::parse_shard(vm["shard"].as<std::string>(), "mmsim sweep --shard");
  request.list = vm.count("list") > 0;
  if (!request.list && !vm.count("output"))
    throw InputError("mmsim sweep: name the output directory with -o OUTDIR");
  if (vm.count("output")) {
    request.output = vm["output"].as<std::string>();
    io::check_output_dir(request.output, {"sweep.h5", "sweep.csv"});  // before any work
  }
  if (const auto patients = integer_option(vm, "sweep", "patients", 1, kMaxPatients))
    request.patients = static_cast<std::uint64_t>(*patients);
  request.threads = static_cast<unsigned>(*integer_option(vm, "sweep", "threads", 0, kMaxThreads));
  request.trajectories = vm.count("trajectories") > 0;
  request.quiet = vm.count("quiet") > 0;

  sweep::run_sweep(request, [](config::ConfigDocument document) {
    LoadedScenario s = load_scenario(std::move(document));
    return sweep::BuiltScenario{std::move(s.document), s.settings, std::move(s.model_name),
                                std::move(s.model), std::move(s.economics)};
  });
  return kExitOk;
}

}  // namespace mmsim::cli
