#include "sim/core/file_kind.hpp"

#include <system_error>

namespace mmsim {

namespace fs = std::filesystem;

std::string not_a_regular_file(const fs::path& path) {
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  // ENOTDIR: a component of the path is a file, so nothing can be at the path.
  if (ec && ec != std::errc::no_such_file_or_directory && ec != std::errc::not_a_directory) {
    return "cannot be examined: " + ec.message();
  }
  switch (st.type()) {
    case fs::file_type::regular:
      return "";
    case fs::file_type::directory:
      return "is a directory";
    case fs::file_type::fifo:
      return "is a FIFO (named pipe)";
    case fs::file_type::character:
      return "is a character device";
    case fs::file_type::block:
      return "is a block device";
    case fs::file_type::socket:
      return "is a socket";
    case fs::file_type::not_found: {
      std::error_code lec;
      return fs::is_symlink(fs::symlink_status(path, lec)) ? "is a broken symbolic link" : "does not exist";
    }
    default:
      return "is not a regular file";
  }
}

}  // namespace mmsim
