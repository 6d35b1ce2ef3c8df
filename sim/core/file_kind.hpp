#pragma once
// What a path names, in words, for the messages of readers and writers that accept only regular files: "is a
// directory" or "is a FIFO (named pipe)" tells the user what went wrong, where "no such file" misleads.
#include <filesystem>
#include <string>

namespace mmsim {

// Empty when `path` names a regular file (through symbolic links); otherwise what it is instead, as the end
// of a sentence starting with the path: "does not exist", "is a directory", "is a FIFO (named pipe)", "is a
// character device", "is a block device", "is a socket", "is a broken symbolic link", or why it could not be
// examined ("cannot be examined: Permission denied").
std::string not_a_regular_file(const std::filesystem::path& path);

}  // namespace mmsim
