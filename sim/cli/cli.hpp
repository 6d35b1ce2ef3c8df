#pragma once
// The `mmsim` command line: subcommands run, check, report, sweep, merge and calibrate (commands.hpp), each
// option parsing plus one call into the library layers.
namespace mmsim::cli {

// Returns the process exit code: 0 success, 2 bad input, 1 any other failure.
int main(int argc, char** argv);

}  // namespace mmsim::cli
