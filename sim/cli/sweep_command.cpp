// mmsim sweep: runs a sweep file's points (all, or one shard of them) into an output directory.
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <optional>

#include "sim/cli/commands.hpp"
#include "sim/cli/model_registry.hpp"
#include "sim/cli/options.hpp"
#include "sim/core/errors.hpp"
#include "sim/engine/simulation_settings.hpp"
#include "sim/io/output_path.hpp"
#include "sim/io/run_file.hpp"
#include "sim/report/column_sources.hpp"
#include "sim/runner/cohort_runner.hpp"
#include "sim/sweep/sweep_spec.hpp"
#include "sim/sweep/sweep_store.hpp"

#ifdef MMSIM_HAVE_MPI
#include <mpi.h>
#endif

namespace mmsim::cli {
namespace {

using sweep::ShardId;

// MPI, initialized only when an MPI launcher started this process (a plain run never touches MPI).
class MpiSession {
 public:
  MpiSession() {
#ifdef MMSIM_HAVE_MPI
    if (std::getenv("OMPI_COMM_WORLD_SIZE") == nullptr && std::getenv("PMIX_RANK") == nullptr) return;
    int provided = 0;
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
    active_ = true;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
#endif
  }
  ~MpiSession() {
#ifdef MMSIM_HAVE_MPI
    if (active_) MPI_Finalize();
#endif
  }
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  // Several ranks: the shard comes from the rank (a single rank defers to SLURM or runs everything).
  bool sharding() const {
    return active_ && size_ > 1;
  }
  int rank() const {
    return rank_;
  }
  int size() const {
    return size_;
  }
  // True on every rank when every rank passed true (waits for all ranks).
  bool all(bool ok) const {
#ifdef MMSIM_HAVE_MPI
    if (active_) {
      int mine = ok ? 1 : 0, every = 0;
      MPI_Allreduce(&mine, &every, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
      return every == 1;
    }
#endif
    return ok;
  }

 private:
  bool active_ = false;
  int rank_ = 0;
  int size_ = 1;
};

std::optional<std::uint64_t> env_integer(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  try {
    return std::stoull(v);
  } catch (const std::exception&) {
    throw InputError(fmt::format("mmsim sweep: environment variable {}=\"{}\" is not a number", name, v));
  }
}

// Inside a SLURM job array: K = task id - the array's minimum, N = the array's task count.
std::optional<ShardId> slurm_shard() {
  const auto id = env_integer("SLURM_ARRAY_TASK_ID");
  if (!id) return std::nullopt;
  const auto min = env_integer("SLURM_ARRAY_TASK_MIN");
  const auto max = env_integer("SLURM_ARRAY_TASK_MAX");
  const auto count = env_integer("SLURM_ARRAY_TASK_COUNT");
  const auto step = env_integer("SLURM_ARRAY_TASK_STEP");
  if (!min || !count) {
    throw InputError(
        "mmsim sweep: SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_MIN or "
        "SLURM_ARRAY_TASK_COUNT is not: pass --shard K/N");
  }
  if ((step && *step != 1) || (max && *max - *min + 1 != *count)) {
    throw InputError(fmt::format(
        "mmsim sweep: this job array is stepped or has gaps (min {}, max {}, count {}, step {}): the shard "
        "index would not be task id - min. Submit with --array=0-<N-1> (a %limit is fine), or pass --shard "
        "K/N",
        *min, max ? std::to_string(*max) : "?", *count, step ? std::to_string(*step) : "1"));
  }
  return ShardId{*id - *min, *count};
}

std::string shard_source_name(int which) {
  static const char* names[] = {"", " from --shard", " from MPI", " from the SLURM array"};
  return names[which];
}

void print_list(const sweep::SweepSpec& spec, std::optional<ShardId> shard) {
  fmt::print("# sweep {} on {}: {} design, {} point(s) x {} replicate(s), parameter seed {}\n", spec.file,
             spec.base_file, sweep::design_name(spec.design), spec.points.size(), spec.replicates, spec.seed);
  for (std::size_t j = 0; j < spec.parameters.size(); ++j) {
    const auto& p = spec.parameters[j];
    std::string how;
    if (spec.design == sweep::DesignKind::psa) how = p.law.describe();
    if (spec.design == sweep::DesignKind::lhs)
      how = fmt::format("[{}, {}]{}", p.low, p.high, p.log_scale ? " log scale" : "");
    if (spec.design == sweep::DesignKind::grid || spec.design == sweep::DesignKind::oneway)
      how = fmt::format("{}", fmt::join(p.values, ", "));
    fmt::print("# p{} {} = {} (base {}){}: {}\n", j, p.name, p.path.text, p.base,
               p.group >= 0 ? ", renormalized" : "", how);
  }
  for (const auto& g : spec.groups)
    fmt::print("# {} keeps summing to 1: its other members are rescaled\n", g.path.text);
  fmt::print("point{}", spec.design == sweep::DesignKind::oneway ? "\tvaried" : "");
  for (const auto& p : spec.parameters) fmt::print("\t{}", p.name);
  fmt::print("\n");
  for (const auto& pt : spec.points) {
    if (shard && pt.index % shard->n != shard->k) continue;
    fmt::print("{}", pt.index);
    if (spec.design == sweep::DesignKind::oneway)
      fmt::print("\t{}", pt.varied < 0 ? std::string("base")
                                       : spec.parameters[static_cast<std::size_t>(pt.varied)].name);
    for (double v : pt.values) fmt::print("\t{}", v);
    fmt::print("\n");
  }
}

struct SweepRun {
  const sweep::SweepSpec& spec;
  const sweep::SweepStore& store;
  sweep::SweepHeader header;
  std::size_t reference = 0;
  std::uint64_t patients = 0;
  unsigned threads = 0;
  bool trajectories = false;

