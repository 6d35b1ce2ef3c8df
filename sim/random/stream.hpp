#pragma once
// Counter-based random streams (Random123 Philox4x64-10).
//
// Every draw is a pure function of its key (seed, domain, patient, purpose, step) and its position in the
// stream, never of a thread or of what was drawn before for another key. That is what makes a run give
// bit-identical trajectories for any thread count, shard count or MPI rank count, and what gives strategies
// compared in one run common random numbers wherever their paths coincide.
//
// Key layout: Philox key = (seed, domain); counter = (patient, purpose << 32 | step, block, 0).
//   seed    the run's seed;
//   domain  a second stream space (a sweep's replicate, or a parameter-draw space), 0 for a plain run;
//   patient the 0-based patient index;
//   purpose a named call site (a model's enum), so adding a draw in one place never shifts another;
//   step    the line of therapy, visit count or similar repetition of the same purpose.
#include <Random123/philox.h>

#include <cmath>
#include <cstdint>

namespace mmsim {

struct StreamKey {
  std::uint64_t seed = 0;
  std::uint64_t domain = 0;
  std::uint64_t patient = 0;
  std::uint32_t purpose = 0;
  std::uint32_t step = 0;
};

// Uniform on the open interval (0, 1) from 64 random bits: the top 53 bits, offset by half a step so that
// neither 0 nor 1 is reached in exact arithmetic (log(u) and log(1-u) finite). Shared by RandomStream and the
// loops that draw Philox blocks themselves, so both turn the same bits into the same double.
inline double uniform_from_bits(std::uint64_t bits) noexcept {
  return static_cast<double>(bits >> 11) * 0x1.0p-53 + 0x1.0p-54;
}

class RandomStream {
 public:
  explicit RandomStream(const StreamKey& key) noexcept
      : key_{{key.seed, key.domain}},
        ctr_{{key.patient, (std::uint64_t{key.purpose} << 32) | key.step, 0, 0}} {}

  // 64 random bits.
  std::uint64_t bits() noexcept {
    if (next_ == 4) refill();
    return buffer_.v[next_++];
  }

  // Uniform on the open interval (0, 1): never 0 or 1, so log(u) and log(1-u) are always finite.
  double uniform() noexcept { return uniform_from_bits(bits()); }

  // Standard exponential variate, -log(U).
  double exponential() noexcept { return -std::log(uniform()); }

 private:
  using Philox = r123::Philox4x64;
  void refill() noexcept {
    buffer_ = Philox{}(ctr_, key_);
    ++ctr_.v[2];
    next_ = 0;
  }

  Philox::key_type key_;
  Philox::ctr_type ctr_;
  Philox::ctr_type buffer_{};
  unsigned next_ = 4;
};

}  // namespace mmsim
