#include "sim/sweep/sweep_driver.hpp"

#include <fmt/format.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_pipeline.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <vector>

#include "sim/core/errors.hpp"
#include "sim/sweep/mpi_session.hpp"
#include "sim/sweep/sweep_listing.hpp"
#include "sim/sweep/sweep_spec.hpp"
#include "sim/sweep/sweep_store.hpp"

namespace mmsim::sweep {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

std::size_t reference_index(const SweepSpec& spec, const Model& model) {
  if (spec.reference.empty()) return 0;
  const auto& s = model.strategies();
  const auto it = std::find(s.begin(), s.end(), spec.reference);
  if (it == s.end())
    throw InputError(fmt::format("{}: reference strategy \"{}\" is not a strategy of {} ({})", spec.file,
                                 spec.reference, spec.base_file, fmt::join(s, ", ")));
  return static_cast<std::size_t>(it - s.begin());
}

// The text the OUTDIR's hash is computed from: the sweep, its base scenario and the cohort size.
std::string hashed_text(const SweepSpec& spec, std::uint64_t patients) {
  return fmt::format("{}\n# cohort size per point\n# patients = {}\n", spec.resolved_text(), patients);
}

// What every file of the sweep carries.
SweepHeader make_header(const SweepSpec& spec, const BuiltScenario& base, std::uint64_t patients,
                        const std::string& hashed) {
  const Model& model = *base.model;
  SweepHeader h;
  h.hash = text_hash(hashed);
  h.points_total = spec.points.size();
  h.seed = spec.seed;
  h.base_config = spec.base.resolved_text();
  h.extra = {{"sweep", spec.document.resolved_text()},
             {"design", design_name(spec.design)},
             {"model", base.model_name},
             {"patients", std::to_string(patients)}};
  for (const auto& p : spec.parameters) h.shape.parameters.push_back(p.name);
  h.shape.strategies = model.strategies();
  h.shape.endpoints = model.schema().endpoints;
  h.shape.outcomes = model.schema().outcomes;
  h.shape.landmarks = spec.landmarks;
  h.shape.replicates = spec.replicates;
  h.shape.economics = base.economics != nullptr;
  return h;
}

// Simulates several points at once, one thread each, and stores them one at a time in point order. A point
// is a small cohort (10^4 patients in the PSA) whose statistics, scenario build and file writing are serial:
// run one after another on all threads, the PSA kept 1.3 of 2 cores busy; side by side, each point's serial
// parts overlap another's simulation. Every HDF5 call (the point files) is in the serial, in-order stage,
// since the library is not thread-safe; the rows do not depend on the thread count.
void run_points_in_parallel(const SweepSpec& spec, const PointRunner& runner,
                            const std::vector<std::uint64_t>& points, unsigned threads,
                            const std::function<void(std::uint64_t, double)>& done) {
  struct Simulated {
    std::uint64_t point = 0;
    std::optional<PointRows> rows;
    double seconds = 0.0;
  };
  std::size_t next = 0;
  tbb::task_arena arena(static_cast<int>(threads));
  arena.execute([&] {
    tbb::parallel_pipeline(threads,
                           tbb::make_filter<void, std::shared_ptr<Simulated>>(
                               tbb::filter_mode::serial_in_order,
                               [&](tbb::flow_control& fc) -> std::shared_ptr<Simulated> {
                                 if (next == points.size()) {
                                   fc.stop();
                                   return nullptr;
                                 }
                                 auto s = std::make_shared<Simulated>();
                                 s->point = points[next++];
                                 return s;
                               }) &
                               tbb::make_filter<std::shared_ptr<Simulated>, std::shared_ptr<Simulated>>(
                                   tbb::filter_mode::parallel,
                                   [&](std::shared_ptr<Simulated> s) {
                                     const auto t1 = std::chrono::steady_clock::now();
                                     s->rows.emplace(runner.simulate(spec.points[s->point], 1));
                                     s->seconds = seconds_since(t1);
                                     return s;
                                   }) &
                               tbb::make_filter<std::shared_ptr<Simulated>, void>(
                                   tbb::filter_mode::serial_in_order, [&](std::shared_ptr<Simulated> s) {
                                     runner.store(spec.points[s->point], *s->rows);
                                     done(s->point, s->seconds);
                                   }));
  });
}

// Runs the shard's points that are not complete yet and writes its shard file.
void run_shard(const SweepSpec& spec, const SweepStore& store, const SweepRequest& request,
               const ScenarioBuilder& build, const ShardAssignment& assignment) {
  const BuiltScenario base = build(spec.base);
  PointRunSettings settings;
  settings.patients = request.patients    ? *request.patients
                      : spec.patients > 0 ? spec.patients
                                          : base.settings.patients;
  settings.threads = request.threads;
  settings.trajectories = request.trajectories;
  settings.reference = reference_index(spec, *base.model);
  const std::string hashed = hashed_text(spec, settings.patients);
  const SweepHeader h = make_header(spec, base, settings.patients, hashed);
  store.claim(h.hash, hashed);

  const ShardId shard = assignment.shard;
  const auto mine = shard_points(spec.points.size(), shard);
  const std::string tag = shard_tag(assignment);
  const bool quiet = request.quiet;
  if (store.shard_done(shard, h.hash)) {
    if (!quiet) fmt::print("{} already complete: {}\n", tag, store.shard_file(shard).string());
    return;
  }
  store.remove_stale_temporaries();
  const PointRunner runner(spec, store, h, build, settings);
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<std::uint64_t> pending;
  for (std::uint64_t p : mine) {
    if (!store.point_done(p, h.hash)) pending.push_back(p);
  }
  const std::size_t skipped = mine.size() - pending.size();
  std::size_t ran = 0;
  auto report_done = [&](std::uint64_t p, double seconds) {
    ++ran;
    if (!quiet) {
      fmt::print("{} point {} done ({}/{}, {:.2f} s)\n", tag, p, ran + skipped, mine.size(), seconds);
      std::fflush(stdout);
    }
  };
  const unsigned threads =
      request.threads == 0 ? static_cast<unsigned>(tbb::info::default_concurrency()) : request.threads;
  if (threads > 1 && pending.size() > 1 && !runner.writes_files()) {
    run_points_in_parallel(spec, runner, pending, threads, report_done);
  } else {
    for (std::uint64_t p : pending) {
      const auto t1 = std::chrono::steady_clock::now();
      runner.run(spec.points[p]);
      report_done(p, seconds_since(t1));
    }
  }
  store.write_shard(h, shard, mine);
  if (!quiet) {
    const double s = seconds_since(t0);
    fmt::print("{} {} point(s) run, {} already complete, in {:.2f} s ({:.2f} points/s): {}\n", tag, ran,
               skipped, s, s > 0 ? static_cast<double>(ran) / s : 0.0, store.shard_file(shard).string());
  }
}

}  // namespace

