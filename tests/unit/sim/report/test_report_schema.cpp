// The report schema (sim/report/report_schema.hpp) is what every form emits: the CSV's header and each
// section's filled cells, the JSON objects' keys (in order), the stored HDF5 tables' fields and the sweep
// tables' columns are exactly the schema's columns for that form. The published names themselves are pinned
// by literal lists here (and docs/report_json.md must mention each), so a change to the schema that would
// rename or reorder a published column fails.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "sim/io/run_file.hpp"
#include "sim/io/run_layout.hpp"
#include "sim/report/report.hpp"
#include "sim/report/report_h5.hpp"
#include "sim/report/report_schema.hpp"
#include "sim/sweep/sweep_table.hpp"
#include "tests/unit/temp_dir.hpp"

namespace {

using namespace mmsim::report;
namespace layout = mmsim::io::layout;

const std::vector<std::string> kStrategies{"standard", "better"};
const std::vector<std::string> kEndpoints{"pfs", "os"};
const std::vector<std::string> kOutcomes{"resp"};

// A report with every value defined and distinct (no two cells alike), planning included.
Report full_report() {
  double x = 0.5;
  auto next = [&] { return x += 1.125; };
  std::uint64_t k = 10;
  Report r;
  r.reference = "standard";
  r.patients = 1000;
  r.target_se = 0.25;
  for (const auto& s : kStrategies) {
    StrategySummary ss{s, {}, {}};
    for (const auto& e : kEndpoints) {
      EndpointSummary es;
      es.endpoint = e;
      es.n = k++, es.events = k++;
      es.median = next(), es.median_ci_low = next(), es.median_ci_high = next();
      es.rmst = next(), es.rmst_se = next(), es.rmst_horizon = next();
      es.rmst_extrapolated = k++;
      es.rmst_patients_needed = k++;
      for (const double t : {6.0, 12.0}) es.survival.push_back({t, next(), next(), next(), next()});
      ss.endpoints.push_back(es);
    }
    ss.proportions.push_back({"resp", k++, next(), next(), k++, next(), next()});
    r.strategies.push_back(ss);
  }
  for (const auto& e : kEndpoints) {
    Comparison c;
    c.strategy = "better", c.reference = "standard", c.endpoint = e;
    c.hr = next(), c.hr_ci_low = next(), c.hr_ci_high = next();
    c.hr_ci_low_paired = next(), c.hr_ci_high_paired = next(), c.logrank_chisq = next(), c.logrank_p = next();
    c.rmst_diff = next(), c.rmst_diff_se = next(), c.rmst_diff_se_unpaired = next();
    c.rmst_diff_ci_low = next(), c.rmst_diff_ci_high = next();
    c.rmst_diff_patients_needed = k++, c.rmst_diff_patients_needed_unpaired = k++;
    for (const double t : {6.0, 12.0}) c.survival_diff.push_back({t, next(), next(), next(), next(), next()});
    r.comparisons.push_back(c);
  }
  r.proportion_comparisons.push_back({"better", "standard", "resp", next(), next(), next(), next(), next(),
                                      next(), next(), next(), next(), next()});
  return r;
}

template <class Row>
std::vector<std::string> names_in(const ReportTable<Row>& t, Form form, bool csv_names = false) {
  std::vector<std::string> out;
  for (const auto& c : t.columns) {
    if (c.in(form)) out.emplace_back(csv_names ? c.csv() : c.name);
  }
  return out;
}

template <class Row>
std::vector<std::string> key_names(const ReportTable<Row>& t, bool skip_strategy = false) {
  std::vector<std::string> out;
  for (const Key k : t.keys) {
    if (!(skip_strategy && k == Key::strategy)) out.emplace_back(key_name(k));
  }
  return out;
}

std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::string cell;
  std::istringstream in(line);
  while (std::getline(in, cell, sep)) out.push_back(cell);
  if (!line.empty() && line.back() == sep) out.emplace_back();
  return out;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("report schema: names are unique and planning columns are never stored", "[report][schema]") {
  for_each_report_table([](const auto& t) {
    for (const Form f : {kJson, kCsv, kHdf5, kSweep}) {
      const auto names = names_in(t, f, f == kCsv);
      CHECK(std::set<std::string>(names.begin(), names.end()).size() == names.size());
    }
    for (const auto& c : t.columns) {
      if (c.planning()) CHECK(c.forms == kPlanning);
      CHECK_FALSE(c.description.empty());
    }
  });
}

TEST_CASE("report CSV: the published header, and each section fills exactly its schema's columns",
          "[report][schema]") {
  const std::vector<std::string> published{"section",
                                           "strategy",
                                           "reference",
                                           "endpoint",
                                           "outcome",
                                           "n",
                                           "events",
                                           "median",
                                           "median_ci_low",
                                           "median_ci_high",
                                           "rmst",
                                           "rmst_se",
                                           "rmst_horizon",
                                           "rmst_extrapolated",
                                           "time",
                                           "surv",
                                           "se",
                                           "ci_low",
                                           "ci_high",
                                           "hr",
                                           "hr_ci_low",
                                           "hr_ci_high",
                                           "hr_ci_low_paired",
                                           "hr_ci_high_paired",
                                           "logrank_chisq",
                                           "logrank_p",
                                           "rmst_diff",
                                           "rmst_diff_se",
                                           "rmst_diff_se_unpaired",
                                           "rmst_diff_ci_low",
                                           "rmst_diff_ci_high",
                                           "diff",
                                           "diff_se",
                                           "diff_se_unpaired",
                                           "diff_ci_low",
                                           "diff_ci_high",
                                           "rate",
                                           "rate_se",
                                           "denominator_n",
                                           "denominator_rate",
                                           "denominator_rate_se",
                                           "denominator_diff",
                                           "denominator_diff_se",
                                           "denominator_diff_se_unpaired",
                                           "denominator_diff_ci_low",
                                           "denominator_diff_ci_high",
                                           "patients_needed",
                                           "patients_needed_unpaired"};
  CHECK(csv_columns() == published);

  const std::string csv = format_report(full_report(), Format::csv);
  std::istringstream lines(csv);
  std::string line;
  std::getline(lines, line);
  const auto header = split(line, ',');
  REQUIRE(header == published);
  std::map<std::string, std::vector<std::string>> expected;
  for_each_report_table([&](const auto& t) {
    expected[std::string(t.section)] = concat(concat({"section"}, key_names(t)), names_in(t, kCsv, true));
  });
  std::map<std::string, int> rows;
  while (std::getline(lines, line)) {
    const auto cells = split(line, ',');
    REQUIRE(cells.size() == header.size());
    std::set<std::string> filled;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (!cells[i].empty()) filled.insert(header[i]);
    }
    const auto& want = expected.at(cells[0]);
    CHECK(filled == std::set<std::string>(want.begin(), want.end()));
    ++rows[cells[0]];
  }
  // 2 strategies x 2 endpoints (x 2 landmarks), 2 rates, 2 comparisons (x 2 landmarks), 1 rate comparison.
  CHECK(rows == std::map<std::string, int>{{"summary", 4},
                                           {"survival", 8},
                                           {"rate", 2},
                                           {"comparison", 2},
                                           {"survival_diff", 4},
                                           {"rate_comparison", 1}});
}

