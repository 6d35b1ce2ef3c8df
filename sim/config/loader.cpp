#include "sim/config/loader.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <vector>

#include "sim/config/diagnostics.hpp"
#include "sim/config/table_reader.hpp"
#include "sim/core/errors.hpp"
#include "sim/core/file_kind.hpp"

namespace mmsim::config {
namespace {

namespace fs = std::filesystem;

// A path as text a terminal shows whole: control characters (a NUL would end the message) written as escapes.
std::string printable(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u == 0) {
      out += "\\0";
    } else if (u < 0x20 || u == 0x7f) {
      out += fmt::format("\\x{:02x}", u);
    } else {
      out += c;
    }
  }
  return out;
}

// The file a path names, for cycle detection: two spellings of one file (through `..`, a symbolic link to a
// folder) are the same file. Paths that do not exist on disk (the embedded default's) compare lexically.
std::string identity(const fs::path& path) {
  std::error_code ec;
  const fs::path canonical = fs::weakly_canonical(path, ec);
  return ec ? path.lexically_normal().string() : canonical.string();
}

// Why `reader` gave nothing for `path`, as the end of a sentence starting with the path.
std::string why_unreadable(const fs::path& path) {
  std::string kind = not_a_regular_file(path);
  if (!kind.empty()) return kind;
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (!ec && size > kMaxConfigBytes) {
    return fmt::format("is larger than {} MiB, too large for a config file", kMaxConfigBytes >> 20);
  }
  return "cannot be read";
}

// The models/ folder of the source tree this binary was built from (CMake defines it for this file only).
#ifndef MMSIM_SHIPPED_MODELS_DIR
#define MMSIM_SHIPPED_MODELS_DIR ""
#endif

// A shipped name: folders and a file stem of letters, digits, `_` and `-`, separated by single slashes.
bool valid_shipped_name(std::string_view name) {
  if (name.empty() || name.front() == '/' || name.back() == '/') return false;
  char previous = '/';
  for (const char c : name) {
    const bool word =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!word && !(c == '/' && previous != '/')) return false;
    previous = c;
  }
  return true;
}

