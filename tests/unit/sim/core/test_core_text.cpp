#include <catch2/catch.hpp>

#include <cmath>

#include "sim/core/text.hpp"

using mmsim::parse_number;
using mmsim::split_list;

TEST_CASE("split_list drops empty items and takes any separator", "[core]") {
  CHECK(split_list("a,,b,") == std::vector<std::string>{"a", "b"});
  CHECK(split_list("").empty());
  CHECK(split_list("x y\nz", '\n') == std::vector<std::string>{"x y", "z"});
}

TEST_CASE("parse_number accepts a whole number only", "[core]") {
  CHECK(parse_number("12.5") == 12.5);
  CHECK(parse_number("-3e2") == -300.0);
  CHECK(std::isinf(*parse_number("inf")));
  CHECK_FALSE(parse_number("12x"));
  CHECK_FALSE(parse_number(""));
  CHECK_FALSE(parse_number("abc"));
  CHECK_FALSE(parse_number("1e999999"));  // out of range: std::stod throws
}
