// Reading distributions from config (sim/dist/parse_distribution.hpp): good tables build the right law; each
// kind of bad input yields an error naming the key path and line, and no law.
#include <catch2/catch.hpp>
#include <memory>
#include <string>

#include "sim/config/diagnostics.hpp"
#include "sim/config/table_reader.hpp"
#include "sim/dist/parse_distribution.hpp"
#include "sim/dist/time_laws.hpp"
#include "sim/dist/value_laws.hpp"

namespace {

using mmsim::config::Diagnostics;
using mmsim::config::TableReader;
constexpr const char* kPath = "transition.distribution";

// Parses `[transition.distribution]` followed by `body` (one key per line, so the key on line k of the body
// is on line k + 1 of the file).
template <class Ptr>
struct Parsed {
  Ptr law;
  Diagnostics diag;
  std::string source;
};

template <class Parse>
auto parse_with(const std::string& body, Parse parse) {
  using Ptr = decltype(parse(std::declval<TableReader&>(), nullptr));
  Parsed<Ptr> out;
  const std::string text = "[transition.distribution]\n" + body;
  const toml::table root = toml::parse(std::string_view(text), std::string_view("test.toml"));
  const toml::table& t = *root["transition"]["distribution"].as_table();
  TableReader r(t, kPath, out.diag);
  out.law = parse(r, &out.source);
  return out;
}

auto parse_time(const std::string& body) {
  return parse_with(body,
                    [](TableReader& r, std::string* s) { return mmsim::parse_time_distribution(r, s); });
}
auto parse_value(const std::string& body) {
  return parse_with(body,
                    [](TableReader& r, std::string* s) { return mmsim::parse_value_distribution(r, s); });
}

// The table produced no law and exactly one error, at `key` (relative to the table), on `line`,
// whose message contains `words`.
template <class P>
void expect_error(const P& p, const std::string& key, std::uint32_t line, const std::string& words) {
  INFO(p.diag.format());
  CHECK(p.law == nullptr);
  REQUIRE(p.diag.issues().size() == 1);
  const auto& issue = p.diag.issues().front();
  CHECK(issue.key_path == std::string(kPath) + "." + key);
  CHECK(issue.file == "test.toml");
  CHECK(issue.line == line);
  CHECK(issue.message.find(words) != std::string::npos);
}

}  // namespace

TEST_CASE("every time law parses", "[dist][parse]") {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"dist = \"exponential\"\nrate = 0.05", "exponential(rate=0.05)"},
      {"dist = \"weibull\"\nshape = 1.2\nscale = 12", "weibull(shape=1.2, scale=12)"},
      {"dist = \"gompertz\"\nshape = -0.1\nrate = 0.02", "gompertz(shape=-0.1, rate=0.02)"},
      {"dist = \"lognormal\"\nmeanlog = 2\nsdlog = 0.5", "lognormal(meanlog=2, sdlog=0.5)"},
      {"dist = \"loglogistic\"\nshape = 1.5\nscale = 8.0", "loglogistic(shape=1.5, scale=8)"},
      {"dist = \"gamma\"\nshape = 2\nrate = 0.1", "gamma(shape=2, rate=0.1)"},
      {"dist = \"piecewise_exponential\"\nbreaks = [0, 12.5]\nrates = [0.1, 0.05]",
       "piecewise_exponential(breaks=[0, 12.5], rates=[0.1, 0.05])"},
  };
  for (const auto& [body, described] : cases) {
    const auto p = parse_time(body);
    INFO(body << "\n" << p.diag.format());
    REQUIRE(p.diag.ok());
    REQUIRE(p.law != nullptr);
    CHECK(p.law->describe() == described);
    CHECK(p.source.empty());
  }
}

