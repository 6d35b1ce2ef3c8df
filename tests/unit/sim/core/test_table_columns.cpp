// RecordTable (sim/core/table.hpp): the layout comes from the columns in order, every value is stored in its
// field's type at its field's offset (checked against bytes packed by hand), and a reader of the wrong kind
// for its field, or a row appended to another table's buffer, is refused.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "sim/core/table.hpp"

namespace {

using mmsim::Column;
using mmsim::Field;
using mmsim::FieldType;
using mmsim::RecordTable;
using mmsim::TableBuffer;

enum class Colour : std::uint8_t { red, green, blue };

struct Record {
  std::uint64_t id = 0;
  double time = 0;
  int line = 0;
  std::uint32_t count = 0;
  bool flag = false;
  Colour colour = Colour::red;
  int code = -1;  // stored + 1, as the models store optional choices
};

std::vector<Column<Record>> columns() {
  return {
      {{"id", FieldType::u64, {}, "index"}, [](const Record& r) { return r.id; }},
      {{"time", FieldType::f64, {}, "months since zero", "months"}, [](const Record& r) { return r.time; }},
      {{"line", FieldType::i32, {}, "line"}, [](const Record& r) { return r.line; }},
      {{"count", FieldType::u32, {}, "count"}, [](const Record& r) { return r.count; }},
      {{"flag", FieldType::u8, {}, "flag"}, [](const Record& r) { return r.flag; }},
      {{"colour", FieldType::enumeration, {"red", "green", "blue"}, "colour"},
       [](const Record& r) { return r.colour; }},
      {{"choice", FieldType::enumeration, {"none", "a", "b"}, "choice"},
       [](const Record& r) { return r.code + 1; }}};
}

template <class T>
void pack(std::vector<std::byte>& out, T v) {
  const auto at = out.size();
  out.resize(at + sizeof v);
  std::memcpy(out.data() + at, &v, sizeof v);
}

}  // namespace

TEST_CASE("a record table's layout is its columns' fields, in order", "[core][table]") {
  const RecordTable<Record> table("things", columns());
  const auto& layout = table.layout();
  CHECK(layout.name() == "things");
  REQUIRE(layout.fields().size() == 7);
  const auto cols = columns();
  for (std::size_t i = 0; i < cols.size(); ++i) {
    CHECK(layout.fields()[i].name == cols[i].field.name);
    CHECK(layout.fields()[i].type == cols[i].field.type);
    CHECK(layout.fields()[i].labels == cols[i].field.labels);
    CHECK(layout.fields()[i].description == cols[i].field.description);
    CHECK(layout.fields()[i].unit == cols[i].field.unit);
  }
  CHECK(layout.fields()[1].unit == "months");
  CHECK(layout.row_size() == 8 + 8 + 4 + 4 + 1 + 1 + 1);
}

TEST_CASE("a record table stores each value in its field's type at its offset", "[core][table]") {
  const RecordTable<Record> table("things", columns());
  TableBuffer rows(table.layout());
  const Record a{7, 2.5, -3, 4000000000u, true, Colour::blue, 1};
  const Record b{std::numeric_limits<std::uint64_t>::max(), -0.0, 12, 0, false, Colour::green, -1};
  table.append(rows, a);
  table.append(rows, b);
  REQUIRE(rows.rows() == 2);

  std::vector<std::byte> expected;
  for (const Record& r : {a, b}) {
    pack(expected, r.id);
    pack(expected, r.time);
    pack(expected, static_cast<std::int32_t>(r.line));
    pack(expected, r.count);
    pack(expected, static_cast<std::uint8_t>(r.flag ? 1 : 0));
    pack(expected, static_cast<std::uint8_t>(r.colour));
    pack(expected, static_cast<std::uint8_t>(r.code + 1));
  }
  REQUIRE(rows.size_bytes() == expected.size());
  CHECK(std::memcmp(rows.data(), expected.data(), expected.size()) == 0);
  CHECK(rows.get<std::uint8_t>(0, table.layout().find("colour")) == 2);
  CHECK(rows.get<std::uint8_t>(1, table.layout().find("choice")) == 0);
  CHECK(std::signbit(rows.get<double>(1, table.layout().find("time"))));
}

TEST_CASE("a column's reader must suit its field, and rows go to their own table", "[core][table]") {
  // An integer reader for an f64 field, and a floating-point reader for an integer field.
  CHECK_THROWS_AS(Column<Record>({"time", FieldType::f64, {}, ""}, [](const Record& r) { return r.line; }),
                  std::logic_error);
  CHECK_THROWS_AS(Column<Record>({"line", FieldType::i32, {}, ""}, [](const Record& r) { return r.time; }),
                  std::logic_error);
  CHECK_THROWS_AS(
      Column<Record>({"colour", FieldType::enumeration, {"x"}, ""}, [](const Record& r) { return r.time; }),
      std::logic_error);
  CHECK_NOTHROW(Column<Record>({"time", FieldType::f64, {}, ""}, [](const Record& r) { return r.time; }));

  const RecordTable<Record> table("things", columns());
  const RecordTable<Record> other("other", {columns().front()});
  TableBuffer rows(other.layout());
  CHECK_THROWS_AS(table.append(rows, Record{}), std::logic_error);
}
