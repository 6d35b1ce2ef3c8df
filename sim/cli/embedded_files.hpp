#pragma once
// Config and parameter files compiled into the binary (see cmake/embed_files.cmake).
#include <string_view>
#include <vector>

namespace mmsim::cli {

struct EmbeddedFile {
  std::string_view path;  // relative to the repository root, e.g. "configs/post_cart_salvage.toml"
  std::string_view text;
};

const std::vector<EmbeddedFile>& embedded_files();

}  // namespace mmsim::cli
