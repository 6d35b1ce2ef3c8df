#include "sim/cli/text_table.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "sim/core/errors.hpp"

namespace mmsim::cli {
namespace {

std::string csv_cell(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      out += fmt::format("\\u{:04x}", u);
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string markdown_cell(const std::string& s) {
  std::string out;
  for (const char c : s) {
    if (c == '|') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out;
}

}  // namespace

TextFormat parse_text_format(const std::string& text, const std::string& option) {
  if (text == "table") return TextFormat::table;
  if (text == "csv") return TextFormat::csv;
  if (text == "json") return TextFormat::json;
  if (text == "markdown") return TextFormat::markdown;
  throw InputError(fmt::format("{}: '{}' is not a format (table, csv, json or markdown)", option, text));
}

std::string format_text_table(const TextTable& table, TextFormat format) {
  const std::size_t nc = table.columns.size();
  std::string out;
  switch (format) {
    case TextFormat::csv: {
      std::vector<std::string> cells;
      for (const auto& c : table.columns) cells.push_back(csv_cell(c));
      out += fmt::format("{}\n", fmt::join(cells, ","));
      for (const auto& row : table.rows) {
        cells.clear();
        for (const auto& c : row) cells.push_back(csv_cell(c));
        out += fmt::format("{}\n", fmt::join(cells, ","));
      }
      break;
    }
    case TextFormat::json: {
      out += "[";
      for (std::size_t i = 0; i < table.rows.size(); ++i) {
        out += i == 0 ? "\n  {" : ",\n  {";
        for (std::size_t c = 0; c < nc; ++c)
          out += fmt::format("{}{}: {}", c == 0 ? "" : ", ", json_string(table.columns[c]),
                             json_string(table.rows[i][c]));
        out += "}";
      }
      out += table.rows.empty() ? "]\n" : "\n]\n";
      break;
    }
    case TextFormat::markdown: {
      std::vector<std::string> cells;
      for (const auto& c : table.columns) cells.push_back(markdown_cell(c));
      out += fmt::format("| {} |\n|", fmt::join(cells, " | "));
      for (std::size_t c = 0; c < nc; ++c) out += "---|";
      out += "\n";
      for (const auto& row : table.rows) {
        cells.clear();
        for (const auto& c : row) cells.push_back(markdown_cell(c));
        out += fmt::format("| {} |\n", fmt::join(cells, " | "));
      }
      break;
    }
    case TextFormat::table: {
      std::vector<std::size_t> width(nc, 0);
      for (std::size_t c = 0; c < nc; ++c) width[c] = table.columns[c].size();
      for (const auto& row : table.rows) {
        for (std::size_t c = 0; c < nc; ++c) width[c] = std::max(width[c], row[c].size());
      }
      const auto line = [&](const std::vector<std::string>& cells) {
        std::string text;
        for (std::size_t c = 0; c < nc; ++c) {
          // The last column is not padded: no trailing blanks.
          text += c + 1 == nc ? cells[c] : fmt::format("{:<{}}  ", cells[c], width[c]);
        }
        return text + "\n";
      };
      out += line(table.columns);
      for (const auto& row : table.rows) out += line(row);
      break;
    }
  }
  return out;
}

}  // namespace mmsim::cli
