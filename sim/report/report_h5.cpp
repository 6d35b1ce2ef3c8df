#include "sim/report/report_h5.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <stdexcept>

#include "sim/core/errors.hpp"
#include "sim/core/table.hpp"
#include "sim/core/text.hpp"
#include "sim/io/run_layout.hpp"
#include "sim/report/report_schema.hpp"
#include "sim/report/step_tables_h5.hpp"

namespace mmsim::report {
namespace {

namespace layout = io::layout;

// The label lists of a run's keys (strategy and reference share the strategies').
struct Labels {
  const std::vector<std::string>& strategies;
  const std::vector<std::string>& endpoints;
  const std::vector<std::string>& outcomes;

  const std::vector<std::string>& of(Key key) const {
    switch (key) {
      case Key::strategy:
      case Key::reference:
        return strategies;
      case Key::endpoint:
        return endpoints;
      case Key::outcome:
        return outcomes;
    }
    throw std::logic_error("unknown report key");
  }
};

// An enumeration needs at least one label; tables over an empty label list are never written.
const std::vector<std::string>& nonempty(const std::vector<std::string>& labels) {
  static const std::vector<std::string> none{"none"};
  return labels.empty() ? none : labels;
}

// The keys a table stores as fields: a per-strategy table's strategy is its path.
template <class Row>
std::vector<Key> stored_keys(const ReportTable<Row>& table) {
  std::vector<Key> keys;
  for (const Key k : table.keys) {
    if (!(table.per_strategy && k == Key::strategy)) keys.push_back(k);
  }
  return keys;
}

template <class Row>
TableLayout stored_layout(const ReportTable<Row>& table, const Labels& labels) {
  std::vector<Field> fields;
  for (const Key k : stored_keys(table)) {
    fields.push_back({std::string(key_name(k)), FieldType::enumeration, nonempty(labels.of(k)),
                      std::string(key_description(k))});
  }
  for (const auto& c : table.columns) {
    if (!c.in(kHdf5)) continue;
    if (c.planning()) throw std::logic_error(fmt::format("report column {} cannot be stored", c.name));
    const bool count = std::holds_alternative<std::uint64_t Row::*>(c.member);
    fields.push_back({std::string(c.name),
                      count ? FieldType::u64 : FieldType::f64,
                      {},
                      std::string(c.description),
                      std::string(c.unit)});
  }
  return TableLayout(std::string(table.hdf5_table), std::move(fields));
}

// The rows of one stored table, built and then written.
template <class Row>
class StoredTable {
 public:
  StoredTable(const ReportTable<Row>& table, const Labels& labels)
      : table_(table),
        labels_(labels),
        keys_(stored_keys(table)),
        layout_(stored_layout(table, labels)),
        rows_(layout_) {}
  StoredTable(const StoredTable&) = delete;  // rows_ points at layout_
  StoredTable& operator=(const StoredTable&) = delete;

  void add(const KeyLabels& keys, const Row& r) {
    RowRef row = rows_.append();
    std::uint32_t f = 0;
    for (const Key k : keys_) {
      const auto& names = labels_.of(k);
      const auto code = std::find(names.begin(), names.end(), keys.of(k)) - names.begin();
      row.set_enum(FieldId{f++}, static_cast<std::uint8_t>(code));
    }
    for (const auto& c : table_.columns) {
      if (!c.in(kHdf5)) continue;
      const FieldId id{f++};
      visit_value(c, r, [&](const auto& v) {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, double>) {
          row.set_f64(id, v);
        } else if constexpr (std::is_same_v<V, std::uint64_t>) {
          row.set_u64(id, v);
        }
      });
    }
  }

  void write(io::RunFileWriter& w, std::string_view strategy) const {
    w.write_table_rows(table_.hdf5_path(strategy), layout_, rows_.data(), rows_.rows());
  }

