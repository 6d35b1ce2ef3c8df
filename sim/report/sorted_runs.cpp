#include "sim/report/sorted_runs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <queue>

#include "sim/core/errors.hpp"
#include "sim/stats/radix_sort.hpp"

namespace mmsim::report {
namespace {

// A patient as one key: the bits of its time (>= 0, so they order like the time; -0.0 as +0.0) shifted left
// by one, and the event in the lowest bit.
std::uint64_t pack(double time, std::uint8_t event) {
  std::uint64_t bits = std::bit_cast<std::uint64_t>(time);
  if (bits == (std::uint64_t{1} << 63)) bits = 0;
  return (bits << 1) | event;
}
double time_of(std::uint64_t key) {
  return std::bit_cast<double>(key >> 1);
}

// Sorts the keys (std::sort below 4096, else the LSD radix sort of sim/stats/radix_sort.hpp).
void radix_sort(std::vector<std::uint64_t>& keys, std::vector<std::uint64_t>& scratch) {
  if (keys.size() < 4096) {
    std::sort(keys.begin(), keys.end());
    return;
  }
  stats::detail::radix_sort_by(keys, scratch, [](std::uint64_t k) { return k; });
}

// Reads one run in either direction through a small buffer.
class RunCursor {
 public:
  static constexpr std::size_t kBuffer = 1 << 15;  // keys (256 KiB)

  RunCursor(const io::SpillFile& file, std::uint64_t offset, std::uint64_t count, bool backward)
      : file_(&file), begin_(offset), end_(offset + count), backward_(backward) {
    next_ = backward ? end_ : begin_;
    fill();
  }
  bool done() const { return pos_ == buffer_.size(); }
  std::uint64_t head() const { return buffer_[pos_]; }
  void pop() {
    if (++pos_ == buffer_.size()) fill();
  }

 private:
  void fill() {
    std::uint64_t lo = 0, hi = 0;
    if (backward_) {
      hi = next_;
      lo = hi - std::min<std::uint64_t>(kBuffer, hi - begin_);
      next_ = lo;
    } else {
      lo = next_;
      hi = lo + std::min<std::uint64_t>(kBuffer, end_ - lo);
      next_ = hi;
    }
    buffer_.resize(static_cast<std::size_t>(hi - lo));
    pos_ = 0;
    if (buffer_.empty()) return;
    file_->read(lo * sizeof(std::uint64_t), buffer_.data(), buffer_.size() * sizeof(std::uint64_t));
    if (backward_) std::reverse(buffer_.begin(), buffer_.end());
  }
  const io::SpillFile* file_;
  std::uint64_t begin_, end_, next_ = 0;
  bool backward_;
  std::vector<std::uint64_t> buffer_;
  std::size_t pos_ = 0;
};

}  // namespace

SortedRuns::SortedRuns(io::SpillFolder& folder)
    : file_(std::make_unique<io::SpillFile>(folder.new_file("runs"))) {}

void SortedRuns::add(std::span<const double> time, std::span<const std::uint8_t> event) {
  if (time.size() != event.size())
    throw InputError(fmt::format("{} times but {} event codes", time.size(), event.size()));
  keys_.clear();
  keys_.reserve(time.size());
  for (std::size_t i = 0; i < time.size(); ++i) {
    const double t = time[i];
    if (std::isnan(t)) {
      ++excluded_;
      continue;
    }
    if (!(t >= 0.0) || !std::isfinite(t)) {
      throw InputError(fmt::format("patient {}: time {} is not a finite time >= 0", used_ + excluded_, t));
    }
    if (event[i] > 1) {
      throw InputError(fmt::format("patient {}: event code {} (must be 0 or 1)", used_ + excluded_,
                                   static_cast<int>(event[i])));
    }
    keys_.push_back(pack(t, event[i]));
    ++used_;
  }
  if (keys_.empty()) return;
  radix_sort(keys_, scratch_);
  max_key_ = std::max(max_key_, keys_.back());
  runs_.push_back({file_->size() / sizeof(std::uint64_t), keys_.size()});
  file_->append(keys_.data(), keys_.size() * sizeof(std::uint64_t));
}

double SortedRuns::max_time() const {
  return time_of(max_key_);
}

void SortedRuns::replay(bool backward, const std::function<void(const stats::KmTimeCount&)>& f) const {
  std::vector<RunCursor> cursors;
  cursors.reserve(runs_.size());
  for (const Run& r : runs_) cursors.emplace_back(*file_, r.offset, r.count, backward);
  // Heap of cursor indices by head key: the smallest first (ascending) or the largest (descending).
  auto later = [&](std::size_t a, std::size_t b) {
    return backward ? cursors[a].head() < cursors[b].head() : cursors[a].head() > cursors[b].head();
  };
  std::priority_queue<std::size_t, std::vector<std::size_t>, decltype(later)> heap(later);
  for (std::size_t c = 0; c < cursors.size(); ++c) {
    if (!cursors[c].done()) heap.push(c);
  }
  bool open = false;
  stats::KmTimeCount row;
  std::uint64_t row_bits = 0;
  while (!heap.empty()) {
    const std::size_t c = heap.top();
    heap.pop();
    // Drain this cursor while it stays ahead of every other run (long stretches in one run cost no heap
    // work).
    const std::uint64_t limit_set = heap.empty() ? 0 : cursors[heap.top()].head();
    const bool bounded = !heap.empty();
    RunCursor& cur = cursors[c];
    while (!cur.done()) {
      const std::uint64_t k = cur.head();
      if (bounded && (backward ? (k >> 1) < (limit_set >> 1) : (k >> 1) > (limit_set >> 1))) break;
      const std::uint64_t bits = k >> 1;
      if (!open || bits != row_bits) {
        if (open) f(row);
        open = true;
        row_bits = bits;
        row = {time_of(k), 0, 0};
      }
      if (k & 1U) {
        ++row.events;
      } else {
        ++row.censored;
      }
      cur.pop();
    }
    if (!cur.done()) heap.push(c);
  }
  if (open) f(row);
}

}  // namespace mmsim::report
