#pragma once
// Shared helpers for subcommand option parsing (Boost.Program_options): the preamble every command shares
// (one hidden positional, usage errors as InputError, --help), and integer options that are parsed as
// signed and range-checked like their config twins, so "--patients -5" is an error rather than 2^64 - 5.
#include <boost/program_options.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mmsim::cli {

namespace po = boost::program_options;

// The one positional argument a command takes, e.g. {"config", "scenario config"}.
struct Positional {
  const char* name;
  const char* help;
};

// Parses `args` against `visible` plus the hidden positional. A usage error becomes InputError naming the
// command; `--help` prints `visible` to stdout and returns nullopt (the command then exits 0).
std::optional<po::variables_map> parse_command(const std::string& command,
                                               const std::vector<std::string>& args,
                                               const po::options_description& visible, Positional positional);

// Worker threads a command may ask for (0: all cores).
inline constexpr std::int64_t kMaxThreads = 4096;

// The value semantic of an integer option: read as a signed 64-bit number whatever its range.
po::typed_value<std::int64_t>* integer_value();

// A size in bytes as a user writes it: a number with an optional binary unit, K/M/G/T (also KB, KiB, ...;
// powers of 1024), e.g. "512M", "1.5G", "2GiB", "100000". nullopt when `text` is not such a size.
std::optional<std::uint64_t> parse_size(const std::string& text);
// A size option (`--memory`): InputError naming the option and the value when it is not a positive size.
std::optional<std::uint64_t> size_option(const po::variables_map& vm, const std::string& command,
                                         const std::string& name);

// An integer option declared with integer_value(), checked to lie in [lo, hi]; nullopt when absent.
std::optional<std::int64_t> integer_option(const po::variables_map& vm, const std::string& command,
                                           const std::string& name, std::int64_t lo, std::int64_t hi);

}  // namespace mmsim::cli
