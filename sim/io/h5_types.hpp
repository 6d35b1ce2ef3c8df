#pragma once
// HDF5 datatypes for mmsim tables and strings, and reading/writing the attributes built from them.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/table.hpp"
#include "sim/io/h5_handle.hpp"

namespace mmsim::io::h5 {

// The packed compound type of a table: one member per field, in layout order, at the layout's offsets, with
// the type's size equal to the row size. Enum fields become HDF5 enum types over uint8 carrying the labels.
// Numbers are little-endian standard types; the rows in memory are the same bytes, so the type serves as both
// file and memory type. Throws std::invalid_argument for duplicate field or label names.
Datatype compound_type(const TableLayout& layout);

// A variable-length UTF-8 string type (h5py reads it as str).
Datatype utf8_string_type();

// Attributes on the object `obj` (file, group or dataset). Writers replace an existing attribute of that
// name.
void write_string_attribute(hid_t obj, const std::string& name, const std::string& value);
void write_string_array_attribute(hid_t obj, const std::string& name, const std::vector<std::string>& values);
void write_u64_attribute(hid_t obj, const std::string& name, std::uint64_t value);
void write_i32_array_attribute(hid_t obj, const std::string& name, const std::vector<std::int32_t>& values);

bool has_attribute(hid_t obj, const std::string& name);
// Readers accept variable-length and fixed-length strings alike. A scalar string attribute read as an array
// gives one element.
std::vector<std::string> read_string_array_attribute(hid_t obj, const std::string& name);
std::string read_string_attribute(hid_t obj, const std::string& name);
std::uint64_t read_u64_attribute(hid_t obj, const std::string& name);
std::vector<std::int32_t> read_i32_array_attribute(hid_t obj, const std::string& name);

}  // namespace mmsim::io::h5
