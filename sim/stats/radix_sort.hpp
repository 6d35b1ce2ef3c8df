#pragma once
// LSD radix sort by a 64-bit key, 11 bits a pass (six passes), stable; a pass whose digit is the same for
// every item is skipped. The survival tables sort patients by the bit pattern of their time, which orders
// like the time for times >= 0: one sort for the in-memory records and the spilled runs.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace mmsim::stats::detail {

template <class T, class Key>
void radix_sort_by(std::vector<T>& items, std::vector<T>& scratch, const Key& key) {
  constexpr int kBits = 11, kPasses = 6;
  constexpr std::size_t kBuckets = std::size_t{1} << kBits;
  const std::size_t n = items.size();
  std::vector<std::size_t> count(kPasses * kBuckets, 0);
  for (const T& item : items) {
    const std::uint64_t k = key(item);
    for (int pass = 0; pass < kPasses; ++pass)
      ++count[pass * kBuckets + ((k >> (pass * kBits)) & (kBuckets - 1))];
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
    for (const T& item : *from) out[c[(key(item) >> shift) & (kBuckets - 1)]++] = item;
    std::swap(from, to);
  }
  if (from != &items) items.swap(scratch);
}

}  // namespace mmsim::stats::detail
