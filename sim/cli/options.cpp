#include "sim/cli/options.hpp"

#include <fmt/format.h>

#include "sim/core/errors.hpp"

namespace mmsim::cli {

po::variables_map parse_options(const std::string& command, const std::vector<std::string>& args,
                                const po::options_description& visible, const po::options_description& hidden,
                                const po::positional_options_description& positional) {
  po::options_description all;
  all.add(visible).add(hidden);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw InputError(fmt::format("mmsim {}: {} (see 'mmsim {} --help')", command, e.what(), command));
  }
  return vm;
}

}  // namespace mmsim::cli
