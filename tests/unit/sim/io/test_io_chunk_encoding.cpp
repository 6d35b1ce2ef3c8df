// Chunk encoding (sim/io/chunk_encoding.cpp). References: zlib's inflate (an implementation independent of
// the encoder's libdeflate) and HDF5 1.10's own shuffle+deflate+Fletcher32 filter pipeline. The deflate
// streams differ from the ones zlib would make, so what must hold is what readers see: HDF5 reads our chunks
// back through its own filters (checksum verified) to the rows, the bytes before deflate are exactly HDF5's,
// and an uncompressed chunk is byte for byte what HDF5 stores.
#include <hdf5.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/core/table.hpp"
#include "sim/io/chunk_encoding.hpp"
#include "sim/io/h5_handle.hpp"
#include "sim/io/h5_types.hpp"

namespace fs = std::filesystem;
using mmsim::Field;
using mmsim::FieldType;
using mmsim::TableLayout;
using mmsim::io::ChunkEncoder;
using mmsim::io::ChunkSpec;
using mmsim::io::encode_chunk;
using mmsim::io::EncodedChunk;

namespace {

TableLayout small_layout() {
  return TableLayout("events", {{"patient", FieldType::u64, {}, ""},
                                {"time", FieldType::f64, {}, ""},
                                {"line", FieldType::i32, {}, ""},
                                {"kind", FieldType::enumeration, {"start", "stop"}, ""}});
}

// Rows with some structure (so deflate has something to find) and some noise.
std::vector<std::byte> make_rows(const TableLayout& layout, std::size_t n) {
  std::vector<std::byte> bytes(n * layout.row_size());
  std::uint64_t state = 12345;
  for (std::size_t r = 0; r < n; ++r) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    mmsim::RowRef row(bytes.data() + r * layout.row_size(), layout);
    row.set_u64(layout.find("patient"), r / 3);
    row.set_f64(layout.find("time"), static_cast<double>(state >> 40) / 1024.0);
    row.set_i32(layout.find("line"), static_cast<std::int32_t>(r % 4));
    row.set_enum(layout.find("kind"), static_cast<std::uint8_t>(r % 2));
  }
  return bytes;
}

std::vector<std::byte> unshuffle(const std::vector<std::byte>& in, std::size_t n, std::size_t size) {
  std::vector<std::byte> out(in.size());
  for (std::size_t e = 0; e < n; ++e) {
    for (std::size_t b = 0; b < size; ++b) out[e * size + b] = in[b * n + e];
  }
  return out;
}

std::vector<std::byte> inflate_all(const std::vector<std::byte>& in, std::size_t expected) {
  std::vector<std::byte> out(expected);
  uLongf size = static_cast<uLongf>(expected);
  REQUIRE(uncompress(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(in.data()),
                     static_cast<uLong>(in.size())) == Z_OK);
  REQUIRE(size == expected);
  return out;
}

}  // namespace

TEST_CASE("shuffle_bytes groups byte b of every element and zero-pads missing elements", "[io][chunk]") {
  const std::vector<std::byte> in = {std::byte{1}, std::byte{2}, std::byte{3},
                                     std::byte{4}, std::byte{5}, std::byte{6}};
  std::vector<std::byte> out(12, std::byte{0xff});
  mmsim::io::shuffle_bytes(in.data(), 2, 4, 3, out.data());  // 2 of 4 elements of 3 bytes
  const std::vector<std::byte> expected = {std::byte{1}, std::byte{4}, std::byte{0}, std::byte{0},
                                           std::byte{2}, std::byte{5}, std::byte{0}, std::byte{0},
                                           std::byte{3}, std::byte{6}, std::byte{0}, std::byte{0}};
  CHECK(out == expected);
}

