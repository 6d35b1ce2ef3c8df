#pragma once
// Shared helpers for subcommand option parsing (Boost.Program_options).
#include <boost/program_options.hpp>

#include <string>
#include <vector>

namespace mmsim::cli {

namespace po = boost::program_options;

// Parses `args` against `visible` plus hidden positionals; a usage error becomes InputError naming the
// command.
po::variables_map parse_options(const std::string& command, const std::vector<std::string>& args,
                                const po::options_description& visible, const po::options_description& hidden,
                                const po::positional_options_description& positional);

}  // namespace mmsim::cli
