#pragma once
// The generic multi-state model as an engine Model: a competing-clocks event loop over a MultistateSpec.
#include <optional>

#include "sim/core/model.hpp"
#include "sim/multistate/endpoint_masks.hpp"
#include "sim/multistate/multistate_spec.hpp"
#include "sim/multistate/plain_clock_loop.hpp"

namespace mmsim::multistate {

// Stream purposes: one per attribute, and one per state for the competing clocks drawn at each visit of it
// (step = visit number; the state's outgoing transitions take the stream's draws in config order), so draws
// are keyed by call site and a path shared by two strategies sees the same draws.
inline constexpr std::uint32_t kPurposeAttribute = 1;   // + attribute index
inline constexpr std::uint32_t kPurposeState = 100000;  // + state index

class MultistateModel final : public Model {
 public:
  explicit MultistateModel(MultistateSpec spec);
  // Not copyable or movable: the clocks point into spec_.
  MultistateModel(const MultistateModel&) = delete;
  MultistateModel& operator=(const MultistateModel&) = delete;

  const OutputSchema& schema() const override { return schema_; }
  const std::vector<std::string>& strategies() const override { return strategy_names_; }
  double horizon() const override { return spec_.settings.horizon; }
  // The general event loop, one patient.
  void simulate(std::size_t strategy, const StreamKey& key, PatientSink& sink) const override;
  // The block loop (PlainClockLoop) where the strategy's clocks allow it, else false.
  bool simulate_block(std::size_t strategy, const StreamKey& first, std::uint64_t count,
                      BlockSink& sink) const override;
  bool has_block_loop(std::size_t strategy) const { return block_loops_[strategy].has_value(); }
  std::string parameter_report() const override;

  const MultistateSpec& spec() const { return spec_; }

 private:
  MultistateSpec spec_;
  OutputSchema schema_;
  std::vector<std::string> strategy_names_;
  // One competing clock of a state, with everything its draw needs in one place: the per-patient loop reads
  // a contiguous run of these instead of chasing the spec's transitions, hazard-ratio and strategy vectors.
  struct Clock {
    const TimeDistribution* law = nullptr;
    double strategy_hr = 1.0;                  // the strategy's multiplier of this transition's hazard
    const AttributeEffect* effects = nullptr;  // hazard ratios on attributes (hazard x hr^value)
    std::uint32_t n_effects = 0;
    int origin_attribute = -1;  // forward clocks: attribute the clock starts at, or none
    ClockKind kind = ClockKind::reset;
    std::uint32_t transition = 0;
  };
  // [strategy][clocks_begin_[state] .. clocks_begin_[state + 1]): the state's outgoing transitions in config
  // order (the order they take their stream's draws in).
  std::vector<std::vector<Clock>> clocks_;
  std::vector<std::uint32_t> clocks_begin_;
  EndpointMasks masks_;
  std::vector<std::optional<PlainClockLoop>> block_loops_;  // per strategy; empty: the general loop only
  // Byte offsets of the patients-table columns in a row, resolved once (a row is written by memcpy at these).
  std::size_t id_at_ = 0, final_state_at_ = 0;
  std::vector<std::size_t> attribute_at_, endpoint_time_at_, endpoint_event_at_;
  // Column ids, resolved once.
  FieldId f_id_;
  std::vector<FieldId> f_attributes_;
  FieldId f_final_state_;
  std::vector<FieldId> f_endpoint_time_, f_endpoint_event_;
  FieldId f_ev_patient_, f_ev_time_, f_ev_from_, f_ev_to_;
};

}  // namespace mmsim::multistate
