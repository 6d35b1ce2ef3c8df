#pragma once
// The `mmsim` command line: subcommands run, check (and later report, sweep, merge, calibrate).
namespace mmsim::cli {

// Returns the process exit code: 0 success, 2 bad input, 1 any other failure.
int main(int argc, char** argv);

}  // namespace mmsim::cli
