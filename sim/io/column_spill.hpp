#pragma once
// Columns in patient order on disk: what a run keeps for its end-of-run statistics when they do not fit the
// memory budget (docs/statistics.md, "Memory budget"). One spill file per column, values appended block by
// block as the run's blocks are written, read back by patient range. Lives in a SpillFolder, so nothing is
// left behind by a failure or an interrupt.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "sim/io/spill_file.hpp"

namespace mmsim::io {

class ColumnSpill {
 public:
  // `value_size[c]` bytes per value of column c.
  ColumnSpill(SpillFolder& folder, const std::vector<std::size_t>& value_size);

  std::size_t columns() const { return files_.size(); }
  void append(std::size_t column, const void* values, std::size_t count);
  // Values first .. first + count - 1 of a column.
  void read(std::size_t column, std::uint64_t first, std::size_t count, void* out) const;
  std::uint64_t rows(std::size_t column) const;
  std::uint64_t bytes() const;

 private:
  std::vector<std::size_t> value_size_;
  std::vector<std::unique_ptr<SpillFile>> files_;
};

}  // namespace mmsim::io
