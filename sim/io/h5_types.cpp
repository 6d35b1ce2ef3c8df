#include "sim/io/h5_types.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <set>
#include <stdexcept>

namespace mmsim::io::h5 {
namespace {

static_assert(std::endian::native == std::endian::little,
              "run files store rows in the host's byte order, declared as little-endian");

// "<file>:<object path>", for messages. Never throws an HDF5 error itself.
std::string describe(hid_t obj) {
  std::string file(256, '\0');
  ssize_t n = H5Fget_name(obj, file.data(), file.size());
  if (n >= static_cast<ssize_t>(file.size())) {
    file.resize(static_cast<std::size_t>(n) + 1);
    n = H5Fget_name(obj, file.data(), file.size());
  }
  file.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  std::string path(256, '\0');
  n = H5Iget_name(obj, path.data(), path.size());
  if (n >= static_cast<ssize_t>(path.size())) {
    path.resize(static_cast<std::size_t>(n) + 1);
    n = H5Iget_name(obj, path.data(), path.size());
  }
  path.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  (void)H5Eclear2(H5E_DEFAULT);
  return file + ":" + (path.empty() ? "?" : path);
}

hid_t field_type_id(FieldType type) {
  switch (type) {
    case FieldType::f64:
      return H5T_IEEE_F64LE;
    case FieldType::i32:
      return H5T_STD_I32LE;
    case FieldType::u32:
      return H5T_STD_U32LE;
    case FieldType::u64:
      return H5T_STD_U64LE;
    case FieldType::u8:
    case FieldType::enumeration:
      return H5T_STD_U8LE;
  }
  throw std::logic_error("unknown FieldType");
}

Datatype enum_type(const TableLayout& layout, const Field& field) {
  const std::string what =
      fmt::format("creating the enum type of field {} of table {}", field.name, layout.name());
  auto type = make<Datatype>(H5Tenum_create(H5T_STD_U8LE), what);
  std::set<std::string> seen;
  for (std::size_t code = 0; code < field.labels.size(); ++code) {
    const std::string& label = field.labels[code];
    if (label.empty() || !seen.insert(label).second) {
      throw std::invalid_argument(fmt::format("table {}, enum field {}: label '{}' is empty or repeated",
                                              layout.name(), field.name, label));
    }
    const auto value = static_cast<std::uint8_t>(code);
    check(H5Tenum_insert(type.get(), label.c_str(), &value), what);
  }
  return type;
}

// Opens `name` on `obj` for reading, with a message naming both when it is absent.
Attribute open_attribute(hid_t obj, const std::string& name) {
  if (!has_attribute(obj, name)) {
    throw H5Error(fmt::format("{}: no attribute '{}'", describe(obj), name));
  }
  return make<Attribute>(H5Aopen(obj, name.c_str(), H5P_DEFAULT),
                         fmt::format("{}: opening attribute '{}'", describe(obj), name));
}

// Creates attribute `name` (replacing an existing one) with the given type and dataspace.
Attribute create_attribute(hid_t obj, const std::string& name, hid_t type, hid_t space) {
  const std::string what = fmt::format("{}: writing attribute '{}'", describe(obj), name);
  if (check(H5Aexists(obj, name.c_str()), what) > 0) check(H5Adelete(obj, name.c_str()), what);
  return make<Attribute>(H5Acreate2(obj, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), what);
}

hssize_t element_count(hid_t attr, const std::string& what) {
  const Dataspace space = make<Dataspace>(H5Aget_space(attr), what);
  return check(H5Sget_simple_extent_npoints(space.get()), what);
}

}  // namespace

Datatype compound_type(const TableLayout& layout) {
  const std::string what = fmt::format("creating the HDF5 type of table {}", layout.name());
  if (layout.fields().empty()) {
    throw std::invalid_argument(fmt::format("table {} has no fields", layout.name()));
  }
  auto type = make<Datatype>(H5Tcreate(H5T_COMPOUND, layout.row_size()), what);
  std::set<std::string> seen;
  for (std::uint32_t i = 0; i < layout.fields().size(); ++i) {
    const Field& field = layout.field(FieldId{i});
    if (field.name.empty() || !seen.insert(field.name).second) {
      throw std::invalid_argument(
          fmt::format("table {}: field name '{}' is empty or repeated", layout.name(), field.name));
    }
    if (field.type == FieldType::enumeration) {
      const Datatype member = enum_type(layout, field);
      check(H5Tinsert(type.get(), field.name.c_str(), layout.offset(FieldId{i}), member.get()), what);
    } else {
      check(H5Tinsert(type.get(), field.name.c_str(), layout.offset(FieldId{i}), field_type_id(field.type)),
            what);
    }
  }
  return type;
}

Datatype utf8_string_type() {
  const std::string what = "creating a UTF-8 string type";
  auto type = make<Datatype>(H5Tcopy(H5T_C_S1), what);
  check(H5Tset_size(type.get(), H5T_VARIABLE), what);
  check(H5Tset_cset(type.get(), H5T_CSET_UTF8), what);
  return type;
}

void write_string_attribute(hid_t obj, const std::string& name, const std::string& value) {
  const Datatype type = utf8_string_type();
  const auto space = make<Dataspace>(H5Screate(H5S_SCALAR), "creating a scalar dataspace");
  const Attribute attr = create_attribute(obj, name, type.get(), space.get());
  const char* data = value.c_str();
  check(H5Awrite(attr.get(), type.get(), &data),
        fmt::format("{}: writing attribute '{}'", describe(obj), name));
}

void write_string_array_attribute(hid_t obj, const std::string& name,
                                  const std::vector<std::string>& values) {
  const Datatype type = utf8_string_type();
  const hsize_t n = values.size();
  const auto space = make<Dataspace>(H5Screate_simple(1, &n, nullptr), "creating a dataspace");
  const Attribute attr = create_attribute(obj, name, type.get(), space.get());
  std::vector<const char*> data(values.size());
  std::transform(values.begin(), values.end(), data.begin(), [](const std::string& s) { return s.c_str(); });
  if (!data.empty()) {
    check(H5Awrite(attr.get(), type.get(), data.data()),
          fmt::format("{}: writing attribute '{}'", describe(obj), name));
  }
}

void write_u64_attribute(hid_t obj, const std::string& name, std::uint64_t value) {
  const auto space = make<Dataspace>(H5Screate(H5S_SCALAR), "creating a scalar dataspace");
  const Attribute attr = create_attribute(obj, name, H5T_STD_U64LE, space.get());
  check(H5Awrite(attr.get(), H5T_NATIVE_UINT64, &value),
        fmt::format("{}: writing attribute '{}'", describe(obj), name));
}

void write_i32_array_attribute(hid_t obj, const std::string& name, const std::vector<std::int32_t>& values) {
  const hsize_t n = values.size();
  const auto space = make<Dataspace>(H5Screate_simple(1, &n, nullptr), "creating a dataspace");
  const Attribute attr = create_attribute(obj, name, H5T_STD_I32LE, space.get());
  if (!values.empty()) {
    check(H5Awrite(attr.get(), H5T_NATIVE_INT32, values.data()),
          fmt::format("{}: writing attribute '{}'", describe(obj), name));
  }
}

bool has_attribute(hid_t obj, const std::string& name) {
  return check(H5Aexists(obj, name.c_str()),
               fmt::format("{}: looking for attribute '{}'", describe(obj), name)) > 0;
}

std::vector<std::string> read_string_array_attribute(hid_t obj, const std::string& name) {
  const Attribute attr = open_attribute(obj, name);
  const std::string what = fmt::format("{}: reading string attribute '{}'", describe(obj), name);
  const auto file_type = make<Datatype>(H5Aget_type(attr.get()), what);
  if (H5Tget_class(file_type.get()) != H5T_STRING) throw H5Error(what + ": it is not a string");
  const auto n = static_cast<std::size_t>(element_count(attr.get(), what));
  std::vector<std::string> values;
  values.reserve(n);
  if (n == 0) return values;

  const H5T_cset_t cset = H5Tget_cset(file_type.get());
  if (check(H5Tis_variable_str(file_type.get()), what) > 0) {
    auto mem_type = make<Datatype>(H5Tcopy(H5T_C_S1), what);
    check(H5Tset_size(mem_type.get(), H5T_VARIABLE), what);
    check(H5Tset_cset(mem_type.get(), cset), what);
    std::vector<char*> data(n, nullptr);
    check(H5Aread(attr.get(), mem_type.get(), data.data()), what);
    // Give HDF5 its buffers back whatever happens while copying them.
    struct Reclaim {
      hid_t type;
      hid_t attr;
      std::vector<char*>& data;
      ~Reclaim() {
        const Dataspace space(H5Aget_space(attr));
        (void)H5Dvlen_reclaim(type, space.get(), H5P_DEFAULT, data.data());
      }
    } reclaim{mem_type.get(), attr.get(), data};
    for (const char* s : data) values.emplace_back(s != nullptr ? s : "");
  } else {
    const std::size_t size = H5Tget_size(file_type.get());
    std::string buffer(n * size, '\0');
    check(H5Aread(attr.get(), file_type.get(), buffer.data()), what);
    for (std::size_t i = 0; i < n; ++i) {
      std::string s = buffer.substr(i * size, size);
      s.erase(std::find(s.begin(), s.end(), '\0'), s.end());
      if (H5Tget_strpad(file_type.get()) == H5T_STR_SPACEPAD) s.erase(s.find_last_not_of(' ') + 1);
      values.push_back(std::move(s));
    }
  }
  return values;
}

std::string read_string_attribute(hid_t obj, const std::string& name) {
  std::vector<std::string> values = read_string_array_attribute(obj, name);
  if (values.size() != 1) {
    throw H5Error(
        fmt::format("{}: attribute '{}' holds {} strings, expected one", describe(obj), name, values.size()));
  }
  return std::move(values.front());
}

std::uint64_t read_u64_attribute(hid_t obj, const std::string& name) {
  const Attribute attr = open_attribute(obj, name);
  const std::string what = fmt::format("{}: reading integer attribute '{}'", describe(obj), name);
  if (element_count(attr.get(), what) != 1) throw H5Error(what + ": expected a single value");
  std::uint64_t value = 0;
  check(H5Aread(attr.get(), H5T_NATIVE_UINT64, &value), what);
  return value;
}

std::vector<std::int32_t> read_i32_array_attribute(hid_t obj, const std::string& name) {
  const Attribute attr = open_attribute(obj, name);
  const std::string what = fmt::format("{}: reading integer attribute '{}'", describe(obj), name);
  const auto type = make<Datatype>(H5Aget_type(attr.get()), what);
  if (H5Tget_class(type.get()) != H5T_INTEGER) throw H5Error(what + ": it is not an integer");
  std::vector<std::int32_t> values(static_cast<std::size_t>(element_count(attr.get(), what)));
  if (!values.empty()) check(H5Aread(attr.get(), H5T_NATIVE_INT32, values.data()), what);
  return values;
}

}  // namespace mmsim::io::h5
