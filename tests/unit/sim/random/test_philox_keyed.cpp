// PhiloxKeyed (sim/random/philox_keyed.hpp), Philox4x64-10 with round keys made once, against Random123's own
// r123::Philox4x64 (the generator of RandomStream): Random123's known-answer vector, and 20000 counters and
// keys, from edge words (0, all ones, the Weyl increments that the round keys add) and from a stream of
// varied words, equal word for word.
#include <Random123/philox.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <vector>

#include "sim/random/philox_keyed.hpp"
#include "sim/random/stream.hpp"

namespace {

using Philox = r123::Philox4x64;

bool same_block(const Philox::ctr_type& ctr, const Philox::key_type& key) {
  const Philox::ctr_type want = Philox{}(ctr, key);
  const Philox::ctr_type got = mmsim::PhiloxKeyed(key.v[0], key.v[1])(ctr);
  return want.v[0] == got.v[0] && want.v[1] == got.v[1] && want.v[2] == got.v[2] && want.v[3] == got.v[3];
}

}  // namespace

TEST_CASE("PhiloxKeyed reproduces Random123's known-answer vector", "[random]") {
  const Philox::ctr_type ctr = {
      {0x243f6a8885a308d3, 0x13198a2e03707344, 0xa4093822299f31d0, 0x082efa98ec4e6c89}};
  const Philox::ctr_type out = mmsim::PhiloxKeyed(0x452821e638d01377, 0xbe5466cf34e90c6c)(ctr);
  CHECK(out.v[0] == 0xa528f45403e61d95);
  CHECK(out.v[1] == 0x38c72dbd566e9788);
  CHECK(out.v[2] == 0xa5a1610e72fd18b5);
  CHECK(out.v[3] == 0x57bd43b5e52b7fe6);
}

TEST_CASE("PhiloxKeyed equals r123::Philox4x64 on edge and varied counters and keys", "[random]") {
  const std::vector<std::uint64_t> edges = {0,
                                            1,
                                            ~std::uint64_t{0},
                                            PHILOX_W64_0,
                                            PHILOX_W64_1,
                                            ~std::uint64_t{0} - PHILOX_W64_0 + 1,
                                            std::uint64_t{1} << 63};
  std::size_t mismatches = 0, checked = 0;
  for (const std::uint64_t a : edges) {
    for (const std::uint64_t b : edges) {
      mismatches += !same_block({{a, b, a ^ b, b}}, {{a, b}});
      mismatches += !same_block({{b, a, 0, 0}}, {{b, a}});
      checked += 2;
    }
  }
  // Varied words from a stream of their own (any source of distinct words will do).
  mmsim::RandomStream words(mmsim::StreamKey{7, 3, 11, 5, 2});
  for (int i = 0; i < 10000; ++i) {
    const Philox::ctr_type ctr = {{words.bits(), words.bits(), words.bits(), words.bits()}};
    const Philox::key_type key = {{words.bits(), words.bits()}};
    mismatches += !same_block(ctr, key);
    mismatches += !same_block({{ctr.v[0], ctr.v[1], i % 3u, 0}}, key);  // a stream's counters: block, 0
    checked += 2;
  }
  CHECK(checked == 20098);
  CHECK(mismatches == 0);
}
