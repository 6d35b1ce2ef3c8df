#include "sim/io/chunk_encoding.hpp"

#include <fmt/format.h>
#include <libdeflate.h>

#include <algorithm>
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

  // Compresses `in` as a zlib-format stream into `out` when that is smaller than `in`; returns the compressed
  // size, or 0 when it is not smaller (libdeflate then stops early, having written nothing useful).
  std::size_t compress_smaller(const std::byte* in, std::size_t in_size, std::vector<std::byte>& out) {
    const std::size_t room = in_size - 1;
    if (out.size() < room) out.resize(room);
    return libdeflate_zlib_compress(handle.get(), in, in_size, out.data(), room);
  }
};

ChunkEncoder::ChunkEncoder() = default;
ChunkEncoder::~ChunkEncoder() = default;
ChunkEncoder::ChunkEncoder(ChunkEncoder&&) noexcept = default;
ChunkEncoder& ChunkEncoder::operator=(ChunkEncoder&&) noexcept = default;

void shuffle_bytes(const std::byte* in, std::size_t filled, std::size_t n_elements, std::size_t element_size,
                   std::byte* out) {
  // Rows are walked in blocks small enough to stay in L1 while each of their bytes is scattered to its
  // stream; the writes within a stream are then sequential.
  constexpr std::size_t kBlock = 256;
  for (std::size_t first = 0; first < filled; first += kBlock) {
    const std::size_t count = std::min(kBlock, filled - first);
    const std::byte* block = in + first * element_size;
    for (std::size_t b = 0; b < element_size; ++b) {
      std::byte* stream = out + b * n_elements + first;
      const std::byte* src = block + b;
      for (std::size_t e = 0; e < count; ++e) stream[e] = src[e * element_size];
    }
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
  const auto byte = [&](std::size_t i) { return static_cast<std::uint32_t>(data[i]); };
  std::size_t words = size / 2;
  std::size_t at = 0;
  while (words > 0) {
    // 360 words is the most the sums take before they could overflow 32 bits unfolded.
    const std::size_t run = std::min<std::size_t>(words, 360);
    words -= run;
    for (std::size_t k = 0; k < run; ++k, at += 2) {
      sum1 += (byte(at) << 8) | byte(at + 1);
      sum2 += sum1;
    }
    sum1 = (sum1 & 0xffff) + (sum1 >> 16);
    sum2 = (sum2 & 0xffff) + (sum2 >> 16);
  }
  if (size % 2 != 0) {
    sum1 += byte(at) << 8;
    sum2 += sum1;
    sum1 = (sum1 & 0xffff) + (sum1 >> 16);
    sum2 = (sum2 & 0xffff) + (sum2 >> 16);
  }
  sum1 = (sum1 & 0xffff) + (sum1 >> 16);
  sum2 = (sum2 & 0xffff) + (sum2 >> 16);
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
  out.bytes.reserve(chunk_bytes + kChecksumBytes);  // room for the checksum too: no reallocation below
  const std::size_t compressed = compressor_->compress_smaller(shuffled_.data(), chunk_bytes, out.bytes);
  if (compressed == 0) {
    // Incompressible: store the shuffled bytes and tell readers to skip inflating them.
    out.bytes.assign(shuffled_.begin(), shuffled_.end());
    out.filter_mask = kDeflateSkipped;
    append_checksum(out.bytes);
    return;
  }
  out.bytes.resize(compressed);
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
