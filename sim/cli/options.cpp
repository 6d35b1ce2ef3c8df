#include "sim/cli/options.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cmath>
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

std::optional<std::uint64_t> parse_size(const std::string& text) {
  std::size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
  if (i == 0) return std::nullopt;
  double value = 0.0;
  try {
    std::size_t used = 0;
    value = std::stod(text.substr(0, i), &used);
    if (used != i) return std::nullopt;
  } catch (const std::exception&) {
    return std::nullopt;
  }
  std::string unit;
  for (std::size_t j = i; j < text.size(); ++j) {
    if (text[j] != ' ') unit += static_cast<char>(std::toupper(static_cast<unsigned char>(text[j])));
  }
  double scale = 1.0;
  if (!unit.empty() && unit != "B") {
    const std::string prefixes = "KMGT";
    const auto p = prefixes.find(unit[0]);
    const std::string rest = unit.substr(1);
    if (p == std::string::npos || !(rest.empty() || rest == "B" || rest == "IB")) return std::nullopt;
    scale = std::pow(1024.0, static_cast<double>(p + 1));
  }
  const double bytes = value * scale;
  if (!std::isfinite(bytes) || bytes < 1.0 || bytes > 1.8e19) return std::nullopt;
  return static_cast<std::uint64_t>(bytes);
}

std::optional<std::uint64_t> size_option(const po::variables_map& vm, const std::string& command,
                                         const std::string& name) {
  if (!vm.count(name)) return std::nullopt;
  const std::string text = vm[name].as<std::string>();
  const auto v = parse_size(text);
  if (!v) {
    throw InputError(
        fmt::format("mmsim {}: --{} '{}' is not a size (e.g. 512M, 2G, 1.5GiB)", command, name, text));
  }
  return v;
}

}  // namespace mmsim::cli
