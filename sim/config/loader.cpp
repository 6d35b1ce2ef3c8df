#include "sim/config/loader.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "sim/config/diagnostics.hpp"
#include "sim/core/errors.hpp"

namespace mmsim::config {
namespace {

class IncludeResolver {
 public:
  IncludeResolver(const FileReader& reader, Diagnostics& diag) : reader_(reader), diag_(diag) {}

  // Parses `text` (the content of `path`) and returns it with its includes merged underneath.
  std::optional<toml::table> resolve(const std::string& text, const std::filesystem::path& path) {
    const std::string key = path.lexically_normal().string();
    toml::table parsed;
    try {
      parsed = toml::parse(text, key);
    } catch (const toml::parse_error& e) {
      diag_.error(e.source(), "", fmt::format("TOML syntax error: {}", e.description()));
      return std::nullopt;
    }
    chain_.push_back(key);
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
    return merged;
  }

 private:
  void include_one(const toml::node& node, std::size_t i, const std::filesystem::path& from,
                   toml::table& merged) {
    const std::string key_path = fmt::format("include[{}]", i);
    const auto* s = node.as_string();
    if (s == nullptr) {
      diag_.error(node.source(), key_path, "expected a file path string");
      return;
    }
    const std::filesystem::path target =
        (from.parent_path() / std::filesystem::path(s->get())).lexically_normal();
    for (const auto& open : chain_) {
      if (open == target.string()) {
        diag_.error(node.source(), key_path,
                    fmt::format("include cycle: {} -> {}", fmt::join(chain_, " -> "), target.string()));
        return;
      }
    }
    const std::optional<std::string> text = reader_(target);
    if (!text) {
      diag_.error(node.source(), key_path, fmt::format("included file not found: {}", target.string()));
      return;
    }
    if (auto sub = resolve(*text, target)) merge_into(merged, std::move(*sub));
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
  std::vector<std::string> chain_;
};

}  // namespace

std::optional<std::string> read_file_text(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string ConfigDocument::resolved_text() const {
  std::ostringstream ss;
  ss << toml::toml_formatter(root, toml::toml_formatter::default_flags & ~toml::format_flags::indentation);
  return ss.str();
}

ConfigDocument load_config_text(const std::string& text, const std::filesystem::path& path,
                                const FileReader& reader) {
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
  return ConfigDocument{std::move(*root), path.string()};
}

ConfigDocument load_config(const std::filesystem::path& path, const FileReader& reader) {
  const std::optional<std::string> text = reader(path);
  if (!text) throw InputError(fmt::format("{}: error: config file not found or not readable", path.string()));
  return load_config_text(*text, path, reader);
}

}  // namespace mmsim::config
