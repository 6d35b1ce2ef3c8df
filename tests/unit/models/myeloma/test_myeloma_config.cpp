// Bad myeloma configs give located errors (issue 3 item 5; docs/model.md S), several at once.
#include <catch2/catch.hpp>

#include "test_myeloma_support.hpp"

using namespace mmsim;
using namespace mmsim::myeloma;
using namespace mmsim::myeloma::test;

namespace {

std::string scenario(const std::string& body) {
  return std::string(kIncludes) + R"(
[simulation]
patients = 100
seed = 1
horizon = 120.0

[scenario]
name = "bad"
population = "default_relapsed"
)" + body;
}

// The issue recorded at `line` of the test config, or null.
const config::Issue* issue_at(const config::Diagnostics& d, std::uint32_t line) {
  for (const auto& i : d.issues()) {
    if (i.line == line && i.file.find("myeloma_test_inline.toml") != std::string::npos) return &i;
  }
  return nullptr;
}

std::uint32_t line_of(const std::string& text, const std::string& needle) {
  const auto pos = text.find(needle);
  REQUIRE(pos != std::string::npos);
  return static_cast<std::uint32_t>(
      std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(pos), '\n') + 1);
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
  const auto* unknown = issue_at(diag, line_of(text, "therapy = \"ide_cell\""));
  REQUIRE(unknown != nullptr);
  CHECK_THAT(unknown->message, Catch::Contains("unknown therapy \"ide_cell\""));
  CHECK(unknown->column > 0);
  const auto* mix = issue_at(diag, line_of(text, "therapy_mix ="));
  REQUIRE(mix != nullptr);
  CHECK_THAT(mix->message, Catch::Contains("sum to 0.9"));
  const auto* field = issue_at(diag, line_of(text, "when = [\"bcma_level"));
  REQUIRE(field != nullptr);
  CHECK_THAT(field->message, Catch::Contains("unknown condition field \"bcma_level\""));
  const auto* partner = issue_at(diag, line_of(text, "partner = \"lenalidomide\""));
  REQUIRE(partner != nullptr);
  CHECK_THAT(partner->message, Catch::Contains("does not apply to teclistamab"));
  const auto* shadowed = issue_at(diag, line_of(text, "when = [\"line_number == 3\", \"age > 70\"]"));
  REQUIRE(shadowed != nullptr);
  CHECK_THAT(shadowed->message, Catch::Contains("unreachable rule"));
  const auto* after_default = issue_at(diag, line_of(text, "when = [\"age > 70\"]"));
  REQUIRE(after_default != nullptr);
  CHECK_THAT(after_default->message, Catch::Contains("unreachable rule: the default rule"));
  const auto* probs = issue_at(diag, line_of(text, "probs = { cr = 0.33"));
  REQUIRE(probs != nullptr);
  CHECK_THAT(probs->message, Catch::Contains("sum to 0.9"));
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
  REQUIRE(issue_at(diag, line_of(text, "when = [\"mechanism_at_last_failure")) != nullptr);
  CHECK_THAT(diag.format(), Catch::Contains("unknown value \"antigen_gone\""));
  CHECK_THAT(diag.format(), Catch::Contains("line_number compares with a number"));
  CHECK_THAT(diag.format(), Catch::Contains("bcma_status is not ordered"));
  REQUIRE(issue_at(diag, line_of(text, "manufacturing_failure_prob = 1.5")) != nullptr);
  REQUIRE(issue_at(diag, line_of(text, "colour = \"blue\"")) != nullptr);
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