TEST_CASE("every attribute law parses", "[dist][parse]") {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"dist = \"bernoulli\"\np = 0.4", "bernoulli(p=0.4)"},
      {"dist = \"categorical\"\nprobs = [0.2, 0.3, 0.5]",
       "categorical(probs=[0.2, 0.3, 0.5], values=[0, 1, 2])"},
      {"dist = \"categorical\"\nprobs = [0.5, 0.5]\nvalues = [1, 3]",
       "categorical(probs=[0.5, 0.5], values=[1, 3])"},
      {"dist = \"normal\"\nmean = 65\nsd = 9.5", "normal(mean=65, sd=9.5)"},
      {"dist = \"truncated_normal\"\nmean = 65\nsd = 9\nlower = 40\nupper = 90",
       "truncated_normal(mean=65, sd=9, lower=40, upper=90)"},
      {"dist = \"truncated_normal\"\nmean = 65\nsd = 9\nlower = 18",
       "truncated_normal(mean=65, sd=9, lower=18, upper=inf)"},
      {"dist = \"uniform\"\nlower = 1\nupper = 2", "uniform(lower=1, upper=2)"},
      {"dist = \"lognormal\"\nmeanlog = 1\nsdlog = 0.5", "lognormal(meanlog=1, sdlog=0.5)"},
      {"dist = \"fixed\"\nvalue = 3", "fixed(value=3)"},
  };
  for (const auto& [body, described] : cases) {
    const auto p = parse_value(body);
    INFO(body << "\n" << p.diag.format());
    REQUIRE(p.diag.ok());
    REQUIRE(p.law != nullptr);
    CHECK(p.law->describe() == described);
  }
}

TEST_CASE("source is accepted and exposed", "[dist][parse]") {
  const auto t = parse_time("dist = \"weibull\"\nshape = 1.2\nscale = 12\nsource = \"Smith 2019, table 2\"");
  REQUIRE(t.law != nullptr);
  CHECK(t.source == "Smith 2019, table 2");
  const auto v = parse_value("dist = \"fixed\"\nvalue = 1\nsource = \"assumption\"");
  REQUIRE(v.law != nullptr);
  CHECK(v.source == "assumption");
  expect_error(parse_time("dist = \"exponential\"\nrate = 1\nsource = 3"), "source", 4, "expected a string");
}

TEST_CASE("a categorical sum within 1e-9 of 1 is accepted", "[dist][parse]") {
  const auto p = parse_value("dist = \"categorical\"\nprobs = [0.3333333333, 0.3333333333, 0.3333333334]");
  CHECK(p.diag.ok());
  CHECK(p.law != nullptr);
}

TEST_CASE("bad time-law tables are reported at their key", "[dist][parse]") {
  // Line numbers: line 1 is the table header, the body starts on line 2.
  expect_error(parse_time("dist = \"weibull\"\nshape = 0\nscale = 12"), "shape", 3, "out of range");
  expect_error(parse_time("dist = \"weibull\"\nshape = -1.5\nscale = 12"), "shape", 3, "out of range");
  expect_error(parse_time("dist = \"weibull\"\nshape = 1.2\nscale = 0.0"), "scale", 4, "out of range");
  expect_error(parse_time("dist = \"exponential\"\nrate = -0.1"), "rate", 3, "out of range");
  expect_error(parse_time("dist = \"exponential\"\nrate = nan"), "rate", 3, "finite");
  expect_error(parse_time("dist = \"weibull\"\nshape = 1.2\nscale = inf"), "scale", 4, "finite");
  expect_error(parse_time("dist = \"gompertz\"\nshape = -inf\nrate = 0.1"), "shape", 3, "finite");
  expect_error(parse_time("dist = \"gompertz\"\nshape = 0.1\nrate = 0"), "rate", 4, "out of range");
  expect_error(parse_time("dist = \"lognormal\"\nmeanlog = 1\nsdlog = -1"), "sdlog", 4, "out of range");
  expect_error(parse_time("dist = \"gamma\"\nshape = 0\nrate = 1"), "shape", 3, "out of range");
  expect_error(parse_time("dist = \"loglogistic\"\nshape = 1\nscale = -2"), "scale", 4, "out of range");
  // Unknown keys, including a parameter of another law.
  expect_error(parse_time("dist = \"weibull\"\nshape = 1.2\nscale = 12\nrate = 0.1"), "rate", 5,
               "unknown key");
  expect_error(parse_time("dist = \"exponential\"\nrate = 1\nshpe = 2"), "shpe", 4, "unknown key");
  // Wrong types.
  expect_error(parse_time("dist = \"weibull\"\nshape = \"1.2\"\nscale = 12"), "shape", 3,
               "expected a number");
  expect_error(parse_time("dist = \"weibull\"\nshape = true\nscale = 12"), "shape", 3, "expected a number");
  expect_error(parse_time("dist = 3\nrate = 1"), "dist", 2, "expected a string");
  // Missing or unknown law, missing parameter (reported at the table's own line).
  expect_error(parse_time("dist = \"weibul\"\nshape = 1\nscale = 1"), "dist", 2, "weibull");
  expect_error(parse_time("shape = 1\nscale = 1"), "dist", 1, "missing required key");
  expect_error(parse_time("dist = \"weibull\"\nshape = 1.2"), "scale", 1, "missing required key");
}

