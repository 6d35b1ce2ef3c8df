#pragma once
// Loads a TOML config with its includes into one resolved table.
//
// A config may list other files under a top-level `include = ["relative/path.toml", ...]`; paths are relative
// to the including file. Included files are merged first, in order, then the including file on top (tables
// merge key by key; any other value replaces). Every node keeps the file and line it came from, so errors
// point at the right file. A missing include and an include cycle are input errors naming the chain.
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include <toml++/toml.h>

namespace mmsim::config {

struct ConfigDocument {
  toml::table root;                   // the resolved config, includes merged, `include` keys removed
  std::string main_file;              // the top file's name as the user gave it (for messages)
  std::string resolved_text() const;  // the resolved config as TOML text (stored in every output file)
};

// Reads a file's text, or nothing when it does not exist. The default reads the file system; the CLI's
// embedded default scenario supplies its own.
using FileReader = std::function<std::optional<std::string>(const std::filesystem::path&)>;
std::optional<std::string> read_file_text(const std::filesystem::path& path);

// Throws mmsim::InputError with every problem found (syntax errors with file:line:column, missing includes,
// cycles, an empty file).
ConfigDocument load_config(const std::filesystem::path& path, const FileReader& reader = read_file_text);

// Parses `text` as if it were the file `path` (for tests and the embedded default).
ConfigDocument load_config_text(const std::string& text, const std::filesystem::path& path,
                                const FileReader& reader = read_file_text);

}  // namespace mmsim::config
