// "{name}" placeholders of the texts a calibration or trial config supplies.
#include <catch2/catch.hpp>

#include "sim/calibration/text_template.hpp"

using namespace mmsim::calibration;

TEST_CASE("templates: known placeholders filled, everything else kept") {
  CHECK(fill_template("PFS at {time} mo ({arm})", {{"time", "12"}, {"arm", "cilta_cel"}}) ==
        "PFS at 12 mo (cilta_cel)");
  CHECK(fill_template("{arm}{arm}", {{"arm", "x"}}) == "xx");
  // Unknown names, lone braces and empty braces are text.
  CHECK(fill_template("{other} { arm} {} {arm", {{"arm", "x"}}) == "{other} { arm} {} {arm");
  CHECK(fill_template("", {{"arm", "x"}}).empty());
}

TEST_CASE("templates: the first unknown placeholder is reported") {
  CHECK(unknown_placeholder("ORR ({arm})", {"arm", "time"}).empty());
  CHECK(unknown_placeholder("ORR ({amr}) {tiem}", {"arm", "time"}) == "amr");
  CHECK(unknown_placeholder("{ not one } {}", {"arm"}).empty());
}
