#pragma once
// Row-oriented output tables with a packed, self-describing layout.
//
// A model describes each table it writes (patients, events, lines, ...) as a TableLayout: named fields of a
// few plain types, enums carrying their labels. Rows are packed bytes at computed offsets, so a block of rows
// is written to HDF5 as one compound-typed chunk without any conversion, and the layout is known at run time
// (the generic multi-state model's columns come from its config).
//
// A Field is a column's whole description (name, type, labels, unit, description). A model that writes a
// table from a record type R describes it once as Columns (the field plus how its value is read from an R)
// in a RecordTable, from which both the layout and the row writing come: a column is one line, not three.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace mmsim {

enum class FieldType : std::uint8_t { f64, i32, u32, u64, u8, enumeration };

struct Field {
  std::string name;
  FieldType type = FieldType::f64;
  std::vector<std::string> labels;  // enumeration only: code i is labels[i]; stored as uint8
  std::string description;          // one line for docs and `--print` (the dataset's field_descriptions)
  std::string unit = {};            // of the value ("months", "years"); empty for counts, flags and labels
};

std::size_t field_size(FieldType type);

// Index of a field in its layout; resolved once at model construction, never by name in the hot loop.
struct FieldId {
  std::uint32_t index = 0;
};

class TableLayout {
 public:
  TableLayout() = default;
  TableLayout(std::string name, std::vector<Field> fields);

  const std::string& name() const { return name_; }
  const std::vector<Field>& fields() const { return fields_; }
  const Field& field(FieldId id) const { return fields_[id.index]; }
  std::size_t offset(FieldId id) const { return offsets_[id.index]; }
  std::size_t row_size() const { return row_size_; }
  // Throws std::out_of_range naming the table and field when absent.
  FieldId find(std::string_view field_name) const;
  bool contains(std::string_view field_name) const;

 private:
  std::string name_;
  std::vector<Field> fields_;
  std::vector<std::size_t> offsets_;
  std::size_t row_size_ = 0;
};

// A view of one packed row. Setters store the value in the field's declared type; the caller picks the field
// by id, so no lookup happens per value.
class RowRef {
 public:
  RowRef(std::byte* data, const TableLayout& layout) : data_(data), layout_(&layout) {}

  std::byte* bytes() const { return data_; }  // the packed row, for writers that resolved offsets once
  void set_f64(FieldId f, double v) { put(f, v); }
  void set_i32(FieldId f, std::int32_t v) { put(f, v); }
  void set_u32(FieldId f, std::uint32_t v) { put(f, v); }
  void set_u64(FieldId f, std::uint64_t v) { put(f, v); }
  void set_u8(FieldId f, std::uint8_t v) { put(f, v); }
  void set_enum(FieldId f, std::uint8_t code) { put(f, code); }

 private:
  template <class T>
  void put(FieldId f, T v) {
    std::memcpy(data_ + layout_->offset(f), &v, sizeof(T));
  }
  std::byte* data_;
  const TableLayout* layout_;
};

// Rows of one table for one block of patients, in patient order.
class TableBuffer {
 public:
  explicit TableBuffer(const TableLayout& layout) : layout_(&layout) {}

  // Appends a zero-filled row. The storage past the last row is kept zeroed (resize zero-fills, clear
  // re-zeroes the rows it drops in one pass), so an append is a bounds check, not a memset call per row: that
  // call was 4% of a reference-model patient.
  RowRef append() {
    const std::size_t at = rows_ * layout_->row_size();
    if (at + layout_->row_size() > bytes_.size())
      bytes_.resize(std::max(2 * bytes_.size(), at + layout_->row_size()));
    ++rows_;
    return RowRef(bytes_.data() + at, *layout_);
  }
  void reserve(std::size_t rows) {
    if (rows * layout_->row_size() > bytes_.size()) bytes_.resize(rows * layout_->row_size());
  }
  void clear() {
    std::fill_n(bytes_.data(), size_bytes(), std::byte{0});
    rows_ = 0;
  }
  const TableLayout& layout() const { return *layout_; }
  std::size_t rows() const { return rows_; }
  const std::byte* data() const { return bytes_.data(); }
  std::byte* data() { return bytes_.data(); }
  std::size_t size_bytes() const { return rows_ * layout_->row_size(); }

