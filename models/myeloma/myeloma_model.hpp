#pragma once
// The myeloma model as an engine Model (sim/core/model.hpp): reads its config, simulates one patient per
// call, writes the patients, lines and events tables. Built once, immutable, shared read-only by all threads.
#include <memory>

#include "models/myeloma/src/output_tables.hpp"
#include "models/myeloma/src/params.hpp"
#include "models/myeloma/src/simulate.hpp"
#include "models/myeloma/src/therapy_listing.hpp"
#include "sim/config/diagnostics.hpp"
#include "sim/config/simulation_settings.hpp"
#include "sim/core/model.hpp"

namespace mmsim::myeloma {

class MyelomaModel final : public Model {
 public:
  explicit MyelomaModel(Params params);

  const OutputSchema& schema() const override { return schema_; }
  const std::vector<std::string>& strategies() const override { return strategy_names_; }
  double horizon() const override { return params_.horizon; }
  void simulate(std::size_t strategy, const StreamKey& key, PatientSink& sink) const override;
  std::string parameter_report() const override;

  const Params& params() const { return params_; }
  // Writes one simulated history (used by simulate(); public for tests). `key` is the patient's stream key
  // (the trial enrolment time is drawn from it).
  void write(const History& h, const StreamKey& key, PatientSink& sink) const;

 private:
  Params params_;
  OutputTables tables_;  // the columns of patients, lines and events, and how each value is read
  OutputSchema schema_;
  std::vector<std::string> strategy_names_;
};

// The file of fitted parameters `mmsim calibrate` writes; every scenario should include it last (a scenario
// without it runs on the uncalibrated values of the parameter files, and the CLI warns).
inline constexpr const char* kCalibratedParametersFile = "calibrated.toml";

// Reads and validates the config (errors into diag) and builds the model; null when diag has errors.
// `settings`: the [simulation] and [trial] tables every model shares, read by the registry.
std::unique_ptr<MyelomaModel> build_myeloma_model(const toml::table& root, const ScenarioSettings& settings,
                                                  config::Diagnostics& diag);

}  // namespace mmsim::myeloma
