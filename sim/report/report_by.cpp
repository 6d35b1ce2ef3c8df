#include "sim/report/report_by.hpp"

#include "sim/format/text_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <stdexcept>

namespace mmsim::report {
namespace {

// The columns of `base` restricted, per strategy, to the patients whose group value is `value`.
class GroupColumns final : public ColumnSource {
 public:
  GroupColumns(const ColumnSource& base, const GroupingColumn& by, std::int64_t value) : base_(base) {
    keep_.resize(by.values.size());
    for (std::size_t s = 0; s < by.values.size(); ++s) {
      keep_[s].reserve(by.values[s].size());
      for (const std::int64_t v : by.values[s]) keep_[s].push_back(v == value ? 1 : 0);
    }
  }
  void endpoint(std::size_t strategy, const std::string& name, std::vector<double>& time,
                std::vector<std::uint8_t>& event) const override {
    std::vector<double> t;
    std::vector<std::uint8_t> e;
    base_.endpoint(strategy, name, t, e);
    time.clear();
    event.clear();
    const auto& keep = mask(strategy, t.size());
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (!keep[i]) continue;
      time.push_back(t[i]);
      event.push_back(e[i]);
    }
  }
  std::vector<std::uint8_t> outcome(std::size_t strategy, const std::string& name) const override {
    const std::vector<std::uint8_t> all = base_.outcome(strategy, name);
    const auto& keep = mask(strategy, all.size());
    std::vector<std::uint8_t> out;
    for (std::size_t i = 0; i < all.size(); ++i) {
      if (keep[i]) out.push_back(all[i]);
    }
    return out;
  }
  bool concurrent_reads() const override { return base_.concurrent_reads(); }
  bool paired(std::size_t a, std::size_t b) const override {
    return base_.paired(a, b) && keep_[a] == keep_[b];
  }

 private:
  const std::vector<std::uint8_t>& mask(std::size_t strategy, std::size_t patients) const {
    const auto& keep = keep_.at(strategy);
    if (keep.size() != patients) {
      throw std::logic_error(fmt::format("grouping column has {} values but the strategy has {} patients",
                                         keep.size(), patients));
    }
    return keep;
  }
  const ColumnSource& base_;
  std::vector<std::vector<std::uint8_t>> keep_;
};

std::string label(const GroupingColumn& by, std::int64_t v) {
  if (!by.labels.empty() && v >= 0 && static_cast<std::size_t>(v) < by.labels.size())
    return by.labels[static_cast<std::size_t>(v)];
  return std::to_string(v);
}

}  // namespace

std::vector<GroupReport> compute_group_reports(const ColumnSource& source, const GroupingColumn& by,
                                               const std::vector<std::string>& strategies,
                                               const std::vector<std::string>& endpoints,
                                               const std::vector<std::string>& outcomes, double horizon,
                                               const ReportOptions& options) {
  std::set<std::int64_t> values;
  for (const auto& per : by.values) values.insert(per.begin(), per.end());
  std::vector<GroupReport> out;
  for (const std::int64_t v : values) {
    const GroupColumns group(source, by, v);
    GroupReport g;
    g.value = label(by, v);
    const auto& ref = by.values.at(options.reference);
    g.patients = static_cast<std::uint64_t>(std::count(ref.begin(), ref.end(), v));
    g.report = compute_report(group, strategies, endpoints, outcomes, horizon, options);
    out.push_back(std::move(g));
  }
  return out;
}

std::string format_group_reports(const std::string& by, const std::vector<GroupReport>& groups,
                                 Format format) {
  std::string out;
  switch (format) {
    case Format::csv:
      for (std::size_t k = 0; k < groups.size(); ++k) {
        const std::string text = format_report(groups[k].report, format);
        std::size_t start = 0;
        bool header = true;
        while (start < text.size()) {
          const std::size_t end = text.find('\n', start);
          const std::string line = text.substr(start, end - start);
          start = end == std::string::npos ? text.size() : end + 1;
          if (header) {
            if (k == 0) out += "by,group," + line + "\n";
            header = false;
            continue;
          }
          out += format::csv_field(by) + "," + format::csv_field(groups[k].value) + "," + line + "\n";
        }
      }
      return out;
    case Format::json:
      out = fmt::format("{{\n\"by\": {},\n\"groups\": [", format::json_string(by));
      for (std::size_t k = 0; k < groups.size(); ++k) {
        out += fmt::format("{}\n{{\"group\": {}, \"patients\": {}, \"report\":\n{}}}", k ? "," : "",
                           format::json_string(groups[k].value), groups[k].patients,
                           format_report(groups[k].report, format));
      }
      return out + "\n]\n}\n";
    case Format::table:
    case Format::markdown:
      for (const auto& g : groups) {
        out +=
            format == Format::markdown
                ? fmt::format("\n## {} = {} ({} patients)\n\n", by, g.value, g.patients)
                : fmt::format("\n== {} = {} ({} patients under the reference) ==\n", by, g.value, g.patients);
        out += format_report(g.report, format);
      }
      return out;
  }
  return out;
}

}  // namespace mmsim::report