TEST_CASE("bad piecewise-exponential tables are reported at the element", "[dist][parse]") {
  const std::string head = "dist = \"piecewise_exponential\"\n";
  expect_error(parse_time(head + "breaks = [0, 12, 12]\nrates = [0.1, 0.2, 0.3]"), "breaks[2]", 3,
               "strictly increasing");
  expect_error(parse_time(head + "breaks = [0, 12, 6]\nrates = [0.1, 0.2, 0.3]"), "breaks[2]", 3,
               "strictly increasing");
  expect_error(parse_time(head + "breaks = [1, 12]\nrates = [0.1, 0.2]"), "breaks[0]", 3, "must be 0");
  expect_error(parse_time(head + "breaks = [0, -12]\nrates = [0.1, 0.2]"), "breaks[1]", 3, "out of range");
  expect_error(parse_time(head + "breaks = [0, 12]\nrates = [0.1]"), "rates", 4, "one rate per interval");
  expect_error(parse_time(head + "breaks = [0, 12]\nrates = [0.1, -0.2]"), "rates[1]", 4, "out of range");
  expect_error(parse_time(head + "breaks = [0, 12]\nrates = [0.1, nan]"), "rates[1]", 4, "finite");
  expect_error(parse_time(head + "breaks = []\nrates = []"), "breaks", 3, "at least one");
  expect_error(parse_time(head + "breaks = 0\nrates = [0.1]"), "breaks", 3, "expected an array");
}

TEST_CASE("bad attribute-law tables are reported at their key", "[dist][parse]") {
  expect_error(parse_value("dist = \"categorical\"\nprobs = [0.2, 0.3]"), "probs", 3, "sum to 0.5");
  expect_error(parse_value("dist = \"categorical\"\nprobs = [0.6, 0.6]"), "probs", 3, "sum to 1.2");
  expect_error(parse_value("dist = \"categorical\"\nprobs = [1.2, 0.3]"), "probs[0]", 3, "out of range");
  expect_error(parse_value("dist = \"categorical\"\nprobs = [0.5, 0.5]\nvalues = [2, 1]"), "values[1]", 4,
               "strictly increasing");
  expect_error(parse_value("dist = \"categorical\"\nprobs = [0.5, 0.5]\nvalues = [1]"), "values", 4,
               "one value per category");
  expect_error(parse_value("dist = \"bernoulli\"\np = 1.5"), "p", 3, "out of range");
  expect_error(parse_value("dist = \"normal\"\nmean = 1\nsd = 0"), "sd", 4, "out of range");
  expect_error(parse_value("dist = \"normal\"\nmean = nan\nsd = 1"), "mean", 3, "finite");
  expect_error(parse_value("dist = \"truncated_normal\"\nmean = 1\nsd = 1\nlower = 3\nupper = 2"), "upper", 6,
               "greater than lower");
  expect_error(parse_value("dist = \"uniform\"\nlower = 2\nupper = 2"), "upper", 4, "greater than lower");
  expect_error(parse_value("dist = \"fixed\"\nvalue = \"x\""), "value", 3, "expected a number");
  expect_error(parse_value("dist = \"fixed\"\nvalue = 1\nsd = 2"), "sd", 4, "unknown key");
  expect_error(parse_value("dist = \"weibull\"\nshape = 1\nscale = 1"), "dist", 2, "bernoulli");
}

TEST_CASE("several problems in one table are all reported", "[dist][parse]") {
  const auto p = parse_time("dist = \"weibull\"\nshape = -1\nscale = 0\nextra = 1");
  CHECK(p.law == nullptr);
  REQUIRE(p.diag.issues().size() == 3);
  CHECK(p.diag.issues()[0].key_path == "transition.distribution.shape");
  CHECK(p.diag.issues()[1].key_path == "transition.distribution.scale");
  CHECK(p.diag.issues()[2].key_path == "transition.distribution.extra");
}
