// TableReader (sim/config/table_reader.cpp): every accessor's value, fallback and located error (file, line,
// column of the offending value, dotted key path), unknown keys reported by finish(), and every problem
// collected before one InputError. The expected positions are read off the TOML texts below (1-based line and
// column of the value, or of the table when a key is missing).
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "sim/config/diagnostics.hpp"
#include "sim/config/table_reader.hpp"
#include "sim/core/errors.hpp"

namespace {

using mmsim::config::Diagnostics;
using mmsim::config::NumberRule;
using mmsim::config::TableReader;

struct Parsed {
  toml::table root;
  Diagnostics diag;
  explicit Parsed(std::string_view text) : root(toml::parse(text, std::string_view("t.toml"))) {}
  TableReader section(std::string_view name) {
    return TableReader(*root[name].as_table(), std::string(name), diag);
  }
  std::string messages() const { return diag.format(); }
};

}  // namespace

TEST_CASE("table reader: values, and fallbacks for absent keys, without errors", "[config]") {
  Parsed p(R"([s]
x = 2.5
n = 3
whole = 4
flag = true
name = "cilta"
kind = "b"
xs = [1, 2.5]
names = ["a", "b"]
[s.sub]
[[s.arms]]
[[s.arms]]
)");
  TableReader r = p.section("s");
  CHECK(r.number("x", NumberRule::positive()) == 2.5);
  CHECK(r.number("whole", NumberRule::any()) == 4.0);  // an integer is accepted as a number
  CHECK(r.integer("n", 1, 10) == 3);
  CHECK(r.boolean("flag") == true);
  CHECK(r.string("name") == "cilta");
  CHECK(r.choice("kind", {"a", "b"}) == "b");
  CHECK(r.numbers("xs", NumberRule::any()) == std::vector<double>{1.0, 2.5});
  CHECK(r.strings("names") == std::vector<std::string>{"a", "b"});
  CHECK(r.subtable("sub") != nullptr);
  CHECK(r.table_array("arms").size() == 2);
  CHECK(r.number("absent", NumberRule::any(), 7.0) == 7.0);
  CHECK(r.integer("absent_n", 1, 10, 5) == 5);
  CHECK(r.boolean("absent_flag", false) == false);
  CHECK(r.string("absent_name", "x") == "x");
  CHECK(r.choice("absent_kind", {"a", "b"}, "a") == "a");
  CHECK(r.numbers("absent_xs", NumberRule::any(), false).empty());
  CHECK(r.strings("absent_names", false).empty());
  CHECK(r.subtable("absent_sub", false) == nullptr);
  CHECK(r.table_array("absent_arms", false).empty());
  CHECK(r.key_path("x") == "s.x");
  r.finish();
  CHECK(p.diag.ok());
  CHECK_NOTHROW(p.diag.throw_if_errors());
}

TEST_CASE("table reader: a missing required key is located at its table", "[config]") {
  Parsed p("top = 1\n\n[s]\nx = 1\n");
  TableReader r = p.section("s");
  CHECK(std::isnan(r.number("rate", NumberRule::any())));
  CHECK(r.integer("n", 2, 9) == 2);  // the range's minimum stands in
  r.string("name");
  r.subtable("sub");
  r.table_array("arms");
  r.numbers("xs", NumberRule::any());
  r.strings("names");
  CHECK(p.messages() ==
        "t.toml:3:1: error: s.rate: missing required key (expected a number)\n"
        "t.toml:3:1: error: s.n: missing required key (expected an integer)\n"
        "t.toml:3:1: error: s.name: missing required key (expected a string)\n"
        "t.toml:3:1: error: s.sub: missing required key (expected a table)\n"
        "t.toml:3:1: error: s.arms: missing required key (expected an array of tables)\n"
        "t.toml:3:1: error: s.xs: missing required key (expected an array of numbers)\n"
        "t.toml:3:1: error: s.names: missing required key (expected an array of strings)\n");
}

TEST_CASE("table reader: a value of the wrong type is located at the value", "[config]") {
  Parsed p(R"([s]
x = "fast"
n = 2.5
flag = 1
name = 3
xs = 4
sub = 5
arms = [1]
names = "a"
)");
  TableReader r = p.section("s");
  CHECK(r.number("x", NumberRule::any(), 1.5) == 1.5);  // the fallback stands in for a bad value
  CHECK(r.integer("n", 0, 9, 4) == 4);
  CHECK(r.boolean("flag", true) == true);
  CHECK(r.string("name", "d") == "d");
  CHECK(r.numbers("xs", NumberRule::any()).empty());
  CHECK(r.subtable("sub") == nullptr);
  CHECK(r.table_array("arms").empty());
  CHECK(r.strings("names").empty());
  CHECK(p.messages() ==
        "t.toml:2:5: error: s.x: expected a number, found a string\n"
        "t.toml:3:5: error: s.n: expected an integer, found a float\n"
        "t.toml:4:8: error: s.flag: expected a boolean, found an integer\n"
        "t.toml:5:8: error: s.name: expected a string, found an integer\n"
        "t.toml:6:6: error: s.xs: expected an array of numbers, found an integer\n"
        "t.toml:7:7: error: s.sub: expected a table, found an integer\n"
        "t.toml:8:9: error: s.arms[0]: expected a table, found an integer\n"
        "t.toml:9:9: error: s.names: expected an array of strings, found a string\n");
}