TEST_CASE("shuffle_bytes matches its definition for every row size and fill", "[io][chunk]") {
  // The definition, byte by byte: out[b * n + e] = byte b of element e, or 0 past the filled elements.
  std::uint64_t state = 7;
  for (std::size_t size = 1; size <= 70; ++size) {
    for (const std::size_t n : {1u, 7u, 8u, 9u, 64u, 1000u}) {
      for (std::size_t filled = 1; filled <= n; filled += (n > 20 ? 13 : 1)) {
        std::vector<std::byte> in(filled * size);
        for (auto& b : in) {
          state = state * 6364136223846793005ull + 1442695040888963407ull;
          b = static_cast<std::byte>(state >> 56);
        }
        std::vector<std::byte> out(n * size, std::byte{0xee});
        mmsim::io::shuffle_bytes(in.data(), filled, n, size, out.data());
        std::vector<std::byte> expected(n * size, std::byte{0});
        for (std::size_t e = 0; e < filled; ++e) {
          for (std::size_t b = 0; b < size; ++b) expected[b * n + e] = in[e * size + b];
        }
        INFO(filled << " of " << n << " elements of " << size << " bytes");
        REQUIRE(out == expected);
      }
    }
  }
}

TEST_CASE("level 0 stores the rows zero-padded to a whole chunk", "[io][chunk]") {
  const TableLayout layout = small_layout();
  const auto rows = make_rows(layout, 5);
  const EncodedChunk chunk = encode_chunk(rows.data(), 5, layout.row_size(), ChunkSpec{8, 0});
  const std::size_t data_bytes = 8 * layout.row_size();
  REQUIRE(chunk.bytes.size() == data_bytes + mmsim::io::kChecksumBytes);
  CHECK(chunk.rows == 5);
  CHECK(chunk.filter_mask == 0);
  CHECK(std::memcmp(chunk.bytes.data(), rows.data(), rows.size()) == 0);
  for (std::size_t i = rows.size(); i < data_bytes; ++i) CHECK(chunk.bytes[i] == std::byte{0});
}

TEST_CASE("deflated chunks inflate and unshuffle to the padded rows", "[io][chunk]") {
  const TableLayout layout = small_layout();
  const std::size_t chunk_rows = 1000;
  const std::size_t n = GENERATE(1000u, 999u, 1u);
  const int level = GENERATE(1, 4, 9);
  const auto rows = make_rows(layout, n);
  const EncodedChunk chunk = encode_chunk(rows.data(), n, layout.row_size(), ChunkSpec{chunk_rows, level});
  REQUIRE(chunk.filter_mask == 0);
  CHECK(chunk.bytes.size() < chunk_rows * layout.row_size());
  const std::vector<std::byte> deflated(chunk.bytes.begin(), chunk.bytes.end() - mmsim::io::kChecksumBytes);
  const auto decoded =
      unshuffle(inflate_all(deflated, chunk_rows * layout.row_size()), chunk_rows, layout.row_size());
  std::vector<std::byte> padded = rows;
  padded.resize(chunk_rows * layout.row_size());
  CHECK(decoded == padded);
}

TEST_CASE("a reused encoder gives the same bytes as a fresh one, across levels and sizes", "[io][chunk]") {
  const TableLayout layout = small_layout();
  const auto rows = make_rows(layout, 700);
  ChunkEncoder encoder;
  EncodedChunk chunk;
  for (const int level : {4, 4, 1, 0, 6, 4}) {
    for (const std::size_t n : {700u, 3u, 512u}) {
      const ChunkSpec spec{700, level};
      encoder.encode(rows.data(), n, layout.row_size(), spec, chunk);
      ChunkEncoder fresh_encoder;
      EncodedChunk fresh;
      fresh_encoder.encode(rows.data(), n, layout.row_size(), spec, fresh);
      CHECK(chunk.bytes == fresh.bytes);
      // encode_chunk reuses this thread's encoder: the same bytes again.
      CHECK(encode_chunk(rows.data(), n, layout.row_size(), spec).bytes == fresh.bytes);
      CHECK(chunk.rows == n);
      CHECK(chunk.filter_mask == fresh.filter_mask);
    }
  }
}

