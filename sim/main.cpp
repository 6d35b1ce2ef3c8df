#include <csignal>

#include "sim/cli/cli.hpp"
#include "sim/io/h5_handle.hpp"
#include "sim/io/interrupt_cleanup.hpp"

int main(int argc, char** argv) {
  mmsim::io::h5::skip_exit_cleanup();
  // A file-size limit (ulimit -f) makes a write fail with EFBIG, which the writers report and clean up after,
  // instead of killing the process with SIGXFSZ and leaving its temporary behind.
  (void)std::signal(SIGXFSZ, SIG_IGN);
  mmsim::io::remove_temporaries_on_interrupt();
  return mmsim::cli::main(argc, argv);
}
