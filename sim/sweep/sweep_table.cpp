#include "sim/sweep/sweep_table.hpp"

#include "sim/core/text.hpp"
#include "sim/format/text_table.hpp"
#include "sim/io/run_layout.hpp"
#include "sim/report/report_schema.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace mmsim::sweep {
namespace {

std::string number_text(double v) {
  return fmt::format("{}", v);
}

std::string landmark_name(double t) {
  return "surv_" + number_text(t);
}

std::uint8_t code(const std::vector<std::string>& labels, const std::string& name) {
  const auto it = std::find(labels.begin(), labels.end(), name);
  if (it == labels.end()) throw std::logic_error("sweep table: unknown label " + name);
  return static_cast<std::uint8_t>(it - labels.begin());
}

std::vector<Field> head(const TableShape& s, bool with_replicate) {
  std::vector<Field> f{{"point", FieldType::u64, {}, "0-based point of the design"}};
  if (with_replicate) f.push_back({"replicate", FieldType::u32, {}, "replicate (random-stream domain)"});
  for (const auto& p : s.parameters) f.push_back({p, FieldType::f64, {}, "parameter value"});
  return f;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? "\n" : "") + v[i];
  return out;
}

// Writes a double at the field's offset.
void put(RowRef& row, std::uint32_t& field, double v) {
  row.set_f64(FieldId{field++}, v);
}

using report::Key;
using report::kSweep;

Field key_field(Key key, const std::vector<std::string>& labels) {
  return {std::string(report::key_name(key)), FieldType::enumeration, labels, ""};
}

// The leading fields of a table with a row per replicate and strategy: point, replicate, the parameters, the
// strategy.
std::vector<Field> replicate_head(const TableShape& s) {
  auto f = head(s, true);
  f.push_back(key_field(Key::strategy, s.strategies));
  return f;
}

// A row just appended and the first of its fields still to write.
struct NewRow {
  RowRef row;
  std::uint32_t field;
};

// Appends a row to such a table with its leading fields (replicate_head) written.
NewRow append_replicate_row(TableBuffer& table, const SweepTables& t, std::uint64_t point,
                            std::uint32_t replicate, const std::vector<double>& values,
                            const std::string& strategy) {
  NewRow r{table.append(), 0};
  r.row.set_u64(FieldId{r.field++}, point);
  r.row.set_u32(FieldId{r.field++}, replicate);
  for (const double v : values) put(r.row, r.field, v);
  r.row.set_enum(FieldId{r.field++}, code(t.shape.strategies, strategy));
  return r;
}

// The sweep columns of one kind of report row, named by `name` (a landmark's carry its time), each described
// by `note` (the descriptions the sweep tables have always had).
template <class Row, class Name>
void add_fields(std::vector<Field>& fields, const report::ReportTable<Row>& table, const std::string& note,
                Name name) {
  for (const auto& c : table.columns) {
    if (!c.in(kSweep)) continue;
    const bool count = std::holds_alternative<std::uint64_t Row::*>(c.member);
    fields.push_back({name(c.name), count ? FieldType::u64 : FieldType::f64, {}, note, std::string(c.unit)});
  }
}
template <class Row>
void add_fields(std::vector<Field>& fields, const report::ReportTable<Row>& table, const std::string& note) {
  add_fields(fields, table, note, [](std::string_view n) { return std::string(n); });
}

// The sweep values of one report row, from field `f` on.
template <class Row>
void put_values(RowRef& row, std::uint32_t& f, const report::ReportTable<Row>& table, const Row& r) {
  for (const auto& c : table.columns) {
    if (!c.in(kSweep)) continue;
    report::visit_value(c, r, [&](const auto& v) {
      using V = std::decay_t<decltype(v)>;
      if constexpr (std::is_same_v<V, double>) {
        row.set_f64(FieldId{f++}, v);
      } else if constexpr (std::is_same_v<V, std::uint64_t>) {
        row.set_u64(FieldId{f++}, v);
      } else {
        throw std::logic_error("sweep table: planning columns are not swept");
      }
    });
  }
}

const char* const kVersusReference = "vs the reference strategy";

