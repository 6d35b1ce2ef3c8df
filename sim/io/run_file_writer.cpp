// RunFileWriter: creates the run file at an AtomicOutput's temporary name, writes tables chunk by chunk with
// HDF5's direct chunk write, and publishes the finished file under the final name.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <optional>
#include <stdexcept>

#include "sim/core/version.hpp"
#include "sim/io/atomic_output.hpp"
#include "sim/io/h5_handle.hpp"
#include "sim/io/h5_types.hpp"
#include "sim/io/run_file.hpp"
#include "sim/io/run_layout.hpp"
#include "sim/io/table_access.hpp"

namespace mmsim::io {

namespace fs = std::filesystem;

namespace {

std::string utc_now_iso8601() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  const std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return std::string(text, n);
}

void validate_spec(const std::string& path, const TableLayout& layout, const ChunkSpec& spec) {
  if (spec.chunk_rows == 0 || spec.deflate_level < 0 || spec.deflate_level > 9) {
    throw std::invalid_argument(
        fmt::format("table {}: chunk_rows {} must be positive and deflate level {} in 0..9", path,
                    spec.chunk_rows, spec.deflate_level));
  }
  if (layout.row_size() == 0 || spec.chunk_rows > 0xFFFFFFFFull / layout.row_size()) {
    throw std::invalid_argument(
        fmt::format("table {}: chunks of {} rows of {} bytes are empty or exceed HDF5's 4 GiB chunk limit",
                    path, spec.chunk_rows, layout.row_size()));
  }
}

// Link creation property list that creates missing parent groups.
h5::PropertyList intermediate_groups(const std::string& what) {
  auto lcpl = h5::make<h5::PropertyList>(H5Pcreate(H5P_LINK_CREATE), what);
  h5::check(H5Pset_create_intermediate_group(lcpl.get(), 1), what);
  return lcpl;
}

// Self-description on every table dataset: the layout's name and one line per field, in field order.
void describe_table(hid_t dataset, const TableLayout& layout) {
  h5::write_string_attribute(dataset, io::layout::kTableName, layout.name());
  std::vector<std::string> descriptions;
  descriptions.reserve(layout.fields().size());
  for (const Field& field : layout.fields()) descriptions.push_back(field.description);
  h5::write_string_array_attribute(dataset, io::layout::kFieldDescriptions, descriptions);
}

}  // namespace

struct RunFileWriter::Impl {
  struct Table {
    h5::Dataset dataset;
    std::string path;
    std::size_t row_size = 0;
    ChunkSpec spec;
    std::size_t rows = 0;    // rows written (the dataset's extent)
    std::size_t chunks = 0;  // chunks written
    bool ended = false;      // a partial chunk was written: nothing may follow
  };

  std::optional<AtomicOutput> output;  // declared before `file`: the temporary goes after the file is closed
  fs::path final_path;
  fs::path temp_path;
  h5::File file;
  std::vector<Table> tables;
  bool committed = false;

  ~Impl() {
    if (committed) return;
    const h5::ErrorPrintingOff quiet;
    if (file.valid()) discard_writes();
    tables.clear();
    file.reset();
  }

  // The temporary is being thrown away, but closing it still flushes HDF5's caches: after a write error
  // (disk full, file-size limit) that flush fails too, the file stays half closed, and HDF5's exit-time
  // cleanup then crashes on it (SIGSEGV). Pointing the file's descriptor at an anonymous in-memory file lets
  // the close complete; nothing of value goes there.
  void discard_writes() {
    void* handle = nullptr;
    if (H5Fget_vfd_handle(file.get(), H5P_DEFAULT, &handle) < 0 || handle == nullptr) return;
    const int fd = *static_cast<int*>(handle);
    const int sink = ::memfd_create("mmsim-discarded", MFD_CLOEXEC);
    if (sink < 0) return;
    (void)::dup3(sink, fd, O_CLOEXEC);
    ::close(sink);
  }

  std::string where(const std::string& object) const {
    return fmt::format("{}:{}", final_path.string(), object);
  }

  void require_open() const {
    if (committed)
      throw std::logic_error(fmt::format("run file {} was already committed", final_path.string()));
  }
};

