// The one table engine (sim/format/text_table.hpp), each form against text written out by hand: the aligned
// form (widths from the widest cell, header and unit included; left and right alignment; a left-aligned last
// column unpadded; line ends trimmed or kept), the three Markdown layouts with '|' escaped, CSV quoting
// (RFC 4180), JSON (numbers bare, non-finite as null, strings escaped), number formats and missing values,
// and the errors: a row of the wrong width, an unknown format name.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>

#include "sim/core/errors.hpp"
#include "sim/format/text_table.hpp"

namespace {

using namespace mmsim::format;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// name (left) | cost, USD, no decimals (right) | note (text, right)
TextTable priced(Layout layout = {}) {
  TextTable t({left("name"), right("cost", NumberFormat::fixed(0), "USD"), right("note")}, layout);
  t.add_row({"a", 1234.4, "x"});
  t.add_row({"longer_name", kNaN, ""});
  return t;
}

}  // namespace

TEST_CASE("aligned: every column as wide as its widest cell, names left, values right") {
  const TextTable t = priced();
  CHECK(t.rows() == 2);
  CHECK(t.aligned() ==
        "name         cost (USD)  note\n"
        "a                  1234     x\n"
        "longer_name          NA\n");  // the empty last cell leaves no blanks
  // Kept line ends: the empty right-aligned cell is padded like any other.
  CHECK(priced({false, MarkdownRule::aligned}).aligned() ==
        "name         cost (USD)  note\n"
        "a                  1234     x\n"
        "longer_name          NA      \n");
}

TEST_CASE("aligned: a left-aligned last column is not padded, even with line ends kept") {
  TextTable t({left("id"), left("label")}, {false, MarkdownRule::aligned});
  t.add_row({"a", "long label"});
  t.add_row({"bb", ""});
  CHECK(t.aligned() ==
        "id  label\n"
        "a   long label\n"
        "bb  \n");
}

TEST_CASE("markdown: alignment rule, plain rule, padded cells, pipes escaped") {
  CHECK(priced().markdown() ==
        "| name | cost (USD) | note |\n"
        "| --- | ---: | ---: |\n"
        "| a | 1234 | x |\n"
        "| longer_name | NA |  |\n");
  CHECK(priced({true, MarkdownRule::plain}).markdown() ==
        "| name | cost (USD) | note |\n"
        "|---|---|---|\n"
        "| a | 1234 | x |\n"
        "| longer_name | NA |  |\n");
  CHECK(priced({true, MarkdownRule::padded}).markdown() ==
        "| name        | cost (USD) | note |\n"
        "|-------------|------------|------|\n"
        "| a           | 1234       | x    |\n"
        "| longer_name | NA         |      |\n");
  TextTable pipe({right("a|b")});
  pipe.add_row({"line\nbreak"});
  CHECK(pipe.markdown() == "| a\\|b |\n| ---: |\n| line break |\n");
}

TEST_CASE("csv: header and cells quoted only where they hold a comma, quote or line break") {
  CHECK(priced().csv() == "name,cost (USD),note\na,1234,x\nlonger_name,NA,\n");
  TextTable t({left("x,y"), right("v", NumberFormat::digits(3, ""))});
  t.add_row({"say \"hi\"", 1.23456});
  t.add_row({"cr\rlf", kNaN});
  CHECK(t.csv() == "\"x,y\",v\n\"say \"\"hi\"\"\",1.23\n\"cr\rlf\",\n");
  CHECK(csv_field("plain") == "plain");
  CHECK(csv_field("a\nb") == "\"a\nb\"");
}

TEST_CASE("json: one object per row, numbers bare in their column's format, non-finite as null") {
  CHECK(priced().json() ==
        "[\n"
        "  {\"name\": \"a\", \"cost (USD)\": 1234, \"note\": \"x\"},\n"
        "  {\"name\": \"longer_name\", \"cost (USD)\": null, \"note\": \"\"}\n"
        "]\n");
  CHECK(TextTable({right("a")}).json() == "[]\n");
  CHECK(json_string("q\"b\\n\nt\t\x01") == "\"q\\\"b\\\\n\\nt\\t\\u0001\"");
}

TEST_CASE("render picks the form and parse_table_format reads the option") {
  const TextTable t = priced();
  CHECK(t.render(TableFormat::table) == t.aligned());
  CHECK(t.render(TableFormat::markdown) == t.markdown());
  CHECK(t.render(TableFormat::csv) == t.csv());
  CHECK(t.render(TableFormat::json) == t.json());
  CHECK(parse_table_format("csv", "--format") == TableFormat::csv);
  CHECK(parse_table_format("markdown", "--format") == TableFormat::markdown);
  CHECK_THROWS_AS(parse_table_format("tsv", "--format"), mmsim::InputError);
}

TEST_CASE("number formats: fixed decimals, significant digits, shortest exact text, missing values") {
  CHECK(format_number(2.0 / 3.0, NumberFormat::fixed(3)) == "0.667");
  CHECK(format_number(123456.0, NumberFormat::digits(3)) == "1.23e+05");
  CHECK(format_number(0.1, NumberFormat::shortest()) == "0.1");
  CHECK(format_number(kNaN, NumberFormat{}) == "NA");
  CHECK(format_number(kNaN, NumberFormat::fixed(2, "")).empty());
  CHECK(format_number(std::numeric_limits<double>::infinity(), NumberFormat::shortest(std::nullopt)) ==
        "inf");
}

TEST_CASE("a row must have a cell per column") {
  TextTable t({right("a"), right("b")});
  CHECK_THROWS_AS(t.add_row({"only one"}), std::invalid_argument);
  CHECK(t.rows() == 0);
}
