#include "sim/io/output_path.hpp"

#include <fmt/format.h>

#include "sim/core/errors.hpp"
#include "sim/core/file_kind.hpp"

namespace mmsim::io {

namespace fs = std::filesystem;

namespace {

// The nearest existing ancestor of `path` must be a directory, or the writer cannot create the folders.
void check_ancestors(const fs::path& path) {
  for (fs::path p = path.parent_path(); !p.empty(); p = p.parent_path()) {
    const std::string kind = not_a_regular_file(p);
    if (kind == "is a directory") return;
    if (kind != "does not exist") {
      throw InputError(fmt::format("{}: error: cannot write there: {} {}, not a folder", path.string(),
                                   p.string(), kind.empty() ? "is a regular file" : kind));
    }
    if (p == p.parent_path()) return;
  }
}

}  // namespace

void check_output_file(const fs::path& path) {
  const std::string name = path.string();
  if (name.empty()) throw InputError("error: the output file name is empty");
  const std::string leaf = path.filename().string();
  if (leaf.empty() || leaf == "." || leaf == "..") {
    throw InputError(
        fmt::format("{}: error: the output names a folder, not a file: give a file name, e.g. {}{}", name,
                    name, name.back() == '/' ? "run.h5" : "/run.h5"));
  }
  const std::string kind = not_a_regular_file(path);
  if (kind.empty() || kind == "does not exist" || kind == "is a broken symbolic link") {
    check_ancestors(path);
    return;
  }
  if (kind == "is a directory") {
    throw InputError(fmt::format(
        "{}: error: cannot write the output there: it is a directory (give a file name, e.g. {}/run.h5)",
        name, name));
  }
  throw InputError(
      fmt::format("{}: error: cannot write the output there: it {} (outputs are regular files)", name, kind));
}

void check_output_dir(const fs::path& dir, const std::vector<std::string>& files) {
  const std::string kind = not_a_regular_file(dir);
  if (kind != "is a directory" && kind != "does not exist") {
    throw InputError(fmt::format("{}: error: cannot write the output folder there: it {}", dir.string(),
                                 kind.empty() ? "is a regular file" : kind));
  }
  if (kind == "does not exist") check_ancestors(dir);
  for (const auto& f : files) check_output_file(dir / f);
}

}  // namespace mmsim::io
