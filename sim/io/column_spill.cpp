#include "sim/io/column_spill.hpp"

#include <fmt/format.h>

namespace mmsim::io {

ColumnSpill::ColumnSpill(SpillFolder& folder, const std::vector<std::size_t>& value_size)
    : value_size_(value_size) {
  for (std::size_t c = 0; c < value_size.size(); ++c)
    files_.push_back(std::make_unique<SpillFile>(folder.new_file(fmt::format("column{}", c))));
}

void ColumnSpill::append(std::size_t column, const void* values, std::size_t count) {
  files_.at(column)->append(values, count * value_size_[column]);
}

void ColumnSpill::read(std::size_t column, std::uint64_t first, std::size_t count, void* out) const {
  files_.at(column)->read(first * value_size_[column], out, count * value_size_[column]);
}

std::uint64_t ColumnSpill::rows(std::size_t column) const {
  return files_.at(column)->size() / value_size_[column];
}

std::uint64_t ColumnSpill::bytes() const {
  std::uint64_t total = 0;
  for (const auto& f : files_) total += f->size();
  return total;
}

}  // namespace mmsim::io
