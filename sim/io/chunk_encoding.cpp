#include "sim/io/chunk_encoding.hpp"

#include <fmt/format.h>
#include <libdeflate.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace mmsim::io {

// HDF5 refuses chunks of 4 GiB or more.
static constexpr std::size_t kMaxChunkBytes = std::numeric_limits<std::uint32_t>::max();

// One libdeflate compressor at one level, freed with its owner. libdeflate keeps no state between calls, so
// every chunk is compressed as a fresh compressor would compress it.
struct ChunkEncoder::Compressor {
  struct Free {
    void operator()(libdeflate_compressor* c) const noexcept { libdeflate_free_compressor(c); }
  };
  std::unique_ptr<libdeflate_compressor, Free> handle;
  int level = -1;  // level of `handle`; -1: none yet

  void prepare(int wanted_level) {
    if (level == wanted_level) return;
    handle.reset(libdeflate_alloc_compressor(wanted_level));
    level = handle ? wanted_level : -1;
    if (!handle) throw std::runtime_error(fmt::format("libdeflate: no compressor at level {}", wanted_level));
  }

  // Compresses `in` as a zlib-format stream into `out` (with room for the checksum after it) when that is
  // smaller than `in`; returns the compressed size, or 0 when it is not smaller (libdeflate then stops early,
  // having written nothing useful). The stream goes to the compressor's own buffer, sized once, then only its
  // bytes are copied out: sizing each chunk's fresh vector to the whole chunk zero-filled it, 43 M
  // instructions of memset in the flagship's 3000-patient default run (docs/performance.md, "session 11").
  std::size_t compress_smaller(const std::byte* in, std::size_t in_size, std::vector<std::byte>& out) {
    const std::size_t room = in_size - 1;
    if (scratch.size() < room) scratch.resize(room);
    const std::size_t n = libdeflate_zlib_compress(handle.get(), in, in_size, scratch.data(), room);
    if (n == 0) return 0;
    out.reserve(n + kChecksumBytes);
    out.assign(scratch.begin(), scratch.begin() + static_cast<std::ptrdiff_t>(n));
    return n;
  }
  std::vector<std::byte> scratch;  // the deflate stream before it is copied out
};

ChunkEncoder::ChunkEncoder() = default;
ChunkEncoder::~ChunkEncoder() = default;
ChunkEncoder::ChunkEncoder(ChunkEncoder&&) noexcept = default;
ChunkEncoder& ChunkEncoder::operator=(ChunkEncoder&&) noexcept = default;

