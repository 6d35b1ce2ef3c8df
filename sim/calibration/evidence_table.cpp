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

// One CSV record (RFC 4180 quoting); false at end of input.
bool read_record(std::istream& in, std::vector<std::string>& fields) {
  fields.clear();
  std::string field;
  bool quoted = false, any = false;
  char c;
  while (in.get(c)) {
    any = true;
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
  if (!read_record(in, header)) throw InputError(fmt::format("{}: empty evidence table", path.string()));
  std::map<std::string, EvidenceRow> rows;
  while (read_record(in, fields)) {
    if (fields.size() == 1 && fields[0].empty()) continue;
    EvidenceRow row;
    for (std::size_t i = 0; i < header.size() && i < fields.size(); ++i) row[header[i]] = fields[i];
    const std::string id = row["id"];
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
