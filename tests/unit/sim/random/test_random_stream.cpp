// RandomStream (sim/random/stream.hpp): the documented key layout over Philox4x64-10, pinned by Random123's
// known-answer vectors (kat_vectors in the Random123 distribution); determinism; every key component and
// every (purpose, step) giving its own stream; one stream's draws not depending on another's; and the moments
// of uniform() and exponential().
//
// Moment tolerances are 4 standard errors of the sample statistic under the true law (a correct generator
// fails one with probability ~6e-5 at a fixed seed, so the verdict is the same every run):
//   mean of U(0,1):      SE = sqrt(1/12 / n);
//   variance of U(0,1):  SE = sqrt((mu4 - sigma^4) / n), mu4 = 1/80, sigma^4 = 1/144;
//   mean of Exp(1):      SE = 1/sqrt(n);
//   correlation of two independent streams' uniforms: SE = 1/sqrt(n).
#include <Random123/philox.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <set>
#include <vector>

#include "sim/random/stream.hpp"

namespace {

using mmsim::RandomStream;
using mmsim::StreamKey;

std::vector<std::uint64_t> bits(RandomStream rng, std::size_t n) {
  std::vector<std::uint64_t> out(n);
  for (auto& b : out) b = rng.bits();
  return out;
}

}  // namespace

TEST_CASE("Philox4x64-10 reproduces Random123's known-answer vectors", "[random]") {
  using Philox = r123::Philox4x64;
  const Philox::ctr_type ctr = {
      {0x243f6a8885a308d3, 0x13198a2e03707344, 0xa4093822299f31d0, 0x082efa98ec4e6c89}};
  const Philox::key_type key = {{0x452821e638d01377, 0xbe5466cf34e90c6c}};
  const Philox::ctr_type out = Philox{}(ctr, key);
  CHECK(out.v[0] == 0xa528f45403e61d95);
  CHECK(out.v[1] == 0x38c72dbd566e9788);
  CHECK(out.v[2] == 0xa5a1610e72fd18b5);
  CHECK(out.v[3] == 0x57bd43b5e52b7fe6);

  // The all-zero key is the all-zero Philox key and counter.
  CHECK(bits(RandomStream(StreamKey{}), 4) ==
        std::vector<std::uint64_t>{0x16554d9eca36314c, 0xdb20fe9d672d0fdc, 0xd7e772cee186176b,
                                   0x7e68b68aec7ba23b});
}

TEST_CASE("a stream is Philox over the documented key layout", "[random]") {
  // key = (seed, domain); counter = (patient, purpose << 32 | step, block, 0), block counting refills.
  const StreamKey k{0x1234567890abcdef, 7, 123456789, 0x2a, 0x11};
  RandomStream rng(k);
  using Philox = r123::Philox4x64;
  const Philox::key_type key = {{k.seed, k.domain}};
  for (std::uint64_t block = 0; block < 3; ++block) {
    const Philox::ctr_type ctr = {{k.patient, (std::uint64_t{k.purpose} << 32) | k.step, block, 0}};
    const Philox::ctr_type expected = Philox{}(ctr, key);
    for (int i = 0; i < 4; ++i) CHECK(rng.bits() == expected.v[i]);
  }
}

TEST_CASE("a stream is a pure function of its key", "[random]") {
  const StreamKey k{42, 3, 17, 5, 2};
  CHECK(bits(RandomStream(k), 1000) == bits(RandomStream(k), 1000));

  // Interleaving draws from another stream changes nothing: no state is shared between streams.
  RandomStream a(k), other(StreamKey{42, 3, 18, 5, 2});
  std::vector<std::uint64_t> interleaved;
  for (int i = 0; i < 1000; ++i) {
    interleaved.push_back(a.bits());
    (void)other.bits();
    (void)other.uniform();
  }
  CHECK(interleaved == bits(RandomStream(k), 1000));
}

