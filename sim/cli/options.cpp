#include "sim/cli/options.hpp"

#include <fmt/format.h>

#include <iostream>

#include "sim/core/errors.hpp"

namespace mmsim::cli {

std::optional<po::variables_map> parse_command(const std::string& command,
                                               const std::vector<std::string>& args,
                                               const po::options_description& visible,
                                               Positional positional) {
  po::options_description hidden;
  hidden.add_options()(positional.name, po::value<std::string>(), positional.help);
  po::positional_options_description pos;
  pos.add(positional.name, 1);
  po::options_description all;
  all.add(visible).add(hidden);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw InputError(fmt::format("mmsim {}: {} (see 'mmsim {} --help')", command, e.what(), command));
  }
  if (vm.count("help")) {
    std::cout << visible << "\n";
    return std::nullopt;
  }
  return vm;
}

po::typed_value<std::int64_t>* integer_value() {
  return po::value<std::int64_t>();
}

std::optional<std::int64_t> integer_option(const po::variables_map& vm, const std::string& command,
                                           const std::string& name, std::int64_t lo, std::int64_t hi) {
  if (!vm.count(name)) return std::nullopt;
  const std::int64_t v = vm[name].as<std::int64_t>();
  if (v < lo || v > hi) {
    throw InputError(fmt::format("mmsim {}: --{} must be {}..{} (got {})", command, name, lo, hi, v));
  }
  return v;
}

}  // namespace mmsim::cli
