#include "sim/io/table_export.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string_view>

#include "sim/core/errors.hpp"
#include "sim/io/atomic_output.hpp"
#include "sim/io/h5_handle.hpp"
#include "sim/io/run_file.hpp"
#include "sim/io/run_layout.hpp"

namespace mmsim::io {
namespace {

namespace fs = std::filesystem;

// How one field of the table is read from a native row and printed.
struct Column {
  enum class Kind { f64, f32, i8, i16, i32, i64, u8, u16, u32, u64, label } kind;
  std::string name;
  std::size_t offset = 0;
  std::vector<std::string> labels;  // Kind::label: by code (codes 0..255)
};

std::string text_of(const char* raw) {
  std::string s = raw == nullptr ? std::string() : std::string(raw);
  H5free_memory(const_cast<char*>(raw));
  return s;
}

Column::Kind integer_kind(hid_t type) {
  const bool is_signed = H5Tget_sign(type) == H5T_SGN_2;
  switch (H5Tget_size(type)) {
    case 1:
      return is_signed ? Column::Kind::i8 : Column::Kind::u8;
    case 2:
      return is_signed ? Column::Kind::i16 : Column::Kind::u16;
    case 4:
      return is_signed ? Column::Kind::i32 : Column::Kind::u32;
    default:
      return is_signed ? Column::Kind::i64 : Column::Kind::u64;
  }
}

// The columns of a native compound type (offsets in memory rows of that type).
std::vector<Column> columns_of(hid_t native, const std::string& where) {
  const std::string what = "reading the fields of " + where;
  const int n = h5::check(H5Tget_nmembers(native), what);
  std::vector<Column> out;
  for (int i = 0; i < n; ++i) {
    const auto m = static_cast<unsigned>(i);
    Column c{Column::Kind::f64, text_of(H5Tget_member_name(native, m)), H5Tget_member_offset(native, m), {}};
    const auto type = h5::make<h5::Datatype>(H5Tget_member_type(native, m), what);
    switch (H5Tget_class(type.get())) {
      case H5T_FLOAT:
        c.kind = H5Tget_size(type.get()) == 4 ? Column::Kind::f32 : Column::Kind::f64;
        break;
      case H5T_INTEGER:
        c.kind = integer_kind(type.get());
        break;
      case H5T_ENUM: {
        if (H5Tget_size(type.get()) != 1)
          throw InputError(fmt::format("{}: enum field {} is not stored as uint8", where, c.name));
        c.kind = Column::Kind::label;
        c.labels.assign(256, std::string());
        const int k = h5::check(H5Tget_nmembers(type.get()), what);
        for (int j = 0; j < k; ++j) {
          std::uint8_t code = 0;
          h5::check(H5Tget_member_value(type.get(), static_cast<unsigned>(j), &code), what);
          c.labels[code] = text_of(H5Tget_member_name(type.get(), static_cast<unsigned>(j)));
        }
        break;
      }
      default:
        throw InputError(fmt::format("{}: field {} has a type mmsim export cannot print", where, c.name));
    }
    out.push_back(std::move(c));
  }
  return out;
}

// Quotes a CSV cell that holds the separator, a quote or a line break (RFC 4180).
void put_text(std::string& line, std::string_view v, char sep) {
  if (v.find_first_of(std::string{sep, '"', '\n', '\r'}) == std::string_view::npos) {
    line += v;
    return;
  }
  line += '"';
  for (const char ch : v) line += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  line += '"';
}

// A double as the shortest text that reads back to the same value; NaN (undefined) as an empty cell, which
// pandas and R read as missing.
void put_double(std::string& line, double v) {
  if (std::isnan(v)) return;
  if (std::isinf(v)) {
    line += v > 0 ? "Inf" : "-Inf";
    return;
  }
  fmt::format_to(std::back_inserter(line), "{}", v);
}

template <class T>
T load(const std::byte* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

void put_cell(std::string& line, const Column& c, const std::byte* row, char sep) {
  const std::byte* p = row + c.offset;
  switch (c.kind) {
    case Column::Kind::f64:
      return put_double(line, load<double>(p));
    case Column::Kind::f32:
      return put_double(line, load<float>(p));
    case Column::Kind::i8:
      return fmt::format_to(std::back_inserter(line), "{}", load<std::int8_t>(p)), void();
    case Column::Kind::i16:
      return fmt::format_to(std::back_inserter(line), "{}", load<std::int16_t>(p)), void();
    case Column::Kind::i32:
      return fmt::format_to(std::back_inserter(line), "{}", load<std::int32_t>(p)), void();
    case Column::Kind::i64:
      return fmt::format_to(std::back_inserter(line), "{}", load<std::int64_t>(p)), void();
    case Column::Kind::u8:
      return fmt::format_to(std::back_inserter(line), "{}", load<std::uint8_t>(p)), void();
    case Column::Kind::u16:
      return fmt::format_to(std::back_inserter(line), "{}", load<std::uint16_t>(p)), void();
    case Column::Kind::u32:
      return fmt::format_to(std::back_inserter(line), "{}", load<std::uint32_t>(p)), void();
    case Column::Kind::u64:
      return fmt::format_to(std::back_inserter(line), "{}", load<std::uint64_t>(p)), void();
    case Column::Kind::label: {
      const std::string& label = c.labels[load<std::uint8_t>(p)];
      if (label.empty()) throw InputError(fmt::format("field {} holds a code with no label", c.name));
      return put_text(line, label, sep);
    }
  }
}

// Where the text goes: standard output, or a file published by AtomicOutput when complete.
class TextOutput {
 public:
  explicit TextOutput(const std::optional<fs::path>& path) {
    if (!path) return;
    atomic_ = std::make_unique<AtomicOutput>(*path);
    const int fd =
        ::open(atomic_->temp_path().c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) fail("creating");
    file_ = ::fdopen(fd, "w");
    if (file_ == nullptr) {
      ::close(fd);
      fail("opening");
    }
  }
  ~TextOutput() {
    if (file_ != nullptr && file_ != stdout) std::fclose(file_);
  }
  TextOutput(const TextOutput&) = delete;
  TextOutput& operator=(const TextOutput&) = delete;

  void write(std::string_view text) {
    if (!text.empty() && std::fwrite(text.data(), 1, text.size(), file_) != text.size()) fail("writing");
  }
  void finish() {
    if (std::fflush(file_) != 0) fail("writing");
    if (!atomic_) return;
    FILE* f = std::exchange(file_, nullptr);
    if (std::fclose(f) != 0) fail("closing");
    atomic_->commit();
  }

 private:
  [[noreturn]] void fail(const char* doing) const {
    const std::string target = atomic_ ? atomic_->target().string() : std::string("standard output");
    throw std::runtime_error(fmt::format("{} {}: {}", doing, target, std::strerror(errno)));
  }
  std::unique_ptr<AtomicOutput> atomic_;
  FILE* file_ = stdout;
};

}  // namespace

std::vector<std::string> exportable_tables(const fs::path& run_file) {
  const RunFileReader reader(run_file);
  const auto strategies = reader.strategy_order();
  std::vector<std::string> out;
  if (strategies.empty()) return out;
  const h5::ErrorPrintingOff quiet;
  const auto file = h5::make<h5::File>(H5Fopen(run_file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT),
                                       "opening " + run_file.string());
  const std::string group_path = "/strategies/" + strategies.front();
  const std::string what = fmt::format("listing {}:{}", run_file.string(), group_path);
  const auto group = h5::make<h5::Group>(H5Gopen2(file.get(), group_path.c_str(), H5P_DEFAULT), what);
  H5G_info_t info;
  h5::check(H5Gget_info(group.get(), &info), what);
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const ssize_t size =
        H5Lget_name_by_idx(group.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    std::string name(static_cast<std::size_t>(h5::check(size, what)), '\0');
    h5::check(H5Lget_name_by_idx(group.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(),
                                 name.size() + 1, H5P_DEFAULT),
              what);
    if (reader.has_dataset(group_path + "/" + name)) out.push_back(name);
  }
  return out;
}

std::uint64_t export_table(const ExportRequest& request) {
  const RunFileReader reader(request.run_file);
  const std::string file_name = request.run_file.string();
  if (reader.filetype() != "run")
    throw InputError(fmt::format("{} is a {} file, not a run file", file_name, reader.filetype()));
  const auto strategies = reader.strategy_order();
  for (const auto& s : strategies) {
    if (!reader.has_dataset(layout::strategy_table(s, request.table))) {
      const auto tables = exportable_tables(request.run_file);
      throw InputError(fmt::format("--table: {} has no table '{}' for strategy '{}' (its tables: {})",
                                   file_name, request.table, s,
                                   tables.empty() ? "none" : fmt::format("{}", fmt::join(tables, ", "))));
    }
  }
  if (request.output) {
    const fs::path inputs[] = {request.run_file};
    check_output_path(*request.output, inputs);
  }
  const char sep = request.format == ExportFormat::tsv ? '\t' : ',';
  const h5::ErrorPrintingOff quiet;
  const auto file = h5::make<h5::File>(H5Fopen(request.run_file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT),
                                       "opening " + file_name);

  TextOutput out(request.output);
  std::vector<std::string> header_names;
  std::uint64_t written = 0;
  std::vector<std::byte> rows;
  std::string text;
  for (std::size_t s = 0; s < strategies.size(); ++s) {
    const std::string path = layout::strategy_table(strategies[s], request.table);
    const std::string where = fmt::format("{}:{}", file_name, path);
    const std::string what = "reading " + where;
    const auto dataset = h5::make<h5::Dataset>(H5Dopen2(file.get(), path.c_str(), H5P_DEFAULT), what);
    const auto file_type = h5::make<h5::Datatype>(H5Dget_type(dataset.get()), what);
    if (H5Tget_class(file_type.get()) != H5T_COMPOUND)
      throw InputError(fmt::format("{} is not a table (compound dataset)", where));
    const auto native = h5::make<h5::Datatype>(H5Tget_native_type(file_type.get(), H5T_DIR_ASCEND), what);
    const std::vector<Column> columns = columns_of(native.get(), where);
    std::vector<std::string> names;
    for (const auto& c : columns) names.push_back(c.name);
    if (s == 0) {
      header_names = names;
      text = "strategy";
      for (const auto& n : names) {
        text += sep;
        put_text(text, n, sep);
      }
      text += '\n';
      out.write(text);
    } else if (names != header_names) {
      throw InputError(
          fmt::format("{}: its fields differ from strategy '{}''s, so the strategies cannot share one "
                      "table",
                      where, strategies.front()));
    }
    const std::size_t row_size = H5Tget_size(native.get());
    const auto space = h5::make<h5::Dataspace>(H5Dget_space(dataset.get()), what);
    const auto total = static_cast<hsize_t>(h5::check(H5Sget_simple_extent_npoints(space.get()), what));
    const hsize_t chunk = std::max<std::size_t>(request.chunk_rows, 1);
    for (hsize_t first = 0; first < total; first += chunk) {
      const hsize_t count = std::min(chunk, total - first);
      rows.resize(static_cast<std::size_t>(count) * row_size);
      const auto file_space = h5::make<h5::Dataspace>(H5Scopy(space.get()), what);
      h5::check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, &first, nullptr, &count, nullptr),
                what);
      const auto mem_space = h5::make<h5::Dataspace>(H5Screate_simple(1, &count, nullptr), what);
      try {
        h5::check(
            H5Dread(dataset.get(), native.get(), mem_space.get(), file_space.get(), H5P_DEFAULT, rows.data()),
            what);
      } catch (const h5::H5Error& e) {
        throw InputError(fmt::format("{} is damaged or unreadable: {}", file_name, e.what()));
      }
      text.clear();
      for (hsize_t r = 0; r < count; ++r) {
        put_text(text, strategies[s], sep);
        const std::byte* row = rows.data() + static_cast<std::size_t>(r) * row_size;
        for (const auto& c : columns) {
          text += sep;
          put_cell(text, c, row, sep);
        }
        text += '\n';
      }
      out.write(text);
      written += count;
    }
  }
  out.finish();
  return written;
}

}  // namespace mmsim::io
