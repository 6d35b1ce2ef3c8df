#include "models/myeloma/myeloma_model.hpp"

#include <algorithm>

#include "models/myeloma/src/endpoint_labels.hpp"
#include "models/myeloma/src/read_params.hpp"
#include "models/myeloma/src/streams.hpp"

namespace mmsim::myeloma {

MyelomaModel::MyelomaModel(Params params) : params_(std::move(params)), tables_(make_output_tables(params_)) {
  schema_.patients = tables_.patients.layout();
  schema_.trajectories = {tables_.lines.layout(), tables_.events.layout()};
  for (const Endpoint e : params_.endpoints) schema_.endpoints.emplace_back(kEndpointNames[idx(e)]);
  // Reported as rates, in this order (the engine checks that each names a u8 patients column).
  OutcomeColumns outcomes = outcome_columns(params_);
  schema_.outcomes = std::move(outcomes.outcomes);
  schema_.outcome_denominators = std::move(outcomes.denominators);
  schema_.state_names = std::vector<std::string>(kStateNames.begin(), kStateNames.end());
  for (const auto& s : params_.strategies) strategy_names_.push_back(s.name);
  add_display_labels(params_, schema_);
}

void MyelomaModel::simulate(std::size_t strategy, const StreamKey& key, PatientSink& sink) const {
  thread_local History h;
  simulate_patient(params_, strategy, key, h);
  write(h, key, sink);
}

void MyelomaModel::write(const History& h, const StreamKey& key, PatientSink& sink) const {
  const std::uint64_t patient = key.patient;
  double horizon = params_.horizon;
  if (params_.trial) {  // administrative censoring at the data cut-off, after uniform accrual
    RandomStream rs(StreamKey{key.seed, key.domain, patient, kTrialAccrual, 0});
    horizon = std::min(horizon, params_.trial_cutoff - params_.trial_accrual * rs.uniform());
  }
  PatientRecord record;
  record.patient = patient;
  record.history = &h;
  record.line1 = h.n_lines > 0 ? &h.lines[0] : nullptr;
  record.line2 = h.n_lines > 1 ? &h.lines[1] : nullptr;
  record.line3 = h.n_lines > 2 ? &h.lines[2] : nullptr;
  record.horizon = horizon;
  endpoint_values(params_, h, horizon, record.endpoints);
  tables_.patients.append(sink.patients, record);

  if (sink.trajectories == nullptr) return;
  TableBuffer& lines = (*sink.trajectories)[kLinesTable];
  for (std::size_t i = 0; i < h.n_lines; ++i) tables_.lines.append(lines, LineRow{patient, &h.lines[i]});
  TableBuffer& events = (*sink.trajectories)[kEventsTable];
  for (std::size_t i = 0; i < h.n_events; ++i) tables_.events.append(events, EventRow{patient, &h.events[i]});
}

std::unique_ptr<MyelomaModel> build_myeloma_model(const toml::table& root, const ScenarioSettings& settings,
                                                  config::Diagnostics& diag) {
  Params p = read_params(root, settings, diag);
  if (!diag.ok()) return nullptr;
  return std::make_unique<MyelomaModel>(std::move(p));
}

}  // namespace mmsim::myeloma
