#pragma once
// The one way mmsim publishes a file: every output (run files, sweep shards and tables, merged results,
// calibration outputs and state) is written under a temporary name that nobody can predict or plant, and
// renamed over its final name only when it is complete and on stable storage. A failed, interrupted or
// refused run therefore never damages what a user already has under that name.
//
// The temporary lives in a private directory (mkdtemp, mode 0700) beside the target, so a symlink or file
// planted at a guessable name cannot redirect the write, and the rename stays within one file system. The
// directory's name records the host and process that own it, `.mmsim-<host>-<pid>-XXXXXX`, so temporaries
// of a process that died (SIGKILL, power loss) can be told from live ones and removed later.
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mmsim::io {

// What an output path may be: absent, or a regular file (not a symlink to one) that is none of `inputs`
// (compared by device and inode, so another spelling of an input is caught too). A directory, a path ending
// in '/', a device, a FIFO, a socket or a symlink is refused with InputError naming the path, so a command
// can check its outputs before any work starts. A missing parent folder is allowed (it is created on write)
// unless something that is not a directory stands in its way.
void check_output_path(const std::filesystem::path& target,
                       std::span<const std::filesystem::path> inputs = {});

class AtomicOutput {
 public:
  // Checks `target` (check_output_path without inputs), creates its parent folders and the private
  // temporary directory. The file itself is created by the caller at temp_path() (an HDF5 writer creates it
  // with H5F_ACC_EXCL) or by write().
  explicit AtomicOutput(std::filesystem::path target);
  // Removes the temporary (file and directory) unless committed.
  ~AtomicOutput();
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;

  const std::filesystem::path& target() const { return target_; }
  const std::filesystem::path& temp_path() const { return temp_path_; }

  // Writes `bytes` as the whole file (created exclusively, not following links), every write checked.
  void write(std::string_view bytes);
  // Flushes the finished temporary to stable storage, checks the target is still absent or a regular file,
  // renames the temporary over it, removes the private directory and flushes the folder. Throws (naming the
  // path and the system's reason) on any failure, leaving the target as it was.
  void commit();
  bool committed() const { return committed_; }

 private:
  std::filesystem::path target_;
  std::filesystem::path temp_dir_;
  std::filesystem::path temp_path_;
  bool committed_ = false;
};

// AtomicOutput(target).write(text) and commit().
void write_text_atomically(const std::filesystem::path& target, std::string_view text);

// An unfinished output whose temporary was removed by remove_live_temporaries().
struct RemovedTemporary {
  std::filesystem::path target, temporary;
};

// Removes the temporaries of every AtomicOutput of this process that is neither committed nor destroyed, and
// says which. For the interrupt handler (interrupt_cleanup.hpp), which then ends the process; the outputs'
// owners must not go on writing.
std::vector<RemovedTemporary> remove_live_temporaries();

// Removes, in `folder`, the temporaries of processes on this host that are no longer alive, and returns what
// it removed. Temporaries of live processes and of other hosts (a shared cluster file system) are never
// touched.
std::vector<std::filesystem::path> remove_dead_temporaries(const std::filesystem::path& folder);

}  // namespace mmsim::io
