#include "sim/economics/economics_h5.hpp"

#include "sim/economics/patient_economics.hpp"
#include "sim/io/run_layout.hpp"

namespace mmsim::economics {

void write_moments(io::RunFileWriter& writer, const Moments& m, const std::vector<std::string>& strategies) {
  const std::vector<std::string> values(kValueNames.begin(), kValueNames.end());
  const TableLayout means("economics_means", {{"strategy", FieldType::enumeration, strategies, "strategy"},
                                              {"value", FieldType::enumeration, values, "per-patient value"},
                                              {"n", FieldType::u64, {}, "patients"},
                                              {"mean", FieldType::f64, {}, "mean over the patients"}});
  TableBuffer rows(means);
  for (std::size_t i = 0; i < m.dimension(); ++i) {
    RowRef r = rows.append();
    r.set_enum(FieldId{0}, static_cast<std::uint8_t>(i / kValues));
    r.set_enum(FieldId{1}, static_cast<std::uint8_t>(i % kValues));
    r.set_u64(FieldId{2}, m.n());
    r.set_f64(FieldId{3}, m.mean(i));
  }
  writer.write_table_rows(io::layout::kEconomicsMeans, means, rows.data(), rows.rows());
  const TableLayout co("economics_comoments",
                       {{"i", FieldType::u32, {}, "row of the means table"},
                        {"j", FieldType::u32, {}, "row of the means table"},
                        {"comoment", FieldType::f64, {}, "sum of (x_i - mean_i)(x_j - mean_j)"}});
  TableBuffer crow(co);
  const std::size_t d = m.dimension();
  for (std::size_t i = 0; i < d; ++i) {
    for (std::size_t j = 0; j < d; ++j) {
      RowRef r = crow.append();
      r.set_u32(FieldId{0}, static_cast<std::uint32_t>(i));
      r.set_u32(FieldId{1}, static_cast<std::uint32_t>(j));
      r.set_f64(FieldId{2}, m.comoments()[i * d + j]);
    }
  }
  writer.write_table_rows(io::layout::kEconomicsComoments, co, crow.data(), crow.rows());
}

std::optional<Moments> read_moments(const io::RunFileReader& file) {
  if (!file.has_dataset(io::layout::kEconomicsMeans)) return std::nullopt;
  std::vector<double> mean = file.read_f64_column(io::layout::kEconomicsMeans, "mean");
  const std::vector<std::uint64_t> n = file.read_u64_column(io::layout::kEconomicsMeans, "n");
  std::vector<double> co = file.read_f64_column(io::layout::kEconomicsComoments, "comoment");
  return Moments(n.empty() ? 0 : n.front(), std::move(mean), std::move(co));
}

}  // namespace mmsim::economics