  void run_point(const sweep::SweepPoint& pt) const {
    LoadedScenario sc;
    try {
      sc = load_scenario(sweep::point_document(spec, pt));
    } catch (const InputError& e) {
      throw InputError(fmt::format("{}\n(point {} of the sweep {})", e.what(), pt.index, spec.file));
    }
    const Model& model = *sc.model;
    const auto& schema = model.schema();
    if (model.strategies() != header.shape.strategies || schema.endpoints != header.shape.endpoints ||
        schema.outcomes != header.shape.outcomes) {
      throw InputError(
          fmt::format("{}: point {} changes the scenario's strategies, endpoints or outcomes: a sweep "
                      "may only change numbers",
                      spec.file, pt.index));
    }
    report::ReportOptions ro;
    ro.landmarks = spec.landmarks;
    ro.reference = reference;
    const sweep::SweepTables tables(header.shape);
    sweep::PointRows rows(tables);
    sweep::add_point_row(tables, pt.index, pt.varied, pt.values, rows);
    for (std::uint32_t r = 0; r < spec.replicates; ++r) {
      RunOptions opt;
      opt.patients = patients;
      opt.seed = sc.settings.seed;
      opt.domain = r;
      opt.threads = threads;
      opt.mode = trajectories ? OutputMode::trajectories : OutputMode::summary_only;
      report::Report rep;
      if (trajectories) {
        io::RunAttributes attrs;
        attrs.seed = opt.seed;
        attrs.config_text = sc.document.resolved_text();
        attrs.strategy_order = model.strategies();
        attrs.extra = {{"model", sc.model_name},
                       {"config_source", fmt::format("{} point {} replicate {}", spec.file, pt.index, r)},
                       {"patients", std::to_string(patients)},
                       {"horizon_months", fmt::format("{}", model.horizon())},
                       {"endpoints", fmt::format("{}", fmt::join(schema.endpoints, ","))},
                       {"outcomes", fmt::format("{}", fmt::join(schema.outcomes, ","))},
                       {"output_mode", "trajectories"}};
        io::RunFileWriter writer(store.dir() / "points" / fmt::format("point-{}-rep-{}.h5", pt.index, r),
                                 attrs);
        run_cohort(model, opt, &writer);
        const report::FileColumns<io::RunFileWriter> cols(writer, model.strategies());
        rep = report::compute_report(cols, model.strategies(), schema.endpoints, schema.outcomes,
                                     model.horizon(), ro);
        writer.commit();
      } else {
        const RunOutcome outcome = run_cohort(model, opt, nullptr);
        const report::MemoryColumns cols(outcome, schema.endpoints, schema.outcomes);
        rep = report::compute_report(cols, model.strategies(), schema.endpoints, schema.outcomes,
                                     model.horizon(), ro);
      }
      sweep::add_report_rows(tables, pt.index, r, pt.values, rep, rows);
    }
    store.write_point(header, pt.index, rows);
  }
};

}  // namespace

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
  std::optional<ShardId> explicit_shard;
  if (vm.count("shard"))
    explicit_shard = sweep::parse_shard(vm["shard"].as<std::string>(), "mmsim sweep --shard");
  const bool list = vm.count("list") > 0;
  if (!list && !vm.count("output")) throw InputError("mmsim sweep: name the output directory with -o OUTDIR");
  const auto patients = integer_option(vm, "sweep", "patients", 1, kMaxPatients);
  const auto threads = static_cast<unsigned>(*integer_option(vm, "sweep", "threads", 0, kMaxThreads));
  const bool quiet = vm.count("quiet") > 0;

