#pragma once
// Temporary files for statistics that do not fit the memory budget (docs/statistics.md, "Memory budget").
//
// A SpillFolder is a private folder (mkdtemp, mode 0700) made through AtomicOutput, so it follows the
// project's temporary-file discipline: nobody can predict or plant its name, it is removed when the folder
// object is destroyed, and the interrupt watcher (process_guards.hpp) removes it on SIGINT/SIGTERM/SIGHUP.
// Its files are never published. A SpillFile is an append-only binary file in such a folder, read back by
// offset; every write and read is checked and a failure names the file and the system's reason.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace mmsim::io {

class AtomicOutput;

class SpillFolder {
 public:
  // Creates the private folder inside `parent` (created if missing).
  explicit SpillFolder(const std::filesystem::path& parent);
  ~SpillFolder();
  SpillFolder(const SpillFolder&) = delete;
  SpillFolder& operator=(const SpillFolder&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // A fresh file name in the folder, unique within it.
  std::filesystem::path new_file(const std::string& stem);

 private:
  std::unique_ptr<AtomicOutput> owner_;  // its private temporary directory is the folder
  std::filesystem::path path_;
  std::uint64_t next_ = 0;
};

class SpillFile {
 public:
  // Creates `path` exclusively (O_EXCL | O_NOFOLLOW).
  explicit SpillFile(std::filesystem::path path);
  ~SpillFile();  // closes and removes the file
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;

  void append(const void* bytes, std::size_t n);
  template <class T>
  void append(std::span<const T> values) {
    append(values.data(), values.size_bytes());
  }
  // Reads n bytes at `offset` (which must lie within what was appended).
  void read(std::uint64_t offset, void* bytes, std::size_t n) const;
  std::uint64_t size() const { return size_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

}  // namespace mmsim::io
