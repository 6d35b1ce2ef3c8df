// Sharding (sim/sweep/sharding.hpp): --shard parsing, the points of a shard, SLURM job-array variables
// (including bad and inconsistent values) and which source wins; the MPI session outside an MPI launcher
// (sim/sweep/mpi_session.hpp). MPI itself runs in tests/cli/test_sweep_mpi.sh, SLURM in test_sweep_slurm.sh.
#include <fmt/format.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <optional>
#include <string>

#include "sim/core/errors.hpp"
#include "sim/sweep/mpi_session.hpp"
#include "sim/sweep/sharding.hpp"
#include "tests/unit/input_error.hpp"

namespace {

using namespace mmsim;
using namespace mmsim::sweep;

Environment environment(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    const auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

std::string error_of(const Environment& env) {
  return test::input_error_of([&] { (void)slurm_shard(env); });
}

bool same(std::optional<ShardId> a, ShardId b) {
  return a && a->k == b.k && a->n == b.n;
}

}  // namespace

TEST_CASE("shard option K/N", "[sweep][shard]") {
  const ShardId s = parse_shard(" 2 / 7 ", "--shard");
  CHECK(s.k == 2);
  CHECK(s.n == 7);
  for (const char* bad : {"3/3", "0/0", "1", "a/b", "-1/3", "1/3/4", ""}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_shard(bad, "--shard"), InputError);
  }
  CHECK_THROWS_WITH(parse_shard("3/3", "mmsim sweep --shard"),
                    Catch::Contains("mmsim sweep --shard: \"3/3\": need 0 <= K < N"));
}

TEST_CASE("shard K of N holds the points p with p mod N = K", "[sweep][shard]") {
  CHECK(shard_points(10, {1, 3}) == std::vector<std::uint64_t>{1, 4, 7});
  CHECK(shard_points(10, {0, 1}).size() == 10);
  CHECK(shard_points(2, {4, 5}).empty());
  // Every point in exactly one shard.
  std::vector<int> seen(23, 0);
  for (std::uint64_t k = 0; k < 4; ++k)
    for (std::uint64_t p : shard_points(23, {k, 4})) ++seen[p];
  CHECK(std::count(seen.begin(), seen.end(), 1) == 23);
}

TEST_CASE("SLURM array variables: K = task id - min, N = count", "[sweep][shard]") {
  CHECK(!slurm_shard(environment({})));
  CHECK(!slurm_shard(environment({{"SLURM_ARRAY_TASK_ID", ""}})));  // empty counts as unset
  CHECK(same(
      slurm_shard(environment(
          {{"SLURM_ARRAY_TASK_ID", "2"}, {"SLURM_ARRAY_TASK_MIN", "0"}, {"SLURM_ARRAY_TASK_COUNT", "3"}})),
      {2, 3}));
  // An array 5-8 (max and step 1 given, as SLURM sets them).
  CHECK(same(slurm_shard(environment({{"SLURM_ARRAY_TASK_ID", "6"},
                                      {"SLURM_ARRAY_TASK_MIN", "5"},
                                      {"SLURM_ARRAY_TASK_MAX", "8"},
                                      {"SLURM_ARRAY_TASK_COUNT", "4"},
                                      {"SLURM_ARRAY_TASK_STEP", "1"}})),
             {1, 4}));
}

