#include "sim/io/spill_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include "sim/io/atomic_output.hpp"

namespace mmsim::io {
namespace {

std::runtime_error os_failure(int error, const std::string& what) {
  return std::runtime_error(fmt::format("{}: {}", what, std::strerror(error)));
}

}  // namespace

SpillFolder::SpillFolder(const std::filesystem::path& parent)
    : owner_(std::make_unique<AtomicOutput>(parent / "mmsim-spill")),
      path_(owner_->temp_path().parent_path()) {}

SpillFolder::~SpillFolder() = default;

std::filesystem::path SpillFolder::new_file(const std::string& stem) {
  return path_ / fmt::format("{}-{}.bin", stem, next_++);
}

SpillFile::SpillFile(std::filesystem::path path) : path_(std::move(path)) {
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd_ < 0) throw os_failure(errno, fmt::format("creating spill file {}", path_.string()));
}

SpillFile::~SpillFile() {
  if (fd_ >= 0) ::close(fd_);
  std::error_code ignored;
  std::filesystem::remove(path_, ignored);
}

void SpillFile::append(const void* bytes, std::size_t n) {
  const auto* p = static_cast<const char*>(bytes);
  std::size_t done = 0;
  while (done < n) {
    const ssize_t w = ::pwrite(fd_, p + done, n - done, static_cast<off_t>(size_ + done));
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      throw os_failure(w < 0 ? errno : ENOSPC,
                       fmt::format("writing spill file {} (the statistics' temporary columns; see --memory)",
                                   path_.string()));
    }
    done += static_cast<std::size_t>(w);
  }
  size_ += n;
}

void SpillFile::read(std::uint64_t offset, void* bytes, std::size_t n) const {
  if (offset + n > size_) throw std::logic_error(fmt::format("read past the end of {}", path_.string()));
  auto* p = static_cast<char*>(bytes);
  std::size_t done = 0;
  while (done < n) {
    const ssize_t r = ::pread(fd_, p + done, n - done, static_cast<off_t>(offset + done));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) throw os_failure(r < 0 ? errno : EIO, fmt::format("reading spill file {}", path_.string()));
    done += static_cast<std::size_t>(r);
  }
}

}  // namespace mmsim::io
