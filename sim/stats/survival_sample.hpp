#pragma once
// Input type shared by the survival-statistics layer.
//
// The statistics layer is model-agnostic: it sees plain arrays of times and event codes and knows nothing of
// the disease model, HDF5 or threads. A SurvivalSample borrows its arrays; the caller keeps them alive.
#include <cstddef>
#include <cstdint>
#include <span>

namespace mmsim::stats {

// One cohort's right-censored time-to-event data, one entry per patient.
//   time[i]   follow-up time of patient i (>= 0, finite), or NaN when the endpoint is undefined for that
//             patient (the patient is then left out of every estimate, and reported in n_excluded);
//   event[i]  1 = event at time[i], 0 = censored at time[i]. The competing-risks estimator also accepts
//             1..K for the cause of the event.
struct SurvivalSample {
  std::span<const double> time;
  std::span<const std::uint8_t> event;
};

// Always-on validation of user data; throws mmsim::InputError naming the first offending patient when the
// arrays differ in length, a time is negative or infinite, or an event code exceeds max_event_code.
void validate_sample(const SurvivalSample& sample, std::uint8_t max_event_code = 1);

// Number of patients whose time is NaN (left out of the estimates).
std::size_t count_excluded(const SurvivalSample& sample);

}  // namespace mmsim::stats
