#include "sim/cli/cli.hpp"

int main(int argc, char** argv) {
  return mmsim::cli::main(argc, argv);
}