TEST_CASE("report JSON: every object has exactly its schema's keys, in order", "[report][schema]") {
  const mmsim::test::TempDir dir("mmsim_schema_json_");
  const std::string json = (dir.path / "r.json").string(), keys = (dir.path / "keys.txt").string();
  std::ofstream(json) << format_report(full_report(), Format::json);
  // One line per object kind: its keys, in the file's order (Python dicts keep it).
  const std::string script = R"PY(
import json, sys
r = json.load(open(sys.argv[1]))
out = {}
def put(kind, obj, drop=()):
    ks = ",".join(k for k in obj if k not in drop)
    assert out.setdefault(kind, ks) == ks, (kind, ks)
for s in r["strategies"]:
    for e in s["endpoints"].values():
        put("summary", e, ("survival",))
        for l in e["survival"]: put("survival", l)
    for o in s["rates"].values(): put("rate", o)
for c in r["comparisons"]:
    put("comparison", c, ("survival_diff",))
    for l in c["survival_diff"]: put("survival_diff", l)
for c in r["rate_comparisons"]: put("rate_comparison", c)
open(sys.argv[2], "w").write("".join(f"{k}:{v}\n" for k, v in sorted(out.items())))
)PY";
  std::ofstream(dir.path / "keys.py") << script;
  REQUIRE(std::system(fmt::format("/usr/bin/python3 {} {} {}", (dir.path / "keys.py").string(), json, keys)
                          .c_str()) == 0);
  std::map<std::string, std::string> expected;
  auto add = [&](const auto& t, bool keys_inside) {
    expected[std::string(t.section)] = fmt::format(
        "{}",
        fmt::join(concat(keys_inside ? key_names(t) : std::vector<std::string>{}, names_in(t, kJson)), ","));
  };
  add(kSummaryTable, false);  // named by its endpoint, nested in its strategy
  add(kSurvivalTable, false);
  add(kRateTable, false);
  add(kComparisonTable, true);
  add(kSurvivalDifferenceTable, false);
  add(kRateComparisonTable, true);
  std::string want;
  for (const auto& [k, v] : expected) want += k + ":" + v + "\n";
  CHECK(read_file(keys) == want);
}

