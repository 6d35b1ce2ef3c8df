#include "sim/multistate/plain_clock_loop.hpp"

#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

#include "sim/dist/time_laws.hpp"
#include "sim/multistate/multistate_model.hpp"
#include "sim/random/philox_keyed.hpp"

namespace mmsim::multistate {
namespace {

// Whether some state can be entered twice: a cycle in the transition graph (Kahn's algorithm leaves states
// unremoved exactly when there is one).
bool has_cycle(const MultistateSpec& spec) {
  std::vector<std::uint32_t> in_degree(spec.states.size(), 0);
  for (const TransitionSpec& t : spec.transitions) ++in_degree[t.to];
  std::vector<std::uint32_t> ready;
  for (std::uint32_t s = 0; s < spec.states.size(); ++s) {
    if (in_degree[s] == 0) ready.push_back(s);
  }
  std::size_t removed = 0;
  while (!ready.empty()) {
    const std::uint32_t s = ready.back();
    ready.pop_back();
    ++removed;
    for (const TransitionSpec& t : spec.transitions) {
      if (t.from == s && --in_degree[t.to] == 0) ready.push_back(t.to);
    }
  }
  return removed != spec.states.size();
}

template <class T>
void store_at(std::byte* row, std::size_t at, T value) {
  std::memcpy(row + at, &value, sizeof value);
}

}  // namespace

std::optional<PlainClockLoop> PlainClockLoop::compile(const MultistateSpec& spec, std::size_t strategy,
                                                      const TableLayout& patients,
                                                      const TableLayout& events) {
  if (!spec.attributes.empty())
    return std::nullopt;  // attribute streams, hazard ratios, origins, assignments
  PlainClockLoop loop;
  for (std::uint32_t s = 0; s < spec.states.size(); ++s) {
    State state;
    state.purpose_word = std::uint64_t{kPurposeState + s} << 32;
    state.first_clock = static_cast<std::uint32_t>(loop.clocks_.size());
    for (std::size_t t = 0; t < spec.transitions.size(); ++t) {
      const TransitionSpec& tr = spec.transitions[t];
      if (tr.from != s) continue;
      if (tr.clock != ClockKind::reset || !tr.hazard_ratios.empty() || !tr.on_fire.empty())
        return std::nullopt;
      Clock c;
      c.hr = spec.strategies[strategy].transition_hr[t];
      c.to = tr.to;
      if (const auto* e = dynamic_cast<const Exponential*>(tr.law.get())) {
        c.scale = 1.0 / e->rate();
        c.draw = c.hr == 1.0 ? Draw::exponential : Draw::exponential_hr;
      } else if (const auto* w = dynamic_cast<const Weibull*>(tr.law.get())) {
        c.scale = w->scale();
        c.inv_shape = 1.0 / w->shape();
        c.draw = c.hr == 1.0 ? Draw::weibull : Draw::weibull_hr;
      } else {
        return std::nullopt;  // a law without a written-out draw here
      }
      loop.clocks_.push_back(c);
    }
    state.n_clocks = static_cast<std::uint32_t>(loop.clocks_.size()) - state.first_clock;
    loop.states_.push_back(state);
  }
  const EndpointMasks masks = endpoint_masks(spec);
  for (std::size_t s = 0; s < loop.states_.size(); ++s) {
    loop.states_[s].starts = masks.starts[s];
    loop.states_[s].ends = masks.ends[s];
  }
  loop.started_at_zero_ = masks.started_at_zero;
  loop.n_endpoints_ = static_cast<std::uint32_t>(spec.endpoints.size());
  loop.initial_ = spec.initial;
  loop.horizon_ = spec.settings.horizon;
  loop.revisits_ = has_cycle(spec);
  loop.id_at_ = patients.offset(patients.find("id"));
  loop.final_state_at_ = patients.offset(patients.find("final_state"));
  for (const EndpointSpec& e : spec.endpoints) {
    loop.time_at_.push_back(patients.offset(patients.find(e.name + "_time")));
    loop.event_at_.push_back(patients.offset(patients.find(e.name + "_event")));
  }
  loop.ev_patient_at_ = events.offset(events.find("patient"));
  loop.ev_time_at_ = events.offset(events.find("time"));
  loop.ev_from_at_ = events.offset(events.find("from"));
  loop.ev_to_at_ = events.offset(events.find("to"));
  return loop;
}

// The draw of the general loop (draw_clock with a reset clock) for these laws: E = -log(u) as
// RandomStream::exponential(); Exponential::sample is E * mean, Weibull::sample inv_cumhazard(E), and
// sample_conditional(rng, 0, hr) is inv_cumhazard(E / hr), each with its law's own expression.
inline double PlainClockLoop::time_in_state(const Clock& c, double u) {
  const double e = -std::log(u);
  switch (c.draw) {
    case Draw::exponential:
      return e * c.scale;
    case Draw::exponential_hr:
      return Exponential::inv_cumhazard_of(e / c.hr, c.scale);
    case Draw::weibull:
      return Weibull::inv_cumhazard_of(e, c.scale, c.inv_shape);
    case Draw::weibull_hr:
      return Weibull::inv_cumhazard_of(e / c.hr, c.scale, c.inv_shape);
  }
  return 0.0;  // unreachable: every Draw is handled above
}

template <bool Revisits, bool StateStarts>
void PlainClockLoop::run_patients(const StreamKey& first, std::uint64_t count, BlockSink& sink) const {
  const PhiloxKeyed philox(first.seed, first.domain);
  TableBuffer* const events = sink.trajectories != nullptr ? &(*sink.trajectories)[0] : nullptr;
  TableBuffer* const patients = sink.patients;
  const std::uint32_t n_endpoints = n_endpoints_;
  const double horizon = horizon_;
  // Where the endpoint columns go, advanced a patient at a time (no columns: nothing written).
  std::array<double*, kMaxEndpoints> time_column{};
  std::array<std::uint8_t*, kMaxEndpoints> event_column{};
  const bool to_columns = !sink.endpoint_time.empty();
  for (std::uint32_t e = 0; to_columns && e < n_endpoints; ++e) {
    time_column[e] = sink.endpoint_time[e];
    event_column[e] = sink.endpoint_event[e];
  }
  // An endpoint's start and end times (EndpointClock's, kept here for a tighter loop): read only where the
  // started and ended masks say they were set. The time-zero starts are set once for the whole block: no
  // entry overwrites them (an entry sets only the starts of endpoints not yet started).
  std::array<double, kMaxEndpoints> start_time, end_time;
  for (std::uint32_t m = started_at_zero_; m != 0; m &= m - 1) start_time[std::countr_zero(m)] = 0.0;
  // Visit counts, read only where `visited` says they were set (see MultistateModel::simulate).
  std::array<std::uint32_t, kMaxStates> visits;
  const State* const states = states_.data();
  const Clock* const clocks = clocks_.data();
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::uint64_t patient = first.patient + i;
    std::uint32_t state = initial_;
    double now = 0.0;
    std::uint32_t started = started_at_zero_, ended = 0;
    std::uint64_t visited = 0;  // bit s: visits[s] is set
    if constexpr (Revisits) {
      visits[state] = 1;
      visited = std::uint64_t{1} << state;
    }
    for (;;) {
      const State& st = states[state];
      // Entering `state` at `now`: the endpoints it ends (those started and not yet ended), then those it
      // starts, as EndpointClock::enter. Without state-started endpoints every endpoint started at zero.
      const std::uint32_t ends = st.ends & (StateStarts ? started : ~0u) & ~ended;
      for (std::uint32_t m = ends; m != 0; m &= m - 1) end_time[std::countr_zero(m)] = now;
      ended |= ends;
      if constexpr (StateStarts) {
        if (const std::uint32_t starts = st.starts & ~started; starts != 0) {
          for (std::uint32_t m = starts; m != 0; m &= m - 1) start_time[std::countr_zero(m)] = now;
          started |= starts;
        }
      }
      const std::uint32_t n_clocks = st.n_clocks;
      if (n_clocks == 0) break;  // absorbing: no clock, no stream
      const std::uint64_t step = Revisits ? visits[state] - 1 : 0;
      PhiloxKeyed::Counter ctr = {{patient, st.purpose_word | step, 0, 0}};
      PhiloxKeyed::Counter words = philox(ctr);
      double next = kNever;
      std::uint32_t to = 0;
      const Clock* const c = clocks + st.first_clock;
      // The clocks in order, word k % 4 of the stream's block k / 4 each (RandomStream's order).
      const std::uint32_t in_first_block = n_clocks < 4 ? n_clocks : 4;
      for (std::uint32_t k = 0; k < in_first_block; ++k) {
        const double when = now + time_in_state(c[k], uniform_from_bits(words.v[k]));
        if (when < next) {
          next = when;
          to = c[k].to;
        }
      }
      for (std::uint32_t k = 4; k < n_clocks; ++k) {
        if (k % 4 == 0) {  // the stream's next block, as RandomStream::refill
          ++ctr.v[2];
          words = philox(ctr);
        }
        const double when = now + time_in_state(c[k], uniform_from_bits(words.v[k % 4]));
        if (when < next) {
          next = when;
          to = c[k].to;
        }
      }
      if (!(next <= horizon)) break;  // censored at the horizon
      if (events != nullptr) {
        std::byte* const ev = events->append().bytes();
        store_at<std::uint64_t>(ev, ev_patient_at_, patient);
        store_at<double>(ev, ev_time_at_, next);
        store_at<std::uint8_t>(ev, ev_from_at_, static_cast<std::uint8_t>(state));
        store_at<std::uint8_t>(ev, ev_to_at_, static_cast<std::uint8_t>(to));
      }
      now = next;
      state = to;
      if constexpr (Revisits) {
        const std::uint64_t bit = std::uint64_t{1} << state;
        visits[state] = (visited & bit) != 0 ? visits[state] + 1 : 1;
        visited |= bit;
      }
    }

    // The endpoints at the horizon, as EndpointClock::time and event.
    std::array<double, kMaxEndpoints> time;
    for (std::uint32_t e = 0; e < n_endpoints; ++e) {
      const std::uint32_t bit = 1u << e;
      time[e] = !StateStarts || (started & bit) != 0
                    ? ((ended & bit) != 0 ? end_time[e] : horizon) - start_time[e]
                    : std::numeric_limits<double>::quiet_NaN();
    }
    if (to_columns) {
      for (std::uint32_t e = 0; e < n_endpoints; ++e) {
        time_column[e][i] = time[e];
        event_column[e][i] = static_cast<std::uint8_t>((ended >> e) & 1u);
      }
    }
    if (patients != nullptr) {
      std::byte* const row = patients->append().bytes();
      store_at<std::uint64_t>(row, id_at_, patient);
      store_at<std::uint8_t>(row, final_state_at_, static_cast<std::uint8_t>(state));
      for (std::uint32_t e = 0; e < n_endpoints; ++e) {
        store_at<double>(row, time_at_[e], time[e]);
        store_at<std::uint8_t>(row, event_at_[e], static_cast<std::uint8_t>((ended >> e) & 1u));
      }
    }
  }
}

void PlainClockLoop::run(const StreamKey& first, std::uint64_t count, BlockSink& sink) const {
  // Templated on the two things that add work to every state entry: visit counts and state-started
  // endpoints; a model without them (the reference model) pays for neither.
  const bool state_starts = started_at_zero_ != (n_endpoints_ == 32 ? ~0u : (1u << n_endpoints_) - 1);
  if (revisits_) {
    state_starts ? run_patients<true, true>(first, count, sink)
                 : run_patients<true, false>(first, count, sink);
  } else {
    state_starts ? run_patients<false, true>(first, count, sink)
                 : run_patients<false, false>(first, count, sink);
  }
}

}  // namespace mmsim::multistate
