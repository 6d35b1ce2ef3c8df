// Text forms of an EconomicsReport: terminal table and Markdown, a CSV block, the JSON "economics" object
// (docs/report_json.md).
#include <fmt/format.h>

#include <cmath>

#include "sim/economics/economics_report.hpp"
#include "sim/format/text_table.hpp"

namespace mmsim::economics {
namespace {

const format::NumberFormat kMoney = format::NumberFormat::fixed(0);
const format::NumberFormat kEffect = format::NumberFormat::fixed(4);

std::string ci(double lo, double hi, const format::NumberFormat& f) {
  return fmt::format("({}, {})", format::format_number(lo, f), format::format_number(hi, f));
}

// An ICER is read as a price per QALY only in the north-east quadrant (more cost, more QALYs) and the
// south-west one (savings per QALY given up); a negative ratio is not a price, so those quadrants are named,
// as in the CE literature: "dominant" (cheaper and better), "dominated" (dearer and worse).
std::string icer_text(double d_cost, double d_qaly, double icer) {
  if (d_cost <= 0.0 && d_qaly > 0.0) return "dominant";
  if (d_cost >= 0.0 && d_qaly < 0.0) return "dominated";
  return format::format_number(icer, kMoney);
}

// Columns of money and of effects (right-aligned); of names, format::left.
format::Column money_column(std::string header, std::string unit = {}) {
  return format::right(std::move(header), kMoney, std::move(unit));
}
format::Column effect_column(std::string header) {
  return format::right(std::move(header), kEffect);
}
format::Column text_column(std::string header, std::string unit = {}) {
  return format::right(std::move(header), {}, std::move(unit));
}

std::string percent(double r) {
  return fmt::format("{:g}%", 100.0 * r);
}

std::string format_text(const EconomicsReport& r, bool markdown) {
  const EconomicsSettings& s = r.settings;
  const int pct = static_cast<int>(std::lround(100 * r.conf_level));
  const std::string cur = s.currency;
  auto heading = [&](const std::string& t) {
    return markdown ? fmt::format("\n### {}\n\n", t) : fmt::format("\n{}\n", t);
  };
  std::string out = heading("Economics");
  out += fmt::format(
      "{} at {} prices, {} perspective; discounted {}/yr (costs), {}/yr (QALYs, LYs) from time zero; horizon "
      "{} "
      "months; {} patients per strategy; means with Monte Carlo SEs\n",
      cur, s.price_year, s.perspective, percent(s.discount_costs), percent(s.discount_effects), s.horizon,
      r.strategies.empty() ? 0 : r.strategies.front().n);
  if (markdown) out += "\n";
  const auto render = [&](const format::TextTable& t) { return markdown ? t.markdown() : t.aligned(); };
  format::TextTable means({format::left("strategy"), money_column("cost", cur), money_column("SE"),
                           effect_column("QALYs"), effect_column("SE"), effect_column("LYs"),
                           effect_column("SE"), money_column("cost undisc."), effect_column("QALYs undisc."),
                           effect_column("LYs undisc.")});
  for (const auto& x : r.strategies) {
    means.add_row({x.strategy, x.cost.mean, x.cost.se, x.qaly.mean, x.qaly.se, x.ly.mean, x.ly.se,
                   x.cost_undiscounted.mean, x.qaly_undiscounted.mean, x.ly_undiscounted.mean});
  }
  out += render(means);
  const std::string ci_header = fmt::format("{}% CI", pct);
  if (!r.increments.empty()) {
    out += heading(fmt::format("Increments vs {} (paired by patient: common random numbers; {}% CI)",
                               r.increments.front().reference, pct));
    format::TextTable inc({format::left("strategy"), money_column("d cost", cur), text_column(ci_header),
                           effect_column("d QALYs"), text_column(ci_header), effect_column("d LYs"),
                           text_column(ci_header), text_column("ICER", cur + "/QALY")});
    for (const auto& x : r.increments) {
      inc.add_row({x.strategy, x.cost.diff, ci(x.cost.ci_low, x.cost.ci_high, kMoney), x.qaly.diff,
                   ci(x.qaly.ci_low, x.qaly.ci_high, kEffect), x.ly.diff,
                   ci(x.ly.ci_low, x.ly.ci_high, kEffect), icer_text(x.cost.diff, x.qaly.diff, x.icer)});
    }
    out += render(inc);
  }
  out += heading(fmt::format("Net monetary benefit (willingness to pay x QALYs - cost, {})", cur));
  format::Column increment = money_column("d NMB");
  increment.number.missing = "";  // the reference has no increment
  format::TextTable nmb({format::left("strategy"), money_column("WTP", cur + "/QALY"), money_column("NMB"),
                         money_column("SE"), increment, text_column(ci_header)});
  for (const auto& x : r.net_benefit) {
    const bool has = std::isfinite(x.incremental.diff);
    nmb.add_row({x.strategy, x.wtp, x.nmb.mean, x.nmb.se, x.incremental.diff,
                 has ? ci(x.incremental.ci_low, x.incremental.ci_high, kMoney) : std::string()});
  }
  out += render(nmb);
  out += heading("Efficiency frontier (by increasing mean cost)");
  format::TextTable fr({format::left("strategy"), text_column("status"), text_column("ICER", cur + "/QALY"),
                        text_column("vs")});
  for (const auto& x : r.frontier) {
    fr.add_row({x.strategy, std::string(status_name(x.status)),
                x.status == FrontierStatus::frontier ? format::format_number(x.icer, kMoney) : "-",
                x.compared_with});
  }
  out += render(fr);
  return out;
}

std::string jnum(double v) {
  return std::isfinite(v) ? fmt::format("{}", v) : "null";
}
std::string jstr(const std::string& s) {
  return format::json_string(s);
}
std::string jest(const char* key, const Estimate& e) {
  return fmt::format("\"{0}\": {1}, \"{0}_se\": {2}", key, jnum(e.mean), jnum(e.se));
}
std::string jdiff(const char* key, const Difference& d) {
  return fmt::format(
      "\"{0}\": {1}, \"{0}_se\": {2}, \"{0}_se_unpaired\": {3}, \"{0}_ci_low\": {4}, \"{0}_ci_high\": {5}",
      key, jnum(d.diff), jnum(d.se), jnum(d.se_unpaired), jnum(d.ci_low), jnum(d.ci_high));
}

std::string format_json(const EconomicsReport& r) {
  const EconomicsSettings& s = r.settings;
  std::string out = fmt::format(
      "{{\n    \"currency\": {}, \"price_year\": {}, \"perspective\": {}, \"discount_costs\": {}, "
      "\"discount_effects\": {}, \"horizon\": {}, \"reference\": {}, \"conf_level\": {},\n    "
      "\"willingness_to_pay\": [{}],\n    \"strategies\": [",
      jstr(s.currency), s.price_year, jstr(s.perspective), jnum(s.discount_costs), jnum(s.discount_effects),
      jnum(s.horizon), jstr(s.strategies.at(s.reference)), jnum(r.conf_level),
      fmt::join(s.willingness_to_pay, ", "));
  for (std::size_t i = 0; i < r.strategies.size(); ++i) {
    const auto& x = r.strategies[i];
    out += fmt::format("{}\n      {{\"name\": {}, \"n\": {}, {}, {}, {}, {}, {}, {}}}", i ? "," : "",
                       jstr(x.strategy), x.n, jest("cost", x.cost), jest("qaly", x.qaly), jest("ly", x.ly),
                       jest("cost_undiscounted", x.cost_undiscounted),
                       jest("qaly_undiscounted", x.qaly_undiscounted),
                       jest("ly_undiscounted", x.ly_undiscounted));
  }
  out += "\n    ],\n    \"increments\": [";
  for (std::size_t i = 0; i < r.increments.size(); ++i) {
    const auto& x = r.increments[i];
    out += fmt::format("{}\n      {{\"strategy\": {}, \"reference\": {}, {}, {}, {}, \"icer\": {}}}",
                       i ? "," : "", jstr(x.strategy), jstr(x.reference), jdiff("cost", x.cost),
                       jdiff("qaly", x.qaly), jdiff("ly", x.ly), jnum(x.icer));
  }
  out += "\n    ],\n    \"net_benefit\": [";
  for (std::size_t i = 0; i < r.net_benefit.size(); ++i) {
    const auto& x = r.net_benefit[i];
    out += fmt::format("{}\n      {{\"strategy\": {}, \"wtp\": {}, {}, {}}}", i ? "," : "", jstr(x.strategy),
                       jnum(x.wtp), jest("nmb", x.nmb), jdiff("incremental_nmb", x.incremental));
  }
  out += "\n    ],\n    \"frontier\": [";
  for (std::size_t i = 0; i < r.frontier.size(); ++i) {
    const auto& x = r.frontier[i];
    out += fmt::format(
        "{}\n      {{\"strategy\": {}, \"status\": \"{}\", \"compared_with\": {}, \"icer\": {}}}",
        i ? "," : "", jstr(x.strategy), status_name(x.status), jstr(x.compared_with), jnum(x.icer));
  }
  return out + "\n    ]\n  }";
}

std::string format_csv(const EconomicsReport& r) {
  const auto number = format::NumberFormat::digits(10, "");
  std::vector<format::Column> columns;
  for (const char* c : {"economics", "strategy", "reference", "wtp", "quantity", "value", "se", "se_unpaired",
                        "ci_low", "ci_high", "status", "compared_with"})
    columns.push_back(format::right(c, number));
  format::TextTable table(std::move(columns));
  auto row = [&](const char* section, const std::string& strategy, const std::string& reference, double wtp,
                 const char* quantity, double value, double se, double se_unpaired, double lo, double hi,
                 const std::string& status = "", const std::string& with = "") {
    table.add_row(
        {section, strategy, reference, wtp, quantity, value, se, se_unpaired, lo, hi, status, with});
  };
  const std::string ref = r.settings.strategies.at(r.settings.reference);
  for (const auto& x : r.strategies) {
    const std::pair<const char*, const Estimate*> q[] = {{"cost", &x.cost},
                                                         {"qaly", &x.qaly},
                                                         {"ly", &x.ly},
                                                         {"cost_undiscounted", &x.cost_undiscounted},
                                                         {"qaly_undiscounted", &x.qaly_undiscounted},
                                                         {"ly_undiscounted", &x.ly_undiscounted}};
    for (const auto& [name, e] : q) row("mean", x.strategy, "", kNaN, name, e->mean, e->se, kNaN, kNaN, kNaN);
  }
  for (const auto& x : r.increments) {
    const std::pair<const char*, const Difference*> q[] = {
        {"cost", &x.cost}, {"qaly", &x.qaly}, {"ly", &x.ly}};
    for (const auto& [name, d] : q)
      row("increment", x.strategy, x.reference, kNaN, name, d->diff, d->se, d->se_unpaired, d->ci_low,
          d->ci_high);
    row("increment", x.strategy, x.reference, kNaN, "icer", x.icer, kNaN, kNaN, kNaN, kNaN);
  }
  for (const auto& x : r.net_benefit) {
    row("net_benefit", x.strategy, "", x.wtp, "nmb", x.nmb.mean, x.nmb.se, kNaN, kNaN, kNaN);
    if (x.strategy != ref) {
      const Difference& d = x.incremental;
      row("net_benefit", x.strategy, ref, x.wtp, "incremental_nmb", d.diff, d.se, d.se_unpaired, d.ci_low,
          d.ci_high);
    }
  }
  for (const auto& x : r.frontier)
    row("frontier", x.strategy, "", kNaN, "icer", x.icer, kNaN, kNaN, kNaN, kNaN, status_name(x.status),
        x.compared_with);
  return table.csv();
}

}  // namespace

std::string format_economics(const EconomicsReport& report, EconomicsFormat format) {
  switch (format) {
    case EconomicsFormat::table:
      return format_text(report, false);
    case EconomicsFormat::markdown:
      return format_text(report, true);
    case EconomicsFormat::csv:
      return format_csv(report);
    case EconomicsFormat::json:
      return format_json(report);
  }
  return {};
}

}  // namespace mmsim::economics