namespace {

// Exchanges the bits of `low` at mask << shift with the bits of `high` at mask.
inline void swap_bytes(std::uint64_t& low, std::uint64_t& high, int shift, std::uint64_t mask) {
  const std::uint64_t t = ((low >> shift) ^ high) & mask;
  low ^= t << shift;
  high ^= t;
}

// Transposes 8 rows of 8 bytes held in 64-bit words (row i's byte k is its bits 8k..8k+7): afterwards word j
// holds byte j of every old row, row i's at byte i. Three rounds of block swaps: 4x4, 2x2, then 1x1 blocks.
inline void transpose_8x8_bytes(std::uint64_t& r0, std::uint64_t& r1, std::uint64_t& r2, std::uint64_t& r3,
                                std::uint64_t& r4, std::uint64_t& r5, std::uint64_t& r6, std::uint64_t& r7) {
  constexpr std::uint64_t k4 = 0x00000000ffffffffull;
  constexpr std::uint64_t k2 = 0x0000ffff0000ffffull;
  constexpr std::uint64_t k1 = 0x00ff00ff00ff00ffull;
  swap_bytes(r0, r4, 32, k4);
  swap_bytes(r1, r5, 32, k4);
  swap_bytes(r2, r6, 32, k4);
  swap_bytes(r3, r7, 32, k4);
  swap_bytes(r0, r2, 16, k2);
  swap_bytes(r1, r3, 16, k2);
  swap_bytes(r4, r6, 16, k2);
  swap_bytes(r5, r7, 16, k2);
  swap_bytes(r0, r1, 8, k1);
  swap_bytes(r2, r3, 8, k1);
  swap_bytes(r4, r5, 8, k1);
  swap_bytes(r6, r7, 8, k1);
}

inline std::uint64_t load_word(const std::byte* p) {
  std::uint64_t w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

inline void store_word(std::byte* p, std::uint64_t w) {
  std::memcpy(p, &w, sizeof w);
}

}  // namespace

void shuffle_bytes(const std::byte* in, std::size_t filled, std::size_t n_elements, std::size_t element_size,
                   std::byte* out) {
  static_assert(std::endian::native == std::endian::little, "the 8x8 transposes assume little-endian words");
  std::size_t e0 = 0;
  if (element_size >= 8) {
    // Eight elements at a time: eight 8-byte slices of their rows are transposed in registers and stored as
    // 8 bytes of eight streams. The last slice of a row overlaps the one before it when the row size is not
    // a multiple of 8 (it rewrites the same bytes), so no byte is left to a scalar loop.
    for (; e0 + 8 <= filled; e0 += 8) {
      const std::byte* rows = in + e0 * element_size;
      for (std::size_t b0 = 0; b0 < element_size; b0 += 8) {
        const std::size_t b = std::min(b0, element_size - 8);
        const std::byte* src = rows + b;
        std::uint64_t r0 = load_word(src);
        std::uint64_t r1 = load_word(src + element_size);
        std::uint64_t r2 = load_word(src + 2 * element_size);
        std::uint64_t r3 = load_word(src + 3 * element_size);
        std::uint64_t r4 = load_word(src + 4 * element_size);
        std::uint64_t r5 = load_word(src + 5 * element_size);
        std::uint64_t r6 = load_word(src + 6 * element_size);
        std::uint64_t r7 = load_word(src + 7 * element_size);
        transpose_8x8_bytes(r0, r1, r2, r3, r4, r5, r6, r7);
        std::byte* dst = out + b * n_elements + e0;
        store_word(dst, r0);
        store_word(dst + n_elements, r1);
        store_word(dst + 2 * n_elements, r2);
        store_word(dst + 3 * n_elements, r3);
        store_word(dst + 4 * n_elements, r4);
        store_word(dst + 5 * n_elements, r5);
        store_word(dst + 6 * n_elements, r6);
        store_word(dst + 7 * n_elements, r7);
      }
    }
  }
  // The elements left (all of them for rows under 8 bytes), byte by byte.
  for (std::size_t e = e0; e < filled; ++e) {
    for (std::size_t b = 0; b < element_size; ++b) out[b * n_elements + e] = in[e * element_size + b];
  }
  if (filled < n_elements) {
    for (std::size_t b = 0; b < element_size; ++b) {
      std::memset(out + b * n_elements + filled, 0, n_elements - filled);
    }
  }
}

std::uint32_t fletcher32(const std::byte* data, std::size_t size) {
  std::uint32_t sum1 = 0;
  std::uint32_t sum2 = 0;
  const auto fold = [](std::uint32_t& sum) { sum = (sum & 0xffff) + (sum >> 16); };
  std::size_t words = size / 2;
  const std::byte* at = data;
  while (words > 0) {
    // 360 words is the most the sums take before they could overflow 32 bits unfolded.
    const std::size_t run = std::min<std::size_t>(words, 360);
    words -= run;
    std::size_t k = 0;
    // Four big-endian words from one 8-byte (little-endian) load: byte-reversed, word 0 is the top 16 bits.
    // The same additions in the same order as one word at a time, so the same sums.
    for (; k + 4 <= run; k += 4, at += 8) {
      const std::uint64_t w = __builtin_bswap64(load_word(at));
      sum1 += static_cast<std::uint32_t>(w >> 48);
      sum2 += sum1;
      sum1 += static_cast<std::uint32_t>(w >> 32) & 0xffffu;
      sum2 += sum1;
      sum1 += static_cast<std::uint32_t>(w >> 16) & 0xffffu;
      sum2 += sum1;
      sum1 += static_cast<std::uint32_t>(w) & 0xffffu;
      sum2 += sum1;
    }
    for (; k < run; ++k, at += 2) {
      sum1 += (static_cast<std::uint32_t>(at[0]) << 8) | static_cast<std::uint32_t>(at[1]);
      sum2 += sum1;
    }
    fold(sum1);
    fold(sum2);
  }
  if (size % 2 != 0) {
    sum1 += static_cast<std::uint32_t>(*at) << 8;
    sum2 += sum1;
    fold(sum1);
    fold(sum2);
  }
  fold(sum1);
  fold(sum2);
  return (sum2 << 16) | sum1;
}

namespace {

// Appends the checksum of everything in `bytes` to it, little-endian, as HDF5's filter does.
void append_checksum(std::vector<std::byte>& bytes) {
  const std::uint32_t sum = fletcher32(bytes.data(), bytes.size());
  for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<std::byte>((sum >> (8 * i)) & 0xffu));
}

}  // namespace

