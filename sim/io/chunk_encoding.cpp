#include "sim/io/chunk_encoding.hpp"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace mmsim::io {

// HDF5 refuses chunks of 4 GiB or more; zlib's single-call interface is limited to uInt as well.
static constexpr std::size_t kMaxChunkBytes = std::numeric_limits<std::uint32_t>::max();

struct ChunkEncoder::Deflater {
  z_stream stream{};
  int level = -1;  // level the stream was initialised with; -1: not initialised

  ~Deflater() {
    if (level >= 0) (void)deflateEnd(&stream);
  }

  // deflateReset leaves the stream in the state deflateInit gives, so every chunk is compressed exactly as a
  // fresh compress2() call at this level (which is what HDF5's deflate filter calls) would compress it.
  void prepare(int wanted_level) {
    if (level == wanted_level) {
      if (deflateReset(&stream) != Z_OK) throw std::runtime_error("zlib: deflateReset failed");
      return;
    }
    if (level >= 0) (void)deflateEnd(&stream);
    level = -1;
    stream = z_stream{};
    const int status = deflateInit(&stream, wanted_level);
    if (status != Z_OK) throw std::runtime_error(fmt::format("zlib: deflateInit failed ({})", status));
    level = wanted_level;
  }

  // Compresses `in` into `out`, growing it as needed; returns the compressed size.
  std::size_t compress(const std::byte* in, std::size_t in_size, std::vector<std::byte>& out) {
    const uLong bound = deflateBound(&stream, static_cast<uLong>(in_size));
    if (out.size() < bound) out.resize(bound);
    // zlib's interface is not const-correct; deflate never writes through next_in.
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<std::byte*>(in));
    stream.avail_in = static_cast<uInt>(in_size);
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    const int status = deflate(&stream, Z_FINISH);
    if (status != Z_STREAM_END) throw std::runtime_error(fmt::format("zlib: deflate failed ({})", status));
    return static_cast<std::size_t>(stream.total_out);
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
  if (!deflater_) deflater_ = std::make_unique<Deflater>();
  deflater_->prepare(spec.deflate_level);
  const std::size_t compressed = deflater_->compress(shuffled_.data(), chunk_bytes, out.bytes);
  if (compressed >= chunk_bytes) {
    // Incompressible: store the shuffled bytes and tell readers to skip inflating them.
    out.bytes.reserve(chunk_bytes + kChecksumBytes);
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
  ChunkEncoder encoder;
  EncodedChunk chunk;
  encoder.encode(rows_data, rows, row_size, spec, chunk);
  return chunk;
}

}  // namespace mmsim::io
