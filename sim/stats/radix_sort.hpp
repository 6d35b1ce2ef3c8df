#pragma once
// LSD radix sort by a 64-bit key, stable. The digits are those of the key minus the smallest key, so only the
// bits in which the keys differ are sorted on: the survival times of a cohort (bit patterns of doubles in a
// few dozen binades) differ in ~57 bits, six passes of 10-bit digits. A pass whose digit is the same for
// every item is skipped. Digits of 10 bits rather than 12 (five passes): more instructions, but each pass
// scatters into 1024 places instead of 4096, which the TLB and caches hold (thread CPU time of 10^7 packed
// 8-byte keys, 58 bits, -O3: 0.28-0.30 s in five 12-bit passes, 0.19-0.22 s in six of 10; 16-byte records
// 0.50-0.60 s and 0.46-0.48 s; docs/performance.md, "fresh pages"). Any digit plan gives the same stable
// order. The survival tables sort patients by the bit pattern of their time, which orders like the time for
// times >= 0: one sort for the in-memory records and the spilled runs.
#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace mmsim::stats::detail {

// kPasses digits of kBits bits of key(item) - lo (the passes and digit width fixed at compile time, so the
// counting loop unrolls).
template <int kPasses, int kBits, class T, class Key>
void radix_passes(std::vector<T>& items, std::vector<T>& scratch, const Key& key, std::uint64_t lo) {
  constexpr std::size_t kBuckets = std::size_t{1} << kBits;
  constexpr std::uint64_t kMask = kBuckets - 1;
  const std::size_t n = items.size();
  std::vector<std::size_t> count(kPasses * kBuckets, 0);
  for (const T& item : items) {
    const std::uint64_t k = key(item) - lo;
    for (int pass = 0; pass < kPasses; ++pass) ++count[pass * kBuckets + ((k >> (pass * kBits)) & kMask)];
  }
  scratch.resize(n);
  std::vector<T>* from = &items;
  std::vector<T>* to = &scratch;
  for (int pass = 0; pass < kPasses; ++pass) {
    std::size_t* c = count.data() + pass * kBuckets;
    if (std::any_of(c, c + kBuckets, [n](std::size_t v) { return v == n; })) continue;
    std::size_t offset = 0;
    for (std::size_t b = 0; b < kBuckets; ++b) {
      const std::size_t here = c[b];
      c[b] = offset;
      offset += here;
    }
    const int shift = pass * kBits;
    T* out = to->data();
    for (const T& item : *from) out[c[((key(item) - lo) >> shift) & kMask]++] = item;
    std::swap(from, to);
  }
  if (from != &items) items.swap(scratch);
}

template <class T, class Key>
void radix_sort_by(std::vector<T>& items, std::vector<T>& scratch, const Key& key) {
  if (items.size() < 2) return;
  std::uint64_t lo = ~std::uint64_t{0}, hi = 0;
  for (const T& item : items) {
    const std::uint64_t k = key(item);
    lo = std::min(lo, k);
    hi = std::max(hi, k);
  }
  const auto bits = std::bit_width(hi - lo);
  if (bits == 0) return;  // every key equal: already sorted
  if (bits <= 40) {
    radix_passes<4, 10>(items, scratch, key, lo);
  } else if (bits <= 50) {
    radix_passes<5, 10>(items, scratch, key, lo);
  } else if (bits <= 60) {
    radix_passes<6, 10>(items, scratch, key, lo);
  } else {
    radix_passes<7, 10>(items, scratch, key, lo);
  }
}

}  // namespace mmsim::stats::detail
