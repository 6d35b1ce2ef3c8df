#pragma once
// Philox4x64-10 with its round keys computed once: the same function as r123::Philox4x64 (RandomStream's
// generator), bit for bit, for a loop that draws blocks for many counters under one key (a run's seed and
// domain; sim/random/stream.hpp gives the key layout).
//
// Random123 bumps the key between rounds inside every call: 18 additions a block and two registers held for
// them. A block of patients shares the key, so its ten round keys (k + r * W mod 2^64, the same words the
// bumps reach) are made once here and each block is the ten rounds alone.
#include <Random123/philox.h>

#include <array>
#include <cstdint>

namespace mmsim {

class PhiloxKeyed {
 public:
  using Counter = r123::Philox4x64::ctr_type;
  static constexpr unsigned kRounds = 10;  // Philox4x64's default, as r123::Philox4x64 uses

  PhiloxKeyed(std::uint64_t key0, std::uint64_t key1) noexcept {
    for (unsigned r = 0; r < kRounds; ++r) {
      round_keys_[2 * r] = key0 + std::uint64_t{r} * PHILOX_W64_0;
      round_keys_[2 * r + 1] = key1 + std::uint64_t{r} * PHILOX_W64_1;
    }
  }

  // The block r123::Philox4x64{}(ctr, {{key0, key1}}) returns.
  Counter operator()(Counter ctr) const noexcept {
#pragma GCC unroll 10
    for (unsigned r = 0; r < kRounds; ++r) {
      std::uint64_t hi0 = 0, hi1 = 0;
      const std::uint64_t lo0 = mulhilo64(PHILOX_M4x64_0, ctr.v[0], &hi0);
      const std::uint64_t lo1 = mulhilo64(PHILOX_M4x64_1, ctr.v[2], &hi1);
      ctr = {{hi1 ^ ctr.v[1] ^ round_keys_[2 * r], lo1, hi0 ^ ctr.v[3] ^ round_keys_[2 * r + 1], lo0}};
    }
    return ctr;
  }

 private:
  std::array<std::uint64_t, 2 * kRounds> round_keys_{};
};

}  // namespace mmsim