TEST_CASE("incompressible chunks are stored shuffled with deflate marked as skipped", "[io][chunk]") {
  std::vector<std::byte> noise(64 * 16);
  std::uint64_t state = 99;
  for (auto& b : noise) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    b = static_cast<std::byte>(state >> 56);
  }
  const EncodedChunk chunk = encode_chunk(noise.data(), 64, 16, ChunkSpec{64, 9});
  CHECK(chunk.filter_mask == mmsim::io::kDeflateSkipped);
  REQUIRE(chunk.bytes.size() == noise.size() + mmsim::io::kChecksumBytes);
  const std::vector<std::byte> shuffled(chunk.bytes.begin(), chunk.bytes.end() - mmsim::io::kChecksumBytes);
  CHECK(unshuffle(shuffled, 64, 16) == noise);
}

TEST_CASE("encode_chunk rejects bad specs and row counts", "[io][chunk]") {
  const std::vector<std::byte> rows(100);
  CHECK_THROWS_AS(encode_chunk(rows.data(), 0, 10, ChunkSpec{10, 4}), std::invalid_argument);
  CHECK_THROWS_AS(encode_chunk(rows.data(), 11, 10, ChunkSpec{10, 4}), std::invalid_argument);
  CHECK_THROWS_AS(encode_chunk(rows.data(), 5, 10, ChunkSpec{0, 4}), std::invalid_argument);
  CHECK_THROWS_AS(encode_chunk(rows.data(), 5, 10, ChunkSpec{10, 10}), std::invalid_argument);
  CHECK_THROWS_AS(encode_chunk(rows.data(), 5, 10, ChunkSpec{std::size_t{1} << 30, 4}),
                  std::invalid_argument);
}

TEST_CASE("Fletcher32 matches worked values of HDF5's checksum", "[io][chunk]") {
  // By hand from the definition: words 0x0102, 0x0304 -> sum1 = 0x0406, sum2 = 0x0102 + 0x0406 = 0x0508; an
  // odd trailing 0x05 is the word 0x0500: sum1 = 0x0906, sum2 = 0x0508 + 0x0906 = 0x0e0e.
  const std::byte data[] = {std::byte{1}, std::byte{2}, std::byte{3}, std::byte{4}, std::byte{5}};
  CHECK(mmsim::io::fletcher32(data, 4) == 0x05080406u);
  CHECK(mmsim::io::fletcher32(data, 5) == 0x0e0e0906u);
  // Folding: 0xffff words sum to a multiple of 0xffff, which folds to 0xffff, never to 0 beyond one word.
  const std::vector<std::byte> ones(2000, std::byte{0xff});
  CHECK(mmsim::io::fletcher32(ones.data(), ones.size()) == 0xffffffffu);
}

namespace {

namespace h5 = mmsim::io::h5;

// A dataset of `n` rows of `layout` in chunks of `chunk_rows`, with mmsim's pipeline: shuffle + deflate at
// `level` (none at 0), then Fletcher32.
h5::Dataset create_table(const h5::File& f, const char* name, const TableLayout& layout, std::size_t n,
                         std::size_t chunk_rows, int level) {
  const h5::Datatype type = h5::compound_type(layout);
  const hsize_t dims = n;
  const auto space = h5::make<h5::Dataspace>(H5Screate_simple(1, &dims, nullptr), "space");
  const auto dcpl = h5::make<h5::PropertyList>(H5Pcreate(H5P_DATASET_CREATE), "dcpl");
  const hsize_t chunk = chunk_rows;
  h5::check(H5Pset_chunk(dcpl.get(), 1, &chunk), "chunk");
  if (level > 0) {
    h5::check(H5Pset_shuffle(dcpl.get()), "shuffle");
    h5::check(H5Pset_deflate(dcpl.get(), static_cast<unsigned>(level)), "deflate");
  }
  h5::check(H5Pset_fletcher32(dcpl.get()), "fletcher32");
  return h5::make<h5::Dataset>(
      H5Dcreate2(f.get(), name, type.get(), space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT), "dataset");
}

std::vector<std::byte> stored_chunk(const h5::Dataset& dset, hsize_t offset, std::uint32_t& mask) {
  hsize_t stored_size = 0;
  h5::check(H5Dget_chunk_storage_size(dset.get(), &offset, &stored_size), "chunk size");
  std::vector<std::byte> stored(stored_size);
  h5::check(H5Dread_chunk(dset.get(), H5P_DEFAULT, &offset, &mask, stored.data()), "read chunk");
  return stored;
}

// The bytes a chunk held before deflate: inflated (zlib) unless its mask says deflate was skipped.
std::vector<std::byte> before_deflate(const std::vector<std::byte>& chunk, std::uint32_t mask,
                                      std::size_t chunk_bytes) {
  const std::vector<std::byte> body(chunk.begin(), chunk.end() - mmsim::io::kChecksumBytes);
  return (mask & mmsim::io::kDeflateSkipped) != 0 ? body : inflate_all(body, chunk_bytes);
}

}  // namespace

