// Dotted paths into a resolved config (sim/config/config_path.hpp), shared by sweeps and calibration: the
// grammar, lookup with its messages, and replacing a number under both integer policies.
#include <catch2/catch.hpp>

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "sim/config/config_path.hpp"
#include "sim/config/loader.hpp"
#include "sim/core/errors.hpp"
#include "tests/unit/input_error.hpp"

namespace {

using namespace mmsim;
using namespace mmsim::config;

toml::table small_config() {
  return toml::parse(R"(
[therapy.x.ttp]
cr = { dist = "gompertz", shape = -0.01, rate = 0.02 }
[class.y]
n = 3
counts = [1, 2.5]
)");
}

using mmsim::test::input_error_of;

}  // namespace

TEST_CASE("config paths: grammar and lookup") {
  std::string error;
  const auto p = parse_config_path("multistate.transitions[0].distribution.scale", error);
  REQUIRE(p);
  REQUIRE(p->steps.size() == 5);
  CHECK(std::get<std::size_t>(p->steps[2]) == 0);
  const auto q = parse_config_path("strategies[1].hazard_multipliers.\"on_therapy->progressed\"", error);
  REQUIRE(q);
  CHECK(std::get<std::string>(q->steps.back()) == "on_therapy->progressed");
  CHECK(q->text == "strategies[1].hazard_multipliers.\"on_therapy->progressed\"");
  const auto r = parse_config_path("a.b[2][3].c", error);
  REQUIRE(r);
  CHECK(r->steps.size() == 5);
  for (const char* bad : {"", "a..b", "a[", "a[x]", "a.b.", ".a", "a[1]b", "a.\"b"}) {
    INFO(bad);
    CHECK_FALSE(parse_config_path(bad, error));
    CHECK_THROWS_AS(require_config_path(bad), InputError);
  }

  const auto doc = load_config(std::filesystem::path(MMSIM_SOURCE_DIR) / "tests/data/sweeps/two_arm.toml");
  const toml::node* n = find_node(doc.root, *p, error);
  REQUIRE(n != nullptr);
  CHECK(n->value<double>() == 12.0);
  CHECK(find_node(doc.root, *parse_config_path("multistate.transitions[9].to", error), error) == nullptr);
  CHECK(error.find("out of bounds") != std::string::npos);
}

TEST_CASE("config paths: get_number names the missing step or what is there") {
  const toml::table root = small_config();
  CHECK(get_number(root, require_config_path("therapy.x.ttp.cr.rate")) == Approx(0.02));
  CHECK(get_number(root, require_config_path("class.y.n")) == 3.0);
  CHECK(get_number(root, require_config_path("class.y.counts[1]")) == 2.5);
  const std::string missing =
      input_error_of([&] { get_number(root, require_config_path("therapy.x.ttp.vgpr.scale")); });
  CHECK(missing.find("path \"therapy.x.ttp.vgpr.scale\" in the resolved config") != std::string::npos);
  CHECK(missing.find("no key \"vgpr\" in therapy.x.ttp (it has: cr)") != std::string::npos);
  const std::string text =
      input_error_of([&] { get_number(root, require_config_path("therapy.x.ttp.cr.dist")); });
  CHECK(text.find("a string, not a number") != std::string::npos);
  CHECK(input_error_of([] { require_config_path("therapy..x"); }).find("bad path \"therapy..x\"") !=
        std::string::npos);
}

TEST_CASE("config paths: set_number keeps an integer for sweeps, makes a float for calibration") {
  toml::table root = small_config();
  set_number(root, require_config_path("therapy.x.ttp.cr.rate"), 0.05, IntegerNode::keep);
  CHECK(get_number(root, require_config_path("therapy.x.ttp.cr.rate")) == 0.05);

  set_number(root, require_config_path("class.y.n"), 4.0, IntegerNode::keep);
  CHECK(root.at_path("class.y.n").is_integer());
  CHECK(root.at_path("class.y.n").value<std::int64_t>() == 4);
  CHECK_THROWS_AS(set_number(root, require_config_path("class.y.n"), 3.5, IntegerNode::keep),
                  std::logic_error);
  set_number(root, require_config_path("class.y.counts[0]"), 7.0, IntegerNode::keep);
  CHECK(root.at_path("class.y.counts[0]").is_integer());

  set_number(root, require_config_path("class.y.n"), 3.5, IntegerNode::to_float);
  CHECK(root.at_path("class.y.n").is_floating_point());
  CHECK(get_number(root, require_config_path("class.y.n")) == 3.5);
  set_number(root, require_config_path("class.y.counts[0]"), 2.0, IntegerNode::to_float);
  CHECK(root.at_path("class.y.counts[0]").is_floating_point());

  // Only an existing number is replaced, whatever the policy.
  CHECK_THROWS_AS(set_number(root, require_config_path("therapy.x.ttp.cr.dist"), 1.0, IntegerNode::to_float),
                  InputError);
  CHECK_THROWS_AS(set_number(root, require_config_path("therapy.x.ttp.pr.rate"), 1.0, IntegerNode::keep),
                  InputError);
}

TEST_CASE("config paths: a replaced number takes the source position it is given") {
  toml::table root = small_config();
  const toml::table sweep =
      toml::parse(std::string_view("\n\nvalue = 0.3\n"), std::string_view("sweep.toml"));
  const toml::source_region origin = sweep.get("value")->source();
  set_number(root, require_config_path("therapy.x.ttp.cr.rate"), 0.3, IntegerNode::keep, origin);
  const toml::source_region& at = root.at_path("therapy.x.ttp.cr.rate").node()->source();
  REQUIRE(at.path);
  CHECK(*at.path == "sweep.toml");
  CHECK(at.begin.line == 3);
  set_number(root, require_config_path("class.y.n"), 3.5, IntegerNode::to_float);
  CHECK_FALSE(root.at_path("class.y.n").node()->source().begin);  // no origin: no position
}
