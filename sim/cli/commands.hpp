#pragma once
// One function per subcommand; each parses its own options and returns an exit code or throws
// (InputError -> 2, anything else -> 1, mapped in cli.cpp).
#include <string>
#include <vector>

namespace mmsim::cli {

int run_command(const std::vector<std::string>& args);
int check_command(const std::vector<std::string>& args);
int report_command(const std::vector<std::string>& args);
int sweep_command(const std::vector<std::string>& args);
int merge_command(const std::vector<std::string>& args);
int calibrate_command(const std::vector<std::string>& args);
int export_command(const std::vector<std::string>& args);
int voi_command(const std::vector<std::string>& args);
int therapies_command(const std::vector<std::string>& args);

}  // namespace mmsim::cli
