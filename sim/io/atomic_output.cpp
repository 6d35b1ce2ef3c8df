#include "sim/io/atomic_output.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <map>
#include <mutex>
#include <system_error>

#include "sim/core/errors.hpp"
#include "sim/io/output_path.hpp"

namespace mmsim::io {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kPrefix = ".mmsim-";

// The process's unfinished outputs, so that an interrupt can remove their temporaries before the process
// ends. Process-wide by nature, like the signal that needs it: the only mutable global of mmsim, guarded by
// its mutex and touched only when an output starts or ends.
class LiveTemporaries {
 public:
  static LiveTemporaries& instance() {
    static LiveTemporaries live;
    return live;
  }
  void add(const fs::path& dir, const fs::path& target) {
    const std::lock_guard lock(mutex_);
    if (closed_) {  // the process is ending: an output started meanwhile must not outlive it
      std::error_code ignored;
      fs::remove_all(dir, ignored);
      return;
    }
    targets_[dir] = target;
  }
  void remove(const fs::path& dir) {
    const std::lock_guard lock(mutex_);
    targets_.erase(dir);
  }
  std::vector<RemovedTemporary> remove_all_now() {
    const std::lock_guard lock(mutex_);
    std::vector<RemovedTemporary> removed;
    for (const auto& [dir, target] : targets_) {
      std::error_code ec;
      fs::remove_all(dir, ec);
      if (!ec) removed.push_back({target, dir});
    }
    targets_.clear();
    closed_ = true;
    return removed;
  }

 private:
  std::mutex mutex_;
  std::map<fs::path, fs::path> targets_;
  bool closed_ = false;
};

std::system_error os_error(int error, const std::string& what) {
  return std::system_error(error, std::generic_category(), what);
}

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "unknown-host";
  std::string host(name);
  for (char& c : host) {
    if (c == '-' || c == '/' || c == '.') c = '_';  // keeps the name's fields separable by '-'
  }
  return host;
}

const char* kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISLNK(mode)) return "a symbolic link";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

void fsync_path(const fs::path& path, int flags, bool must_succeed) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  const bool ok = fd >= 0 && ::fsync(fd) == 0;
  const int error = errno;
  if (fd >= 0) ::close(fd);
  if (!ok && must_succeed) throw os_error(error, fmt::format("flushing {}", path.string()));
}

fs::path parent_of(const fs::path& target) {
  return target.has_parent_path() ? target.parent_path() : fs::path(".");
}

}  // namespace

void check_output_path(const fs::path& target, std::span<const fs::path> inputs) {
  check_output_file(target);  // the shape of the path: a file name, in a folder that can exist
  const std::string text = target.string();
  struct stat st {};
  if (::lstat(target.c_str(), &st) == 0) {
    if (!S_ISREG(st.st_mode)) {
      throw InputError(fmt::format("output {}: is {}; mmsim writes only regular files (or a new name)", text,
                                   kind_of(st.st_mode)));
    }
    for (const fs::path& input : inputs) {
      struct stat in {};
      if (::stat(input.c_str(), &in) == 0 && in.st_dev == st.st_dev && in.st_ino == st.st_ino) {
        throw InputError(fmt::format("output {}: is one of this run's inputs ({}); choose another name", text,
                                     input.string()));
      }
    }
  } else if (errno != ENOENT && errno != ENOTDIR) {
    throw InputError(fmt::format("output {}: {}", text, std::strerror(errno)));
  }
  // The nearest existing ancestor must be a directory, or the folders cannot be created.
  for (fs::path p = parent_of(target); !p.empty(); p = p.parent_path()) {
    struct stat ps {};
    if (::stat(p.c_str(), &ps) == 0) {
      if (!S_ISDIR(ps.st_mode))
        throw InputError(fmt::format("output {}: {} is not a directory", text, p.string()));
      break;
    }
    if (p == p.parent_path()) break;
  }
}

AtomicOutput::AtomicOutput(fs::path target) : target_(std::move(target)) {
  check_output_path(target_);
  const fs::path folder = parent_of(target_);
  fs::create_directories(folder);
  std::string pattern =
      (folder / fmt::format("{}{}-{}-XXXXXX", kPrefix, host_name(), static_cast<long>(::getpid()))).string();
  if (::mkdtemp(pattern.data()) == nullptr)
    throw os_error(errno, fmt::format("creating a temporary folder in {}", folder.string()));
  temp_dir_ = pattern;
  temp_path_ = temp_dir_ / target_.filename();
  LiveTemporaries::instance().add(temp_dir_, target_);
}

AtomicOutput::~AtomicOutput() {
  if (committed_ || temp_dir_.empty()) return;
  std::error_code ignored;
  fs::remove_all(temp_dir_, ignored);
  LiveTemporaries::instance().remove(temp_dir_);
}

void AtomicOutput::write(std::string_view bytes) {
  const int fd = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) throw os_error(errno, fmt::format("creating {}", temp_path_.string()));
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = n < 0 ? errno : ENOSPC;
      ::close(fd);
      throw os_error(error, fmt::format("writing {}", temp_path_.string()));
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) throw os_error(errno, fmt::format("closing {}", temp_path_.string()));
}

void AtomicOutput::commit() {
  if (committed_) throw std::logic_error(fmt::format("{} was already committed", target_.string()));
  fsync_path(temp_path_, O_RDONLY, true);
  check_output_path(target_);  // nothing but a regular file may have appeared there meanwhile
  if (::rename(temp_path_.c_str(), target_.c_str()) != 0)
    throw os_error(errno, fmt::format("renaming {} to {}", temp_path_.string(), target_.string()));
  committed_ = true;
  ::rmdir(temp_dir_.c_str());
  LiveTemporaries::instance().remove(temp_dir_);
  fsync_path(parent_of(target_), O_RDONLY | O_DIRECTORY, false);  // best effort: not every FS allows it
}

void write_text_atomically(const fs::path& target, std::string_view text) {
  AtomicOutput out(target);
  out.write(text);
  out.commit();
}

std::vector<RemovedTemporary> remove_live_temporaries() {
  return LiveTemporaries::instance().remove_all_now();
}

std::vector<fs::path> remove_dead_temporaries(const fs::path& folder) {
  std::vector<fs::path> removed;
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) return removed;
  const std::string mine = fmt::format("{}{}-", kPrefix, host_name());
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(mine, 0) != 0 || !entry.is_directory(ec) || entry.is_symlink(ec)) continue;
    // name = .mmsim-<host>-<pid>-XXXXXX
    const std::string_view rest = std::string_view(name).substr(mine.size());
    long pid = 0;
    const auto [end, err] = std::from_chars(rest.data(), rest.data() + rest.size(), pid);
    if (err != std::errc() || end == rest.data() || *end != '-' || pid <= 0) continue;
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM) continue;  // alive (or not ours to judge)
    fs::remove_all(entry.path(), ec);
    if (!ec) removed.push_back(entry.path());
  }
  return removed;
}

}  // namespace mmsim::io
