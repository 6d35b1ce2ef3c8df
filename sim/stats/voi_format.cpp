// The tables of a value-of-information analysis as files (CSV, the R exports) and as the printed summary.
#include <fmt/format.h>

#include <string>

#include "sim/stats/voi_analysis.hpp"

namespace mmsim::stats::voi {
namespace {

// Shortest text that reads back to the same double.
std::string num(double v) {
  return fmt::format("{}", v);
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<int>(c));
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (const char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  out += '"';
  return out;
}

std::string group_parameters(const VoiAnalysis& a, const std::string& group) {
  for (const auto& g : a.groups)
    if (g.name == group) return fmt::format("{}", fmt::join(g.parameters, ";"));
  return group;
}

std::string ceac_csv(const VoiAnalysis& a) {
  std::string out = fmt::format(
      "wtp,strategy,expected_cost,expected_{0},expected_nmb,probability_cost_effective,"
      "optimal\n",
      a.effect_name);
  for (const auto& d : a.decisions)
    for (std::size_t s = 0; s < a.sample.strategies.size(); ++s)
      out += fmt::format("{},{},{},{},{},{},{}\n", num(d.wtp), a.sample.strategies[s],
                         num(d.expected_cost[s]), num(d.expected_effect[s]), num(d.expected_nmb[s]),
                         num(d.probability_cost_effective[s]), d.optimal == s ? 1 : 0);
  return out;
}

std::string ceaf_csv(const VoiAnalysis& a) {
  std::string out = "wtp,optimal_strategy,expected_nmb,probability_cost_effective\n";
  for (const auto& d : a.decisions)
    out += fmt::format("{},{},{},{}\n", num(d.wtp), a.sample.strategies[d.optimal],
                       num(d.expected_nmb[d.optimal]), num(d.frontier_probability));
  return out;
}

std::string evpi_csv(const VoiAnalysis& a) {
  std::string out = "wtp,evpi,evpi_se\n";
  for (const auto& d : a.decisions) out += fmt::format("{},{},{}\n", num(d.wtp), num(d.evpi), num(d.evpi_se));
  return out;
}

std::string evppi_csv(const VoiAnalysis& a) {
  std::string out = "group,parameters,wtp,evppi,evppi_se,knots,edf\n";
  for (const auto& e : a.evppi) {
    std::string edf;
    for (std::size_t i = 0; i < e.edf.size(); ++i) edf += fmt::format("{}{:.3f}", i ? ";" : "", e.edf[i]);
    out += fmt::format("{},{},{},{},{},{},{}\n", csv_field(e.group), csv_field(group_parameters(a, e.group)),
                       num(e.wtp), num(e.evppi), num(e.se), e.knots, edf);
  }
  return out;
}

// simulations x strategies, strategy names as the header (dampack's cost/effectiveness data frames, BCEA's
// c/e matrices).
std::string matrix_csv(const PsaSample& s, const std::vector<double>& m) {
  std::string out;
  for (std::size_t j = 0; j < s.strategies.size(); ++j) {
    if (j) out += ",";
    out += s.strategies[j];
  }
  out += '\n';
  for (std::size_t i = 0; i < s.simulations; ++i) {
    for (std::size_t j = 0; j < s.strategies.size(); ++j) {
      if (j) out += ",";
      out += num(m[i * s.strategies.size() + j]);
    }
    out += '\n';
  }
  return out;
}

std::string parameters_csv(const PsaSample& s) {
  std::string out;
  for (std::size_t j = 0; j < s.parameters.size(); ++j) {
    if (j) out += ",";
    out += csv_field(s.parameters[j]);
  }
  out += '\n';
  for (std::size_t i = 0; i < s.simulations; ++i) {
    for (std::size_t j = 0; j < s.parameters.size(); ++j) {
      if (j) out += ",";
      out += num(s.parameter(i, j));
    }
    out += '\n';
  }
  return out;
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

// Aligned text (table) or a Markdown table; rows of cells.
std::string render(const std::vector<std::vector<std::string>>& rows, bool markdown) {
  std::vector<std::size_t> width(rows[0].size(), 0);
  for (const auto& r : rows)
    for (std::size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], r[c].size());
  std::string out;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (std::size_t c = 0; c < rows[i].size(); ++c)
      out += markdown ? fmt::format("| {:<{}} ", rows[i][c], width[c])
                      : fmt::format("{}{:>{}}", c ? "  " : "", rows[i][c], width[c]);
    out += markdown ? "|\n" : "\n";
    if (markdown && i == 0) {
      for (std::size_t c = 0; c < rows[i].size(); ++c)
        out += fmt::format("|{}", std::string(width[c] + 2, '-'));
      out += "|\n";
    }
  }
  return out;
}

std::string text(const VoiAnalysis& a, bool markdown) {
  const auto& s = a.sample;
  std::string out =
      fmt::format("{}Value of information: {} PSA simulations, {} strategies, effect {}, {}\n\n",
                  markdown ? "## " : "", s.simulations, s.strategies.size(), a.effect_name, a.currency);
  std::vector<std::vector<std::string>> rows{
      {"wtp", "strategy", "E[cost]", "E[" + a.effect_name + "]", "E[NMB]", "P(cost-effective)", "optimal"}};
  for (const auto& d : a.decisions)
    for (std::size_t j = 0; j < s.strategies.size(); ++j)
      rows.push_back({fmt::format("{:.0f}", d.wtp), s.strategies[j],
                      fmt::format("{:.0f}", d.expected_cost[j]), fmt::format("{:.4f}", d.expected_effect[j]),
                      fmt::format("{:.0f}", d.expected_nmb[j]),
                      fmt::format("{:.3f}", d.probability_cost_effective[j]), d.optimal == j ? "*" : ""});
  out += render(rows, markdown);
  out += "\n";
  rows = {{"wtp", "optimal (CEAF)", "P(optimal best)", "EVPI per patient", "EVPI SE"}};
  for (const auto& d : a.decisions)
    rows.push_back({fmt::format("{:.0f}", d.wtp), s.strategies[d.optimal],
                    fmt::format("{:.3f}", d.frontier_probability), fmt::format("{:.2f}", d.evpi),
                    fmt::format("{:.2f}", d.evpi_se)});
  out += render(rows, markdown);
  if (!a.evppi.empty()) {
    rows = {{"group", "parameters", "wtp", "EVPPI per patient", "SE", "knots"}};
    for (const auto& e : a.evppi)
      rows.push_back({e.group, group_parameters(a, e.group), fmt::format("{:.0f}", e.wtp),
                      fmt::format("{:.2f}", e.evppi), fmt::format("{:.2f}", e.se),
                      fmt::format("{}", e.knots)});
    out += "\n";
    out += render(rows, markdown);
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
