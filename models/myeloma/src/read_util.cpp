#include <fmt/format.h>

#include <cmath>

#include "models/myeloma/src/read_params.hpp"

namespace mmsim::myeloma {

using config::NumberRule;
using config::TableReader;

const toml::table* sub(TableReader& r, std::string_view key, bool required) {
  return r.subtable(key, required);
}

const toml::node& anchor(const toml::table& t) {
  // Values keep the position of the file that wrote them even when an including file overrides them key by
  // key, while the table keeps its first position: point at a value.
  const toml::node* best = &t;
  for (const auto& [k, v] : t) {
    if (best == &t || v.source().begin.line > best->source().begin.line) best = &v;
  }
  return *best;
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
    r.diagnostics().error(anchor(*t).source(), r.key_path(key),
                          fmt::format("response probabilities sum to {:.6g}, not 1", sum));
  }
  return out;
}

}  // namespace mmsim::myeloma