TEST_CASE("SLURM array variables: bad values are errors naming the variable", "[sweep][shard]") {
  for (const char* bad : {"x", "12abc", "-1", " 3", "1.5", "99999999999999999999999"}) {
    INFO(bad);
    const std::string m = error_of(environment(
        {{"SLURM_ARRAY_TASK_ID", "1"}, {"SLURM_ARRAY_TASK_MIN", bad}, {"SLURM_ARRAY_TASK_COUNT", "3"}}));
    CHECK(m ==
          fmt::format("mmsim sweep: environment variable SLURM_ARRAY_TASK_MIN=\"{}\" is not a number", bad));
  }
  CHECK_THAT(error_of(environment({{"SLURM_ARRAY_TASK_ID", "1"}, {"SLURM_ARRAY_TASK_COUNT", "3"}})),
             Catch::Contains("SLURM_ARRAY_TASK_MIN or SLURM_ARRAY_TASK_COUNT is not"));
  CHECK_THAT(error_of(environment({{"SLURM_ARRAY_TASK_ID", "2"},
                                   {"SLURM_ARRAY_TASK_MIN", "0"},
                                   {"SLURM_ARRAY_TASK_COUNT", "3"},
                                   {"SLURM_ARRAY_TASK_STEP", "2"}})),
             Catch::Contains("stepped or has gaps (min 0, max ?, count 3, step 2)"));
  CHECK_THAT(error_of(environment({{"SLURM_ARRAY_TASK_ID", "2"},
                                   {"SLURM_ARRAY_TASK_MIN", "0"},
                                   {"SLURM_ARRAY_TASK_MAX", "9"},
                                   {"SLURM_ARRAY_TASK_COUNT", "3"}})),
             Catch::Contains("stepped or has gaps (min 0, max 9, count 3, step 1)"));
  for (const char* id : {"3", "0"}) {  // past the end; below the minimum
    INFO(id);
    CHECK_THAT(
        error_of(environment(
            {{"SLURM_ARRAY_TASK_ID", id}, {"SLURM_ARRAY_TASK_MIN", "1"}, {"SLURM_ARRAY_TASK_COUNT", "2"}})),
        Catch::Contains("is not a task of the job array (min 1, count 2)"));
  }
  CHECK_THAT(
      error_of(environment(
          {{"SLURM_ARRAY_TASK_ID", "0"}, {"SLURM_ARRAY_TASK_MIN", "0"}, {"SLURM_ARRAY_TASK_COUNT", "0"}})),
      Catch::Contains("is not a task of the job array"));
}

TEST_CASE("the shard comes from --shard, else MPI, else SLURM, else the whole sweep", "[sweep][shard]") {
  const Environment slurm = environment(
      {{"SLURM_ARRAY_TASK_ID", "1"}, {"SLURM_ARRAY_TASK_MIN", "0"}, {"SLURM_ARRAY_TASK_COUNT", "4"}});
  const Environment bad_slurm = environment({{"SLURM_ARRAY_TASK_ID", "x"}});
  const ShardAssignment option = assign_shard(ShardId{2, 5}, ShardId{1, 3}, bad_slurm);
  CHECK(option.source == ShardSource::option);
  CHECK(shard_tag(option) == "[shard 2/5 from --shard]");
  const ShardAssignment mpi = assign_shard(std::nullopt, ShardId{1, 3}, bad_slurm);
  CHECK(mpi.source == ShardSource::mpi);
  CHECK(shard_tag(mpi) == "[shard 1/3 from MPI]");
  const ShardAssignment array = assign_shard(std::nullopt, std::nullopt, slurm);
  CHECK(array.source == ShardSource::slurm);
  CHECK(shard_tag(array) == "[shard 1/4 from the SLURM array]");
  const ShardAssignment whole = assign_shard(std::nullopt, std::nullopt, environment({}));
  CHECK(whole.source == ShardSource::whole_sweep);
  CHECK(shard_tag(whole) == "[shard 0/1]");
  CHECK_THROWS_AS(assign_shard(std::nullopt, std::nullopt, bad_slurm), InputError);
}

TEST_CASE("MPI: only under a launcher, outside one a single rank that shards nothing", "[sweep][mpi]") {
  CHECK(launched_by_mpi(environment({{"OMPI_COMM_WORLD_SIZE", "3"}})));
  CHECK(launched_by_mpi(environment({{"PMIX_RANK", ""}})));
  CHECK(!launched_by_mpi(environment({{"SLURM_ARRAY_TASK_ID", "1"}})));
  const MpiSession mpi(environment({}));
  CHECK(mpi.rank() == 0);
  CHECK(mpi.size() == 1);
  CHECK(!mpi.shard());
  CHECK(mpi.all(true));
  CHECK(!mpi.all(false));
}
