#pragma once
// One endpoint's patients sorted by time on disk, for Kaplan-Meier summaries in bounded memory: the patients
// arrive in chunks (in any order), each chunk is sorted in memory and appended to a spill file as a run, and
// the runs are merged back, ascending or descending, as the curve's distinct times with their event and
// censoring counts (stats::KmRowReplay). The counts at a time do not depend on the order of the patients who
// share it, so the rows are exactly those kaplan_meier builds from the same patients.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "sim/io/spill_file.hpp"
#include "sim/stats/streaming_km.hpp"

namespace mmsim::report {

class SortedRuns {
 public:
  explicit SortedRuns(io::SpillFolder& folder);

  // Adds a chunk of patients (time NaN: not used, counted in excluded()). Validates as
  // stats::validate_sample does: InputError for a negative or infinite time or an event code other than 0/1.
  void add(std::span<const double> time, std::span<const std::uint8_t> event);

  std::size_t used() const { return used_; }
  std::size_t excluded() const { return excluded_; }
  std::size_t runs() const { return runs_.size(); }
  // The largest time added (the curve's last row), 0 before any.
  double max_time() const;

  // Replays the distinct times, ascending or descending (stats::KmRowReplay).
  void replay(bool backward, const std::function<void(const stats::KmTimeCount&)>& f) const;

 private:
  struct Run {
    std::uint64_t offset = 0, count = 0;  // in keys
  };
  std::unique_ptr<io::SpillFile> file_;
  std::vector<Run> runs_;
  std::vector<std::uint64_t> keys_, scratch_;
  std::size_t used_ = 0, excluded_ = 0;
  std::uint64_t max_key_ = 0;
};

}  // namespace mmsim::report