  const MpiSession mpi;  // before anything that can fail, so every rank agrees at the end
  const bool use_mpi = !explicit_shard && mpi.sharding();
  std::exception_ptr failure;
  ShardId shard{0, 1};
  int source = 0;
  std::optional<sweep::SweepStore> store;
  try {
    const sweep::SweepSpec spec = sweep::read_sweep(
        vm["sweep"].as<std::string>(), [](config::ConfigDocument d) { (void)load_scenario(std::move(d)); });
    if (explicit_shard) {
      shard = *explicit_shard;
      source = 1;
    } else if (use_mpi) {
      shard = {static_cast<std::uint64_t>(mpi.rank()), static_cast<std::uint64_t>(mpi.size())};
      source = 2;
    } else if (const auto s = slurm_shard()) {
      shard = *s;
      source = 3;
    }
    if (list) {
      if (mpi.rank() == 0) print_list(spec, source == 0 ? std::nullopt : std::optional<ShardId>(shard));
    } else {
      io::check_output_dir(vm["output"].as<std::string>(), {"sweep.h5", "sweep.csv"});
      const LoadedScenario base = load_scenario(spec.base);
      const Model& model = *base.model;
      SweepRun run{spec, store.emplace(vm["output"].as<std::string>()), {}, 0, 0, 0, false};
      run.patients = patients            ? static_cast<std::uint64_t>(*patients)
                     : spec.patients > 0 ? spec.patients
                                         : base.settings.patients;
      run.threads = threads;
      run.trajectories = vm.count("trajectories") > 0;
      if (!spec.reference.empty()) {
        const auto& s = model.strategies();
        const auto it = std::find(s.begin(), s.end(), spec.reference);
        if (it == s.end())
          throw InputError(fmt::format("{}: reference strategy \"{}\" is not a strategy of {} ({})",
                                       spec.file, spec.reference, spec.base_file, fmt::join(s, ", ")));
        run.reference = static_cast<std::size_t>(it - s.begin());
      }
      const std::string resolved =
          fmt::format("{}\n# cohort size per point\n# patients = {}\n", spec.resolved_text(), run.patients);
      auto& h = run.header;
      h.hash = sweep::text_hash(resolved);
      h.points_total = spec.points.size();
      h.seed = spec.seed;
      h.base_config = spec.base.resolved_text();
      h.extra = {{"sweep", spec.document.resolved_text()},
                 {"design", sweep::design_name(spec.design)},
                 {"model", base.model_name},
                 {"patients", std::to_string(run.patients)}};
      for (const auto& p : spec.parameters) h.shape.parameters.push_back(p.name);
      h.shape.strategies = model.strategies();
      h.shape.endpoints = model.schema().endpoints;
      h.shape.outcomes = model.schema().outcomes;
      h.shape.landmarks = spec.landmarks;
      h.shape.replicates = spec.replicates;
      store->claim(h.hash, resolved);

      const auto mine = sweep::shard_points(spec.points.size(), shard);
      const std::string tag = fmt::format("[shard {}/{}{}]", shard.k, shard.n, shard_source_name(source));
      if (store->shard_done(shard, h.hash)) {
        if (!quiet) fmt::print("{} already complete: {}\n", tag, store->shard_file(shard).string());
      } else {
        store->remove_stale_temporaries(shard, mine);
        const auto t0 = std::chrono::steady_clock::now();
        std::size_t ran = 0, skipped = 0;
        for (std::uint64_t p : mine) {
          if (store->point_done(p, h.hash)) {
            ++skipped;
            continue;
          }
          const auto t1 = std::chrono::steady_clock::now();
          run.run_point(spec.points[p]);
          ++ran;
          if (!quiet) {
            fmt::print("{} point {} done ({}/{}, {:.2f} s)\n", tag, p, ran + skipped, mine.size(),
                       std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count());
            std::fflush(stdout);
          }
        }
        store->write_shard(h, shard, mine);
        if (!quiet) {
          const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
          fmt::print("{} {} point(s) run, {} already complete, in {:.2f} s ({:.2f} points/s): {}\n", tag, ran,
                     skipped, s, s > 0 ? static_cast<double>(ran) / s : 0.0,
                     store->shard_file(shard).string());
        }
      }
    }
  } catch (...) {
    failure = std::current_exception();
  }
  // Under MPI every rank reaches this point, failed or not; rank 0 merges only when every rank succeeded.
  const bool all_ok = mpi.all(failure == nullptr);
  if (failure) std::rethrow_exception(failure);
  if (list) return kExitOk;
  if (source == 0 || source == 2) {
    if (!all_ok) throw std::runtime_error("a shard failed on another MPI rank: nothing was merged");
    if (mpi.rank() == 0) {
      const std::uint64_t n = store->merge(shard.n);
      if (!quiet) fmt::print("merged {} point(s) into {}\n", n, (store->dir() / "sweep.h5").string());
    }
  }
  return kExitOk;
}

}  // namespace mmsim::cli
