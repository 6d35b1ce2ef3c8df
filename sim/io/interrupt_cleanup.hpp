#pragma once
// SIGINT, SIGTERM and SIGHUP end mmsim without leaving an unfinished output behind: the signals are taken by
// one watcher thread (sigwait) instead of interrupting whatever thread they land on, and the watcher removes
// every live temporary (AtomicOutput), says what it removed, and ends the process with 128 + the signal's
// number, as a shell expects. Nothing a user had is touched: outputs are only ever published by rename.

namespace mmsim::io {

// Call once in main before any thread starts: the signals are blocked in this thread and so in every thread
// created after it, and the watcher is started.
void remove_temporaries_on_interrupt();

}  // namespace mmsim::io