// What a row holds where the report has no value: a landmark it lacks, the reference strategy's comparison
// with itself (all NaN).
const report::LandmarkValue kNoLandmark;
const report::Comparison kNoComparison;
const report::ProportionComparison kNoRateComparison;

}  // namespace

SweepTables::SweepTables(const TableShape& s) : shape(s) {
  auto pf = head(s, false);
  pf.insert(pf.begin() + 1,
            {"varied", FieldType::i32, {}, "one-way: index of the parameter moved (-1: base)"});
  points = TableLayout("sweep_points", pf);

  auto ef = replicate_head(s);
  ef.push_back(key_field(Key::endpoint, s.endpoints));
  add_fields(ef, report::kSummaryTable, "");
  for (double t : s.landmarks) {
    add_fields(ef, report::kSurvivalTable, fmt::format("landmark survival at {} months", t),
               [t](std::string_view n) {
                 return n == "surv" ? landmark_name(t) : landmark_name(t) + "_" + std::string(n);
               });
  }
  add_fields(ef, report::kComparisonTable, kVersusReference);
  endpoints = TableLayout("sweep_endpoints", ef);

  auto rf = replicate_head(s);
  // An enum needs at least one label: a model without outcomes has an empty rates table.
  rf.push_back(key_field(Key::outcome, s.outcomes.empty() ? std::vector<std::string>{"none"} : s.outcomes));
  add_fields(rf, report::kRateTable, "");
  add_fields(rf, report::kRateComparisonTable, kVersusReference);
  rates = TableLayout("sweep_rates", rf);

  auto xf = replicate_head(s);
  xf.push_back({"n", FieldType::u64, {}, "patients"});
  for (const char* name : {"cost", "cost_se", "qaly", "qaly_se", "ly", "ly_se", "cost_undiscounted",
                           "qaly_undiscounted", "ly_undiscounted"})
    xf.push_back(
        {name, FieldType::f64, {}, "per-patient mean (discounted unless named so), or its Monte Carlo SE"});
  economics = TableLayout("sweep_economics", xf);
}

std::size_t SweepTables::economics_rows_per_point() const {
  return shape.economics ? shape.replicates * shape.strategies.size() : 0;
}

void add_economics_rows(const SweepTables& t, std::uint64_t point, std::uint32_t replicate,
                        const std::vector<double>& values, const economics::EconomicsReport& r,
                        PointRows& out) {
  for (std::size_t s = 0; s < r.strategies.size(); ++s) {
    const auto& x = r.strategies[s];
    auto [row, f] = append_replicate_row(out.economics, t, point, replicate, values, x.strategy);
    row.set_u64(FieldId{f++}, x.n);
    for (const double v : {x.cost.mean, x.cost.se, x.qaly.mean, x.qaly.se, x.ly.mean, x.ly.se,
                           x.cost_undiscounted.mean, x.qaly_undiscounted.mean, x.ly_undiscounted.mean})
      put(row, f, v);
  }
}

std::size_t SweepTables::endpoint_rows_per_point() const {
  return shape.replicates * shape.strategies.size() * shape.endpoints.size();
}

std::size_t SweepTables::rate_rows_per_point() const {
  return shape.replicates * shape.strategies.size() * shape.outcomes.size();
}

void add_point_row(const SweepTables& t, std::uint64_t point, int varied, const std::vector<double>& values,
                   PointRows& out) {
  RowRef row = out.points.append();
  row.set_u64(FieldId{0}, point);
  row.set_i32(FieldId{1}, varied);
  for (std::uint32_t j = 0; j < values.size(); ++j) row.set_f64(FieldId{2 + j}, values[j]);
  (void)t;
}

