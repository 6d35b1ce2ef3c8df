#include "sim/io/process_guards.hpp"

#include <fmt/format.h>
#include <pthread.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <thread>

#include "sim/io/atomic_output.hpp"
#include "sim/io/h5_handle.hpp"

namespace mmsim::io {

namespace {

sigset_t interrupt_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  return set;
}

void watch(sigset_t set) {
  int signal = 0;
  if (sigwait(&set, &signal) != 0) return;
  const auto removed = remove_live_temporaries();
  for (const RemovedTemporary& r : removed) {
    fmt::print(stderr, "mmsim: interrupted: removed the unfinished {} (temporary {})\n", r.target.string(),
               r.temporary.string());
  }
  const char* name = sigabbrev_np(signal);
  fmt::print(stderr, "mmsim: stopped by SIG{}\n", name != nullptr ? name : "?");
  std::fflush(stderr);
  ::_exit(128 + signal);  // no destructors: other threads may be mid-write into what was just removed
}

}  // namespace

void install_process_guards() {
  h5::skip_exit_cleanup();
  (void)std::signal(SIGXFSZ, SIG_IGN);
  const sigset_t set = interrupt_signals();
  if (pthread_sigmask(SIG_BLOCK, &set, nullptr) != 0) return;
  std::thread(watch, set).detach();
}

}  // namespace mmsim::io
