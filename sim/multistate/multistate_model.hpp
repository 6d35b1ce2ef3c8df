#pragma once
// The generic multi-state model as an engine Model: a competing-clocks event loop over a MultistateSpec.
#include "sim/core/model.hpp"
#include "sim/multistate/multistate_spec.hpp"

namespace mmsim::multistate {

// Stream purposes: one per attribute, and one per state for the competing clocks drawn at each visit of it
// (step = visit number; the state's outgoing transitions take the stream's draws in config order), so draws
// are keyed by call site and a path shared by two strategies sees the same draws.
inline constexpr std::uint32_t kPurposeAttribute = 1;   // + attribute index
inline constexpr std::uint32_t kPurposeState = 100000;  // + state index

class MultistateModel final : public Model {
 public:
  explicit MultistateModel(MultistateSpec spec);

  const OutputSchema& schema() const override { return schema_; }
  const std::vector<std::string>& strategies() const override { return strategy_names_; }
  double horizon() const override { return spec_.settings.horizon; }
  void simulate(std::size_t strategy, const StreamKey& key, PatientSink& sink) const override;
  std::string parameter_report() const override;

  const MultistateSpec& spec() const { return spec_; }

 private:
  MultistateSpec spec_;
  OutputSchema schema_;
  std::vector<std::string> strategy_names_;
  std::vector<std::vector<std::uint32_t>> outgoing_;  // per state: transition indices
  // Per state, bit e set when entering the state starts (ends) endpoint e: a state entry then costs two mask
  // operations instead of a loop over the endpoints.
  std::vector<std::uint32_t> starts_mask_, ends_mask_;
  std::uint32_t started_at_zero_ = 0;  // endpoints that start at time zero
  // Column ids, resolved once.
  FieldId f_id_;
  std::vector<FieldId> f_attributes_;
  FieldId f_final_state_;
  std::vector<FieldId> f_endpoint_time_, f_endpoint_event_;
  FieldId f_ev_patient_, f_ev_time_, f_ev_from_, f_ev_to_;
};

}  // namespace mmsim::multistate
