#include "sim/sweep/sharding.hpp"

#include <fmt/format.h>

#include <charconv>
#include <regex>

#include "sim/core/errors.hpp"

namespace mmsim::sweep {
namespace {

// A variable that must be a decimal number when set; nothing when unset or empty.
std::optional<std::uint64_t> env_integer(const Environment& env, const char* name) {
  const auto text = env(name);
  if (!text || text->empty()) return std::nullopt;
  std::uint64_t value = 0;
  const char* end = text->data() + text->size();
  const auto [stop, error] = std::from_chars(text->data(), end, value);
  if (error != std::errc() || stop != end)
    throw InputError(fmt::format("mmsim sweep: environment variable {}=\"{}\" is not a number", name, *text));
  return value;
}

}  // namespace

ShardId parse_shard(const std::string& text, const std::string& what) {
  static const std::regex form(R"(^\s*(\d{1,9})\s*/\s*(\d{1,9})\s*$)");
  std::smatch m;
  if (!std::regex_match(text, m, form))
    throw InputError(fmt::format("{}: \"{}\" is not K/N (shard K of N, K from 0)", what, text));
  const ShardId s{std::stoull(m[1]), std::stoull(m[2])};
  if (s.n == 0 || s.k >= s.n)
    throw InputError(fmt::format("{}: \"{}\": need 0 <= K < N (shards are numbered from 0)", what, text));
  return s;
}

std::vector<std::uint64_t> shard_points(std::uint64_t total, ShardId shard) {
  std::vector<std::uint64_t> out;
  for (std::uint64_t p = shard.k; p < total; p += shard.n) out.push_back(p);
  return out;
}

std::optional<ShardId> slurm_shard(const Environment& env) {
  const auto id = env_integer(env, "SLURM_ARRAY_TASK_ID");
  if (!id) return std::nullopt;
  const auto min = env_integer(env, "SLURM_ARRAY_TASK_MIN");
  const auto max = env_integer(env, "SLURM_ARRAY_TASK_MAX");
  const auto count = env_integer(env, "SLURM_ARRAY_TASK_COUNT");
  const auto step = env_integer(env, "SLURM_ARRAY_TASK_STEP");
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
  // Unsigned arithmetic: an id below the minimum wraps to a value >= count.
  if (*count == 0 || *id - *min >= *count) {
    throw InputError(
        fmt::format("mmsim sweep: SLURM_ARRAY_TASK_ID={} is not a task of the job array (min {}, count {}): "
                    "pass --shard K/N",
                    *id, *min, *count));
  }
  return ShardId{*id - *min, *count};
}

ShardAssignment assign_shard(std::optional<ShardId> option, std::optional<ShardId> mpi,
                             const Environment& env) {
  if (option) return {*option, ShardSource::option};
  if (mpi) return {*mpi, ShardSource::mpi};
  if (const auto slurm = slurm_shard(env)) return {*slurm, ShardSource::slurm};
  return {};
}

std::string shard_tag(const ShardAssignment& a) {
  const char* from = "";
  switch (a.source) {
    case ShardSource::whole_sweep:
      break;
    case ShardSource::option:
      from = " from --shard";
      break;
    case ShardSource::mpi:
      from = " from MPI";
      break;
    case ShardSource::slurm:
      from = " from the SLURM array";
      break;
  }
  return fmt::format("[shard {}/{}{}]", a.shard.k, a.shard.n, from);
}

}  // namespace mmsim::sweep
