#include "sim/multistate/multistate_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

namespace mmsim::multistate {

MultistateModel::MultistateModel(MultistateSpec spec) : spec_(std::move(spec)) {
  std::vector<Field> patient_fields{{"id", FieldType::u64, {}, "0-based patient index (random stream key)"}};
  for (const auto& a : spec_.attributes) {
    patient_fields.push_back({a.name, FieldType::f64, {}, "baseline attribute"});
  }
  patient_fields.push_back(
      {"final_state", FieldType::enumeration, spec_.states, "state at the end of follow-up"});
  for (const auto& e : spec_.endpoints) {
    patient_fields.push_back(
        {e.name + "_time", FieldType::f64, {}, "months from the endpoint's start; NaN: undefined", "months"});
    patient_fields.push_back({e.name + "_event", FieldType::u8, {}, "1 event, 0 censored"});
  }
  // The columns are written as the simulation goes (attributes first, the final state and endpoints at the
  // end), by the ids found below: a row is not read from one record, so the fields carry no readers.
  schema_.patients = TableLayout("patients", std::move(patient_fields));
  schema_.trajectories.emplace_back(
      "events", std::vector<Field>{{"patient", FieldType::u64, {}, "patient index"},
                                   {"time", FieldType::f64, {}, "months since time zero", "months"},
                                   {"from", FieldType::enumeration, spec_.states, "state left"},
                                   {"to", FieldType::enumeration, spec_.states, "state entered"}});
  for (const auto& e : spec_.endpoints) schema_.endpoints.push_back(e.name);
  schema_.state_names = spec_.states;
  for (const auto& s : spec_.strategies) strategy_names_.push_back(s.name);

  // Clocks grouped by state, keeping config order within a state.
  std::vector<std::uint32_t> by_state;
  clocks_begin_.assign(spec_.states.size() + 1, 0);
  for (std::uint32_t s = 0; s < spec_.states.size(); ++s) {
    clocks_begin_[s] = static_cast<std::uint32_t>(by_state.size());
    for (std::uint32_t t = 0; t < spec_.transitions.size(); ++t) {
      if (spec_.transitions[t].from == s) by_state.push_back(t);
    }
  }
  clocks_begin_[spec_.states.size()] = static_cast<std::uint32_t>(by_state.size());
  for (const StrategySpec& strat : spec_.strategies) {
    std::vector<Clock>& clocks = clocks_.emplace_back();
    for (const std::uint32_t t : by_state) {
      const TransitionSpec& tr = spec_.transitions[t];
      clocks.push_back({tr.law.get(), strat.transition_hr[t], tr.hazard_ratios.data(),
                        static_cast<std::uint32_t>(tr.hazard_ratios.size()), tr.clock_origin_attribute,
                        tr.clock, t});
    }
  }
  masks_ = endpoint_masks(spec_);

  const TableLayout& p = schema_.patients;
  f_id_ = p.find("id");
  for (const auto& a : spec_.attributes) f_attributes_.push_back(p.find(a.name));
  f_final_state_ = p.find("final_state");
  for (const auto& e : spec_.endpoints) {
    f_endpoint_time_.push_back(p.find(e.name + "_time"));
    f_endpoint_event_.push_back(p.find(e.name + "_event"));
  }
  const TableLayout& ev = schema_.trajectories[0];
  f_ev_patient_ = ev.find("patient");
  f_ev_time_ = ev.find("time");
  f_ev_from_ = ev.find("from");
  f_ev_to_ = ev.find("to");
  id_at_ = p.offset(f_id_);
  final_state_at_ = p.offset(f_final_state_);
  for (const FieldId f : f_attributes_) attribute_at_.push_back(p.offset(f));
  for (const FieldId f : f_endpoint_time_) endpoint_time_at_.push_back(p.offset(f));
  for (const FieldId f : f_endpoint_event_) endpoint_event_at_.push_back(p.offset(f));
  for (std::size_t s = 0; s < spec_.strategies.size(); ++s)
    block_loops_.push_back(PlainClockLoop::compile(spec_, s, p, ev));
}

bool MultistateModel::simulate_block(std::size_t strategy, const StreamKey& first, std::uint64_t count,
                                     BlockSink& sink) const {
  const std::optional<PlainClockLoop>& loop = block_loops_[strategy];
  if (!loop) return false;
  loop->run(first, count, sink);
  return true;
}

namespace {

template <class T>
void store_at(std::byte* row, std::size_t at, T value) {
  std::memcpy(row + at, &value, sizeof value);
}

}  // namespace

void MultistateModel::simulate(std::size_t strategy, const StreamKey& key, PatientSink& sink) const {
  const double horizon = spec_.settings.horizon;
  const Clock* const clocks = clocks_[strategy].data();

  // Fixed-size scratch, deliberately not value-initialized (zeroing 1.5 KiB per patient cost more than the
  // simulation itself; even zeroing the used entries took two memset calls a patient): an entry is read only
  // after it is set, as the masks below record.
  static_assert(kMaxStates <= 64, "visited states are a 64-bit mask");
  std::array<double, kMaxAttributes> attr;
  std::array<std::uint32_t, kMaxStates> visits;
  std::uint64_t visited = 0;  // bit s: visits[s] is set

  // Baseline attributes come from strategy-independent streams: the same patient under every strategy.
  for (std::size_t a = 0; a < spec_.attributes.size(); ++a) {
    RandomStream rng(
        {key.seed, key.domain, key.patient, kPurposeAttribute + static_cast<std::uint32_t>(a), 0});
    attr[a] = spec_.attributes[a].law->sample(rng);
  }
  std::byte* const row = sink.patients.append().bytes();
  store_at<std::uint64_t>(row, id_at_, key.patient);
  for (std::size_t a = 0; a < spec_.attributes.size(); ++a) store_at<double>(row, attribute_at_[a], attr[a]);

  EndpointClock endpoints(masks_.started_at_zero);

  TableBuffer* events = sink.trajectories != nullptr ? &(*sink.trajectories)[0] : nullptr;
  std::uint32_t state = spec_.initial;
  double now = 0.0;
  visits[state] = 1;
  visited = std::uint64_t{1} << state;
  endpoints.enter(masks_, state, now);
  for (;;) {
    const Clock* const first = clocks + clocks_begin_[state];
    const Clock* const end = clocks + clocks_begin_[state + 1];
    if (first == end) break;  // absorbing: no clock, so no stream to set up
    double next = kNever;
    std::uint32_t fired = 0;
    RandomStream rng({key.seed, key.domain, key.patient, kPurposeState + state, visits[state] - 1});
    for (const Clock* c = first; c != end; ++c) {
      double hr = c->strategy_hr;
      for (std::uint32_t k = 0; k < c->n_effects; ++k)
        hr *= std::pow(c->effects[k].hr, attr[c->effects[k].attribute]);
      const double origin =
          c->origin_attribute >= 0 ? -attr[static_cast<std::size_t>(c->origin_attribute)] : 0.0;
      const double when = draw_clock(*c->law, c->kind, now, origin, hr, rng);
      if (when < next) {
        next = when;
        fired = c->transition;
      }
    }
    if (!(next <= horizon)) break;  // absorbing state, or censored at the horizon
    const TransitionSpec& tr = spec_.transitions[fired];
    if (events != nullptr) {
      RowRef ev = events->append();
      ev.set_u64(f_ev_patient_, key.patient);
      ev.set_f64(f_ev_time_, next);
      ev.set_enum(f_ev_from_, static_cast<std::uint8_t>(tr.from));
      ev.set_enum(f_ev_to_, static_cast<std::uint8_t>(tr.to));
    }
    for (const auto& set : tr.on_fire) attr[set.attribute] = set.value;
    now = next;
    state = tr.to;
    const std::uint64_t bit = std::uint64_t{1} << state;
    visits[state] = (visited & bit) != 0 ? visits[state] + 1 : 1;
    visited |= bit;
    endpoints.enter(masks_, state, now);
  }

  store_at<std::uint8_t>(row, final_state_at_, static_cast<std::uint8_t>(state));
  for (std::uint32_t e = 0; e < spec_.endpoints.size(); ++e) {
    store_at<double>(row, endpoint_time_at_[e], endpoints.time(e, horizon));
    store_at<std::uint8_t>(row, endpoint_event_at_[e], endpoints.event(e));
  }
}

std::string MultistateModel::parameter_report() const {
  std::string out = fmt::format("horizon = {} months\nstates = {}\ninitial = {}\n", spec_.settings.horizon,
                                fmt::join(spec_.states, ", "), spec_.states[spec_.initial]);
  for (const auto& a : spec_.attributes) out += fmt::format("attribute {} ~ {}\n", a.name, a.law->describe());
  for (const auto& t : spec_.transitions) {
    out += fmt::format("transition {}->{} ~ {} (clock {})\n", spec_.states[t.from], spec_.states[t.to],
                       t.law->describe(), t.clock == ClockKind::reset ? "reset" : "forward");
    for (const auto& h : t.hazard_ratios) {
      out += fmt::format("  hazard ratio {} per unit of {}\n", h.hr, spec_.attributes[h.attribute].name);
    }
  }
  for (const auto& s : spec_.strategies) {
    for (std::size_t t = 0; t < s.transition_hr.size(); ++t) {
      if (s.transition_hr[t] != 1.0) {
        out += fmt::format("strategy {}: hazard x{} on {}->{}\n", s.name, s.transition_hr[t],
                           spec_.states[spec_.transitions[t].from], spec_.states[spec_.transitions[t].to]);
      }
    }
  }
  return out;
}

}  // namespace mmsim::multistate
