#include "sim/sweep/sweep_store.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <set>

#include "sim/core/errors.hpp"
#include "sim/io/atomic_output.hpp"
#include "sim/io/run_file.hpp"
#include "sim/io/run_layout.hpp"

namespace mmsim::sweep {
namespace fs = std::filesystem;
namespace {

// The economics table exists only in sweeps whose base scenario has [economics] (TableShape::economics).
const char* const kTables[] = {"/sweep/points", "/sweep/endpoints", "/sweep/rates", "/sweep/economics"};
constexpr int kMaxTables = 4;

int table_count(const TableShape& shape) {
  return shape.economics ? 4 : 3;
}
const std::vector<std::string> kHeaderExtras{"sweep", "design", "model", "patients"};

io::RunAttributes attributes(const SweepHeader& h, const std::string& filetype, bool with_config) {
  io::RunAttributes a;
  a.filetype = filetype;
  a.seed = h.seed;
  if (with_config) a.config_text = h.base_config;
  a.strategy_order = h.shape.strategies;
  a.extra = {{"sweep_hash", h.hash}, {"points_total", std::to_string(h.points_total)}};
  if (with_config) {
    for (const auto& e : h.extra) a.extra.push_back(e);
  }
  for (const auto& e : shape_attributes_with_economics(h.shape)) a.extra.push_back(e);
  return a;
}

// Whether a sweep file carries the economics table (the attribute only economics sweeps write).
bool has_economics(const io::RunFileReader& r) {
  try {
    return r.string_attribute("/", io::layout::kSweepEconomics) == "1";
  } catch (const std::exception&) {
    return false;
  }
}

SweepHeader read_header(const io::RunFileReader& r) {
  SweepHeader h;
  h.hash = r.string_attribute("/", "sweep_hash");
  h.points_total = std::stoull(r.string_attribute("/", "points_total"));
  h.seed = r.seed();
  h.base_config = r.string_attribute("/", "config");
  for (const auto& name : kHeaderExtras) h.extra.emplace_back(name, r.string_attribute("/", name));
  std::vector<std::pair<std::string, std::string>> shape;
  for (const auto& name : shape_attribute_names()) shape.emplace_back(name, r.string_attribute("/", name));
  try {
    shape.emplace_back(io::layout::kSweepEconomics, r.string_attribute("/", io::layout::kSweepEconomics));
  } catch (const std::exception&) {  // a sweep without economics
  }
  h.shape = shape_from_attributes(shape);
  return h;
}

std::string hash_of(const fs::path& file) {
  const io::RunFileReader r(file);
  return r.string_attribute("/", "sweep_hash");
}

// Raw rows of the three tables, and their row counts, appended to `bytes`.
struct Rows {
  std::vector<std::byte> bytes[kMaxTables];
  std::size_t rows[kMaxTables] = {0, 0, 0, 0};
};

void write_tables(io::RunFileWriter& w, const SweepTables& t, const Rows& rows) {
  const TableLayout* layouts[] = {&t.points, &t.endpoints, &t.rates, &t.economics};
  for (int i = 0; i < table_count(t.shape); ++i)
    w.write_table_rows(kTables[i], *layouts[i], rows.bytes[i].data(), rows.rows[i]);
}

}  // namespace

std::string text_hash(const std::string& text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return fmt::format("{:016x}", h);
}

void SweepStore::claim(const std::string& hash, const std::string& resolved_text) const {
  const fs::path file = dir_ / "sweep_hash";
  std::error_code ec;
  if (fs::exists(dir_, ec) && !fs::is_directory(dir_, ec))
    throw InputError(fmt::format("sweep output {}: is not a directory", dir_.string()));
  // A folder that is not a sweep's (no sweep_hash) may be used only if nothing in it has a name the sweep
  // writes: a user's own points.csv or points/ must never be replaced (the SLURM scripts' logs/ is fine).
  if (!fs::exists(file, ec)) {
    for (const char* name :
         {"sweep_resolved.toml", "shards", "points", "sweep.h5", "sweep.csv", "rates.csv", "points.csv"}) {
      if (fs::exists(fs::symlink_status(dir_ / name, ec))) {
        throw InputError(
            fmt::format("sweep output {}: is not a sweep's output directory (no sweep_hash) but holds {}, "
                        "which the sweep "
                        "would replace; name a new directory",
                        dir_.string(), name));
      }
    }
  }
  // Only the folder itself before the claim: the names checked above appear after sweep_hash does, so another
  // rank or array task of the same sweep checking at the same moment never mistakes this one's shards folder
  // for a user's files.
  fs::create_directories(dir_);
  if (!fs::exists(file)) {
    // The claim is one atomic step: the hash file is written whole under a private name, then linked to its
    // final name, which fails if another task claimed the directory first (then its hash is compared below).
    io::AtomicOutput claim(file);
    claim.write(hash + "\n");
    if (::link(claim.temp_path().c_str(), file.c_str()) == 0)
      io::write_text_atomically(dir_ / "sweep_resolved.toml", resolved_text);
    else if (errno != EEXIST)
      throw std::system_error(errno, std::generic_category(), "claiming " + dir_.string());
  }
  std::ifstream in(file);
  std::string recorded;
  std::getline(in, recorded);
  if (recorded != hash) {
    throw InputError(fmt::format(
        "{} holds the results of a different sweep (its hash is {}, this sweep's is {}): the sweep file, its "
        "base scenario or the cohort size changed since. Use a new output directory, or delete {} to start "
        "over (see {} for what it ran).",
        dir_.string(), recorded, hash, dir_.string(), (dir_ / "sweep_resolved.toml").string()));
  }
  fs::create_directories(dir_ / "shards" / "points");
}

fs::path SweepStore::point_file(std::uint64_t point) const {
  return dir_ / "shards" / "points" / fmt::format("point-{}.h5", point);
}

fs::path SweepStore::shard_file(ShardId s) const {
  return dir_ / "shards" / fmt::format("shard-{}-of-{}.h5", s.k, s.n);
}

bool SweepStore::point_done(std::uint64_t point, const std::string& hash) const {
  const fs::path f = point_file(point);
  if (!fs::exists(f)) return false;
  try {
    // Of this sweep, of this point (a file copied under another index is not), and every chunk readable
    // (its Fletcher32 checksums verified): a damaged record is computed again, never kept.
    const io::RunFileReader r(f);
    if (r.string_attribute("/", "sweep_hash") != hash ||
        r.string_attribute("/", "point") != std::to_string(point))
      return false;
    const int tables = has_economics(r) ? 4 : 3;
    for (int i = 0; i < tables; ++i) (void)r.read_raw(kTables[i]);
    return true;
  } catch (const std::exception&) {
    return false;  // unreadable: computed again
  }
}

bool SweepStore::shard_done(ShardId shard, const std::string& hash) const {
  const fs::path f = shard_file(shard);
  if (!fs::exists(f)) return false;
  try {
    return hash_of(f) == hash;
  } catch (const std::exception&) {
    return false;
  }
}

void SweepStore::remove_stale_temporaries() const {
  for (const fs::path& dir : {dir_, dir_ / "shards", dir_ / "shards" / "points", dir_ / "points"})
    (void)io::remove_dead_temporaries(dir);
}

void SweepStore::write_point(const SweepHeader& h, std::uint64_t point, const PointRows& rows) const {
  const SweepTables t(h.shape);
  io::RunAttributes a = attributes(h, "shard", false);
  a.extra.emplace_back("point", std::to_string(point));
  io::RunFileWriter w(point_file(point), a);
  Rows r;
  const TableBuffer* bufs[] = {&rows.points, &rows.endpoints, &rows.rates, &rows.economics};
  for (int i = 0; i < table_count(t.shape); ++i) {
    r.bytes[i].assign(bufs[i]->data(), bufs[i]->data() + bufs[i]->size_bytes());
    r.rows[i] = bufs[i]->rows();
  }
  write_tables(w, t, r);
  w.commit();
}

void SweepStore::write_shard(const SweepHeader& h, ShardId shard,
                             const std::vector<std::uint64_t>& points) const {
  const SweepTables t(h.shape);
  const std::size_t per_point[] = {1, t.endpoint_rows_per_point(), t.rate_rows_per_point(),
                                   t.economics_rows_per_point()};
  Rows all;
  for (std::uint64_t p : points) {
    const io::RunFileReader r(point_file(p));
    if (r.string_attribute("/", "sweep_hash") != h.hash)
      throw std::runtime_error(fmt::format("{} belongs to another sweep", point_file(p).string()));
    for (int i = 0; i < table_count(t.shape); ++i) {
      const auto bytes = r.read_raw(kTables[i]);
      const std::size_t n = r.rows(kTables[i]);
      if (n != per_point[i])
        throw std::runtime_error(fmt::format("{}: {} has {} rows, expected {}", point_file(p).string(),
                                             kTables[i], n, per_point[i]));
      all.bytes[i].insert(all.bytes[i].end(), bytes.begin(), bytes.end());
      all.rows[i] += n;
    }
  }
  io::RunAttributes a = attributes(h, "shard", true);
  a.extra.emplace_back("shard", fmt::format("{}/{}", shard.k, shard.n));
  io::RunFileWriter w(shard_file(shard), a);
  write_tables(w, t, all);
  w.commit();
}

std::uint64_t SweepStore::merge(std::optional<std::uint64_t> n_given) const {
  const fs::path shards = dir_ / "shards";
  if (!fs::exists(dir_ / "sweep_hash"))
    throw InputError(fmt::format(
        "{} is not a sweep output directory (no sweep_hash): run 'mmsim sweep' first", dir_.string()));
  std::ifstream in(dir_ / "sweep_hash");
  std::string hash;
  std::getline(in, hash);

  static const std::regex form(R"(^shard-(\d+)-of-(\d+)\.h5$)");
  std::set<std::uint64_t> counts;
  std::vector<std::pair<ShardId, bool>> found;  // (shard, only a temporary: AtomicOutput's private folder)
  const auto note = [&](const fs::path& file, bool temporary) {
    std::smatch m;
    const std::string name = file.filename().string();
    if (!std::regex_match(name, m, form)) return;
    const ShardId s{std::stoull(m[1]), std::stoull(m[2])};
    found.emplace_back(s, temporary);
    if (!temporary) counts.insert(s.n);
  };
  if (fs::exists(shards)) {
    for (const auto& entry : fs::directory_iterator(shards)) {
      if (entry.path().filename().string().rfind(".mmsim-", 0) == 0 && entry.is_directory()) {
        for (const auto& inner : fs::directory_iterator(entry.path())) note(inner.path(), true);
      } else {
        note(entry.path(), false);
      }
    }
  }
  std::uint64_t n = 0;
  if (n_given) {
    n = *n_given;
  } else if (counts.size() == 1) {
    n = *counts.begin();
  } else if (counts.empty()) {
    for (const auto& [s, tmp] : found) counts.insert(s.n);
    if (counts.size() != 1)
      throw InputError(
          fmt::format("{}: no complete shard file to merge (run 'mmsim sweep' first)", shards.string()));
    n = *counts.begin();
  } else {
    std::string list;
    for (auto c : counts) list += (list.empty() ? "" : ", ") + std::to_string(c);
    throw InputError(
        fmt::format("{} holds shards of several runs (N = {}): name the one to merge with --shards N",
                    shards.string(), list));
  }

  std::vector<std::string> problems;
  for (std::uint64_t k = 0; k < n; ++k) {
    const ShardId s{k, n};
    if (fs::exists(shard_file(s))) continue;
    const bool partial = std::any_of(found.begin(), found.end(), [&](const auto& f) {
      return f.second && f.first.k == k && f.first.n == n;
    });
    problems.push_back(
        fmt::format("shard {}/{} is {}: {}", k, n,
                    partial ? "partial (only a temporary file: its task did not finish)" : "missing",
                    shard_file(s).string()));
  }
  if (!problems.empty()) {
    std::string text;
    for (const auto& p : problems) text += p + "\n";
    throw InputError(
        fmt::format("{}cannot merge {}: re-run the missing shards ('mmsim sweep ... --shard K/{}' "
                    "resumes where they stopped), then merge again",
                    text, dir_.string(), n));
  }

  // Every shard: of this sweep, and holding exactly its points.
  std::vector<std::unique_ptr<io::RunFileReader>> readers;
  SweepHeader header;
  for (std::uint64_t k = 0; k < n; ++k) {
    const ShardId s{k, n};
    auto r = std::make_unique<io::RunFileReader>(shard_file(s));
    const SweepHeader h = read_header(*r);
    if (r->filetype() != "shard" || h.hash != hash)
      throw InputError(fmt::format("{} belongs to another sweep (hash {}, OUTDIR's is {})",
                                   shard_file(s).string(), h.hash, hash));
    if (k == 0) header = h;
    const auto points = r->read_u64_column(kTables[0], "point");
    if (points != shard_points(header.points_total, s))
      throw InputError(fmt::format("{} does not hold the points of shard {}/{} of a {}-point sweep",
                                   shard_file(s).string(), k, n, header.points_total));
    readers.push_back(std::move(r));
  }

  const SweepTables t(header.shape);
  const std::size_t per_point[] = {1, t.endpoint_rows_per_point(), t.rate_rows_per_point(),
                                   t.economics_rows_per_point()};
  std::size_t row_size[] = {t.points.row_size(), t.endpoints.row_size(), t.rates.row_size(),
                            t.economics.row_size()};
  Rows merged;
  for (int i = 0; i < table_count(t.shape); ++i) {
    std::vector<std::vector<std::byte>> parts;
    for (const auto& r : readers) {
      parts.push_back(r->read_raw(kTables[i]));
      const std::size_t expected =
          shard_points(header.points_total, ShardId{parts.size() - 1, n}).size() * per_point[i];
      if (parts.back().size() != expected * row_size[i])
        throw InputError(fmt::format("{}: {} has {} bytes, expected {} rows",
                                     shard_file({parts.size() - 1, n}).string(), kTables[i],
                                     parts.back().size(), expected));
    }
    const std::size_t block = per_point[i] * row_size[i];
    merged.bytes[i].reserve(header.points_total * block);
    for (std::uint64_t p = 0; p < header.points_total; ++p) {
      const auto& part = parts[p % n];
      const auto at = part.begin() + static_cast<std::ptrdiff_t>((p / n) * block);
      merged.bytes[i].insert(merged.bytes[i].end(), at, at + static_cast<std::ptrdiff_t>(block));
    }
    merged.rows[i] = header.points_total * per_point[i];
  }

  io::RunFileWriter w(dir_ / "sweep.h5", attributes(header, "sweep", true));
  write_tables(w, t, merged);
  io::write_text_atomically(dir_ / "sweep.csv", to_csv(t.endpoints, merged.bytes[1].data(), merged.rows[1]));
  io::write_text_atomically(dir_ / "rates.csv", to_csv(t.rates, merged.bytes[2].data(), merged.rows[2]));
  io::write_text_atomically(dir_ / "points.csv", to_csv(t.points, merged.bytes[0].data(), merged.rows[0]));
  if (t.shape.economics) {
    io::write_text_atomically(dir_ / "economics.csv",
                              to_csv(t.economics, merged.bytes[3].data(), merged.rows[3]));
  }
  w.commit();
  return header.points_total;
}

}  // namespace mmsim::sweep
