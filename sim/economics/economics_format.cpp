// Text forms of an EconomicsReport: terminal table and Markdown, a CSV block, the JSON "economics" object
// (docs/report_json.md).
#include <fmt/format.h>

#include <cmath>

#include "sim/economics/economics_report.hpp"

namespace mmsim::economics {
namespace {

std::string money(double v) {
  return std::isfinite(v) ? fmt::format("{:.0f}", v) : "NA";
}
std::string effect(double v) {
  return std::isfinite(v) ? fmt::format("{:.4f}", v) : "NA";
}
std::string ci(double lo, double hi, std::string (*f)(double)) {
  return fmt::format("({}, {})", f(lo), f(hi));
}

// An ICER is read as a price per QALY only in the north-east quadrant (more cost, more QALYs) and the
// south-west one (savings per QALY given up); a negative ratio is not a price, so those quadrants are named,
// as in the CE literature: "dominant" (cheaper and better), "dominated" (dearer and worse).
std::string icer_text(double d_cost, double d_qaly, double icer) {
  if (d_cost <= 0.0 && d_qaly > 0.0) return "dominant";
  if (d_cost >= 0.0 && d_qaly < 0.0) return "dominated";
  return std::isfinite(icer) ? fmt::format("{:.0f}", icer) : "NA";
}

// Names left-aligned, values right-aligned, every column as wide as its widest cell.
class Aligned {
 public:
  Aligned(std::vector<std::string> header, bool markdown) : markdown_(markdown) {
    rows_.push_back(std::move(header));
  }
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  std::string text() const {
    std::vector<std::size_t> w(rows_.front().size(), 0);
    for (const auto& r : rows_) {
      for (std::size_t i = 0; i < r.size(); ++i) w[i] = std::max(w[i], r[i].size());
    }
    std::string out;
    for (std::size_t k = 0; k < rows_.size(); ++k) {
      std::string line = markdown_ ? "|" : "";
      for (std::size_t i = 0; i < rows_[k].size(); ++i) {
        const std::string& c = rows_[k][i];
        if (markdown_) {
          line += fmt::format(" {} |", c);
        } else {
          line +=
              (i ? "  " : "") + (i == 0 ? fmt::format("{:<{}}", c, w[i]) : fmt::format("{:>{}}", c, w[i]));
        }
      }
      if (!markdown_) line.erase(line.find_last_not_of(' ') + 1);
      out += line + "\n";
      if (markdown_ && k == 0) {
        std::string rule = "|";
        for (std::size_t i = 0; i < rows_[k].size(); ++i) rule += i == 0 ? " --- |" : " ---: |";
        out += rule + "\n";
      }
    }
    return out;
  }

 private:
  bool markdown_;
  std::vector<std::vector<std::string>> rows_;
};

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
  Aligned means({"strategy", fmt::format("cost ({})", cur), "SE", "QALYs", "SE", "LYs", "SE", "cost undisc.",
                 "QALYs undisc.", "LYs undisc."},
                markdown);
  for (const auto& x : r.strategies) {
    means.add({x.strategy, money(x.cost.mean), money(x.cost.se), effect(x.qaly.mean), effect(x.qaly.se),
               effect(x.ly.mean), effect(x.ly.se), money(x.cost_undiscounted.mean),
               effect(x.qaly_undiscounted.mean), effect(x.ly_undiscounted.mean)});
  }
  out += means.text();
  if (!r.increments.empty()) {
    out += heading(fmt::format("Increments vs {} (paired by patient: common random numbers; {}% CI)",
                               r.increments.front().reference, pct));
    Aligned inc(
        {"strategy", fmt::format("d cost ({})", cur), fmt::format("{}% CI", pct), "d QALYs",
         fmt::format("{}% CI", pct), "d LYs", fmt::format("{}% CI", pct), fmt::format("ICER ({}/QALY)", cur)},
        markdown);
    for (const auto& x : r.increments) {
      inc.add({x.strategy, money(x.cost.diff), ci(x.cost.ci_low, x.cost.ci_high, money), effect(x.qaly.diff),
               ci(x.qaly.ci_low, x.qaly.ci_high, effect), effect(x.ly.diff),
               ci(x.ly.ci_low, x.ly.ci_high, effect), icer_text(x.cost.diff, x.qaly.diff, x.icer)});
    }
    out += inc.text();
  }
  out += heading(fmt::format("Net monetary benefit (willingness to pay x QALYs - cost, {})", cur));
  Aligned nmb(
      {"strategy", fmt::format("WTP ({}/QALY)", cur), "NMB", "SE", "d NMB", fmt::format("{}% CI", pct)},
      markdown);
  for (const auto& x : r.net_benefit) {
    nmb.add(
        {x.strategy, money(x.wtp), money(x.nmb.mean), money(x.nmb.se),
         std::isfinite(x.incremental.diff) ? money(x.incremental.diff) : "",
         std::isfinite(x.incremental.diff) ? ci(x.incremental.ci_low, x.incremental.ci_high, money) : ""});
  }
  out += nmb.text();
  out += heading("Efficiency frontier (by increasing mean cost)");
  Aligned fr({"strategy", "status", fmt::format("ICER ({}/QALY)", cur), "vs"}, markdown);
  for (const auto& x : r.frontier) {
    fr.add({x.strategy, status_name(x.status), x.status == FrontierStatus::frontier ? money(x.icer) : "-",
            x.compared_with});
  }
  out += fr.text();
  return out;
}

std::string jnum(double v) {
  return std::isfinite(v) ? fmt::format("{}", v) : "null";
}
std::string jstr(const std::string& s) {
  std::string out = "\"";
  for (const char ch : s) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "\"";
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

std::string cnum(double v) {
  return std::isfinite(v) ? fmt::format("{:.10g}", v) : std::string();
}
std::string cstr(const std::string& v) {
  if (v.find_first_of(",\"\n") == std::string::npos) return v;
  std::string q = "\"";
  for (char ch : v) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return q + "\"";
}

std::string format_csv(const EconomicsReport& r) {
  std::string out =
      "economics,strategy,reference,wtp,quantity,value,se,se_unpaired,ci_low,ci_high,status,compared_with\n";
  auto row = [&](const char* section, const std::string& strategy, const std::string& reference, double wtp,
                 const char* quantity, double value, double se, double se_unpaired, double lo, double hi,
                 const std::string& status = "", const std::string& with = "") {
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{}\n", section, cstr(strategy), cstr(reference),
                       cnum(wtp), quantity, cnum(value), cnum(se), cnum(se_unpaired), cnum(lo), cnum(hi),
                       status, cstr(with));
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
  return out;
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