void add_report_rows(const SweepTables& t, std::uint64_t point, std::uint32_t replicate,
                     const std::vector<double>& values, const report::Report& r, PointRows& out) {
  for (const auto& s : r.strategies) {
    for (const auto& e : s.endpoints) {
      auto [row, f] = append_replicate_row(out.endpoints, t, point, replicate, values, s.name);
      row.set_enum(FieldId{f++}, code(t.shape.endpoints, e.endpoint));
      put_values(row, f, report::kSummaryTable, e);
      for (double lt : t.shape.landmarks) {
        const report::LandmarkValue* l = &kNoLandmark;
        for (const auto& x : e.survival) {
          if (x.time == lt) l = &x;
        }
        put_values(row, f, report::kSurvivalTable, *l);
      }
      const report::Comparison* c = &kNoComparison;
      for (const auto& x : r.comparisons) {
        if (x.strategy == s.name && x.endpoint == e.endpoint) c = &x;
      }
      put_values(row, f, report::kComparisonTable, *c);
    }
    for (const auto& p : s.proportions) {
      auto [row, f] = append_replicate_row(out.rates, t, point, replicate, values, s.name);
      row.set_enum(FieldId{f++}, code(t.shape.outcomes, p.name));
      put_values(row, f, report::kRateTable, p);
      const report::ProportionComparison* c = &kNoRateComparison;
      for (const auto& x : r.proportion_comparisons) {
        if (x.strategy == s.name && x.name == p.name) c = &x;
      }
      put_values(row, f, report::kRateComparisonTable, *c);
    }
  }
}

std::string to_csv(const TableLayout& layout, const std::byte* rows, std::size_t n_rows) {
  std::string out;
  const auto& fields = layout.fields();
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    out += format::csv_field(fields[i].name);
  }
  out += '\n';
  for (std::size_t r = 0; r < n_rows; ++r) {
    const std::byte* row = rows + r * layout.row_size();
    for (std::uint32_t i = 0; i < fields.size(); ++i) {
      if (i) out += ',';
      const std::byte* at = row + layout.offset(FieldId{i});
      const auto get = [at](auto v) {
        std::memcpy(&v, at, sizeof(v));
        return v;
      };
      switch (fields[i].type) {
        case FieldType::f64: {
          const double v = get(0.0);
          out += std::isnan(v) ? std::string("NA") : number_text(v);
          break;
        }
        case FieldType::i32:
          out += std::to_string(get(std::int32_t{}));
          break;
        case FieldType::u32:
          out += std::to_string(get(std::uint32_t{}));
          break;
        case FieldType::u64:
          out += std::to_string(get(std::uint64_t{}));
          break;
        case FieldType::u8:
          out += std::to_string(get(std::uint8_t{}));
          break;
        case FieldType::enumeration:
          out += format::csv_field(fields[i].labels.at(get(std::uint8_t{})));
          break;
      }
    }
    out += '\n';
  }
  return out;
}

std::vector<std::string> shape_attribute_names() {
  namespace layout = io::layout;
  return {layout::kSweepParameters, layout::kSweepStrategies, layout::kSweepEndpointNames,
          layout::kSweepOutcomes,   layout::kSweepLandmarks,  layout::kSweepReplicates};
}

std::vector<std::pair<std::string, std::string>> shape_attributes(const TableShape& s) {
  std::vector<std::string> lm;
  for (double t : s.landmarks) lm.push_back(number_text(t));
  const auto names = shape_attribute_names();
  return {{names[0], join(s.parameters)}, {names[1], join(s.strategies)},
          {names[2], join(s.endpoints)},  {names[3], join(s.outcomes)},
          {names[4], join(lm)},           {names[5], std::to_string(s.replicates)}};
}

std::vector<std::pair<std::string, std::string>> shape_attributes_with_economics(const TableShape& s) {
  auto a = shape_attributes(s);
  if (s.economics) a.emplace_back(io::layout::kSweepEconomics, "1");
  return a;
}

TableShape shape_from_attributes(const std::vector<std::pair<std::string, std::string>>& a) {
  TableShape s;
  const auto names = shape_attribute_names();
  const auto value = [&](const std::string& name) {
    for (const auto& [k, v] : a) {
      if (k == name) return v;
    }
    throw std::runtime_error("sweep shard lacks the attribute " + name);
  };
  s.parameters = split_list(value(names[0]), '\n');
  s.strategies = split_list(value(names[1]), '\n');
  s.endpoints = split_list(value(names[2]), '\n');
  s.outcomes = split_list(value(names[3]), '\n');
  for (const auto& t : split_list(value(names[4]), '\n')) s.landmarks.push_back(std::stod(t));
  s.replicates = static_cast<std::uint32_t>(std::stoul(value(names[5])));
  for (const auto& [k, v] : a) {
    if (k == io::layout::kSweepEconomics) s.economics = v == "1";
  }
  return s;
}

}  // namespace mmsim::sweep