TEST_CASE("every key component selects its own stream", "[random]") {
  const StreamKey k{42, 3, 17, 5, 2};
  const auto reference = bits(RandomStream(k), 8);
  auto changed = [&](StreamKey c) { return bits(RandomStream(c), 8) != reference; };
  StreamKey c = k;
  c.seed += 1;
  CHECK(changed(c));
  c = k;
  c.domain += 1;
  CHECK(changed(c));
  c = k;
  c.patient += 1;
  CHECK(changed(c));
  c = k;
  c.purpose += 1;
  CHECK(changed(c));
  c = k;
  c.step += 1;
  CHECK(changed(c));
  // purpose and step share a counter word: the largest step of one purpose is not the next purpose.
  CHECK(bits(RandomStream(StreamKey{1, 0, 0, 1, 0}), 8) !=
        bits(RandomStream(StreamKey{1, 0, 0, 0, 0xffffffff}), 8));
}

TEST_CASE("distinct purposes, steps and patients give distinct streams", "[random]") {
  // 64 purposes x 64 steps x 4 patients, 8 draws each (two Philox blocks): 131072 64-bit values, all distinct
  // (a repeat among independent values has probability ~ 131072^2 / 2^65 = 5e-10).
  std::set<std::uint64_t> seen;
  std::size_t drawn = 0;
  for (std::uint64_t patient = 0; patient < 4; ++patient) {
    for (std::uint32_t purpose = 0; purpose < 64; ++purpose) {
      for (std::uint32_t step = 0; step < 64; ++step) {
        for (std::uint64_t b : bits(RandomStream(StreamKey{9, 0, patient, purpose, step}), 8)) {
          seen.insert(b);
          ++drawn;
        }
      }
    }
  }
  CHECK(seen.size() == drawn);
}

TEST_CASE("uniform and exponential draws have their laws' moments", "[random]") {
  const std::size_t n = 400000;
  const double dn = static_cast<double>(n);
  RandomStream rng(StreamKey{2024, 0, 0, 1, 0});
  double sum = 0.0, sum2 = 0.0, lo = 1.0, hi = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double u = rng.uniform();
    sum += u;
    sum2 += u * u;
    lo = std::min(lo, u);
    hi = std::max(hi, u);
  }
  const double mean = sum / dn;
  const double var = (sum2 - dn * mean * mean) / (dn - 1.0);
  INFO("uniform mean " << mean << ", variance " << var);
  CHECK(std::abs(mean - 0.5) < 4.0 * std::sqrt(1.0 / 12.0 / dn));
  CHECK(std::abs(var - 1.0 / 12.0) < 4.0 * std::sqrt((1.0 / 80.0 - 1.0 / 144.0) / dn));
  CHECK(lo > 0.0);  // open interval: log(u) and log(1 - u) stay finite
  CHECK(hi < 1.0);

  RandomStream e(StreamKey{2024, 0, 0, 2, 0});
  double esum = 0.0;
  for (std::size_t i = 0; i < n; ++i) esum += e.exponential();
  INFO("exponential mean " << esum / dn);
  CHECK(std::abs(esum / dn - 1.0) < 4.0 / std::sqrt(dn));
}

TEST_CASE("neighbouring patients' and purposes' streams are uncorrelated", "[random]") {
  // The first uniform of patient i against that of patient i + 1, and of purpose 1 against purpose 2 for the
  // same patient: sample correlation within 4 SE (SE = 1/sqrt(n) under independence).
  const std::size_t n = 100000;
  auto correlation = [n](auto first, auto second) {
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double x = first(i), y = second(i);
      sx += x;
      sy += y;
      sxx += x * x;
      syy += y * y;
      sxy += x * y;
    }
    const double dn = static_cast<double>(n);
    const double cov = sxy / dn - sx * sy / (dn * dn);
    return cov / std::sqrt((sxx / dn - sx * sx / (dn * dn)) * (syy / dn - sy * sy / (dn * dn)));
  };
  auto u = [](std::uint64_t patient, std::uint32_t purpose) {
    return RandomStream(StreamKey{5, 0, patient, purpose, 0}).uniform();
  };
  const double bound = 4.0 / std::sqrt(static_cast<double>(n));
  const double r_patients =
      correlation([&](std::size_t i) { return u(i, 1); }, [&](std::size_t i) { return u(i + 1, 1); });
  const double r_purposes =
      correlation([&](std::size_t i) { return u(i, 1); }, [&](std::size_t i) { return u(i, 2); });
  INFO("patients " << r_patients << ", purposes " << r_purposes << ", bound " << bound);
  CHECK(std::abs(r_patients) < bound);
  CHECK(std::abs(r_purposes) < bound);
}
