// The tables of a value-of-information analysis as files (CSV, the R exports) and as the printed summary.
#include <fmt/format.h>

#include <string>

#include "sim/format/text_table.hpp"
#include "sim/stats/voi_analysis.hpp"

namespace mmsim::stats::voi {
namespace {

// Shortest text that reads back to the same double.
std::string num(double v) {
  return fmt::format("{}", v);
}

using format::json_string;

// The CSV exports: numbers in their shortest exact text, NaN and infinities as fmt spells them.
format::TextTable csv_table(const std::vector<std::string>& headers) {
  std::vector<format::Column> columns;
  for (const auto& h : headers)
    columns.push_back(format::right(h, format::NumberFormat::shortest(std::nullopt)));
  return format::TextTable(std::move(columns));
}

std::string group_parameters(const VoiAnalysis& a, const std::string& group) {
  for (const auto& g : a.groups)
    if (g.name == group) return fmt::format("{}", fmt::join(g.parameters, ";"));
  return group;
}

std::string ceac_csv(const VoiAnalysis& a) {
  auto t = csv_table({"wtp", "strategy", "expected_cost", "expected_" + a.effect_name, "expected_nmb",
                      "probability_cost_effective", "optimal"});
  for (const auto& d : a.decisions)
    for (std::size_t s = 0; s < a.sample.strategies.size(); ++s)
      t.add_row({d.wtp, a.sample.strategies[s], d.expected_cost[s], d.expected_effect[s], d.expected_nmb[s],
                 d.probability_cost_effective[s], std::string(d.optimal == s ? "1" : "0")});
  return t.csv();
}

std::string ceaf_csv(const VoiAnalysis& a) {
  auto t = csv_table({"wtp", "optimal_strategy", "expected_nmb", "probability_cost_effective"});
  for (const auto& d : a.decisions)
    t.add_row({d.wtp, a.sample.strategies[d.optimal], d.expected_nmb[d.optimal], d.frontier_probability});
  return t.csv();
}

std::string evpi_csv(const VoiAnalysis& a) {
  auto t = csv_table({"wtp", "evpi", "evpi_se"});
  for (const auto& d : a.decisions) t.add_row({d.wtp, d.evpi, d.evpi_se});
  return t.csv();
}

std::string evppi_csv(const VoiAnalysis& a) {
  auto t = csv_table({"group", "parameters", "wtp", "evppi", "evppi_se", "knots", "edf"});
  for (const auto& e : a.evppi) {
    std::string edf;
    for (std::size_t i = 0; i < e.edf.size(); ++i) edf += fmt::format("{}{:.3f}", i ? ";" : "", e.edf[i]);
    t.add_row({e.group, group_parameters(a, e.group), e.wtp, e.evppi, e.se, fmt::format("{}", e.knots), edf});
  }
  return t.csv();
}

// simulations x `names` columns, row i of `value(i, j)` (dampack's cost/effectiveness/parameter data frames,
// BCEA's c/e matrices).
template <class Value>
std::string matrix_csv(const std::vector<std::string>& names, std::size_t simulations, Value value) {
  auto t = csv_table(names);
  for (std::size_t i = 0; i < simulations; ++i) {
    std::vector<format::Cell> row;
    row.reserve(names.size());
    for (std::size_t j = 0; j < names.size(); ++j) row.emplace_back(value(i, j));
    t.add_row(std::move(row));
  }
  return t.csv();
}

std::string matrix_csv(const PsaSample& s, const std::vector<double>& m) {
  return matrix_csv(s.strategies, s.simulations,
                    [&](std::size_t i, std::size_t j) { return m[i * s.strategies.size() + j]; });
}

std::string parameters_csv(const PsaSample& s) {
  return matrix_csv(s.parameters, s.simulations,
                    [&](std::size_t i, std::size_t j) { return s.parameter(i, j); });
}

std::string load_script(const VoiAnalysis& a) {
  return fmt::format(
      "# Loads this folder's PSA sample into R's dampack and BCEA (neither is in Debian: "
      "install.packages()).\n"
      "# Written by mmsim voi; docs/economics_voi.md. Run with this folder as the working directory.\n"
      "cost <- read.csv(\"psa_cost.csv\", check.names = FALSE)\n"
      "effectiveness <- read.csv(\"psa_effectiveness.csv\", check.names = FALSE)\n"
      "parameters <- read.csv(\"psa_parameters.csv\", check.names = FALSE)\n"
      "strategies <- colnames(cost)\n"
      "if (requireNamespace(\"dampack\", quietly = TRUE)) {{\n"
      "  psa <- dampack::make_psa_obj(cost = cost, effectiveness = effectiveness, parameters = parameters,\n"
      "                               strategies = strategies, currency = \"{0}\")\n"
      "  print(summary(psa))\n"
      "}}\n"
      "if (requireNamespace(\"BCEA\", quietly = TRUE)) {{\n"
      "  he <- BCEA::bcea(eff = as.matrix(effectiveness), cost = as.matrix(cost), ref = 1,\n"
      "                   interventions = strategies, Kmax = {1})\n"
      "  print(summary(he))\n"
      "}}\n",
      a.currency, num(a.decisions.empty() ? 100000.0 : std::max(a.decisions.back().wtp, 1.0)));
}

std::string json(const VoiAnalysis& a) {
  const auto& s = a.sample;
  std::string out = "{\n";
  out += fmt::format("  \"simulations\": {},\n  \"effect\": {},\n  \"currency\": {},\n", s.simulations,
                     json_string(a.effect_name), json_string(a.currency));
  out += "  \"strategies\": [";
  for (std::size_t j = 0; j < s.strategies.size(); ++j) {
    if (j) out += ", ";
    out += json_string(s.strategies[j]);
  }
  out += "],\n  \"decision\": [\n";
  for (std::size_t k = 0; k < a.decisions.size(); ++k) {
    const auto& d = a.decisions[k];
    out += fmt::format(
        "    {{\"wtp\": {}, \"optimal\": {}, \"frontier_probability\": {}, \"evpi\": {}, "
        "\"evpi_se\": {}, \"strategies\": [",
        num(d.wtp), json_string(s.strategies[d.optimal]), num(d.frontier_probability), num(d.evpi),
        num(d.evpi_se));
    for (std::size_t j = 0; j < s.strategies.size(); ++j)
      out += fmt::format(
          "{}{{\"strategy\": {}, \"expected_cost\": {}, \"expected_effect\": {}, "
          "\"expected_nmb\": {}, \"probability_cost_effective\": {}}}",
          j ? ", " : "", json_string(s.strategies[j]), num(d.expected_cost[j]), num(d.expected_effect[j]),
          num(d.expected_nmb[j]), num(d.probability_cost_effective[j]));
    out += fmt::format("]}}{}\n", k + 1 < a.decisions.size() ? "," : "");
  }
  out += "  ],\n  \"evppi\": [\n";
  for (std::size_t k = 0; k < a.evppi.size(); ++k) {
    const auto& e = a.evppi[k];
    out += fmt::format(
        "    {{\"group\": {}, \"parameters\": {}, \"wtp\": {}, \"evppi\": {}, \"evppi_se\": {}, "
        "\"knots\": {}}}{}\n",
        json_string(e.group), json_string(group_parameters(a, e.group)), num(e.wtp), num(e.evppi), num(e.se),
        e.knots, k + 1 < a.evppi.size() ? "," : "");
  }
  out += "  ]\n}\n";
  return out;
}

// The printed summary: every column right-aligned; Markdown cells padded to the column width.
std::string text(const VoiAnalysis& a, bool markdown) {
  const auto& s = a.sample;
  const format::Layout layout{false, format::MarkdownRule::padded};
  const auto table = [&](const std::vector<std::pair<std::string, int>>& columns) {
    std::vector<format::Column> c;
    for (const auto& [header, decimals] : columns)
      c.push_back(format::right(header, format::NumberFormat::fixed(decimals, std::nullopt)));
    return format::TextTable(std::move(c), layout);
  };
  const auto render = [&](const format::TextTable& t) { return markdown ? t.markdown() : t.aligned(); };
  std::string out =
      fmt::format("{}Value of information: {} PSA simulations, {} strategies, effect {}, {}\n\n",
                  markdown ? "## " : "", s.simulations, s.strategies.size(), a.effect_name, a.currency);
  auto decisions = table({{"wtp", 0},
                          {"strategy", -1},
                          {"E[cost]", 0},
                          {"E[" + a.effect_name + "]", 4},
                          {"E[NMB]", 0},
                          {"P(cost-effective)", 3},
                          {"optimal", -1}});
  for (const auto& d : a.decisions)
    for (std::size_t j = 0; j < s.strategies.size(); ++j)
      decisions.add_row({d.wtp, s.strategies[j], d.expected_cost[j], d.expected_effect[j], d.expected_nmb[j],
                         d.probability_cost_effective[j], std::string(d.optimal == j ? "*" : "")});
  out += render(decisions);
  out += "\n";
  auto frontier = table(
      {{"wtp", 0}, {"optimal (CEAF)", -1}, {"P(optimal best)", 3}, {"EVPI per patient", 2}, {"EVPI SE", 2}});
  for (const auto& d : a.decisions)
    frontier.add_row({d.wtp, s.strategies[d.optimal], d.frontier_probability, d.evpi, d.evpi_se});
  out += render(frontier);
  if (!a.evppi.empty()) {
    auto evppi = table(
        {{"group", -1}, {"parameters", -1}, {"wtp", 0}, {"EVPPI per patient", 2}, {"SE", 2}, {"knots", -1}});
    for (const auto& e : a.evppi)
      evppi.add_row(
          {e.group, group_parameters(a, e.group), e.wtp, e.evppi, e.se, fmt::format("{}", e.knots)});
    out += "\n";
    out += render(evppi);
  }
  return out;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> voi_output_files(const VoiAnalysis& a) {
  return {{"ceac.csv", ceac_csv(a)},
          {"ceaf.csv", ceaf_csv(a)},
          {"evpi.csv", evpi_csv(a)},
          {"evppi.csv", evppi_csv(a)},
          {"psa_cost.csv", matrix_csv(a.sample, a.sample.costs)},
          {"psa_effectiveness.csv", matrix_csv(a.sample, a.sample.effects)},
          {"psa_parameters.csv", parameters_csv(a.sample)},
          {"load_psa.R", load_script(a)}};
}

std::string format_voi(const VoiAnalysis& a, VoiFormat format) {
  switch (format) {
    case VoiFormat::csv: {
      std::string out = ceac_csv(a);
      out += "\n";
      out += evpi_csv(a);
      if (!a.evppi.empty()) {
        out += "\n";
        out += evppi_csv(a);
      }
      return out;
    }
    case VoiFormat::json:
      return json(a);
    case VoiFormat::markdown:
      return text(a, true);
    case VoiFormat::table:
    default:
      return text(a, false);
  }
}

}  // namespace mmsim::stats::voi
