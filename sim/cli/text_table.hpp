#pragma once
// A small table of strings printed the ways the other commands print theirs: an aligned terminal table,
// CSV (RFC 4180 quoting), JSON (an array of objects, one per row) or Markdown. For listings such as
// `mmsim therapies`, whose cells are names and sources rather than numbers.
#include <string>
#include <vector>

namespace mmsim::cli {

struct TextTable {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;  // each as long as columns
};

enum class TextFormat { table, csv, json, markdown };

// "table", "csv", "json" or "markdown"; InputError naming `option` otherwise.
TextFormat parse_text_format(const std::string& text, const std::string& option);

std::string format_text_table(const TextTable& table, TextFormat format);

}  // namespace mmsim::cli