void ChunkEncoder::encode(const std::byte* rows_data, std::size_t rows, std::size_t row_size,
                          const ChunkSpec& spec, EncodedChunk& out) {
  if (spec.chunk_rows == 0 || spec.deflate_level < 0 || spec.deflate_level > 9) {
    throw std::invalid_argument(
        fmt::format("chunk spec: chunk_rows {} must be positive and deflate level {} "
                    "in 0..9",
                    spec.chunk_rows, spec.deflate_level));
  }
  if (rows == 0 || rows > spec.chunk_rows || row_size == 0) {
    throw std::invalid_argument(fmt::format("encode_chunk: {} rows of {} bytes do not fit a chunk of {} rows",
                                            rows, row_size, spec.chunk_rows));
  }
  if (spec.chunk_rows > kMaxChunkBytes / row_size) {
    throw std::invalid_argument(fmt::format("chunk of {} rows of {} bytes exceeds HDF5's 4 GiB chunk limit",
                                            spec.chunk_rows, row_size));
  }
  const std::size_t chunk_bytes = spec.chunk_rows * row_size;
  const std::size_t filled_bytes = rows * row_size;
  out.rows = rows;
  out.filter_mask = 0;

  if (spec.deflate_level == 0) {
    // No compression: the chunk is the rows themselves, zero-padded.
    out.bytes.reserve(chunk_bytes + kChecksumBytes);
    out.bytes.resize(chunk_bytes);
    std::memcpy(out.bytes.data(), rows_data, filled_bytes);
    std::memset(out.bytes.data() + filled_bytes, 0, chunk_bytes - filled_bytes);
    append_checksum(out.bytes);
    return;
  }

  shuffled_.resize(chunk_bytes);
  shuffle_bytes(rows_data, rows, spec.chunk_rows, row_size, shuffled_.data());
  if (!compressor_) compressor_ = std::make_unique<Compressor>();
  compressor_->prepare(spec.deflate_level);
  const std::size_t compressed = compressor_->compress_smaller(shuffled_.data(), chunk_bytes, out.bytes);
  if (compressed == 0) {
    // Incompressible: store the shuffled bytes and tell readers to skip inflating them.
    out.bytes.reserve(chunk_bytes + kChecksumBytes);  // room for the checksum too: no reallocation below
    out.bytes.assign(shuffled_.begin(), shuffled_.end());
    out.filter_mask = kDeflateSkipped;
    append_checksum(out.bytes);
    return;
  }
  append_checksum(out.bytes);
}

EncodedChunk encode_chunk(const std::byte* rows_data, std::size_t rows, std::size_t row_size,
                          const ChunkSpec& spec) {
  // The runner's pipeline stages call this from TBB's worker threads, which live as long as the process: each
  // keeps its compressor (and scratch buffer) for all the chunks it encodes. Only a cache: the bytes do not
  // depend on which encoder made them (tests/unit/sim/io/test_io_chunk_encoding.cpp).
  thread_local ChunkEncoder encoder;
  EncodedChunk chunk;
  encoder.encode(rows_data, rows, row_size, spec, chunk);
  return chunk;
}

}  // namespace mmsim::io
