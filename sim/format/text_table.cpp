#include "sim/format/text_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "sim/core/errors.hpp"

namespace mmsim::format {
namespace {

std::string markdown_cell(const std::string& s) {
  std::string out;
  for (const char c : s) {
    if (c == '|') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out;
}

std::vector<std::size_t> widths(const std::vector<std::vector<std::string>>& lines) {
  std::vector<std::size_t> width(lines.front().size(), 0);
  for (const auto& line : lines) {
    for (std::size_t c = 0; c < line.size(); ++c) width[c] = std::max(width[c], line[c].size());
  }
  return width;
}

}  // namespace

std::string format_number(double value, const NumberFormat& format) {
  if (!std::isfinite(value) && format.missing) return *format.missing;
  if (format.decimals >= 0) return fmt::format("{:.{}f}", value, format.decimals);
  if (format.significant >= 0) return fmt::format("{:.{}g}", value, format.significant);
  return fmt::format("{}", value);
}

NumberFormat NumberFormat::fixed(int decimals, std::optional<std::string> missing) {
  return {decimals, -1, std::move(missing)};
}
NumberFormat NumberFormat::digits(int significant, std::optional<std::string> missing) {
  return {-1, significant, std::move(missing)};
}
NumberFormat NumberFormat::shortest(std::optional<std::string> missing) {
  return {-1, -1, std::move(missing)};
}

Column left(std::string header) {
  return {std::move(header), {}, Align::left, {}};
}
Column right(std::string header, NumberFormat number, std::string unit) {
  return {std::move(header), std::move(unit), Align::right, std::move(number)};
}

std::string Column::title() const {
  return unit.empty() ? header : fmt::format("{} ({})", header, unit);
}

TableFormat parse_table_format(const std::string& text, const std::string& option) {
  if (text == "table") return TableFormat::table;
  if (text == "csv") return TableFormat::csv;
  if (text == "json") return TableFormat::json;
  if (text == "markdown") return TableFormat::markdown;
  throw InputError(fmt::format("{}: '{}' is not a format (table, csv, json or markdown)", option, text));
}

TextTable::TextTable(std::vector<Column> columns, Layout layout)
    : columns_(std::move(columns)), layout_(layout) {}

void TextTable::add_row(std::vector<Cell> cells) {
  if (cells.size() != columns_.size())
    throw std::invalid_argument(
        fmt::format("TextTable: a row of {} cells in a table of {} columns", cells.size(), columns_.size()));
  rows_.push_back(std::move(cells));
}

std::string TextTable::text(std::size_t row, std::size_t column) const {
  const Cell& cell = rows_[row][column];
  if (const auto* s = std::get_if<std::string>(&cell)) return *s;
  return format_number(std::get<double>(cell), columns_[column].number);
}

std::vector<std::vector<std::string>> TextTable::texts() const {
  std::vector<std::vector<std::string>> lines;
  lines.reserve(rows_.size() + 1);
  auto& header = lines.emplace_back();
  for (const auto& c : columns_) header.push_back(c.title());
  for (std::size_t r = 0; r < rows_.size(); ++r) {
    auto& line = lines.emplace_back();
    for (std::size_t c = 0; c < columns_.size(); ++c) line.push_back(text(r, c));
  }
  return lines;
}

std::string TextTable::render(TableFormat format) const {
  switch (format) {
    case TableFormat::table:
      return aligned();
    case TableFormat::csv:
      return csv();
    case TableFormat::json:
      return json();
    case TableFormat::markdown:
      return markdown();
  }
  return {};
}

std::string TextTable::aligned() const {
  const auto lines = texts();
  const auto width = widths(lines);
  const std::size_t nc = columns_.size();
  std::string out;
  for (const auto& cells : lines) {
    std::string line;
    for (std::size_t c = 0; c < nc; ++c) {
      if (c > 0) line += "  ";
      if (columns_[c].align == Align::right) {
        line += fmt::format("{:>{}}", cells[c], width[c]);
      } else {  // a left-aligned last column is not padded: no blanks after the text
        line += c + 1 == nc ? cells[c] : fmt::format("{:<{}}", cells[c], width[c]);
      }
    }
    if (layout_.trim_line_ends) line.erase(line.find_last_not_of(' ') + 1);
    out += line + "\n";
  }
  return out;
}

std::string TextTable::markdown() const {
  auto lines = texts();
  for (auto& line : lines) {
    for (auto& cell : line) cell = markdown_cell(cell);
  }
  const auto width = widths(lines);
  std::string rule = "|";
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    switch (layout_.markdown) {
      case MarkdownRule::aligned:
        rule += columns_[c].align == Align::right ? " ---: |" : " --- |";
        break;
      case MarkdownRule::plain:
        rule += "---|";
        break;
      case MarkdownRule::padded:
        rule += std::string(width[c] + 2, '-') + "|";
        break;
    }
  }
  std::string out;
  for (std::size_t k = 0; k < lines.size(); ++k) {
    std::string line = "|";
    for (std::size_t c = 0; c < lines[k].size(); ++c) {
      line += layout_.markdown == MarkdownRule::padded ? fmt::format(" {:<{}} |", lines[k][c], width[c])
                                                       : fmt::format(" {} |", lines[k][c]);
    }
    out += line + "\n";
    if (k == 0) out += rule + "\n";
  }
  return out;
}

std::string TextTable::csv() const {
  std::string out;
  for (const auto& line : texts()) {
    for (std::size_t c = 0; c < line.size(); ++c) {
      if (c > 0) out += ',';
      out += csv_field(line[c]);
    }
    out += '\n';
  }
  return out;
}

std::string TextTable::json() const {
  std::vector<std::string> keys;
  for (const auto& c : columns_) keys.push_back(json_string(c.title()));
  std::string out = "[";
  for (std::size_t r = 0; r < rows_.size(); ++r) {
    out += r == 0 ? "\n  {" : ",\n  {";
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      const Cell& cell = rows_[r][c];
      const auto* number = std::get_if<double>(&cell);
      const std::string value = number == nullptr        ? json_string(std::get<std::string>(cell))
                                : std::isfinite(*number) ? format_number(*number, columns_[c].number)
                                                         : std::string("null");
      out += fmt::format("{}{}: {}", c == 0 ? "" : ", ", keys[c], value);
    }
    out += "}";
  }
  out += rows_.empty() ? "]\n" : "\n]\n";
  return out;
}

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (const char ch : text) {
    switch (ch) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(ch) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<int>(ch));
        } else {
          out += ch;
        }
    }
  }
  return out + "\"";
}

}  // namespace mmsim::format
