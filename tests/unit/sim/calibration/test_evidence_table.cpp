// The evidence table reader: RFC 4180 quoting, and the fields a target takes from its row.
#include <catch2/catch.hpp>

#include <fstream>

#include "sim/calibration/evidence_table.hpp"
#include "sim/core/errors.hpp"
#include "tests/unit/temp_dir.hpp"

using namespace mmsim;
using namespace mmsim::calibration;

TEST_CASE("evidence CSV: quoted fields with commas and doubled quotes") {
  const test::TempDir dir("mmsim_evidence_");
  const auto path = dir.path / "evidence.csv";
  std::ofstream(path) << "id,endpoint,value,ci_low,ci_high,n,median_followup_months,source\n"
                         "X1,ORR,0.73,,,128,13.3,\"Munshi, 2021 \"\"NEJM\"\"\"\r\n"
                         "X2,HR_PFS,0.49,0.38,0.63,386,,\"two\nlines\"\n"
                         "\n"
                         "X3,ORR,n/a,,,,,plain\n";
  const auto rows = read_evidence_csv(path);
  REQUIRE(rows.size() == 3);
  CHECK(rows.at("X1").at("source") == "Munshi, 2021 \"NEJM\"");
  CHECK(rows.at("X2").at("source") == "two\nlines");
  Target t;
  fill_from_evidence(t, rows.at("X2"));
  CHECK(t.value == Approx(0.49));
  CHECK(t.ci_low == Approx(0.38));
  CHECK(t.ci_high == Approx(0.63));
  CHECK(t.n == Approx(386));
  CHECK(std::isnan(t.median_followup));
  // A value the config gives is kept; a field that is not a number stays NaN.
  Target given;
  given.value = 0.7;
  fill_from_evidence(given, rows.at("X1"));
  CHECK(given.value == 0.7);
  CHECK(given.median_followup == Approx(13.3));
  Target text;
  fill_from_evidence(text, rows.at("X3"));
  CHECK(std::isnan(text.value));
}

TEST_CASE("evidence CSV: a missing or empty file is an input error naming it") {
  const test::TempDir dir("mmsim_evidence_");
  CHECK_THROWS_WITH(read_evidence_csv(dir.path / "absent.csv"), Catch::Contains("absent.csv: cannot read"));
  std::ofstream(dir.path / "empty.csv") << "";
  CHECK_THROWS_AS(read_evidence_csv(dir.path / "empty.csv"), InputError);
}

TEST_CASE("evidence CSV: a repeated id or a second header is an input error naming both lines") {
  const test::TempDir dir("mmsim_evidence_");
  std::ofstream(dir.path / "twice.csv") << "id,value,source\n"
                                           "X1,0.5,\"a\nb\"\n"
                                           "X2,0.6,c\n"
                                           "X1,0.7,d\n";
  CHECK_THROWS_WITH(read_evidence_csv(dir.path / "twice.csv"),
                    Catch::Contains("twice.csv:5: id 'X1' is already on line 2"));
  std::ofstream(dir.path / "appended.csv") << "id,value\nX1,0.5\nid,value\nX1,0.5\n";
  CHECK_THROWS_WITH(read_evidence_csv(dir.path / "appended.csv"), Catch::Contains("appended.csv:4: id 'X1'"));
}

TEST_CASE("evidence CSV: the shipped myeloma table has one header and unique ids") {
  const auto rows =
      read_evidence_csv(std::filesystem::path(MMSIM_SOURCE_DIR) / "models/myeloma/evidence/evidence.csv");
  CHECK(rows.size() > 400);
  CHECK(rows.count("id") == 0);
}
