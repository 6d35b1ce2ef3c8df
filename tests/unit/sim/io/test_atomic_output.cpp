// AtomicOutput (sim/io/atomic_output.cpp): what a failed or refused write leaves (nothing), what a planted
// symlink or device gets (never written), and which temporaries the stale-temporary sweep removes (only
// those of dead processes on this host).
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "sim/core/errors.hpp"
#include "sim/io/atomic_output.hpp"
#include "tests/unit/temp_dir.hpp"

namespace fs = std::filesystem;
using mmsim::InputError;
using mmsim::io::AtomicOutput;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::size_t entries(const fs::path& dir) {
  return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

}  // namespace

TEST_CASE("atomic output: publishes whole files and leaves nothing else behind", "[io][atomic]") {
  const mmsim::test::TempDir dir("mmsim_atomic_");
  const fs::path target = dir.path / "sub" / "out.txt";
  mmsim::io::write_text_atomically(target, "first");
  CHECK(slurp(target) == "first");
  mmsim::io::write_text_atomically(target, "second");
  CHECK(slurp(target) == "second");
  CHECK(entries(target.parent_path()) == 1);  // no temporary folder left
}

TEST_CASE("atomic output: an uncommitted write leaves the existing file as it was", "[io][atomic]") {
  const mmsim::test::TempDir dir("mmsim_atomic_");
  const fs::path target = dir.path / "out.txt";
  mmsim::io::write_text_atomically(target, "good");
  {
    AtomicOutput out(target);
    out.write("half");
    CHECK(out.temp_path().parent_path().filename().string().rfind(".mmsim-", 0) == 0);
    CHECK(fs::exists(out.temp_path()));
  }  // destroyed without commit, as when an exception unwinds
  CHECK(slurp(target) == "good");
  CHECK(entries(dir.path) == 1);
}

TEST_CASE("atomic output: the temporary name cannot be planted", "[io][atomic]") {
  const mmsim::test::TempDir dir("mmsim_atomic_");
  const fs::path victim = dir.path / "victim.txt";
  mmsim::io::write_text_atomically(victim, "precious");
  AtomicOutput a(dir.path / "out.txt");
  AtomicOutput b(dir.path / "out.txt");
  CHECK(a.temp_path() != b.temp_path());  // two writers of one target never share a temporary
  struct stat st {};
  REQUIRE(::stat(a.temp_path().parent_path().c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);         // nobody else can create entries in it
  fs::create_symlink(victim, b.temp_path());  // even if the owner's own name is taken, it is not followed
  CHECK_THROWS_AS(b.write("evil"), std::system_error);
  CHECK(slurp(victim) == "precious");
}

TEST_CASE("atomic output: refuses targets that are not regular files, and the run's inputs", "[io][atomic]") {
  const mmsim::test::TempDir dir("mmsim_atomic_");
  const fs::path file = dir.path / "config.toml";
  mmsim::io::write_text_atomically(file, "x = 1\n");
  const fs::path link = dir.path / "link.h5";
  fs::create_symlink(file, link);
  const fs::path fifo = dir.path / "fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  CHECK_THROWS_WITH(mmsim::io::check_output_path(dir.path), Catch::Contains("is a directory"));
  CHECK_THROWS_WITH(mmsim::io::check_output_path(dir.path.string() + "/"), Catch::Contains("names a folder"));
  CHECK_THROWS_WITH(mmsim::io::check_output_path(link), Catch::Contains("symbolic link"));
  CHECK_THROWS_WITH(mmsim::io::check_output_path(fifo), Catch::Contains("is a FIFO"));
  CHECK_THROWS_WITH(mmsim::io::check_output_path("/dev/null"), Catch::Contains("character device"));
  CHECK_THROWS_WITH(mmsim::io::check_output_path(file / "x.h5"), Catch::Contains("not a folder"));
  const fs::path inputs[] = {dir.path / "." / "config.toml"};
  CHECK_THROWS_AS(mmsim::io::check_output_path(file, inputs), InputError);
  CHECK_NOTHROW(mmsim::io::check_output_path(dir.path / "new" / "deeper" / "out.h5", inputs));
  CHECK_THROWS_AS(AtomicOutput(link), InputError);
  CHECK(fs::is_symlink(link));
  CHECK(slurp(file) == "x = 1\n");
}

TEST_CASE("atomic output: removes the temporaries of dead processes only", "[io][atomic]") {
  const mmsim::test::TempDir dir("mmsim_atomic_");
  const fs::path target = dir.path / "out.h5";
  // A child process makes a temporary and dies without cleaning up (as under SIGKILL).
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    AtomicOutput leaked(target);
    leaked.write("partial");
    ::_exit(0);  // no destructors run: the temporary stays, as after SIGKILL
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  AtomicOutput live(target);  // this process's own: alive, never removed
  live.write("live");
  const fs::path other_host = dir.path / ".mmsim-elsewhere-1-abcdef";
  fs::create_directory(other_host);
  REQUIRE(entries(dir.path) == 3);
  const auto removed = mmsim::io::remove_dead_temporaries(dir.path);
  REQUIRE(removed.size() == 1);
  const std::string child_field = fmt::format("-{}-", child);
  CHECK(removed[0].filename().string().find(child_field) != std::string::npos);
  CHECK(fs::exists(live.temp_path()));
  CHECK(fs::exists(other_host));
  live.commit();
  CHECK(slurp(target) == "live");
}