  // Reads a field of row r as T (T must be the field's storage type).
  template <class T>
  T get(std::size_t r, FieldId f) const {
    static_assert(std::is_trivially_copyable_v<T>);
    T v;
    std::memcpy(&v, bytes_.data() + r * layout_->row_size() + layout_->offset(f), sizeof(T));
    return v;
  }

 private:
  const TableLayout* layout_;
  std::vector<std::byte> bytes_;
  std::size_t rows_ = 0;
};

// One column of a table written from records of type R: its field and how its value is read from a record.
// The reader is a captureless lambda from `const R&` to a number (floating point for an f64 field; integral,
// bool or enum for the others). The column keeps one function that reads the value and stores it in the
// field's type: writing a row is one call per column, with no lookup, branch on the type or allocation.
template <class R>
struct Column {
  using Writer = void (*)(const R& record, std::byte* at);

  template <class Read>
  Column(Field f, Read) : field(std::move(f)), write(writer<Read>(field)) {}

  Field field;
  Writer write;

 private:
  template <class Read, class T>
  static void store(const R& record, std::byte* at) {
    using V = std::invoke_result_t<Read, const R&>;
    T value;
    if constexpr (std::is_enum_v<V>) {
      value = static_cast<T>(static_cast<std::underlying_type_t<V>>(Read{}(record)));
    } else {
      value = static_cast<T>(Read{}(record));
    }
    std::memcpy(at, &value, sizeof value);
  }

  template <class Read>
  static Writer writer(const Field& field) {
    static_assert(std::is_empty_v<Read> && std::is_default_constructible_v<Read>,
                  "a column reader is a captureless lambda");
    using V = std::invoke_result_t<Read, const R&>;
    static_assert(std::is_arithmetic_v<V> || std::is_enum_v<V>, "a column reader returns a number");
    if constexpr (std::is_floating_point_v<V>) {
      if (field.type == FieldType::f64) return &store<Read, double>;
    } else {
      switch (field.type) {
        case FieldType::f64:
          break;
        case FieldType::i32:
          return &store<Read, std::int32_t>;
        case FieldType::u32:
          return &store<Read, std::uint32_t>;
        case FieldType::u64:
          return &store<Read, std::uint64_t>;
        case FieldType::u8:
        case FieldType::enumeration:
          return &store<Read, std::uint8_t>;
      }
    }
    throw std::logic_error("column " + field.name +
                           ": an f64 field needs a floating-point reader, and only an f64 field does");
  }
};

// A table described by its columns: the layout (for the schema and the file) and the row writer come from the
// same list, so they cannot disagree.
template <class R>
class RecordTable {
 public:
  RecordTable(std::string name, const std::vector<Column<R>>& columns)
      : layout_(std::move(name), fields_of(columns)) {
    slots_.reserve(columns.size());
    for (std::uint32_t i = 0; i < columns.size(); ++i)
      slots_.push_back({columns[i].write, layout_.offset(FieldId{i})});
  }

  const TableLayout& layout() const { return layout_; }

  // Appends the row of `record` to `rows`, a buffer of this table's layout.
  void append(TableBuffer& rows, const R& record) const {
    if (rows.layout().row_size() != layout_.row_size())
      throw std::logic_error("table " + layout_.name() + ": row appended to another table's buffer");
    std::byte* row = rows.append().bytes();
    for (const Slot& s : slots_) s.write(record, row + s.offset);
  }

 private:
  struct Slot {
    typename Column<R>::Writer write;
    std::size_t offset;
  };
  static std::vector<Field> fields_of(const std::vector<Column<R>>& columns) {
    std::vector<Field> fields;
    fields.reserve(columns.size());
    for (const auto& c : columns) fields.push_back(c.field);
    return fields;
  }
  TableLayout layout_;
  std::vector<Slot> slots_;
};

}  // namespace mmsim
