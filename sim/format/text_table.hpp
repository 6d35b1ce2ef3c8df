#pragma once
// One table engine for every printed table: column descriptors (header, unit, alignment, number format) and
// rows of text or numbers, rendered as an aligned terminal table, Markdown, CSV (RFC 4180 quoting) or JSON
// (an array of objects, one per row). Every column of the aligned and padded forms is as wide as its widest
// cell, header included, so no name can shift a row. The report, the economics and value-of-information
// summaries and the CLI's listings all print through it.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mmsim::format {

enum class Align { left, right };

// How a number cell prints: `decimals` fixed digits after the point ({:.Nf}); else `significant` digits
// ({:.Ng}); else the shortest text that reads back to the same double ({}). A NaN or infinity prints as
// `missing`, or, where that is empty of a value (nullopt), as fmt spells it (nan, inf).
struct NumberFormat {
  int decimals = -1;
  int significant = -1;
  std::optional<std::string> missing = "NA";

  static NumberFormat fixed(int decimals, std::optional<std::string> missing = "NA");
  static NumberFormat digits(int significant, std::optional<std::string> missing = "NA");
  static NumberFormat shortest(std::optional<std::string> missing = "NA");
};

std::string format_number(double value, const NumberFormat& format);

struct Column {
  std::string header;
  std::string unit;  // where given, printed after the header: "cost (USD)"
  Align align = Align::right;
  NumberFormat number;  // for the column's number cells

  std::string title() const;
};

// A left-aligned column of names; a right-aligned column of values (numbers in `number`).
Column left(std::string header);
Column right(std::string header, NumberFormat number = {}, std::string unit = {});

// A cell is text as given, or a number printed by its column's NumberFormat (in JSON: a number, or null).
using Cell = std::variant<std::string, double>;

enum class TableFormat { table, csv, json, markdown };

// "table", "csv", "json" or "markdown"; InputError naming `option` otherwise.
TableFormat parse_table_format(const std::string& text, const std::string& option);

// How a Markdown table is laid out: cells as they are with the header rule marking each column's alignment
// ("| --- | ---: |"), cells as they are under a plain rule ("|---|---|"), or cells padded to the column
// width under a rule as wide ("|------|", readable as plain text too).
enum class MarkdownRule { aligned, plain, padded };

// The layout choices the callers' outputs were published with; the defaults are the report's.
struct Layout {
  bool trim_line_ends = true;  // the aligned form strips blanks at the end of a line (empty last cells)
  MarkdownRule markdown = MarkdownRule::aligned;
};

class TextTable {
 public:
  explicit TextTable(std::vector<Column> columns, Layout layout = {});

  // As many cells as columns (std::invalid_argument otherwise).
  void add_row(std::vector<Cell> cells);
  std::size_t rows() const { return rows_.size(); }
  const std::vector<Column>& columns() const { return columns_; }

  std::string render(TableFormat format) const;
  std::string aligned() const;
  std::string markdown() const;
  std::string csv() const;
  std::string json() const;

 private:
  std::string text(std::size_t row, std::size_t column) const;
  std::vector<std::vector<std::string>> texts() const;  // header then rows, every cell as printed

  std::vector<Column> columns_;
  Layout layout_;
  std::vector<std::vector<Cell>> rows_;
};

// One CSV field: quoted (with doubled quotes) when it holds a comma, quote or line break.
std::string csv_field(std::string_view text);

// A JSON string literal: quotes, backslashes and control characters escaped.
std::string json_string(std::string_view text);

}  // namespace mmsim::format
