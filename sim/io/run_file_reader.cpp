// RunFileReader: opens a finished run, sweep or shard file, checks that it is an mmsim file of a schema this
// build understands, and reads attributes and single columns of the compound tables.
#include <fmt/format.h>

#include <string_view>

#include "sim/core/errors.hpp"
#include "sim/core/file_kind.hpp"
#include "sim/core/version.hpp"
#include "sim/io/h5_handle.hpp"
#include "sim/io/h5_types.hpp"
#include "sim/io/run_file.hpp"
#include "sim/io/run_layout.hpp"
#include "sim/io/table_access.hpp"

namespace mmsim::io {

namespace fs = std::filesystem;

struct RunFileReader::Impl {
  fs::path path;
  h5::File file;
  detail::TableAccess access() const { return detail::TableAccess{path, file.get()}; }
  std::string where(const std::string& object) const { return fmt::format("{}:{}", path.string(), object); }
};

namespace {

// A run file is the user's input: an HDF5 failure while reading it (a flipped bit caught by a chunk's
// Fletcher32 checksum, a truncated copy, a damaged header) is reported as bad input naming the file (exit 2),
// not as an internal error.
template <class Read>
auto guarded(const fs::path& path, Read&& read) {
  const h5::ErrorPrintingOff quiet;
  try {
    return read();
  } catch (const h5::H5Error& e) {
    throw InputError(fmt::format("{} is damaged or unreadable: {}", path.string(), e.what()));
  }
}

}  // namespace

RunFileReader::RunFileReader(const fs::path& path) : impl_(std::make_unique<Impl>()) {
  const h5::ErrorPrintingOff quiet;
  impl_->path = path;
  const std::string name = path.string();
  if (const std::string kind = not_a_regular_file(path); !kind.empty()) {
    throw InputError(fmt::format("cannot read {}: it {}, not an mmsim output file", name, kind));
  }
  if (H5Fis_hdf5(path.c_str()) <= 0) {
    (void)H5Eclear2(H5E_DEFAULT);
    throw InputError(fmt::format("{} is not an HDF5 file, so not an mmsim output file", name));
  }
  guarded(path, [&] {
    impl_->file = h5::make<h5::File>(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "opening " + name);
  });

  const hid_t root = impl_->file.get();
  if (!h5::has_attribute(root, layout::kFiletype) || !h5::has_attribute(root, layout::kSchemaVersion)) {
    throw InputError(
        fmt::format("{} is an HDF5 file but not an mmsim output file (no 'filetype' and "
                    "'schema_version' attributes on /)",
                    name));
  }
  std::string type;
  std::vector<std::int32_t> version;
  try {
    type = h5::read_string_attribute(root, layout::kFiletype);
    version = h5::read_i32_array_attribute(root, layout::kSchemaVersion);
  } catch (const h5::H5Error& e) {
    throw InputError(fmt::format("{} is not an mmsim output file: {}", name, e.what()));
  }
  if (type != "run" && type != "sweep" && type != "shard") {
    throw InputError(fmt::format("{} has filetype '{}', not an mmsim run, sweep or shard file", name, type));
  }
  if (version.size() != 2) {
    throw InputError(fmt::format("{}: attribute schema_version should hold [major, minor], found {} values",
                                 name, version.size()));
  }
  if (version[0] != kSchemaMajor) {
    throw InputError(
        fmt::format("{} uses schema version {}.{}, but this mmsim ({}) reads schema version {}.x "
                    "only; read it with the mmsim version that wrote it",
                    name, version[0], version[1], kVersion, kSchemaMajor));
  }
}

RunFileReader::~RunFileReader() {
  const h5::ErrorPrintingOff quiet;
  impl_.reset();
}

std::string RunFileReader::filetype() const {
  return string_attribute(layout::kRoot, layout::kFiletype);
}

std::vector<std::int32_t> RunFileReader::schema_version() const {
  return guarded(impl_->path,
                 [&] { return h5::read_i32_array_attribute(impl_->file.get(), layout::kSchemaVersion); });
}

std::uint64_t RunFileReader::seed() const {
  return guarded(impl_->path, [&] { return h5::read_u64_attribute(impl_->file.get(), layout::kSeed); });
}

std::string RunFileReader::string_attribute(const std::string& object_path, const std::string& name) const {
  return guarded(impl_->path, [&] {
    const auto object = h5::make<h5::Object>(H5Oopen(impl_->file.get(), object_path.c_str(), H5P_DEFAULT),
                                             fmt::format("opening {}", impl_->where(object_path)));
    return h5::read_string_attribute(object.get(), name);
  });
}

std::vector<std::string> RunFileReader::strategy_order() const {
  return guarded(impl_->path,
                 [&] { return h5::read_string_array_attribute(impl_->file.get(), layout::kStrategyOrder); });
}

bool RunFileReader::has_dataset(const std::string& path) const {
  return guarded(impl_->path, [&] { return impl_->access().dataset_exists(path); });
}

std::size_t RunFileReader::rows(const std::string& dataset_path) const {
  return guarded(impl_->path, [&] {
    const h5::Dataset dataset = impl_->access().open_dataset(dataset_path);
    return impl_->access().rows(dataset.get(), dataset_path);
  });
}

std::vector<std::string> RunFileReader::field_names(const std::string& dataset_path) const {
  return guarded(impl_->path, [&] {
    const h5::Dataset dataset = impl_->access().open_dataset(dataset_path);
    const std::string what = fmt::format("reading the fields of {}", impl_->where(dataset_path));
    const auto type = h5::make<h5::Datatype>(H5Dget_type(dataset.get()), what);
    if (H5Tget_class(type.get()) != H5T_COMPOUND) {
      throw InputError(fmt::format("{} is not a table (compound dataset)", impl_->where(dataset_path)));
    }
    const int n = h5::check(H5Tget_nmembers(type.get()), what);
    std::vector<std::string> names;
    names.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
      char* name = H5Tget_member_name(type.get(), static_cast<unsigned>(i));
      if (name == nullptr) throw h5::make_error(what);
      names.emplace_back(name);
      H5free_memory(name);
    }
    return names;
  });
}

