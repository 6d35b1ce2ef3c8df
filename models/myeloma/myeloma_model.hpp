#pragma once
// The myeloma model as an engine Model (sim/core/model.hpp): reads its config, simulates one patient per
// call, writes the patients, lines and events tables. Built once, immutable, shared read-only by all threads.
#include <memory>

#include "models/myeloma/src/params.hpp"
#include "models/myeloma/src/simulate.hpp"
#include "sim/config/diagnostics.hpp"
#include "sim/core/model.hpp"
#include "sim/engine/simulation_settings.hpp"

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
  OutputSchema schema_;
  std::vector<std::string> strategy_names_;
  // Patients table.
  FieldId f_id_;
  std::array<FieldId, kAttrs> f_attr_{};
  FieldId f_index_therapy_, f_infused1_, f_best1_, f_resp1_, f_cr1_, f_crs1_, f_crs3_1_, f_mech1_,
      f_therapy2_, f_best2_, f_resp2_, f_lines_, f_death_cause_;
  std::vector<FieldId> f_ep_time_, f_ep_event_;
  // Lines table.
  FieldId l_patient_, l_line_, l_therapy_, l_partner_, l_maintenance_, l_start_, l_infusion_, l_end_, l_best_,
      l_reason_, l_mech_, l_crs_, l_icans_, l_bridged_, l_maintained_;
  // Events table.
  FieldId e_patient_, e_time_, e_from_, e_to_, e_line_, e_cause_;
};

// Reads and validates the config (errors into diag) and builds the model; null when diag has errors.
// `settings`: the [simulation] and [trial] tables every model shares, read by the registry.
std::unique_ptr<MyelomaModel> build_myeloma_model(const toml::table& root, const ScenarioSettings& settings,
                                                  config::Diagnostics& diag);

}  // namespace mmsim::myeloma
