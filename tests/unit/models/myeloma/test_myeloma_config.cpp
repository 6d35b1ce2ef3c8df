// Bad myeloma configs give located errors (issue 3 item 5; docs/model.md S), several at once.
#include <catch2/catch.hpp>

#include "test_myeloma_support.hpp"

using namespace mmsim;
using namespace mmsim::myeloma;
using namespace mmsim::myeloma::test;

namespace {

// A scenario in the real-world population whose strategies and tables are `body`.
std::string scenario(const std::string& body) {
  return scenario_text("default_relapsed", 120.0, "", body);
}

}  // namespace

TEST_CASE("The shipped scenarios load without errors", "[myeloma]") {
  CHECK(build_file("configs/post_cart_salvage.toml")->strategies().size() == 9);
  CHECK(build_file("configs/first_cart.toml")->strategies().size() == 10);
}

TEST_CASE("Bad strategies: every problem located at its file and line, all reported at once", "[myeloma]") {
  const std::string text = scenario(R"(
[[strategy]]
name = "a"
[[strategy.line]]
therapy = "ide_cell"
[[strategy.line]]
therapy_mix = { ide_cel = 0.5, cilta_cel = 0.4 }
[[strategy.rule]]
when = ["bcma_level == lost"]
therapy = "talquetamab"
[[strategy.rule]]
when = ["line_number == 3"]
therapy = "teclistamab"
partner = "lenalidomide"
[[strategy.rule]]
when = ["line_number == 3", "age > 70"]
therapy = "teclistamab"

[[fallback_rule]]
default = true
therapy = "stop"
[[fallback_rule]]
when = ["age > 70"]
therapy = "conventional_real_world"

[therapy.ide_cel.response]
probs = { cr = 0.33, vgpr = 0.20, pr = 0.20, mr_sd = 0.15, pd = 0.02 }
assessment_months = 1.0
source = "test"
)");
  config::Diagnostics diag;
  const auto m = build_from_text(text, diag);
  CHECK(m == nullptr);
  INFO(diag.format());
  const auto message_at = [&](const std::string& needle) { return issue_at(diag, text, needle).message; };
  CHECK_THAT(message_at("therapy = \"ide_cell\""), Catch::Contains("unknown therapy \"ide_cell\""));
  CHECK(issue_at(diag, text, "therapy = \"ide_cell\"").column > 0);
  CHECK_THAT(message_at("therapy_mix ="), Catch::Contains("sum to 0.9"));
  CHECK_THAT(message_at("when = [\"bcma_level"), Catch::Contains("unknown condition field \"bcma_level\""));
  CHECK_THAT(message_at("partner = \"lenalidomide\""), Catch::Contains("does not apply to teclistamab"));
  CHECK_THAT(message_at("when = [\"line_number == 3\", \"age > 70\"]"), Catch::Contains("unreachable rule"));
  CHECK_THAT(message_at("when = [\"age > 70\"]"), Catch::Contains("unreachable rule: the default rule"));
  CHECK_THAT(message_at("probs = { cr = 0.33"), Catch::Contains("sum to 0.9"));
  CHECK(diag.issues().size() >= 7);
}

TEST_CASE("Bad values in the parameter layer are located (types, ranges, names)", "[myeloma]") {
  const std::string text = scenario(R"(
[[strategy]]
name = "a"
[[strategy.line]]
therapy = "ide_cel"
[[strategy.rule]]
when = ["mechanism_at_last_failure == antigen_gone", "line_number >= two"]
therapy = "cilta_cel"
[[strategy.rule]]
when = ["bcma_status < lost"]
therapy = "cilta_cel"
[[fallback_rule]]
default = true
therapy = "stop"

[therapy.cilta_cel.pre_treatment]
manufacturing_time = { dist = "lognormal", meanlog = 0.372, sdlog = 0.25 }
manufacturing_failure_prob = 1.5
dropout_prob = 0.1
waitlist_death_hazard = 0.02
bridging_prob = 1.0
target_fraction_infused = 0.858
source = "test"
colour = "blue"
)");
  config::Diagnostics diag;
  CHECK(build_from_text(text, diag) == nullptr);
  INFO(diag.format());
  // Each located where it stands (issue_at stops the test otherwise).
  issue_at(diag, text, "when = [\"mechanism_at_last_failure");
  CHECK_THAT(diag.format(), Catch::Contains("unknown value \"antigen_gone\""));
  CHECK_THAT(diag.format(), Catch::Contains("line_number compares with a number"));
  CHECK_THAT(diag.format(), Catch::Contains("bcma_status is not ordered"));
  issue_at(diag, text, "manufacturing_failure_prob = 1.5");
  issue_at(diag, text, "colour = \"blue\"");
}

TEST_CASE("A rule list without a default is an error", "[myeloma]") {
  const std::string text = scenario(R"(
[[strategy]]
name = "a"
[[strategy.line]]
therapy = "ide_cel"
[[strategy.rule]]
when = ["line_number == 2"]
therapy = "cilta_cel"
)");
  config::Diagnostics diag;
  CHECK(build_from_text(text, diag) == nullptr);
  CHECK_THAT(diag.format(), Catch::Contains("must end with a `default = true` rule"));
}