RunFileWriter::RunFileWriter(fs::path final_path, const RunAttributes& attributes)
    : impl_(std::make_unique<Impl>()) {
  const h5::ErrorPrintingOff quiet;
  if (attributes.filetype != "run" && attributes.filetype != "sweep" && attributes.filetype != "shard") {
    throw std::invalid_argument(fmt::format("run file {}: filetype '{}' is not run, sweep or shard",
                                            final_path.string(), attributes.filetype));
  }
  impl_->final_path = final_path;
  impl_->temp_path = impl_->output.emplace(std::move(final_path)).temp_path();

  const std::string what = fmt::format("creating run file {}", impl_->temp_path.string());
  const auto fapl = h5::make<h5::PropertyList>(H5Pcreate(H5P_FILE_ACCESS), what);
  // 1.8 object formats or later: dense attribute storage (attributes over 64 KiB) and compact groups; files
  // stay readable by HDF5 1.8 and later.
  h5::check(H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_V18, H5F_LIBVER_LATEST), what);
  // Closing the file closes anything still open in it, so an unwinding exception can never leave it half
  // open.
  h5::check(H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_STRONG), what);
  impl_->file =
      h5::make<h5::File>(H5Fcreate(impl_->temp_path.c_str(), H5F_ACC_EXCL, H5P_DEFAULT, fapl.get()), what);

  const hid_t root = impl_->file.get();
  h5::write_string_attribute(root, io::layout::kFiletype, attributes.filetype);
  h5::write_i32_array_attribute(root, io::layout::kSchemaVersion, {kSchemaMajor, attributes.schema_minor});
  h5::write_string_attribute(root, io::layout::kMmsimVersion, kVersion);
  h5::write_string_attribute(root, io::layout::kGitRevision, kGitRevision);
  h5::write_u64_attribute(root, io::layout::kSeed, attributes.seed);
  h5::write_string_attribute(root, io::layout::kCreated, utc_now_iso8601());
  h5::write_string_attribute(root, io::layout::kTimeUnit, attributes.time_unit);
  h5::write_string_array_attribute(root, io::layout::kStrategyOrder, attributes.strategy_order);
  h5::write_string_attribute(root, io::layout::kConfig, attributes.config_text);
  for (const auto& [name, value] : attributes.extra) {
    if (name == io::layout::kFiletype || name == io::layout::kSchemaVersion || name == io::layout::kSeed ||
        name == io::layout::kStrategyOrder) {
      throw std::invalid_argument(
          fmt::format("run file {}: extra attribute '{}' would replace a standard one",
                      impl_->final_path.string(), name));
    }
    h5::write_string_attribute(root, name, value);
  }
}

RunFileWriter::~RunFileWriter() = default;

std::size_t RunFileWriter::create_table(const std::string& path, const TableLayout& layout,
                                        const ChunkSpec& spec) {
  const h5::ErrorPrintingOff quiet;
  impl_->require_open();
  validate_spec(path, layout, spec);
  const std::string what = fmt::format("creating table {}", impl_->where(path));

  const h5::Datatype type = h5::compound_type(layout);
  const hsize_t initial = 0;
  const hsize_t unlimited = H5S_UNLIMITED;
  const auto space = h5::make<h5::Dataspace>(H5Screate_simple(1, &initial, &unlimited), what);
  const auto dcpl = h5::make<h5::PropertyList>(H5Pcreate(H5P_DATASET_CREATE), what);
  const hsize_t chunk = spec.chunk_rows;
  h5::check(H5Pset_chunk(dcpl.get(), 1, &chunk), what);
  if (spec.deflate_level > 0) {
    // Pipeline order matters: EncodedChunk::filter_mask bit 0 is the shuffle, bit 1 the deflate.
    h5::check(H5Pset_shuffle(dcpl.get()), what);
    h5::check(H5Pset_deflate(dcpl.get(), static_cast<unsigned>(spec.deflate_level)), what);
  }
  // Last in the pipeline, as the encoder appends it: every chunk carries its checksum.
  h5::check(H5Pset_fletcher32(dcpl.get()), what);
  const h5::PropertyList lcpl = intermediate_groups(what);
  auto dataset = h5::make<h5::Dataset>(H5Dcreate2(impl_->file.get(), path.c_str(), type.get(), space.get(),
                                                  lcpl.get(), dcpl.get(), H5P_DEFAULT),
                                       what);
  describe_table(dataset.get(), layout);

  Impl::Table table;
  table.dataset = std::move(dataset);
  table.path = path;
  table.row_size = layout.row_size();
  table.spec = spec;
  impl_->tables.push_back(std::move(table));
  return impl_->tables.size() - 1;
}

void RunFileWriter::append_chunk(std::size_t table_index, const EncodedChunk& chunk) {
  const h5::ErrorPrintingOff quiet;
  impl_->require_open();
  if (table_index >= impl_->tables.size()) {
    throw std::out_of_range(
        fmt::format("run file {}: no table #{}", impl_->final_path.string(), table_index));
  }
  Impl::Table& table = impl_->tables[table_index];
  const std::size_t chunk_bytes = table.spec.chunk_rows * table.row_size;
  if (table.ended) {
    throw std::logic_error(
        fmt::format("table {}: chunk appended after a partial chunk", impl_->where(table.path)));
  }
  if (chunk.rows == 0 || chunk.rows > table.spec.chunk_rows || chunk.bytes.empty()) {
    throw std::logic_error(fmt::format("table {}: chunk of {} rows ({} bytes) for chunks of {} rows",
                                       impl_->where(table.path), chunk.rows, chunk.bytes.size(),
                                       table.spec.chunk_rows));
  }
  const bool filtered = table.spec.deflate_level > 0;
  const std::uint32_t allowed_mask = filtered ? kDeflateSkipped : 0u;
  const bool stored_raw = !filtered || (chunk.filter_mask & kDeflateSkipped) != 0;
  if ((chunk.filter_mask & ~allowed_mask) != 0 ||
      (stored_raw && chunk.bytes.size() != chunk_bytes + kChecksumBytes)) {
    throw std::logic_error(
        fmt::format("table {}: chunk ({} bytes, filter mask {}) was not encoded for this table",
                    impl_->where(table.path), chunk.bytes.size(), chunk.filter_mask));
  }

  const hsize_t new_rows = table.rows + chunk.rows;
  const hsize_t offset = table.chunks * table.spec.chunk_rows;
  if (H5Dset_extent(table.dataset.get(), &new_rows) < 0 ||
      H5Dwrite_chunk(table.dataset.get(), H5P_DEFAULT, chunk.filter_mask, &offset, chunk.bytes.size(),
                     chunk.bytes.data()) < 0) {
    throw h5::make_error(fmt::format("writing chunk {} of table {}", table.chunks, impl_->where(table.path)));
  }
  table.rows = new_rows;
  ++table.chunks;
  table.ended = chunk.rows < table.spec.chunk_rows;
}

