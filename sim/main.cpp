#include "sim/cli/cli.hpp"
#include "sim/io/process_guards.hpp"

int main(int argc, char** argv) {
  mmsim::io::install_process_guards();
  return mmsim::cli::main(argc, argv);
}