 private:
  const ReportTable<Row>& table_;
  const Labels& labels_;
  std::vector<Key> keys_;
  TableLayout layout_;
  TableBuffer rows_;
};

// A stored row read back: its key codes and values.
template <class Row>
struct StoredRow {
  std::array<std::uint8_t, std::size(kKeys)> code{};  // by Key
  Row row;
  std::uint8_t key(Key k) const { return code[static_cast<std::size_t>(k)]; }
};

template <class Row>
std::vector<StoredRow<Row>> read_rows(const io::RunFileReader& file, const ReportTable<Row>& table,
                                      const std::string& path) {
  std::vector<StoredRow<Row>> rows(file.rows(path));
  for (const Key k : stored_keys(table)) {
    const auto codes = file.read_u8_column(path, std::string(key_name(k)));
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i].code[static_cast<std::size_t>(k)] = codes.at(i);
  }
  const std::vector<std::string> fields = file.field_names(path);
  for (const auto& c : table.columns) {
    // A field that files written before it existed lack keeps its default (NaN, or 0 for a flag).
    if (!c.in(kHdf5) || std::find(fields.begin(), fields.end(), c.name) == fields.end()) continue;
    std::visit(
        [&](auto member) {
          using V = std::decay_t<decltype(std::declval<Row&>().*member)>;
          if constexpr (std::is_same_v<V, double>) {
            const auto v = file.read_f64_column(path, std::string(c.name));
            for (std::size_t i = 0; i < rows.size(); ++i) rows[i].row.*member = v.at(i);
          } else if constexpr (std::is_same_v<V, std::uint64_t>) {
            const auto v = file.read_u64_column(path, std::string(c.name));
            for (std::size_t i = 0; i < rows.size(); ++i) rows[i].row.*member = v.at(i);
          }
        },
        c.member);
  }
  return rows;
}

// An attribute that files written before it existed lack.
std::string attribute_or(const io::RunFileReader& file, const std::string& object, const std::string& name,
                         const std::string& fallback) {
  try {
    return file.string_attribute(object, name);
  } catch (const std::exception&) {
    return fallback;
  }
}

}  // namespace

void write_report(io::RunFileWriter& w, const Report& r, const std::vector<std::string>& endpoints,
                  const std::vector<std::string>& outcomes) {
  std::vector<std::string> strategy_names;
  for (const auto& s : r.strategies) strategy_names.push_back(s.name);
  const Labels labels{strategy_names, endpoints, outcomes};

  for (const auto& s : r.strategies) {
    StoredTable<EndpointSummary> summaries(kSummaryTable, labels);
    StoredTable<LandmarkValue> survival(kSurvivalTable, labels);
    for (const auto& e : s.endpoints) {
      const KeyLabels keys{.strategy = s.name, .endpoint = e.endpoint};
      summaries.add(keys, e);
      for (const auto& l : e.survival) survival.add(keys, l);
    }
    summaries.write(w, s.name);
    w.write_string_attribute(layout::summary_endpoints(s.name), layout::kConfLevel,
                             fmt::format("{}", r.conf_level));
    survival.write(w, s.name);
    if (!outcomes.empty()) {
      StoredTable<ProportionSummary> rates(kRateTable, labels);
      for (const auto& p : s.proportions) rates.add({.strategy = s.name, .outcome = p.name}, p);
      rates.write(w, s.name);
    }
  }

  if (strategy_names.size() > 1) {
    StoredTable<Comparison> comparisons(kComparisonTable, labels);
    StoredTable<LandmarkDifference> differences(kSurvivalDifferenceTable, labels);
    for (const auto& c : r.comparisons) {
      const KeyLabels keys{.strategy = c.strategy, .reference = c.reference, .endpoint = c.endpoint};
      comparisons.add(keys, c);
      for (const auto& l : c.survival_diff) differences.add(keys, l);
    }
    comparisons.write(w, {});
    w.write_string_attribute(layout::comparisons(), layout::kReference, r.reference);
    differences.write(w, {});
    if (!outcomes.empty()) {
      StoredTable<ProportionComparison> rates(kRateComparisonTable, labels);
      for (const auto& c : r.proportion_comparisons)
        rates.add({.strategy = c.strategy, .reference = c.reference, .outcome = c.name}, c);
      rates.write(w, {});
    }
  }
  write_km_steps(w, r, endpoints);
}