void RunFileWriter::write_string_attribute(const std::string& object_path, const std::string& name,
                                           const std::string& value) {
  const h5::ErrorPrintingOff quiet;
  impl_->require_open();
  const auto object = h5::make<h5::Object>(H5Oopen(impl_->file.get(), object_path.c_str(), H5P_DEFAULT),
                                           fmt::format("opening {}", impl_->where(object_path)));
  h5::write_string_attribute(object.get(), name, value);
}

void RunFileWriter::write_table_rows(const std::string& path, const TableLayout& layout,
                                     const std::byte* rows, std::size_t n_rows) {
  const h5::ErrorPrintingOff quiet;
  impl_->require_open();
  const std::string what = fmt::format("writing table {}", impl_->where(path));
  const h5::Datatype type = h5::compound_type(layout);
  const hsize_t n = n_rows;
  const auto space = h5::make<h5::Dataspace>(H5Screate_simple(1, &n, nullptr), what);
  const h5::PropertyList lcpl = intermediate_groups(what);
  // Chunked only to carry HDF5's Fletcher32 checksum (a contiguous dataset cannot have filters); HDF5
  // computes it on write and verifies it on every read. One chunk of up to ~1 MiB of rows.
  const auto dcpl = h5::make<h5::PropertyList>(H5Pcreate(H5P_DATASET_CREATE), what);
  const hsize_t chunk_rows = std::clamp<hsize_t>(
      n_rows, 1, std::max<hsize_t>(1, (hsize_t{1} << 20) / std::max<std::size_t>(1, layout.row_size())));
  h5::check(H5Pset_chunk(dcpl.get(), 1, &chunk_rows), what);
  h5::check(H5Pset_fletcher32(dcpl.get()), what);
  const auto dataset = h5::make<h5::Dataset>(H5Dcreate2(impl_->file.get(), path.c_str(), type.get(),
                                                        space.get(), lcpl.get(), dcpl.get(), H5P_DEFAULT),
                                             what);
  // The rows are already in the file's packed layout: no conversion happens.
  if (n_rows > 0) h5::check(H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, rows), what);
  describe_table(dataset.get(), layout);
}

void RunFileWriter::commit() {
  const h5::ErrorPrintingOff quiet;
  impl_->require_open();
  // Everything reaches the file while every handle is still open: a failure here (disk full) leaves the
  // destructor a whole file to discard, and the closes below have nothing left to write.
  h5::check(H5Fflush(impl_->file.get(), H5F_SCOPE_GLOBAL),
            fmt::format("flushing {}", impl_->temp_path.string()));
  for (Impl::Table& table : impl_->tables)
    table.dataset.close(fmt::format("closing {}", impl_->where(table.path)));
  impl_->tables.clear();
  impl_->file.close(fmt::format("closing {}", impl_->temp_path.string()));
  impl_->output->commit();
  impl_->committed = true;
}

const fs::path& RunFileWriter::temporary_path() const {
  return impl_->temp_path;
}

std::vector<double> RunFileWriter::read_f64_column(const std::string& dataset_path,
                                                   const std::string& field) const {
  const h5::ErrorPrintingOff quiet;
  h5::check(H5Fflush(impl_->file.get(), H5F_SCOPE_LOCAL), "flushing " + impl_->temp_path.string());
  return detail::TableAccess{impl_->temp_path, impl_->file.get()}.read_column<double>(dataset_path, field,
                                                                                      H5T_NATIVE_DOUBLE);
}

std::vector<std::uint8_t> RunFileWriter::read_u8_column(const std::string& dataset_path,
                                                        const std::string& field) const {
  const h5::ErrorPrintingOff quiet;
  h5::check(H5Fflush(impl_->file.get(), H5F_SCOPE_LOCAL), "flushing " + impl_->temp_path.string());
  return detail::TableAccess{impl_->temp_path, impl_->file.get()}.read_column<std::uint8_t>(
      dataset_path, field, H5T_NATIVE_UINT8);
}

}  // namespace mmsim::io
