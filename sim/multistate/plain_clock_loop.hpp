#pragma once
// The multistate engine's block loop for the common case: no patient attributes, and every clock a reset
// clock with an exponential or Weibull law and the strategy's fixed hazard multiplier (the reference
// illness-death model). MultistateModel takes it for every strategy whose spec allows it (compile() says
// which) and the general loop (MultistateModel::simulate) for the rest.
//
// It draws what the general loop draws: the same stream for each state visit, its words in clock order, and
// the same floating-point operations in the same order (the laws' sample() and sample_conditional() written
// out), so its rows, trajectory rows and endpoint columns are the general loop's bit for bit
// (tests/unit/sim/multistate/test_plain_clock_loop.cpp). What it leaves out is bookkeeping: a virtual call
// per draw, the RandomStream object and its key bumps (a block's round keys are made once: PhiloxKeyed), the
// attribute, hazard-ratio and clock-origin steps, the visit counts when no state can be entered twice, and,
// when the run wants only the endpoint columns, the patients row and the copy out of it.
#include <cstdint>
#include <optional>
#include <vector>

#include "sim/core/model.hpp"
#include "sim/core/table.hpp"
#include "sim/multistate/endpoint_masks.hpp"
#include "sim/multistate/multistate_spec.hpp"

namespace mmsim::multistate {

class PlainClockLoop {
 public:
  // The loop for strategy `strategy` of `spec`, writing rows of `patients` and `events` (the model's
  // tables); nullopt when the spec needs the general loop.
  static std::optional<PlainClockLoop> compile(const MultistateSpec& spec, std::size_t strategy,
                                               const TableLayout& patients, const TableLayout& events);

  // Model::simulate_block for this strategy.
  void run(const StreamKey& first, std::uint64_t count, BlockSink& sink) const;

 private:
  PlainClockLoop() = default;

  // How a clock turns its uniform into a time in state: a law's sample() (hazard multiplier 1) or
  // sample_conditional(rng, 0, hr).
  enum class Draw : std::uint8_t { exponential, exponential_hr, weibull, weibull_hr };
  struct Clock {
    double scale = 0.0;      // exponential: the mean 1 / rate, as Exponential keeps it; Weibull: the scale
    double inv_shape = 0.0;  // Weibull: 1 / shape, as Weibull keeps it
    double hr = 1.0;         // the strategy's hazard multiplier (read by the _hr draws only)
    Draw draw = Draw::exponential;
    std::uint32_t to = 0;  // the state it leads to
  };
  // Everything an entry into a state and a visit of it read, in one place.
  struct State {
    std::uint64_t purpose_word = 0;  // (kPurposeState + state) << 32: counter word 1 but the step
    std::uint32_t first_clock = 0, n_clocks = 0;  // its clocks in config order (their draws' order)
    std::uint32_t starts = 0, ends = 0;           // endpoints its entry starts and ends (EndpointMasks)
  };
  static double time_in_state(const Clock& c, double u);
  template <bool Revisits, bool StateStarts>
  void run_patients(const StreamKey& first, std::uint64_t count, BlockSink& sink) const;

  std::vector<Clock> clocks_;
  std::vector<State> states_;
  std::uint32_t started_at_zero_ = 0;
  std::uint32_t n_endpoints_ = 0;
  std::uint32_t initial_ = 0;
  double horizon_ = 0.0;
  bool revisits_ = false;  // some state can be entered twice: streams are keyed by the visit count
  // Byte offsets in a patients row and an events row.
  std::size_t id_at_ = 0, final_state_at_ = 0;
  std::vector<std::size_t> time_at_, event_at_;
  std::size_t ev_patient_at_ = 0, ev_time_at_ = 0, ev_from_at_ = 0, ev_to_at_ = 0;
};

}  // namespace mmsim::multistate