TEST_CASE("stored report: every table's fields are its schema's, and it reads back", "[report][schema]") {
  const mmsim::test::TempDir dir("mmsim_schema_h5_");
  const Report r = full_report();
  mmsim::io::RunAttributes attrs;
  attrs.strategy_order = kStrategies;
  attrs.extra = {{layout::kPatients, "1000"}, {layout::kEndpoints, "pfs,os"}, {layout::kOutcomes, "resp"}};
  const auto file = dir.path / "run.h5";
  {
    mmsim::io::RunFileWriter w(file, attrs);
    write_report(w, r, kEndpoints, kOutcomes);
    w.commit();
  }
  const mmsim::io::RunFileReader reader(file);
  auto check = [&](const auto& t, const std::string& path) {
    INFO(path);
    REQUIRE(reader.has_dataset(path));
    CHECK(reader.string_attribute(path, layout::kTableName) == t.hdf5_table);
    CHECK(reader.field_names(path) == concat(key_names(t, t.per_strategy), names_in(t, kHdf5)));
  };
  for (const auto& s : kStrategies) {
    check(kSummaryTable, layout::summary_endpoints(s));
    check(kSurvivalTable, layout::summary_survival(s));
    check(kRateTable, layout::summary_rates(s));
  }
  check(kComparisonTable, layout::comparisons());
  check(kSurvivalDifferenceTable, layout::comparison_survival());
  check(kRateComparisonTable, layout::rate_comparisons());
  // Paths named in the schema are the layout's.
  CHECK(kSummaryTable.hdf5_path("x") == "/strategies/x/summary/endpoints");
  CHECK(kRateComparisonTable.hdf5_path("x") == "/rate_comparisons");

  // Everything stored comes back (planning is not stored: it is recomputed from the SEs when asked).
  Report unplanned = r;
  unplanned.target_se = kNaN;
  for (auto& s : unplanned.strategies) {
    for (auto& e : s.endpoints) e.rmst_patients_needed.reset();
  }
  for (auto& c : unplanned.comparisons) {
    c.rmst_diff_patients_needed.reset();
    c.rmst_diff_patients_needed_unpaired.reset();
  }
  const Report back = read_report(reader);
  for (const Format f : {Format::json, Format::csv})
    CHECK(format_report(back, f) == format_report(unplanned, f));
}