// The names a folder of shipped models offers: <model>/<stem> for every <model>/<stem>.toml.
std::vector<std::string> shipped_names(const fs::path& folder) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& model : fs::directory_iterator(folder, ec)) {
    if (!model.is_directory(ec)) continue;
    for (const auto& f : fs::directory_iterator(model.path(), ec)) {
      if (f.is_regular_file(ec) && f.path().extension() == ".toml")
        names.push_back(model.path().filename().string() + "/" + f.path().stem().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

struct OpenFile {
  std::string display;   // as written (lexically normal), for messages
  std::string identity;  // canonical, for cycle detection
};

class IncludeResolver {
 public:
  IncludeResolver(const FileReader& reader, Diagnostics& diag) : reader_(reader), diag_(diag) {}

  // Every file read so far (the top file first), and the warnings about them.
  std::vector<std::string> take_files() { return std::move(files_); }
  std::vector<std::string> take_warnings() { return std::move(warnings_); }

  // Parses `text` (the content of `path`) and returns it with its includes merged underneath.
  std::optional<toml::table> resolve(const std::string& text, const fs::path& path) {
    const std::string key = path.lexically_normal().string();
    toml::table parsed;
    try {
      parsed = toml::parse(text, key);
    } catch (const toml::parse_error& e) {
      diag_.error(e.source(), "", fmt::format("TOML syntax error: {}", e.description()));
      return std::nullopt;
    }
    check_schema_version(parsed);
    files_.push_back(key);
    chain_.push_back(OpenFile{key, identity(path)});
    toml::table merged;
    if (const toml::node* inc = parsed.get("include")) {
      const auto* arr = inc->as_array();
      if (arr == nullptr) {
        diag_.error(inc->source(), "include", "expected an array of relative file paths");
      } else {
        for (std::size_t i = 0; i < arr->size(); ++i) include_one((*arr)[i], i, path, merged);
      }
      parsed.erase("include");
    }
    chain_.pop_back();
    merge_into(merged, std::move(parsed));
    // Hand the merged values back in the parsed table, which keeps this file's name and position: errors
    // about the top level (a missing key) then name the file instead of "<config>".
    parsed.clear();
    for (auto&& [k, v] : merged) parsed.insert_or_assign(k, std::move(v));
    return parsed;
  }

 private:
  // The top file may leave schema_version out (scenarios do); an included parameter file must write it.
  void check_schema_version(const toml::table& file) {
    const toml::node* n = file.get("schema_version");
    if (n == nullptr) {
      if (!chain_.empty()) {
        diag_.error(file.source(), "schema_version",
                    fmt::format("missing: an included file must declare schema_version = {} (the config "
                                "format version it is written for)",
                                kConfigSchemaVersion));
      }
      return;
    }
    const auto* i = n->as_integer();
    if (i != nullptr && i->get() == kConfigSchemaVersion) return;
    const std::string found = i != nullptr ? fmt::format("{}", i->get()) : std::string(toml_type_name(*n));
    diag_.error(
        n->source(), "schema_version",
        fmt::format("must be the integer {} (the only config format version this mmsim reads), found {}",
                    kConfigSchemaVersion, found));
  }

  void include_one(const toml::node& node, std::size_t i, const fs::path& from, toml::table& merged) {
    const std::string key_path = fmt::format("include[{}]", i);
    const auto* s = node.as_string();
    if (s == nullptr) {
      diag_.error(node.source(), key_path, "expected a file path string");
      return;
    }
    const std::string& written = s->get();
    if (written.find('\0') != std::string::npos) {
      diag_.error(node.source(), key_path,
                  fmt::format("the path \"{}\" contains a NUL character", printable(written)));
      return;
    }
    if (written.empty()) {
      diag_.error(node.source(), key_path, "empty file path");
      return;
    }
    fs::path target;
    if (written.rfind(kShippedPrefix, 0) == 0) {
      const std::optional<fs::path> shipped = shipped_file(node, key_path, written);
      if (!shipped) return;
      target = *shipped;
    } else {
      target = (from.parent_path() / fs::path(written)).lexically_normal();
    }
    const std::string shown = printable(target.string());
    const std::string id = identity(target);
    for (const auto& open : chain_) {
      if (open.identity == id) {
        std::vector<std::string> names;
        for (const auto& f : chain_) names.push_back(printable(f.display));
        diag_.error(node.source(), key_path,
                    fmt::format("include cycle: {} -> {}", fmt::join(names, " -> "), shown));
        return;
      }
    }
    if (chain_.size() > kMaxIncludeDepth) {
      diag_.error(
          node.source(), key_path,
          fmt::format("includes nested more than {} deep (the limit) at {}", kMaxIncludeDepth, shown));
      return;
    }
    if (++included_ > kMaxIncludedFiles) {
      if (included_ == kMaxIncludedFiles + 1) {
        diag_.error(node.source(), key_path,
                    fmt::format("more than {} files included in all (the limit; a file included twice counts "
                                "twice) at {}",
                                kMaxIncludedFiles, shown));
      }
      return;
    }
    const std::optional<std::string> text = reader_(target);
    if (!text) {
      const std::string why = why_unreadable(target);
      diag_.error(node.source(), key_path,
                  why == "does not exist" ? fmt::format("included file not found: {}", shown)
                                          : fmt::format("{} is not a config file: it {}", shown, why));
      return;
    }
    if (auto sub = resolve(*text, target)) merge_into(merged, std::move(*sub));
  }

  // Where `mmsim:<name>` is: on disk (MMSIM_MODELS_DIR, else the source tree), else compiled in.
  std::optional<fs::path> shipped_file(const toml::node& node, const std::string& key_path,
                                       const std::string& written) {
    const std::string name = written.substr(std::string_view(kShippedPrefix).size());
    if (!valid_shipped_name(name)) {
      diag_.error(node.source(), key_path,
                  fmt::format("\"{}\" is not a shipped file name: expected {}<model>/<name>, e.g. "
                              "\"mmsim:myeloma/default\"",
                              printable(written), kShippedPrefix));
      return std::nullopt;
    }
    const ShippedModels models = shipped_models_folder();
    const fs::path disk = models.folder / (name + ".toml");
    std::error_code ec;
    if (!models.folder.empty() && fs::is_regular_file(disk, ec)) return disk;
    const fs::path embedded = fs::path(kEmbeddedRoot) / "models" / (name + ".toml");
    if (reader_(embedded)) {
      warnings_.push_back(fmt::format(
          "{}:{}:{}: warning: {}: the shipped model files are not at {}{}: using the copy compiled into "
          "this binary, which holds the parameters as they were when it was built (set MMSIM_MODELS_DIR to "
          "a models/ folder to use current ones)",
          source_file(node.source()), node.source().begin.line, node.source().begin.column, written,
          printable(disk.string()), models.from_environment ? " (MMSIM_MODELS_DIR)" : ""));
      return embedded;
    }
    const std::vector<std::string> offered = shipped_names(models.folder);
    diag_.error(
        node.source(), key_path,
        fmt::format(
            "no shipped file {}: {} does not exist{} and none is compiled in{}", printable(written),
            printable(disk.string()), models.from_environment ? " (MMSIM_MODELS_DIR)" : "",
            offered.empty() ? std::string() : fmt::format("; shipped: {}", fmt::join(offered, ", "))));
    return std::nullopt;
  }

  static void merge_into(toml::table& base, toml::table&& top) {
    for (auto&& [k, v] : top) {
      toml::node* existing = base.get(k.str());
      if (existing != nullptr && existing->is_table() && v.is_table()) {
        merge_into(*existing->as_table(), std::move(*v.as_table()));
      } else {
        base.insert_or_assign(k, std::move(v));
      }
    }
  }

  const FileReader& reader_;
  Diagnostics& diag_;
  std::vector<OpenFile> chain_;
  std::size_t included_ = 0;
  std::vector<std::string> files_;
  std::vector<std::string> warnings_;
};

// Closes a file descriptor on every path out.
class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

std::optional<std::string> read_file_text(const fs::path& path) {
  // O_NONBLOCK: opening a FIFO with no writer, or a tty, must not hang; fstat then refuses it.
  const Descriptor fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0) return std::nullopt;
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  if (static_cast<std::uintmax_t>(st.st_size) > kMaxConfigBytes) return std::nullopt;
  std::string text;
  char buffer[65536];
  for (;;) {
    const ssize_t got = ::read(fd.get(), buffer, sizeof buffer);
    if (got < 0) return std::nullopt;
    if (got == 0) break;
    text.append(buffer, static_cast<std::size_t>(got));
    if (text.size() > kMaxConfigBytes) return std::nullopt;  // grew while being read
  }
  return text;
}

std::string ConfigDocument::resolved_text() const {
  std::ostringstream ss;
  ss << toml::toml_formatter(root, toml::toml_formatter::default_flags & ~toml::format_flags::indentation);
  return ss.str();
}

ConfigDocument load_config_text(const std::string& text, const fs::path& path, const FileReader& reader) {
  Diagnostics diag;
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    diag.error(path.string(), "", "the config file is empty");
    diag.throw_if_errors();
  }
  IncludeResolver resolver(reader, diag);
  std::optional<toml::table> root = resolver.resolve(text, path);
  diag.throw_if_errors();
  if (root->empty()) {
    diag.error(path.string(), "", "the config file is empty (it sets nothing)");
    diag.throw_if_errors();
  }
  return ConfigDocument{std::move(*root), path.string(), resolver.take_files(), resolver.take_warnings()};
}

ShippedModels shipped_models_folder() {
  // Read at each load, not cached: a test (or a user) may point it elsewhere between runs.
  if (const char* env = std::getenv("MMSIM_MODELS_DIR"); env != nullptr && *env != '\0')
    return ShippedModels{fs::path(env), true};
  return ShippedModels{fs::path(MMSIM_SHIPPED_MODELS_DIR), false};
}

ConfigDocument load_config(const fs::path& path, const FileReader& reader) {
  const std::optional<std::string> text = reader(path);
  if (!text) {
    const std::string why = why_unreadable(path);
    throw InputError(why == "does not exist"
                         ? fmt::format("{}: error: config file not found", printable(path.string()))
                         : fmt::format("{}: error: not a config file: it {}", printable(path.string()), why));
  }
  return load_config_text(*text, path, reader);
}

}  // namespace mmsim::config
