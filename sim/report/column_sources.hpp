#pragma once
// ColumnSources for compute_report: the in-memory columns of a summary-only run, and the patients tables of a
// run file (being written, or finished).
#include <string>
#include <vector>

#include "sim/io/run_layout.hpp"
#include "sim/report/report.hpp"
#include "sim/runner/cohort_runner.hpp"

namespace mmsim::report {

class MemoryColumns final : public ColumnSource {
 public:
  MemoryColumns(const RunOutcome& outcome, const std::vector<std::string>& endpoints,
                const std::vector<std::string>& outcomes)
      : outcome_(outcome), endpoints_(endpoints), outcomes_(outcomes) {}
  void endpoint(std::size_t strategy, const std::string& name, std::vector<double>& time,
                std::vector<std::uint8_t>& event) const override;
  std::optional<stats::SurvivalSample> endpoint_view(std::size_t strategy,
                                                     const std::string& name) const override;
  std::vector<std::uint8_t> outcome(std::size_t strategy, const std::string& name) const override;
  bool concurrent_reads() const override { return true; }

 private:
  const RunOutcome& outcome_;
  const std::vector<std::string>& endpoints_;
  const std::vector<std::string>& outcomes_;
};

// The columns a run spilled to disk (ColumnCollection::spill), read whole or by patient range.
class SpilledColumns final : public ColumnSource {
 public:
  SpilledColumns(const RunOutcome& outcome, const std::vector<std::string>& endpoints,
                 const std::vector<std::string>& outcomes)
      : outcome_(outcome), endpoints_(endpoints), outcomes_(outcomes) {}
  void endpoint(std::size_t strategy, const std::string& name, std::vector<double>& time,
                std::vector<std::uint8_t>& event) const override;
  std::vector<std::uint8_t> outcome(std::size_t strategy, const std::string& name) const override;
  bool chunked() const override { return true; }
  std::uint64_t patient_count() const override;
  void endpoint_chunk(std::size_t strategy, const std::string& name, std::uint64_t first, std::size_t count,
                      std::vector<double>& time, std::vector<std::uint8_t>& event) const override;

 private:
  std::size_t column(std::size_t strategy, std::size_t index) const {
    return strategy * outcome_.spill_stride + index;
  }
  const RunOutcome& outcome_;
  const std::vector<std::string>& endpoints_;
  const std::vector<std::string>& outcomes_;
};

// Reads `/strategies/<name>/patients` columns through any object with read_f64_column/read_u8_column
// (io::RunFileWriter during a run, io::RunFileReader afterwards).
template <class File>
class FileColumns final : public ColumnSource {
 public:
  FileColumns(const File& file, const std::vector<std::string>& strategies)
      : file_(file), strategies_(strategies) {}
  void endpoint(std::size_t strategy, const std::string& name, std::vector<double>& time,
                std::vector<std::uint8_t>& event) const override {
    const std::string path = io::layout::patients_table(strategies_[strategy]);
    time = file_.read_f64_column(path, name + "_time");
    event = file_.read_u8_column(path, name + "_event");
  }
  std::vector<std::uint8_t> outcome(std::size_t strategy, const std::string& name) const override {
    return file_.read_u8_column(io::layout::patients_table(strategies_[strategy]), name);
  }

 private:
  const File& file_;
  const std::vector<std::string>& strategies_;
};

}  // namespace mmsim::report
