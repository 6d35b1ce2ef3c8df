// The progress line's text (sim/runner/progress.hpp): rates with k/M prefixes (the flagship's 10^4 patients
// per second printed as "0.01 M/s" before), table rows per second, ETA while running and the total time at
// the end.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sim/runner/progress.hpp"

TEST_CASE("progress rates use k and M prefixes", "[runner][progress]") {
  CHECK(mmsim::format_rate(0.0) == "0");
  CHECK(mmsim::format_rate(950.4) == "950");
  CHECK(mmsim::format_rate(12345.0) == "12.3 k");
  CHECK(mmsim::format_rate(4.561e6) == "4.56 M");
}

TEST_CASE("a progress line names patients, table rows per second and the ETA", "[runner][progress]") {
  const std::vector<std::string> tables{"events", "lines"};
  const std::vector<std::uint64_t> rows{30000, 0};  // a table with no rows yet is not shown
  CHECK(mmsim::ProgressLine::line("patients", 2500, 10000, 2.0, tables, rows) ==
        "[mmsim]  25.0%  2500/10000 patients  1.2 k/s (events 15.0 k/s)  elapsed 2 s  ETA 6 s");
  CHECK(mmsim::ProgressLine::line("patients", 10000, 10000, 4.0, {}, {}) ==
        "[mmsim] 100.0%  10000/10000 patients  2.5 k/s  in 4.0 s");
}
