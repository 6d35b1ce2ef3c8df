#pragma once
// Loads a TOML config with its includes into one resolved table.
//
// A config may list other files under a top-level `include = ["relative/path.toml", ...]`; paths are relative
// to the including file. Included files are merged first, in order, then the including file on top (tables
// merge key by key; any other value replaces). Every node keeps the file and line it came from, so errors
// point at the right file. A missing include, an include cycle (files compared by canonical path, so a
// symbolic link back to a folder is caught), nesting deeper than kMaxIncludeDepth, more than
// kMaxIncludedFiles includes in all, and anything but a regular file (directory, FIFO, device) are input
// errors naming the file.
//
// A location-independent include, `include = ["mmsim:<name>"]` (e.g. "mmsim:myeloma/default"), names a file
// shipped with mmsim, <models>/<name>.toml, so a scenario copied anywhere still finds the model's current
// parameter files (the ones a later `mmsim calibrate` rewrites, never a copy frozen at build time). <models>
// is the folder named by the environment variable MMSIM_MODELS_DIR when it is set, else the source tree's
// models/ folder this binary was built from (compiled in). When <models>/<name>.toml does not exist there,
// the copy compiled into the binary is read through the FileReader under kEmbeddedRoot/models (the CLI's
// reader serves it), with a warning that it holds the parameters as they were at build time.
//
// `schema_version` is the config format's version and is checked in every file on its own (a later file
// must not hide a wrong one): where written it must be the integer kConfigSchemaVersion, and every included
// file (a parameter file) must write it.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <toml++/toml.h>

namespace mmsim::config {

inline constexpr std::int64_t kConfigSchemaVersion = 1;
// Limits that no hand-written layout comes near, but that stop a file including itself through a link, or a
// diamond of files each including the next twice, from expanding without end.
inline constexpr std::size_t kMaxIncludeDepth = 16;
inline constexpr std::size_t kMaxIncludedFiles = 256;
inline constexpr std::size_t kMaxConfigBytes = std::size_t{16} << 20;

// The folder that stands for the files compiled into the binary (the CLI's FileReader serves it).
inline constexpr const char* kEmbeddedRoot = "<embedded>";
inline constexpr const char* kShippedPrefix = "mmsim:";

struct ConfigDocument {
  toml::table root;                   // the resolved config, includes merged, `include` keys removed
  std::string main_file;              // the top file's name as the user gave it (for messages)
  std::vector<std::string> files;     // every file read, the top file first, then includes in order
  std::vector<std::string> warnings;  // "file:line:column: warning: ..." (e.g. the embedded copy used)
  std::string resolved_text() const;  // the resolved config as TOML text (stored in every output file)
};

// The folder `mmsim:<name>` includes are looked for in, and whether it was named by MMSIM_MODELS_DIR.
struct ShippedModels {
  std::filesystem::path folder;
  bool from_environment = false;
};
ShippedModels shipped_models_folder();

// Reads a file's text, or nothing when it is not a readable regular file of at most kMaxConfigBytes. The
// default reads the file system (never blocking on a FIFO or a device); the CLI's embedded default scenario
// supplies its own.
using FileReader = std::function<std::optional<std::string>(const std::filesystem::path&)>;
std::optional<std::string> read_file_text(const std::filesystem::path& path);

// Throws mmsim::InputError with every problem found (syntax errors with file:line:column, missing includes,
// cycles, limits, an empty file).
ConfigDocument load_config(const std::filesystem::path& path, const FileReader& reader = read_file_text);

// Parses `text` as if it were the file `path` (for tests and the embedded default).
ConfigDocument load_config_text(const std::string& text, const std::filesystem::path& path,
                                const FileReader& reader = read_file_text);

}  // namespace mmsim::config
