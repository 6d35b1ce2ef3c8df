#pragma once
// A sweep's output directory:
//
//   OUTDIR/sweep_hash             hash of the resolved sweep (sweep file + base scenario + cohort size); a
//                                 different sweep is refused
//   OUTDIR/sweep_resolved.toml    the text the hash was computed from
//   OUTDIR/shards/points/point-P.h5   one point's rows, written when the point is complete (resume records)
//   OUTDIR/shards/shard-K-of-N.h5     the rows of every point of shard K, written when the shard is complete
//   OUTDIR/sweep.h5, sweep.csv, rates.csv   the merge of every shard
//
// Every file is written through io::AtomicOutput (a private temporary, renamed when complete), so a killed
// task leaves at most a temporary folder, never a partial file under a final name. A resumed run keeps a
// point file only if it is of this sweep and this point and every chunk passes its checksum. Point p belongs
// to shard p mod N.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/sweep/sharding.hpp"
#include "sim/sweep/sweep_table.hpp"

namespace mmsim::sweep {

// 64-bit FNV-1a of the text, as 16 hex digits.
std::string text_hash(const std::string& text);

// What every file of a sweep carries besides its rows.
struct SweepHeader {
  std::string hash;
  std::uint64_t points_total = 0;
  std::uint64_t seed = 0;
  std::string base_config;                                 // the base scenario, resolved
  std::vector<std::pair<std::string, std::string>> extra;  // sweep text, design, model, patients
  TableShape shape;
};

class SweepStore {
 public:
  explicit SweepStore(std::filesystem::path outdir) : dir_(std::move(outdir)) {}
  const std::filesystem::path& dir() const { return dir_; }

  // Records the sweep's hash in a new OUTDIR, or checks it against an existing one (InputError on mismatch).
  void claim(const std::string& hash, const std::string& resolved_text) const;

  std::filesystem::path point_file(std::uint64_t point) const;
  std::filesystem::path shard_file(ShardId shard) const;
  bool point_done(std::uint64_t point, const std::string& hash) const;
  bool shard_done(ShardId shard, const std::string& hash) const;
  // Removes the temporaries that killed earlier runs (dead processes on this host) left in OUTDIR; those of
  // live runs, and of other hosts sharing the directory, are never touched.
  void remove_stale_temporaries() const;

  void write_point(const SweepHeader& h, std::uint64_t point, const PointRows& rows) const;
  // Joins the shard's point files into its shard file.
  void write_shard(const SweepHeader& h, ShardId shard, const std::vector<std::uint64_t>& points) const;

  // Checks that every shard of N (given, or the only N present) is present, complete and of this sweep, and
  // writes sweep.h5, sweep.csv and rates.csv. Returns the number of points merged.
  std::uint64_t merge(std::optional<std::uint64_t> n) const;

 private:
  std::filesystem::path dir_;
};

}  // namespace mmsim::sweep
