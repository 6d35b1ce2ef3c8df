#include "sim/calibration/evidence_table.hpp"

#include <fmt/format.h>

#include <fstream>
#include <istream>
#include <vector>

#include "sim/core/errors.hpp"
#include "sim/core/text.hpp"

namespace mmsim::calibration {
namespace {

double parse_double(const std::string& s) {
  return parse_number(s).value_or(kNaN);
}

// One CSV record (RFC 4180 quoting); false at end of input. `line` counts the newlines read (a quoted field
// may hold some), so the caller can name where a record starts.
bool read_record(std::istream& in, std::vector<std::string>& fields, int& line) {
  fields.clear();
  std::string field;
  bool quoted = false, any = false;
  char c;
  while (in.get(c)) {
    any = true;
    if (c == '\n') ++line;
    if (quoted) {
      if (c == '"') {
        if (in.peek() == '"') {
          field += '"';
          in.get(c);
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      break;
    } else if (c != '\r') {
      field += c;
    }
  }
  if (!any) return false;
  fields.push_back(std::move(field));
  return true;
}

}  // namespace

std::map<std::string, EvidenceRow> read_evidence_csv(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot read the evidence table", path.string()));
  std::vector<std::string> header, fields;
  int line = 0;
  if (!read_record(in, header, line))
    throw InputError(fmt::format("{}: empty evidence table", path.string()));
  std::map<std::string, EvidenceRow> rows;
  std::map<std::string, int> first_line;
  for (int start = line + 1; read_record(in, fields, line); start = line + 1) {
    if (fields.size() == 1 && fields[0].empty()) continue;
    EvidenceRow row;
    for (std::size_t i = 0; i < header.size() && i < fields.size(); ++i) row[header[i]] = fields[i];
    const std::string id = row["id"];
    // A repeated id (or a second header: a table appended to itself) would silently keep the first row.
    if (const auto [it, added] = first_line.emplace(id, start); !added)
      throw InputError(
          fmt::format("{}:{}: id '{}' is already on line {}: every evidence row needs its own id",
                      path.string(), start, id, it->second));
    rows.emplace(id, std::move(row));
  }
  return rows;
}

void fill_from_evidence(Target& t, const EvidenceRow& row) {
  const auto get = [&](const char* key) {
    const auto it = row.find(key);
    return it == row.end() ? std::string() : it->second;
  };
  if (std::isnan(t.value)) t.value = parse_double(get("value"));
  if (std::isnan(t.ci_low)) t.ci_low = parse_double(get("ci_low"));
  if (std::isnan(t.ci_high)) t.ci_high = parse_double(get("ci_high"));
  if (std::isnan(t.n)) t.n = parse_double(get("n"));
  if (std::isnan(t.median_followup)) t.median_followup = parse_double(get("median_followup_months"));
  if (t.source.empty()) t.source = get("source");
}

}  // namespace mmsim::calibration
