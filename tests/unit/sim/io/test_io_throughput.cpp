// Throughput of the run-file writer and the chunk encoder (DESIGN.md section 9: benchmarked, not
// unit-tested). Hidden from the default run; run with: mmsim_engine_tests "[benchmark]" (MMSIM_BENCH_MB sets
// the volume, default 1024).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/core/table.hpp"
#include "sim/io/run_file.hpp"

namespace fs = std::filesystem;
using mmsim::FieldType;
using mmsim::TableLayout;
using mmsim::io::ChunkEncoder;
using mmsim::io::ChunkSpec;
using mmsim::io::EncodedChunk;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// A patients-like table: 42-byte rows of ids, times, codes.
TableLayout bench_layout() {
  return TableLayout("patients", {{"patient", FieldType::u64, {}, ""},
                                  {"os_time", FieldType::f64, {}, ""},
                                  {"pfs_time", FieldType::f64, {}, ""},
                                  {"lines", FieldType::u32, {}, ""},
                                  {"age", FieldType::f64, {}, ""},
                                  {"died", FieldType::u8, {}, ""},
                                  {"risk", FieldType::enumeration, {"standard", "high"}, ""},
                                  {"cost", FieldType::f64, {}, ""}});
}

std::vector<std::byte> bench_rows(const TableLayout& layout, std::size_t n) {
  mmsim::TableBuffer buffer(layout);
  std::uint64_t s = 1;
  auto uniform = [&s] {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<double>(s >> 11) * 0x1.0p-53;
  };
  for (std::size_t i = 0; i < n; ++i) {
    auto row = buffer.append();
    row.set_u64(layout.find("patient"), i);
    row.set_f64(layout.find("os_time"), -60.0 * std::log(uniform()));
    row.set_f64(layout.find("pfs_time"), -20.0 * std::log(uniform()));
    row.set_u32(layout.find("lines"), static_cast<std::uint32_t>(uniform() * 5));
    row.set_f64(layout.find("age"), 50.0 + 30.0 * uniform());
    row.set_u8(layout.find("died"), uniform() < 0.7 ? 1 : 0);
    row.set_enum(layout.find("risk"), uniform() < 0.2 ? 1 : 0);
    row.set_f64(layout.find("cost"), 1000.0 * uniform());
  }
  return {buffer.data(), buffer.data() + buffer.size_bytes()};
}

std::size_t bench_megabytes() {
  const char* env = std::getenv("MMSIM_BENCH_MB");
  return env != nullptr ? std::stoul(env) : 1024;
}

}  // namespace

TEST_CASE("chunk encoder throughput by deflate level", "[.][benchmark][io]") {
  const TableLayout layout = bench_layout();
  const ChunkSpec base{4096, 0};
  const auto rows = bench_rows(layout, 16 * base.chunk_rows);
  const std::size_t chunk_bytes = base.chunk_rows * layout.row_size();
  for (const int level : {0, 1, 2, 4, 6}) {
    ChunkEncoder encoder;
    EncodedChunk chunk;
    const ChunkSpec spec{base.chunk_rows, level};
    std::size_t in_bytes = 0;
    std::size_t out_bytes = 0;
    const auto start = Clock::now();
    for (int repeat = 0; repeat < 8; ++repeat) {
      for (std::size_t c = 0; c < 16; ++c) {
        encoder.encode(rows.data() + c * chunk_bytes, base.chunk_rows, layout.row_size(), spec, chunk);
        in_bytes += chunk_bytes;
        out_bytes += chunk.bytes.size();
      }
    }
    const double elapsed = seconds_since(start);
    WARN("encode level " << level << ": " << static_cast<double>(in_bytes) / elapsed / 1e6
                         << " MB/s of rows per thread, ratio "
                         << static_cast<double>(in_bytes) / static_cast<double>(out_bytes));
  }
}

TEST_CASE("run file writer throughput with pre-encoded chunks", "[.][benchmark][io]") {
  const TableLayout layout = bench_layout();
  const std::size_t total_bytes = bench_megabytes() << 20;
  for (const int level : {0, 1}) {
    const ChunkSpec spec{4096, level};
    const std::size_t distinct = 16;
    const auto rows = bench_rows(layout, distinct * spec.chunk_rows);
    std::vector<EncodedChunk> chunks(distinct);
    ChunkEncoder encoder;
    for (std::size_t c = 0; c < distinct; ++c) {
      encoder.encode(rows.data() + c * spec.chunk_rows * layout.row_size(), spec.chunk_rows,
                     layout.row_size(), spec, chunks[c]);
    }
    const fs::path dir = fs::temp_directory_path() / ("mmsim_bench_io_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path file = dir / "bench.h5";
    std::size_t written = 0;
    std::size_t n_chunks = 0;
    const auto start = Clock::now();
    double append_seconds = 0;
    {
      mmsim::io::RunFileWriter writer(file, mmsim::io::RunAttributes{});
      const std::size_t table = writer.create_table("/strategies/s/patients", layout, spec);
      while (written < total_bytes) {
        const EncodedChunk& chunk = chunks[n_chunks % distinct];
        writer.append_chunk(table, chunk);
        written += chunk.bytes.size();
        ++n_chunks;
      }
      append_seconds = seconds_since(start);
      writer.commit();
    }
    const double total_seconds = seconds_since(start);
    WARN("write level " << level << ": " << n_chunks << " chunks of " << written / n_chunks << " bytes, "
                        << static_cast<double>(written) / append_seconds / 1e6 << " MB/s appending, "
                        << static_cast<double>(written) / total_seconds / 1e6
                        << " MB/s including commit+fsync, "
                        << static_cast<double>(n_chunks * spec.chunk_rows) / total_seconds / 1e6
                        << " M rows/s");
    CHECK(mmsim::io::RunFileReader(file).rows("/strategies/s/patients") == n_chunks * spec.chunk_rows);
    fs::remove_all(dir);
  }
}
