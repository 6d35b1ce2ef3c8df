#pragma once
// A one-line progress display on stderr, redrawn at most a few times a second, only when stderr is a
// terminal.
#include <chrono>
#include <cstdint>

namespace mmsim {

class ProgressLine {
 public:
  ProgressLine(std::uint64_t total, bool enabled);
  ~ProgressLine();
  void update(std::uint64_t done);

 private:
  void draw(std::uint64_t done, bool final_line);
  std::uint64_t total_;
  bool enabled_;
  std::chrono::steady_clock::time_point start_, last_;
  std::uint64_t done_ = 0;
};

bool stderr_is_terminal();

}  // namespace mmsim
