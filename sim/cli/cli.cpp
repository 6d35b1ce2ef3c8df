#include "sim/cli/cli.hpp"

#include <fmt/format.h>
#include <hdf5.h>
#include <oneapi/tbb/version.h>

#include <cstdio>
#include <map>
#include <new>
#include <string>
#include <vector>

#include "sim/cli/commands.hpp"
#include "sim/core/errors.hpp"
#include "sim/core/version.hpp"

namespace mmsim::cli {
namespace {

using Command = int (*)(const std::vector<std::string>&);

const std::map<std::string, std::pair<Command, const char*>>& commands() {
  static const std::map<std::string, std::pair<Command, const char*>> table = {
      {"run", {run_command, "simulate a scenario and write its trajectories (HDF5)"}},
      {"calibrate",
       {calibrate_command, "fit parameters to trial targets; --predict: trial-sized prediction intervals"}},
      {"check", {check_command, "validate a scenario config; --print shows every parameter with its source"}},
      {"report", {report_command, "survival summaries and strategy comparisons of a run file"}},
      {"sweep", {sweep_command, "run a parameter sweep or PSA (sharded over --shard, MPI or a SLURM array)"}},
      {"export",
       {export_command,
        "one table of a run file (patients, lines, events) as a long CSV with a strategy column"}},
      {"merge", {merge_command, "join a sweep's shard files into OUTDIR/sweep.h5 and sweep.csv"}},
      {"voi", {voi_command, "CEAC, CEAF, EVPI and EVPPI of a PSA sweep's economics.csv; exports for R"}},
      {"therapies",
       {therapies_command, "list a scenario's therapies: id, class, targets, binder, source of parameters"}},
  };
  return table;
}

constexpr const char* kOutOfMemoryAdvice =
    "mmsim: error: out of memory. The end-of-run statistics (exact Kaplan-Meier, log-rank, Cox) keep every "
    "patient's endpoint columns in memory, O(patients x strategies). Simulate fewer patients (--patients); "
    "or "
    "run with --no-summary, which simulates and writes in memory bounded by --block-size, and compute the "
    "statistics later with 'mmsim report' on a machine with more memory; or use a machine with more memory. "
    "Outputs are replaced only when complete, so no existing file was changed.\n";

void print_usage() {
  fmt::print("usage: mmsim <command> [options]\n\ncommands:\n");
  for (const auto& [name, cmd] : commands()) fmt::print("  {:<10} {}\n", name, cmd.second);
  fmt::print(
      "\n'mmsim <command> --help' describes a command; 'mmsim --version' lists the features built in.\n");
}

void print_version() {
  fmt::print("mmsim {} (git {})\n", kVersion, kGitRevision);
  fmt::print("features: hdf5 {}.{}.{}, tbb {}.{}", H5_VERS_MAJOR, H5_VERS_MINOR, H5_VERS_RELEASE,
             TBB_VERSION_MAJOR, TBB_VERSION_MINOR);
#ifdef MMSIM_HAVE_MPI
  fmt::print(", mpi");
#else
  fmt::print(", no mpi");
#endif
#if defined(__SANITIZE_ADDRESS__)
  fmt::print(", asan+ubsan");
#endif
  fmt::print("\n");
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
      print_usage();
      return args.empty() ? kExitBadInput : kExitOk;
    }
    if (args[0] == "--version" || args[0] == "version") {
      print_version();
      return kExitOk;
    }
    const auto it = commands().find(args[0]);
    if (it == commands().end()) {
      fmt::print(stderr, "mmsim: unknown command '{}'\n", args[0]);
      print_usage();
      return kExitBadInput;
    }
    return it->second.first(std::vector<std::string>(args.begin() + 1, args.end()));
  } catch (const InputError& e) {
    fmt::print(stderr, "{}\n", e.what());
    return kExitBadInput;
  } catch (const std::bad_alloc&) {
    // Thrown by any thread (TBB hands workers' exceptions to this one); the unwinding has freed what the
    // command held, and fputs needs no allocation.
    std::fputs(kOutOfMemoryAdvice, stderr);
    return kExitFailure;
  } catch (const std::exception& e) {
    fmt::print(stderr, "mmsim: error: {}\n", e.what());
    return kExitFailure;
  }
}

}  // namespace mmsim::cli
