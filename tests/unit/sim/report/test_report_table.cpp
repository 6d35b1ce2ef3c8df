// The terminal and Markdown tables (sim/report/report_table.hpp) on a report built here: columns as wide as
// their widest cell (a 40-character strategy name shifts nothing), units in the headers, the paired HR CI,
// the compact form leaving out an endpoint identical in every strategy (named in a footnote) and a comparison
// of an arm equal to the reference, Rows::all keeping them, and the RMST extrapolation flag and warning.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "sim/report/report.hpp"

namespace {

using namespace mmsim::report;

EndpointSummary summary(const std::string& name, double median, std::uint64_t extrapolated = 0) {
  EndpointSummary e;
  e.endpoint = name;
  e.n = 1000, e.events = 800;
  e.median = median, e.median_ci_low = median - 1, e.median_ci_high = median + 1;
  e.rmst = 2 * median, e.rmst_se = 0.5, e.rmst_horizon = 120;
  e.rmst_extrapolated = extrapolated;
  e.survival = {{6, 0.7, 0.01, 0.68, 0.72}};
  return e;
}

Comparison comparison(const std::string& strategy, const std::string& endpoint, double hr) {
  Comparison c;
  c.strategy = strategy, c.reference = "ref", c.endpoint = endpoint;
  c.hr = hr, c.hr_ci_low = hr - 0.05, c.hr_ci_high = hr + 0.05;
  c.hr_ci_low_paired = hr - 0.01, c.hr_ci_high_paired = hr + 0.01;
  c.logrank_chisq = 1, c.logrank_p = 0.3, c.rmst_diff = 0.5, c.rmst_diff_se = 0.1,
  c.rmst_diff_se_unpaired = 0.3;
  c.rmst_diff_ci_low = 0.3, c.rmst_diff_ci_high = 0.7;
  c.survival_diff = {{6, 0.01, 0.002, 0.004, 0.006, 0.014}};
  return c;
}

const std::string kLong = "a_strategy_with_a_rather_long_name_40ch";

// ref and kLong differ on "os"; on "pfs" all three are identical; "twin" equals ref everywhere.
Report report() {
  Report r;
  r.reference = "ref";
  r.patients = 1000;
  r.strategies = {{"ref", {summary("pfs", 10), summary("os", 20)}, {}},
                  {kLong, {summary("pfs", 10), summary("os", 25, 1)}, {}},
                  {"twin", {summary("pfs", 10), summary("os", 20)}, {}}};
  r.comparisons = {comparison(kLong, "pfs", 1.0), comparison("twin", "pfs", 1.0),
                   comparison(kLong, "os", 0.8), comparison("twin", "os", 1.0)};
  return r;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

}  // namespace

TEST_CASE("report table: aligned for any name, units in headers, paired HR CI", "[report][table]") {
  const std::string text = format_report(report(), Format::table, Rows::all);
  const auto lines = lines_of(text);
  // In the survival table every row is as long as its header (the last column is right-aligned) and each
  // row's endpoint starts where the header's does.
  REQUIRE(lines.size() > 5);
  CHECK(lines[0] == "Survival by strategy (Kaplan-Meier; times in months)");
  const std::string& head = lines[1];
  const auto endpoint_at = head.find("endpoint");
  for (std::size_t i = 2; i < 8; ++i) {
    INFO(lines[i]);
    CHECK(lines[i].size() == head.size());
    CHECK(lines[i].find_first_not_of(' ', lines[i].find(' ')) == endpoint_at);
  }
  CHECK(endpoint_at == kLong.size() + 2);
  for (const char* h :
       {"median, months (95% CI)", "S(6 months)", "RMST to 120 months (SE)", "RMST diff, months"})
    CHECK(text.find(h) != std::string::npos);
  CHECK(text.find("(0.79, 0.81)") != std::string::npos);  // the paired CI, not the naive (0.75, 0.85)
  CHECK(text.find("(0.75, 0.85)") == std::string::npos);
  CHECK(text.find("cluster-robust (sandwich) variance over patient id") != std::string::npos);
  CHECK(text.find("50.00 (0.500) *") != std::string::npos);
  CHECK(text.find("* RMST horizon past the last follow-up time") != std::string::npos);
}

TEST_CASE("report table: the compact form shows what the strategies differ on", "[report][table]") {
  const std::string all = format_report(report(), Format::table, Rows::all);
  const std::string compact = format_report(report(), Format::table, Rows::compact);
  auto has_row = [](const std::string& text, const std::string& strategy, const std::string& endpoint) {
    for (const auto& l : lines_of(text)) {
      std::istringstream in(l);
      std::string a, b;
      in >> a >> b;
      if (a == strategy && b == endpoint) return true;
    }
    return false;
  };
  CHECK(has_row(all, "ref", "pfs"));
  CHECK_FALSE(has_row(compact, "ref", "pfs"));  // identical in every strategy
  CHECK(has_row(compact, "ref", "os"));
  CHECK(has_row(compact, "twin", "os"));  // the survival table keeps every strategy of a compared endpoint
  CHECK(compact.find("Not shown, identical in every strategy (--all shows them): pfs") != std::string::npos);
  // twin's comparison on os equals the reference: left out, counted in a footnote.
  std::size_t twin_rows_all = 0, twin_rows_compact = 0;
  for (const auto& l : lines_of(all)) twin_rows_all += l.rfind("twin", 0) == 0;
  for (const auto& l : lines_of(compact)) twin_rows_compact += l.rfind("twin", 0) == 0;
  CHECK(twin_rows_all == 2 + 4);  // survival (2 endpoints), comparisons (2), landmark differences (2)
  CHECK(twin_rows_compact == 1);  // its os survival row only
  CHECK(compact.find("Not shown: 1 comparisons of a strategy whose numbers equal the reference's") !=
        std::string::npos);
  // Markdown takes the same rows.
  const std::string md = format_report(report(), Format::markdown, Rows::compact);
  CHECK(md.find("| ref | pfs |") == std::string::npos);
  CHECK(md.find("| ref | os |") != std::string::npos);
}

TEST_CASE("report: the extrapolation warning names the curves", "[report][table]") {
  CHECK(extrapolation_warning(report()) ==
        "mmsim: warning: the RMST horizon 120 months is past the last follow-up time of " + kLong +
            "/os: the curve is carried flat there, so the RMST extrapolates (flagged rmst_extrapolated in "
            "every "
            "format)\n");
  Report none = report();
  none.strategies[1].endpoints[1].rmst_extrapolated = 0;
  CHECK(extrapolation_warning(none).empty());
}
