#pragma once
// Reading tables of an open HDF5 run file: existence checks, extents and single columns of compound datasets
// (HDF5 member-wise partial reads). Shared by RunFileReader and by RunFileWriter, which reads back the
// columns it has written to compute a run's summaries before committing the file.
#include <fmt/format.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/core/errors.hpp"
#include "sim/io/h5_handle.hpp"

namespace mmsim::io::detail {

// Non-owning: `file` must stay open while this is used.
struct TableAccess {
  std::filesystem::path path;
  hid_t file = -1;

  std::string where(const std::string& object) const { return fmt::format("{}:{}", path.string(), object); }

  // Opens the dataset at `dataset_path`; InputError naming the file when it is absent or not a dataset.
  h5::Dataset open_dataset(const std::string& dataset_path) const {
    if (!dataset_exists(dataset_path)) {
      throw InputError(fmt::format("{} has no dataset {}", path.string(), dataset_path));
    }
    return h5::make<h5::Dataset>(H5Dopen2(file, dataset_path.c_str(), H5P_DEFAULT),
                                 fmt::format("opening {}", where(dataset_path)));
  }

  bool dataset_exists(const std::string& dataset_path) const {
    // H5Lexists fails rather than answering "no" when an intermediate group is missing: test each prefix.
    std::size_t start = 0;
    while (start < dataset_path.size()) {
      std::size_t slash = dataset_path.find('/', start + 1);
      if (slash == std::string::npos) slash = dataset_path.size();
      const std::string prefix = dataset_path.substr(0, slash);
      if (prefix != "/" && !prefix.empty()) {
        const htri_t exists = H5Lexists(file, prefix.c_str(), H5P_DEFAULT);
        if (exists <= 0) {
          (void)H5Eclear2(H5E_DEFAULT);
          return false;
        }
      }
      start = slash;
    }
    const h5::Object object(H5Oopen(file, dataset_path.c_str(), H5P_DEFAULT));
    if (!object.valid()) {
      (void)H5Eclear2(H5E_DEFAULT);
      return false;
    }
    return H5Iget_type(object.get()) == H5I_DATASET;
  }

  std::size_t rows(hid_t dataset, const std::string& dataset_path) const {
    const std::string what = fmt::format("reading the extent of {}", where(dataset_path));
    const auto space = h5::make<h5::Dataspace>(H5Dget_space(dataset), what);
    return static_cast<std::size_t>(h5::check(H5Sget_simple_extent_npoints(space.get()), what));
  }

  // Reads member `field` of every row, converted by HDF5 to the native type `native` of size sizeof(T). Enum
  // members cannot be converted to numbers by HDF5: they are read with their own type (uint8 codes) and
  // widened here.
  template <class T>
  std::vector<T> read_column(const std::string& dataset_path, const std::string& field, hid_t native) const {
    const h5::Dataset dataset = open_dataset(dataset_path);
    const std::string what = fmt::format("reading field {} of {}", field, where(dataset_path));
    const auto file_type = h5::make<h5::Datatype>(H5Dget_type(dataset.get()), what);
    if (H5Tget_class(file_type.get()) != H5T_COMPOUND) {
      throw InputError(fmt::format("{} is not a table (compound dataset)", where(dataset_path)));
    }
    const int member = H5Tget_member_index(file_type.get(), field.c_str());
    if (member < 0) {
      (void)H5Eclear2(H5E_DEFAULT);
      throw InputError(fmt::format("{} has no field {}", where(dataset_path), field));
    }
    const auto member_type =
        h5::make<h5::Datatype>(H5Tget_member_type(file_type.get(), static_cast<unsigned>(member)), what);
    const std::size_t n = rows(dataset.get(), dataset_path);

    if (H5Tget_class(member_type.get()) == H5T_ENUM) {
      if (H5Tget_size(member_type.get()) != 1) {
        throw InputError(fmt::format("{}: enum field {} is not stored as uint8", where(dataset_path), field));
      }
      const std::vector<std::uint8_t> codes =
          read_member<std::uint8_t>(dataset.get(), field, member_type.get(), n, what);
      return std::vector<T>(codes.begin(), codes.end());
    }
    return read_member<T>(dataset.get(), field, native, n, what);
  }

  // Partial compound read: a memory compound with the single member `field` of type `mem_member`.
  template <class T>
  static std::vector<T> read_member(hid_t dataset, const std::string& field, hid_t mem_member, std::size_t n,
                                    const std::string& what) {
    const auto mem_type = h5::make<h5::Datatype>(H5Tcreate(H5T_COMPOUND, sizeof(T)), what);
    h5::check(H5Tinsert(mem_type.get(), field.c_str(), 0, mem_member), what);
    std::vector<T> values(n);
    if (n > 0)
      h5::check(H5Dread(dataset, mem_type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), what);
    return values;
  }
};

}  // namespace mmsim::io::detail
