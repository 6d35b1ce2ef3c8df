#include "sim/runner/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace mmsim {

bool stderr_is_terminal() {
  return ::isatty(STDERR_FILENO) == 1;
}

ProgressMode progress_mode(bool wanted) {
  if (!wanted) return ProgressMode::off;
  return stderr_is_terminal() ? ProgressMode::terminal : ProgressMode::log;
}

std::string format_rate(double r) {
  if (!(r >= 0)) return "0";
  if (r < 1e3) return fmt::format("{:.0f}", r);
  if (r < 1e6) return fmt::format("{:.1f} k", r / 1e3);
  return fmt::format("{:.2f} M", r / 1e6);
}

ProgressLine::ProgressLine(std::string what, std::uint64_t total, ProgressMode mode,
                           std::vector<std::string> tables, std::chrono::milliseconds log_interval)
    : what_(std::move(what)),
      total_(total),
      mode_(mode),
      tables_(std::move(tables)),
      interval_(mode == ProgressMode::terminal ? std::chrono::milliseconds(250) : log_interval),
      start_(std::chrono::steady_clock::now()),
      last_(start_),
      rows_(tables_.size(), 0) {}

ProgressLine::~ProgressLine() {
  if (mode_ == ProgressMode::off) return;
  const std::lock_guard lock(mutex_);
  done_ = std::max(done_, added_.load());
  // A phase that showed progress ends with its totals (one too short to show any prints nothing).
  if (done_ > 0 && drawn_) draw_locked(true);
}

void ProgressLine::update(std::uint64_t done, std::span<const std::uint64_t> table_rows) {
  if (mode_ == ProgressMode::off) return;
  const std::lock_guard lock(mutex_);
  done_ = done;
  std::copy_n(table_rows.begin(), std::min(table_rows.size(), rows_.size()), rows_.begin());
  // A log's last line comes from the destructor; a terminal's line shows the end at once.
  if (mode_ == ProgressMode::log && done >= total_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_ < interval_ && done < total_) return;
  last_ = now;
  draw_locked(false);
}

void ProgressLine::add(std::uint64_t n) {
  const std::uint64_t done = added_.fetch_add(n) + n;
  if (mode_ == ProgressMode::off) return;
  const std::unique_lock lock(mutex_, std::try_to_lock);
  if (!lock.owns_lock()) return;  // another thread is drawing: this count shows in the next line
  done_ = std::max(done_, done);
  if (mode_ == ProgressMode::log && done_ >= total_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_ < interval_) return;
  last_ = now;
  draw_locked(false);
}

std::string ProgressLine::line(const std::string& what, std::uint64_t done, std::uint64_t total, double secs,
                               std::span<const std::string> tables,
                               std::span<const std::uint64_t> table_rows) {
  const double rate = secs > 0 ? static_cast<double>(done) / secs : 0.0;
  std::string text = fmt::format("[mmsim] {:5.1f}%  {}/{} {}  {}/s",
                                 100.0 * static_cast<double>(done) / static_cast<double>(total ? total : 1),
                                 done, total, what, format_rate(rate));
  std::string rows;
  for (std::size_t t = 0; t < tables.size() && t < table_rows.size(); ++t) {
    if (table_rows[t] == 0) continue;
    rows += fmt::format("{}{} {}/s", rows.empty() ? "" : ", ", tables[t],
                        format_rate(secs > 0 ? static_cast<double>(table_rows[t]) / secs : 0.0));
  }
  if (!rows.empty()) text += " (" + rows + ")";
  if (done < total) {
    const double eta = rate > 0 ? static_cast<double>(total - done) / rate : 0.0;
    text += fmt::format("  elapsed {:.0f} s  ETA {:.0f} s", secs, eta);
  } else {
    text += fmt::format("  in {:.1f} s", secs);
  }
  return text;
}

void ProgressLine::draw_locked(bool final_line) {
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const std::string text = line(what_, done_, total_, secs, tables_, rows_);
  if (mode_ == ProgressMode::terminal) {
    fmt::print(stderr, "\r{}   {}", text, final_line ? "\n" : "");
  } else {
    fmt::print(stderr, "{}\n", text);
  }
  drawn_ = true;
  std::fflush(stderr);
}

}  // namespace mmsim