TEST_CASE("Fletcher32 matches a word-by-word transcription of HDF5's checksum at every length",
          "[io][chunk]") {
  // H5_checksum_fletcher32 as HDF5 1.10 writes it: one big-endian word at a time, both sums folded after
  // every 360 words and twice at the end.
  const auto reference = [](const std::vector<std::byte>& data) {
    std::uint32_t sum1 = 0;
    std::uint32_t sum2 = 0;
    std::size_t len = data.size() / 2;
    std::size_t at = 0;
    while (len > 0) {
      const std::size_t tlen = std::min<std::size_t>(len, 360);
      len -= tlen;
      for (std::size_t k = 0; k < tlen; ++k, at += 2) {
        sum1 += (static_cast<std::uint32_t>(data[at]) << 8) | static_cast<std::uint32_t>(data[at + 1]);
        sum2 += sum1;
      }
      sum1 = (sum1 & 0xffff) + (sum1 >> 16);
      sum2 = (sum2 & 0xffff) + (sum2 >> 16);
    }
    if (data.size() % 2 != 0) {
      sum1 += static_cast<std::uint32_t>(data[at]) << 8;
      sum2 += sum1;
      sum1 = (sum1 & 0xffff) + (sum1 >> 16);
      sum2 = (sum2 & 0xffff) + (sum2 >> 16);
    }
    sum1 = (sum1 & 0xffff) + (sum1 >> 16);
    sum2 = (sum2 & 0xffff) + (sum2 >> 16);
    return (sum2 << 16) | sum1;
  };
  std::uint64_t state = 3;
  for (std::size_t size = 0; size < 2000; ++size) {
    for (const int fill : {0, 1}) {  // noise, and all-ones bytes (the sums' largest values)
      std::vector<std::byte> data(size, std::byte{0xff});
      for (auto& b : data) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        if (fill == 0) b = static_cast<std::byte>(state >> 56);
      }
      INFO(size << " bytes, fill " << fill);
      REQUIRE(mmsim::io::fletcher32(data.data(), data.size()) == reference(data));
    }
  }
}