void run_sweep(const SweepRequest& request, const ScenarioBuilder& build, const Environment& env) {
  const MpiSession mpi(env);  // before anything that can fail, so every rank agrees at the end
  std::exception_ptr failure;
  ShardAssignment assignment;
  const SweepStore store(request.output);
  try {
    const SweepSpec spec =
        read_sweep(request.sweep_file, [&](config::ConfigDocument d) { (void)build(std::move(d)); });
    assignment = assign_shard(request.shard, mpi.shard(), env);
    if (mpi.rank() == 0) {
      for (const auto& w : spec.warnings) fmt::print(stderr, "{}\n", w);
    }
    if (request.list) {
      if (mpi.rank() == 0) {
        const bool sharded = assignment.source != ShardSource::whole_sweep;
        write_sweep_listing(spec, sharded ? std::optional<ShardId>(assignment.shard) : std::nullopt,
                            std::cout);
        std::cout.flush();
      }
    } else {
      run_shard(spec, store, request, build, assignment);
    }
  } catch (...) {
    failure = std::current_exception();
  }
  // Under MPI every rank reaches this point, failed or not; rank 0 merges only when every rank succeeded.
  const bool all_ok = mpi.all(failure == nullptr);
  if (failure) std::rethrow_exception(failure);
  if (request.list) return;
  if (assignment.source == ShardSource::whole_sweep || assignment.source == ShardSource::mpi) {
    if (!all_ok) throw std::runtime_error("a shard failed on another MPI rank: nothing was merged");
    if (mpi.rank() == 0) {
      const std::uint64_t n = store.merge(assignment.shard.n);
      if (!request.quiet) fmt::print("merged {} point(s) into {}\n", n, (store.dir() / "sweep.h5").string());
    }
  }
}

}  // namespace mmsim::sweep
