#include "sim/core/table.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace mmsim {

std::size_t field_size(FieldType type) {
  switch (type) {
    case FieldType::f64:
    case FieldType::u64:
      return 8;
    case FieldType::i32:
    case FieldType::u32:
      return 4;
    case FieldType::u8:
    case FieldType::enumeration:
      return 1;
  }
  return 0;
}

TableLayout::TableLayout(std::string name, std::vector<Field> fields)
    : name_(std::move(name)), fields_(std::move(fields)) {
  // Packed layout in declaration order: HDF5 compound types may be packed, and packing keeps the files small.
  offsets_.reserve(fields_.size());
  for (const auto& f : fields_) {
    if (f.type == FieldType::enumeration && (f.labels.empty() || f.labels.size() > 256)) {
      throw std::logic_error(fmt::format("table {}: enum field {} needs 1..256 labels", name_, f.name));
    }
    offsets_.push_back(row_size_);
    row_size_ += field_size(f.type);
  }
}

FieldId TableLayout::find(std::string_view field_name) const {
  for (std::uint32_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i].name == field_name) return FieldId{i};
  }
  throw std::out_of_range(fmt::format("table {} has no field {}", name_, field_name));
}

bool TableLayout::contains(std::string_view field_name) const {
  for (const auto& f : fields_) {
    if (f.name == field_name) return true;
  }
  return false;
}

}  // namespace mmsim