bool has_stored_report(const io::RunFileReader& file) {
  const auto strategies = file.strategy_order();
  return std::all_of(strategies.begin(), strategies.end(), [&](const std::string& s) {
    return file.has_dataset(layout::summary_endpoints(s)) && file.has_dataset(layout::summary_survival(s));
  });
}

Report read_report(const io::RunFileReader& file) {
  const std::vector<std::string> strategies = file.strategy_order();
  const std::vector<std::string> endpoints =
      split_list(file.string_attribute(layout::kRoot, layout::kEndpoints));
  const std::vector<std::string> outcomes =
      split_list(file.string_attribute(layout::kRoot, layout::kOutcomes));
  if (!has_stored_report(file))
    throw InputError("the file holds no stored summaries (/strategies/<name>/summary)");
  auto name = [](const std::vector<std::string>& labels, std::uint8_t c) {
    if (c >= labels.size()) throw InputError(fmt::format("stored summary has an unknown label code {}", c));
    return labels[c];
  };
  Report r;
  r.patients = std::stoull(file.string_attribute(layout::kRoot, layout::kPatients));
  r.reference = strategies.empty() ? std::string() : strategies.front();
  for (const auto& s : strategies) {
    StrategySummary ss;
    ss.name = s;
    const std::string ep = layout::summary_endpoints(s);
    r.conf_level = std::stod(attribute_or(file, ep, layout::kConfLevel, "0.95"));
    const auto survival = read_rows(file, kSurvivalTable, layout::summary_survival(s));
    for (auto& e : read_rows(file, kSummaryTable, ep)) {
      e.row.endpoint = name(endpoints, e.key(Key::endpoint));
      for (const auto& l : survival) {
        if (l.key(Key::endpoint) == e.key(Key::endpoint)) e.row.survival.push_back(l.row);
      }
      ss.endpoints.push_back(std::move(e.row));
    }
    const std::string rp = layout::summary_rates(s);
    if (file.has_dataset(rp)) {
      for (auto& p : read_rows(file, kRateTable, rp)) {
        p.row.name = name(outcomes, p.key(Key::outcome));
        ss.proportions.push_back(std::move(p.row));
      }
    }
    r.strategies.push_back(std::move(ss));
  }
  if (file.has_dataset(layout::comparisons())) {
    auto rows = read_rows(file, kComparisonTable, layout::comparisons());
    r.reference = attribute_or(file, layout::comparisons(), layout::kReference,
                               rows.empty() ? r.reference : name(strategies, rows[0].key(Key::reference)));
    std::vector<StoredRow<LandmarkDifference>> differences;
    if (file.has_dataset(layout::comparison_survival()))
      differences = read_rows(file, kSurvivalDifferenceTable, layout::comparison_survival());
    for (auto& c : rows) {
      c.row.strategy = name(strategies, c.key(Key::strategy));
      c.row.reference = name(strategies, c.key(Key::reference));
      c.row.endpoint = name(endpoints, c.key(Key::endpoint));
      for (const auto& l : differences) {
        if (l.key(Key::strategy) == c.key(Key::strategy) && l.key(Key::endpoint) == c.key(Key::endpoint))
          c.row.survival_diff.push_back(l.row);
      }
      r.comparisons.push_back(std::move(c.row));
    }
  }
  if (file.has_dataset(layout::rate_comparisons())) {
    for (auto& c : read_rows(file, kRateComparisonTable, layout::rate_comparisons())) {
      c.row.strategy = name(strategies, c.key(Key::strategy));
      c.row.reference = name(strategies, c.key(Key::reference));
      c.row.name = name(outcomes, c.key(Key::outcome));
      r.proportion_comparisons.push_back(std::move(c.row));
    }
  }
  return r;
}

}  // namespace mmsim::report
