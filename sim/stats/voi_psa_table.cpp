#include "sim/stats/voi_psa_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <optional>

#include "sim/core/errors.hpp"
#include "sim/core/text.hpp"

namespace mmsim::stats::voi {
namespace {

struct PointRows {
  std::vector<double> parameters;
  // Per strategy: sum of n, sum of n * cost, sum of n * effect; replicates seen.
  std::vector<double> n, cost, effect;
  std::vector<std::vector<long>> replicates;
  std::size_t first_line = 0;
};

std::size_t column(const std::vector<std::string>& header, const std::string& name,
                   const std::filesystem::path& path) {
  const auto it = std::find(header.begin(), header.end(), name);
  if (it == header.end())
    throw InputError(
        fmt::format("{}:1: no column '{}' (an economics.csv has point,replicate,<parameters>,"
                    "strategy,n,cost,...,qaly,...,ly,...)",
                    path.string(), name));
  return static_cast<std::size_t>(it - header.begin());
}

}  // namespace

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> out;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"' && (i + 1 == line.size() || line[i + 1] == ',')) {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == ',') {
      out.push_back(std::move(field));
      field.clear();
    } else if (c == '"' && field.empty()) {
      quoted = true;
    } else {
      field += c;
    }
  }
  out.push_back(std::move(field));
  return out;
}

PsaSample read_economics_csv(const std::filesystem::path& path, const PsaReadOptions& options) {
  std::ifstream in(path);
  if (!in)
    throw InputError(fmt::format("{}: cannot open (an economics.csv written by mmsim sweep)", path.string()));
  std::string line;
  if (!std::getline(in, line)) throw InputError(fmt::format("{}: empty file", path.string()));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  const std::vector<std::string> header = split_csv_line(line);
  const std::size_t c_point = column(header, "point", path), c_rep = column(header, "replicate", path);
  const std::size_t c_strategy = column(header, "strategy", path), c_n = column(header, "n", path);
  const std::string effect_name = options.effect == EffectMeasure::qaly ? "qaly" : "ly";
  const std::size_t c_cost = column(header, options.discounted ? "cost" : "cost_undiscounted", path);
  const std::size_t c_effect =
      column(header, options.discounted ? effect_name : effect_name + "_undiscounted", path);
  if (c_point != 0 || c_rep != 1 || c_strategy < 2)
    throw InputError(
        fmt::format("{}:1: the columns must begin point,replicate,<parameters>,strategy", path.string()));

  PsaSample sample;
  for (std::size_t c = 2; c < c_strategy; ++c) sample.parameters.push_back(header[c]);
  std::map<long, PointRows> points;
  std::map<std::string, std::size_t> strategy_index;
  std::size_t line_no = 1;
  std::vector<std::tuple<std::size_t, long, long, std::string, std::vector<double>, double, double, double>>
      rows;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const std::vector<std::string> f = split_csv_line(line);
    if (f.size() != header.size())
      throw InputError(fmt::format("{}:{}: {} fields, the header has {}", path.string(), line_no, f.size(),
                                   header.size()));
    auto number = [&](std::size_t c) {
      const auto v = parse_number(f[c]);
      if (!v || !std::isfinite(*v))
        throw InputError(fmt::format("{}:{}: column '{}': '{}' is not a finite number", path.string(),
                                     line_no, header[c], f[c]));
      return *v;
    };
    auto integer = [&](std::size_t c) {
      const double v = number(c);
      if (v < 0 || v != std::floor(v))
        throw InputError(fmt::format("{}:{}: column '{}': '{}' is not a non-negative integer", path.string(),
                                     line_no, header[c], f[c]));
      return static_cast<long>(v);
    };
    std::vector<double> params;
    for (std::size_t c = 2; c < c_strategy; ++c) params.push_back(number(c));
    const std::string& strategy = f[c_strategy];
    if (strategy.empty()) throw InputError(fmt::format("{}:{}: empty strategy", path.string(), line_no));
    strategy_index.try_emplace(strategy, strategy_index.size());
    if (strategy_index.size() > sample.strategies.size()) sample.strategies.push_back(strategy);
    const double n = number(c_n);
    if (!(n > 0)) throw InputError(fmt::format("{}:{}: column 'n' must be positive", path.string(), line_no));
    rows.emplace_back(line_no, integer(c_point), integer(c_rep), strategy, std::move(params), n,
                      number(c_cost), number(c_effect));
  }
  if (rows.empty()) throw InputError(fmt::format("{}: no rows", path.string()));
  const std::size_t d = sample.strategies.size();
  for (auto& [ln, point, rep, strategy, params, n, cost, effect] : rows) {
    auto [it, fresh] = points.try_emplace(point);
    PointRows& p = it->second;
    if (fresh) {
      p.parameters = params;
      p.n.assign(d, 0.0);
      p.cost.assign(d, 0.0);
      p.effect.assign(d, 0.0);
      p.replicates.assign(d, {});
      p.first_line = ln;
    } else if (p.parameters != params) {
      throw InputError(fmt::format("{}:{}: point {} has other parameter values than on line {}",
                                   path.string(), ln, point, p.first_line));
    }
    const std::size_t s = strategy_index.at(strategy);
    auto& reps = p.replicates[s];
    if (std::find(reps.begin(), reps.end(), rep) != reps.end())
      throw InputError(fmt::format("{}:{}: point {} replicate {} lists strategy '{}' twice", path.string(),
                                   ln, point, rep, strategy));
    reps.push_back(rep);
    p.n[s] += n;
    p.cost[s] += n * cost;
    p.effect[s] += n * effect;
  }
  for (const auto& [point, p] : points) {
    for (std::size_t s = 0; s < d; ++s) {
      if (p.n[s] == 0)
        throw InputError(fmt::format("{}:{}: point {} has no row for strategy '{}'", path.string(),
                                     p.first_line, point, sample.strategies[s]));
      if (p.replicates[s].size() != p.replicates[0].size())
        throw InputError(fmt::format("{}:{}: point {} has {} replicate(s) of '{}' but {} of '{}'",
                                     path.string(), p.first_line, point, p.replicates[s].size(),
                                     sample.strategies[s], p.replicates[0].size(), sample.strategies[0]));
      sample.costs.push_back(p.cost[s] / p.n[s]);
      sample.effects.push_back(p.effect[s] / p.n[s]);
    }
    sample.parameter_values.insert(sample.parameter_values.end(), p.parameters.begin(), p.parameters.end());
  }
  sample.simulations = points.size();
  if (sample.simulations < 2)
    throw InputError(fmt::format("{}: {} point(s); a PSA needs at least 2 simulations", path.string(),
                                 sample.simulations));
  return sample;
}

}  // namespace mmsim::stats::voi
