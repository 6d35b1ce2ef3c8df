#pragma once
// Encoding table rows into HDF5 chunks outside the HDF5 library, so worker threads can compress while one
// thread writes finished chunks with HDF5's direct chunk write.
//
// The stored bytes are what HDF5's own filter pipeline (shuffle, then deflate, then Fletcher32) decodes, so
// every HDF5 reader (h5py, R's rhdf5, h5dump) reads them with no plugin and verifies their checksum: the
// shuffle uses the row size as its element size (which is what HDF5 derives from a compound type), the
// deflate stream is a standard zlib-format (RFC 1950) stream, and the checksum is HDF5's Fletcher32 of the
// bytes before it, appended little-endian. A flipped bit in a chunk then fails every read of it (h5py, R,
// mmsim merge) instead of passing silently into a result. The deflate stream is libdeflate's, not zlib's (it
// costs 2.4x fewer instructions at level 1, for files 0.5-2% smaller: docs/performance.md, "Compression"), so
// the compressed bytes differ from what HDF5's filter (zlib) would store; what they decode to does not.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace mmsim::io {

// The default deflate level of run files (docs/performance.md, "Compression", has the measured trade-off).
// A level 1..9 is libdeflate's level of that number, the same fast-to-thorough scale as zlib's.
inline constexpr int kDefaultDeflateLevel = 1;

// How a table's rows are chunked and compressed. Every chunk holds exactly `chunk_rows` rows (the last one is
// zero-padded; the dataset's extent is the true row count).
struct ChunkSpec {
  std::size_t chunk_rows = 4096;
  // 0: no compression (Fletcher32 only); 1..9: shuffle + deflate at that level.
  int deflate_level = kDefaultDeflateLevel;
};

// Bit of EncodedChunk::filter_mask meaning "the deflate filter was not applied to this chunk". The pipeline
// of a compressed table is (shuffle, deflate, fletcher32), of an uncompressed one (fletcher32): bit i set
// skips filter i when reading.
inline constexpr std::uint32_t kDeflateSkipped = 1u << 1;

// Bytes of the Fletcher32 checksum at the end of every chunk.
inline constexpr std::size_t kChecksumBytes = 4;

// HDF5's Fletcher32 checksum (H5Z fletcher32 filter): sums of big-endian 16-bit words (an odd last byte is
// the high byte of a word), each sum folded to 16 bits, sum2 in the high half.
std::uint32_t fletcher32(const std::byte* data, std::size_t size);

// A chunk ready for the file: its rows' bytes shuffled (HDF5 byte-shuffle with the row size as element size)
// and deflated (a zlib-format stream, which HDF5's deflate filter inflates), then the Fletcher32 checksum.
// When deflating would not make the chunk smaller, the shuffled bytes are stored as they are and filter_mask
// says so (kDeflateSkipped).
struct EncodedChunk {
  std::vector<std::byte> bytes;
  std::size_t rows = 0;           // real rows in the chunk (<= chunk_rows)
  std::uint32_t filter_mask = 0;  // 0: all filters applied
};

// Reusable encoder: keeps its libdeflate compressor (replaced only when the level changes) and scratch
// buffer, so encoding many chunks costs no allocation after the first. One per worker thread; not thread-safe
// itself.
class ChunkEncoder {
 public:
  ChunkEncoder();
  ~ChunkEncoder();
  ChunkEncoder(ChunkEncoder&&) noexcept;
  ChunkEncoder& operator=(ChunkEncoder&&) noexcept;
  ChunkEncoder(const ChunkEncoder&) = delete;
  ChunkEncoder& operator=(const ChunkEncoder&) = delete;

  // Encodes `rows` packed rows of `row_size` bytes (1 <= rows <= spec.chunk_rows) into `out`, reusing the
  // capacity of out.bytes. Throws std::invalid_argument for a bad spec or row count.
  void encode(const std::byte* rows_data, std::size_t rows, std::size_t row_size, const ChunkSpec& spec,
              EncodedChunk& out);

 private:
  struct Compressor;
  std::unique_ptr<Compressor> compressor_;
  std::vector<std::byte> shuffled_;
};

// Thread-safe: encodes `rows` packed rows (row_size bytes each, rows <= spec.chunk_rows) with the calling
// thread's own ChunkEncoder (thread_local), so a worker thread allocates its compressor once, not per chunk.
// The bytes are those of a fresh encoder (libdeflate keeps no state between calls).
EncodedChunk encode_chunk(const std::byte* rows_data, std::size_t rows, std::size_t row_size,
                          const ChunkSpec& spec);

// HDF5's byte shuffle of `n_elements` elements of `element_size` bytes each, where only the first `filled`
// elements are taken from `in` and the rest are zero: out[b * n_elements + e] = byte b of element e.
void shuffle_bytes(const std::byte* in, std::size_t filled, std::size_t n_elements, std::size_t element_size,
                   std::byte* out);

}  // namespace mmsim::io