TEST_CASE("table reader: numbers must be finite and inside their rule", "[config]") {
  Parsed p(R"([s]
nan = nan
inf = -inf
zero = 0
big = 1.5
n = 11
xs = [0.5, 2, "x"]
names = ["a", 1]
)");
  TableReader r = p.section("s");
  CHECK(r.number("nan", NumberRule::any(), 1.0) == 1.0);
  CHECK(r.number("inf", NumberRule::any(), 1.0) == 1.0);
  CHECK(r.number("zero", NumberRule::positive(), 1.0) == 1.0);
  CHECK(r.number("big", NumberRule::probability(), 0.5) == 0.5);
  CHECK(r.integer("n", 1, 10, 3) == 3);
  CHECK(r.numbers("xs", NumberRule::probability()) == std::vector<double>{0.5});  // good elements are kept
  CHECK(r.strings("names") == std::vector<std::string>{"a"});
  CHECK(p.messages() ==
        "t.toml:2:7: error: s.nan: must be finite, found nan\n"
        "t.toml:3:7: error: s.inf: must be finite, found -inf\n"
        "t.toml:4:8: error: s.zero: 0 is out of range: must be > 0\n"
        "t.toml:5:7: error: s.big: 1.5 is out of range: must be [0, 1]\n"
        "t.toml:6:5: error: s.n: 11 is out of range: must be in [1, 10]\n"
        "t.toml:7:12: error: s.xs[1]: 2 is out of range: must be [0, 1]\n"
        "t.toml:7:15: error: s.xs[2]: expected a number, found a string\n"
        "t.toml:8:15: error: s.names[1]: expected a string, found an integer\n");
}

TEST_CASE("table reader: a choice names the allowed values", "[config]") {
  Parsed p("[s]\nmode = \"fastest\"\nother = \"x\"\n");
  TableReader r = p.section("s");
  CHECK(r.choice("mode", {"fast", "slow"}, "slow") == "slow");
  CHECK(r.choice("other", {"fast", "slow"}) == "fast");  // no fallback: the first choice stands in
  CHECK(p.messages() ==
        "t.toml:2:8: error: s.mode: unknown value \"fastest\": expected one of fast, slow\n"
        "t.toml:3:9: error: s.other: unknown value \"x\": expected one of fast, slow\n");
}

TEST_CASE("table reader: finish() reports the keys nobody asked for, at the key", "[config]") {
  Parsed p(R"([s]
rate = 1
raet = 2
[s.inner]
known = 1
typo = 2
[s.extra]
)");
  TableReader r = p.section("s");
  r.number("rate", NumberRule::any());
  const toml::table* inner = r.subtable("inner");
  REQUIRE(inner != nullptr);
  TableReader in(*inner, r.key_path("inner"), p.diag);
  (void)in.node("known");  // asking for a node marks the key as known, present or not
  (void)in.node("absent");
  in.finish();
  r.finish({"extra"});  // keys another reader handles are allowed explicitly
  CHECK(p.messages() ==
        "t.toml:6:1: error: s.inner.typo: unknown key\n"
        "t.toml:3:1: error: s.raet: unknown key\n");

  Parsed q("[s]\nx = \"bad\"\n");
  TableReader rq = q.section("s");
  rq.number("x", NumberRule::any(), 0.0);
  rq.finish();  // a key read with a wrong type is reported once, for its type, not again as unknown
  CHECK(q.messages() == "t.toml:2:5: error: s.x: expected a number, found a string\n");
}

TEST_CASE("table reader: error() is located at the key, or at the table when it is absent", "[config]") {
  Parsed p("\n[s]\nx = 1\n");
  TableReader r = p.section("s");
  r.error("x", "too small for y");
  r.error("y", "needs x");
  CHECK(p.messages() ==
        "t.toml:3:5: error: s.x: too small for y\n"
        "t.toml:2:1: error: s.y: needs x\n");
}

TEST_CASE("table reader: every problem is collected into one InputError", "[config]") {
  Parsed p("[s]\na = \"x\"\nb = -1\nc = 1\n");
  TableReader r = p.section("s");
  r.number("a", NumberRule::any());
  r.integer("b", 0, 5);
  r.finish();
  try {
    p.diag.throw_if_errors();
    FAIL("no InputError");
  } catch (const mmsim::InputError& e) {
    CHECK(std::string(e.what()) ==
          "t.toml:2:5: error: s.a: expected a number, found a string\n"
          "t.toml:3:5: error: s.b: -1 is out of range: must be in [0, 5]\n"
          "t.toml:4:1: error: s.c: unknown key");
  }
}

TEST_CASE("number rules: bounds open and closed, and how they read", "[config]") {
  CHECK(NumberRule::probability().admits(0.0));
  CHECK(NumberRule::probability().admits(1.0));
  CHECK_FALSE(NumberRule::probability().admits(1.0 + 1e-12));
  CHECK_FALSE(NumberRule::positive().admits(0.0));
  CHECK(NumberRule::positive().admits(1e-300));
  CHECK(NumberRule::non_negative().admits(0.0));
  CHECK_FALSE(NumberRule::at_least(2.0).admits(1.999));
  CHECK_FALSE(NumberRule::any().admits(std::nan("")));  // NaN is inside no range
  const NumberRule open{0.0, 1.0, true, true};
  CHECK_FALSE(open.admits(0.0));
  CHECK_FALSE(open.admits(1.0));
  CHECK(open.admits(0.5));
  CHECK(open.describe() == "(0, 1)");
  CHECK(NumberRule::between(-1.0, 2.5).describe() == "[-1, 2.5]");
  CHECK(NumberRule::positive().describe() == "> 0");
  CHECK(NumberRule::at_least(3.0).describe() == ">= 3");
  CHECK(NumberRule{-std::numeric_limits<double>::infinity(), 4.0, false, true}.describe() == "< 4");
  CHECK(NumberRule::any().describe() == "a finite number");
}
