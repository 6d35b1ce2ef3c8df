#include <fmt/format.h>

#include <cmath>

#include "models/myeloma/src/read_params.hpp"

namespace mmsim::myeloma {

using config::NumberRule;
using config::TableReader;

const toml::table* sub(TableReader& r, std::string_view key, bool required) {
  return r.subtable(key, required);
}

std::string located(const toml::node& n) {
  const auto& s = n.source();
  return fmt::format("{}:{}:{}", config::source_file(s), s.begin.line, s.begin.column);
}

DepthProbs read_depth_probs(TableReader& r, std::string_view key) {
  DepthProbs out{};
  const toml::table* t = r.subtable(key);
  if (t == nullptr) return out;
  TableReader pr(*t, r.key_path(key), r.diagnostics());
  double sum = 0;
  for (std::size_t d = 0; d < kDepths; ++d) {
    out[d] = pr.number(kDepthNames[d], NumberRule::probability());
    sum += out[d];
  }
  pr.finish();
  if (std::fabs(sum - 1.0) > 1e-6) {
    r.error(key, fmt::format("response probabilities sum to {:.6g}, not 1", sum));
  }
  return out;
}

}  // namespace mmsim::myeloma
