#include "sim/runner/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace mmsim {

bool stderr_is_terminal() {
  return ::isatty(STDERR_FILENO) == 1;
}

ProgressLine::ProgressLine(std::uint64_t total, bool enabled)
    : total_(total), enabled_(enabled), start_(std::chrono::steady_clock::now()), last_(start_) {}

ProgressLine::~ProgressLine() {
  if (enabled_ && done_ > 0) draw(done_, true);
}

void ProgressLine::update(std::uint64_t done) {
  done_ = done;
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_ < std::chrono::milliseconds(250) && done < total_) return;
  last_ = now;
  draw(done, false);
}

void ProgressLine::draw(std::uint64_t done, bool final_line) {
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = secs > 0 ? static_cast<double>(done) / secs : 0.0;
  const double eta = rate > 0 ? static_cast<double>(total_ - done) / rate : 0.0;
  fmt::print(stderr, "\r[mmsim] {:5.1f}%  {}/{} patients  {:.2f} M/s  ETA {:.0f} s   {}",
             100.0 * static_cast<double>(done) / static_cast<double>(total_ ? total_ : 1), done, total_,
             rate / 1e6, eta, final_line ? "\n" : "");
  std::fflush(stderr);
}

}  // namespace mmsim
