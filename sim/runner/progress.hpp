#pragma once
// Progress of a long phase (simulating a cohort, computing its statistics) on stderr. On a terminal, one
// line redrawn at most four times a second; elsewhere (a SLURM log, a pipe) one line every ~10 s, so a log
// shows that the run is alive, how far it is and when it should end, without filling up. Rates print with
// k/M prefixes, and a phase may also count rows of named tables (a model's treatment lines, events) so a run
// whose patients are slow shows the work done per second.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <span>
#include <string>
#include <vector>

namespace mmsim {

enum class ProgressMode { off, terminal, log };

bool stderr_is_terminal();
// off unless wanted; then terminal or log by what stderr is.
ProgressMode progress_mode(bool wanted);

class ProgressLine {
 public:
  // `what` names the units counted ("patients"); `tables` names extra row counts passed to update().
  ProgressLine(std::string what, std::uint64_t total, ProgressMode mode, std::vector<std::string> tables = {},
               std::chrono::milliseconds log_interval = std::chrono::seconds(10));
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // `done` units so far and, when tables were named, each table's rows so far. Thread-safe.
  void update(std::uint64_t done, std::span<const std::uint64_t> table_rows = {});
  // Adds n units (thread-safe, for parallel work counted as it finishes).
  void add(std::uint64_t n = 1);

  // The text of one line (without \r or \n), for tests.
  static std::string line(const std::string& what, std::uint64_t done, std::uint64_t total, double seconds,
                          std::span<const std::string> tables, std::span<const std::uint64_t> table_rows);

 private:
  void draw_locked(bool final_line);
  std::string what_;
  std::uint64_t total_;
  ProgressMode mode_;
  std::vector<std::string> tables_;
  std::chrono::milliseconds interval_;
  std::chrono::steady_clock::time_point start_, last_;
  std::mutex mutex_;
  std::atomic<std::uint64_t> added_{0};
  std::uint64_t done_ = 0;
  std::vector<std::uint64_t> rows_;
  bool drawn_ = false;  // a line was printed (a log gets a final line only then)
};

// A rate with a k or M prefix: "950", "12.3 k", "4.56 M".
std::string format_rate(double per_second);

}  // namespace mmsim