TEST_CASE("HDF5's own filters read encoded chunks back to the rows, and the bytes before deflate are HDF5's",
          "[io][chunk][hdf5]") {
  const TableLayout layout = small_layout();
  const std::size_t chunk_rows = 400;
  const std::size_t n = 1000;  // two full chunks and a partial one
  const int level = GENERATE(0, 1, 4, 9);
  const auto rows = make_rows(layout, n);
  const fs::path file = fs::temp_directory_path() / ("mmsim_test_io_chunk_" + std::to_string(::getpid()) +
                                                     "_" + std::to_string(level) + ".h5");
  const h5::Datatype type = h5::compound_type(layout);
  const std::size_t chunk_bytes = chunk_rows * layout.row_size();

  const h5::ErrorPrintingOff quiet;
  {
    const auto f =
        h5::make<h5::File>(H5Fcreate(file.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), "create");
    // "hdf5": written through HDF5's filters; "ours": our encoded chunks, written as they are.
    const h5::Dataset theirs = create_table(f, "hdf5", layout, n, chunk_rows, level);
    h5::check(H5Dwrite(theirs.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, rows.data()), "write");
    const h5::Dataset ours = create_table(f, "ours", layout, n, chunk_rows, level);
    ChunkEncoder encoder;
    EncodedChunk chunk;
    for (std::size_t first = 0; first < n; first += chunk_rows) {
      encoder.encode(rows.data() + first * layout.row_size(), std::min(chunk_rows, n - first),
                     layout.row_size(), ChunkSpec{chunk_rows, level}, chunk);
      const hsize_t offset = first;
      h5::check(H5Dwrite_chunk(ours.get(), H5P_DEFAULT, chunk.filter_mask, &offset, chunk.bytes.size(),
                               chunk.bytes.data()),
                "write chunk");
    }
  }
  {
    const auto f = h5::make<h5::File>(H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open");
    const auto theirs = h5::make<h5::Dataset>(H5Dopen2(f.get(), "hdf5", H5P_DEFAULT), "open dataset");
    const auto ours = h5::make<h5::Dataset>(H5Dopen2(f.get(), "ours", H5P_DEFAULT), "open dataset");
    INFO("level " << level);
    // HDF5 unshuffles, inflates and verifies the checksum of every chunk; a wrong checksum fails the read.
    std::vector<std::byte> read_back(rows.size());
    h5::check(H5Dread(ours.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, read_back.data()), "read");
    CHECK(read_back == rows);
    for (std::size_t first = 0; first < n; first += chunk_rows) {
      INFO("chunk at row " << first);
      std::uint32_t their_mask = 0;
      std::uint32_t our_mask = 0;
      const auto their_chunk = stored_chunk(theirs, first, their_mask);
      const auto our_chunk = stored_chunk(ours, first, our_mask);
      CHECK(our_mask == their_mask);
      if (level == 0) {
        CHECK(our_chunk == their_chunk);  // nothing but the rows and HDF5's Fletcher32
      } else {
        // Shuffled and zero-padded exactly as HDF5 does; the deflate streams themselves may differ.
        CHECK(before_deflate(our_chunk, our_mask, chunk_bytes) ==
              before_deflate(their_chunk, their_mask, chunk_bytes));
        CHECK(our_chunk.size() <= their_chunk.size() * 21 / 20);  // and deflated about as well as zlib does
      }
    }
  }
  fs::remove(file);
}

TEST_CASE("HDF5 refuses an encoded chunk whose bytes were damaged", "[io][chunk][hdf5]") {
  const TableLayout layout = small_layout();
  const std::size_t n = 400;
  const int level = GENERATE(0, 1);
  const auto rows = make_rows(layout, n);
  const fs::path file =
      fs::temp_directory_path() /
      ("mmsim_test_io_chunk_damaged_" + std::to_string(::getpid()) + "_" + std::to_string(level) + ".h5");
  EncodedChunk chunk = encode_chunk(rows.data(), n, layout.row_size(), ChunkSpec{n, level});
  chunk.bytes[chunk.bytes.size() / 2] ^= std::byte{0x10};
  const h5::ErrorPrintingOff quiet;
  const auto f =
      h5::make<h5::File>(H5Fcreate(file.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), "create");
  const h5::Dataset dset = create_table(f, "t", layout, n, n, level);
  const hsize_t offset = 0;
  h5::check(H5Dwrite_chunk(dset.get(), H5P_DEFAULT, chunk.filter_mask, &offset, chunk.bytes.size(),
                           chunk.bytes.data()),
            "write chunk");
  const h5::Datatype type = h5::compound_type(layout);
  std::vector<std::byte> read_back(rows.size());
  CHECK(H5Dread(dset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, read_back.data()) < 0);
  fs::remove(file);
}
