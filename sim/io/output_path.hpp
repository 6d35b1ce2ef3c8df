#pragma once
// Checks, before any work is done, that a command's outputs can land where the user asked: a simulation that
// ran for an hour must not find only at its end that `-o` named a folder. Each throws mmsim::InputError (exit
// 2) saying what the path is instead.
#include <filesystem>
#include <string>
#include <vector>

namespace mmsim::io {

// Where an output may land (io::check_output_path adds: not a symlink, not one of the run's inputs).
// `path` must name a file: not end in '/', and be absent, a regular file (replaced when the output is
// complete) or a link to one; not a directory, FIFO, device or socket. Its nearest existing ancestor must be
// a directory (missing folders are created by the writer).
void check_output_file(const std::filesystem::path& path);

// `dir` must be a directory or absent (it is created), and each of `files` inside it a valid output path.
void check_output_dir(const std::filesystem::path& dir, const std::vector<std::string>& files = {});

}  // namespace mmsim::io