std::vector<double> RunFileReader::read_f64_column(const std::string& dataset_path,
                                                   const std::string& field) const {
  return guarded(impl_->path,
                 [&] { return impl_->access().read_column<double>(dataset_path, field, H5T_NATIVE_DOUBLE); });
}

std::vector<std::uint8_t> RunFileReader::read_u8_column(const std::string& dataset_path,
                                                        const std::string& field) const {
  return guarded(impl_->path, [&] {
    return impl_->access().read_column<std::uint8_t>(dataset_path, field, H5T_NATIVE_UINT8);
  });
}

std::vector<std::uint64_t> RunFileReader::read_u64_column(const std::string& dataset_path,
                                                          const std::string& field) const {
  return guarded(impl_->path, [&] {
    return impl_->access().read_column<std::uint64_t>(dataset_path, field, H5T_NATIVE_UINT64);
  });
}

std::vector<std::byte> RunFileReader::read_raw(const std::string& dataset_path) const {
  return guarded(impl_->path, [&] {
    const h5::Dataset dataset = impl_->access().open_dataset(dataset_path);
    const std::string what = fmt::format("reading {}", impl_->where(dataset_path));
    // Reading with the dataset's own type performs no conversion: the bytes come back in the file's layout.
    const auto type = h5::make<h5::Datatype>(H5Dget_type(dataset.get()), what);
    const std::size_t n = impl_->access().rows(dataset.get(), dataset_path);
    std::vector<std::byte> bytes(n * H5Tget_size(type.get()));
    if (n > 0)
      h5::check(H5Dread(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data()), what);
    return bytes;
  });
}

}  // namespace mmsim::io
