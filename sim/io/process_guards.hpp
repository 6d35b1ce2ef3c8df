#pragma once
// What the process sets up once, in main, before any thread starts, so that nothing a run writes outlives a
// failure or an interrupt:
// - SIGINT, SIGTERM and SIGHUP are taken by one watcher thread (sigwait) instead of interrupting whatever
//   thread they land on; the watcher removes every live temporary (AtomicOutput), names the unfinished
//   outputs, and ends the process with 128 + the signal's number, as a shell expects. Nothing a user had is
//   touched: outputs are only ever published by rename.
// - SIGXFSZ is ignored, so a file-size limit (ulimit -f) makes a write fail with EFBIG, which the writers
//   report and clean up after, instead of killing the process with its temporary left behind.
// - HDF5 skips its exit-time cleanup, which crashes (SIGSEGV in H5F__close_cb) on a file whose close failed,
//   as after a disk-full error when the close's own flush fails too. Memory and descriptors go back to the
//   system at exit anyway, and every published file was closed and synced before its rename.

namespace mmsim::io {

void install_process_guards();

}  // namespace mmsim::io
