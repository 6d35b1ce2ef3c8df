// The LSD radix sort of sim/stats/radix_sort.hpp (digits of key - smallest key, 4 to 7 passes of 10 bits by
// the bits the keys span) against std::stable_sort by the same key: the same order item for item (the sort is
// stable, so ties keep their input order), on keys spanning every pass count, ties, and equal keys; and
// sort_by_time on survival times, -0.0 among them, ordered as by time.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "sim/stats/radix_sort.hpp"
#include "sim/stats/stats_detail.hpp"

namespace {

struct Item {
  std::uint64_t key;
  std::uint32_t position;  // input order, to check stability
};

std::vector<Item> items_with_keys(const std::vector<std::uint64_t>& keys) {
  std::vector<Item> items;
  for (std::size_t i = 0; i < keys.size(); ++i) items.push_back({keys[i], static_cast<std::uint32_t>(i)});
  return items;
}

void check_matches_stable_sort(const std::vector<std::uint64_t>& keys) {
  std::vector<Item> radix = items_with_keys(keys);
  std::vector<Item> expected = radix;
  std::stable_sort(expected.begin(), expected.end(),
                   [](const Item& a, const Item& b) { return a.key < b.key; });
  std::vector<Item> scratch;
  mmsim::stats::detail::radix_sort_by(radix, scratch, [](const Item& i) { return i.key; });
  REQUIRE(radix.size() == expected.size());
  for (std::size_t i = 0; i < radix.size(); ++i) {
    INFO("position " << i);
    REQUIRE(radix[i].key == expected[i].key);
    REQUIRE(radix[i].position == expected[i].position);
  }
}

}  // namespace

TEST_CASE("radix_sort_by orders like a stable sort whatever the span of the keys") {
  std::mt19937_64 rng(20261202);
  // Span of key - min: 20 bits (4 passes), 40 (4, the largest), 41 and 50 (5), 51, 57 and 60 (6), 61 and 64
  // (7).
  for (const int span : {20, 40, 41, 50, 51, 57, 60, 61, 64}) {
    INFO("span " << span << " bits");
    const std::uint64_t mask = span == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << span) - 1;
    const std::uint64_t base = span == 64 ? 0 : rng() & ~mask & 0x0FFF'FFFF'FFFF'FFFFu;
    std::vector<std::uint64_t> keys;
    for (int i = 0; i < 20000; ++i) keys.push_back(base + (rng() & mask));
    keys.push_back(base);         // the smallest and largest keys of the span, so it is the span
    keys.push_back(base + mask);  // (base + mask cannot overflow: base's low span bits are 0)
    for (int i = 0; i < 3000; ++i) keys.push_back(keys[rng() % keys.size()]);  // ties
    check_matches_stable_sort(keys);
  }
}

TEST_CASE("radix_sort_by keeps equal keys and tiny inputs in input order") {
  check_matches_stable_sort({});
  check_matches_stable_sort({7});
  check_matches_stable_sort(std::vector<std::uint64_t>(5000, 42));
  std::vector<std::uint64_t> two_values;
  for (int i = 0; i < 5000; ++i) two_values.push_back(i % 3 == 0 ? 5 : 4);
  check_matches_stable_sort(two_values);
}

TEST_CASE("sort_by_time orders survival times, -0.0 equal to 0.0, as by time") {
  std::mt19937_64 rng(7);
  std::exponential_distribution<double> exponential(0.05);
  std::vector<mmsim::stats::detail::TimeRecord> records;
  for (std::uint32_t i = 0; i < 50000; ++i) {
    double t = exponential(rng);
    if (i % 997 == 0) t = -0.0;
    if (i % 1009 == 0) t = 0.0;
    if (i % 13 == 0) t = records.empty() ? t : records[rng() % records.size()].time;  // ties
    records.push_back({t, i, static_cast<std::uint8_t>(i % 2)});
  }
  std::vector<mmsim::stats::detail::TimeRecord> expected = records;
  std::stable_sort(expected.begin(), expected.end(),
                   [](const auto& a, const auto& b) { return a.time < b.time; });
  mmsim::stats::detail::sort_by_time(records);
  REQUIRE(records.size() == expected.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    INFO("position " << i);
    REQUIRE(records[i].time == expected[i].time);
    REQUIRE(records[i].aux == expected[i].aux);  // stable: the radix sort keeps input order within a tie
  }
}