TEST_CASE("sweep tables: the published columns, filled from the report", "[report][schema][sweep]") {
  mmsim::sweep::TableShape shape;
  shape.parameters = {"p"};
  shape.strategies = kStrategies;
  shape.endpoints = kEndpoints;
  shape.outcomes = kOutcomes;
  shape.landmarks = {6, 12};
  const mmsim::sweep::SweepTables tables(shape);
  std::vector<std::string> endpoint_columns;
  for (const auto& f : tables.endpoints.fields()) endpoint_columns.push_back(f.name);
  CHECK(endpoint_columns == std::vector<std::string>{"point",
                                                     "replicate",
                                                     "p",
                                                     "strategy",
                                                     "endpoint",
                                                     "n",
                                                     "events",
                                                     "median",
                                                     "median_ci_low",
                                                     "median_ci_high",
                                                     "rmst",
                                                     "rmst_se",
                                                     "rmst_horizon",
                                                     "surv_6",
                                                     "surv_6_se",
                                                     "surv_6_ci_low",
                                                     "surv_6_ci_high",
                                                     "surv_12",
                                                     "surv_12_se",
                                                     "surv_12_ci_low",
                                                     "surv_12_ci_high",
                                                     "hr",
                                                     "hr_ci_low",
                                                     "hr_ci_high",
                                                     "logrank_chisq",
                                                     "logrank_p",
                                                     "rmst_diff",
                                                     "rmst_diff_se",
                                                     "rmst_diff_se_unpaired",
                                                     "rmst_diff_ci_low",
                                                     "rmst_diff_ci_high"});
  std::vector<std::string> rate_columns;
  for (const auto& f : tables.rates.fields()) rate_columns.push_back(f.name);
  CHECK(rate_columns == std::vector<std::string>{"point", "replicate", "p", "strategy", "outcome", "n",
                                                 "rate", "se", "diff", "diff_se", "diff_se_unpaired",
                                                 "diff_ci_low", "diff_ci_high"});

  const Report r = full_report();
  mmsim::sweep::PointRows rows(tables);
  mmsim::sweep::add_report_rows(tables, 3, 0, {0.5}, r, rows);
  REQUIRE(rows.endpoints.rows() == 4);
  const auto& L = tables.endpoints;
  // Row 3: strategy "better", endpoint "os", compared with the reference.
  const EndpointSummary& e = r.strategies[1].endpoints[1];
  const Comparison& c = r.comparisons[1];
  CHECK(rows.endpoints.get<std::uint64_t>(3, L.find("n")) == e.n);
  CHECK(rows.endpoints.get<double>(3, L.find("rmst_se")) == e.rmst_se);
  CHECK(rows.endpoints.get<double>(3, L.find("surv_12_ci_low")) == e.survival[1].ci_low);
  CHECK(rows.endpoints.get<double>(3, L.find("rmst_diff_se_unpaired")) == c.rmst_diff_se_unpaired);
  // The reference strategy has no comparison with itself.
  CHECK(std::isnan(rows.endpoints.get<double>(0, L.find("hr"))));
  REQUIRE(rows.rates.rows() == 2);
  CHECK(rows.rates.get<double>(1, tables.rates.find("se")) == r.strategies[1].proportions[0].se);
  CHECK(rows.rates.get<double>(1, tables.rates.find("diff_ci_high")) ==
        r.proportion_comparisons[0].diff_ci_high);
}

TEST_CASE("docs/report_json.md names every JSON column of the schema", "[report][schema]") {
  const std::string doc = read_file(std::string(MMSIM_SOURCE_DIR) + "/docs/report_json.md");
  for_each_report_table([&](const auto& t) {
    for (const auto& name : concat(key_names(t), names_in(t, kJson))) {
      INFO(name);
      CHECK(doc.find("\"" + name + "\"") != std::string::npos);
    }
  });
}
