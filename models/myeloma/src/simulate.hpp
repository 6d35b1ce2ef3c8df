#pragma once
// One patient's course under one strategy (docs/model.md M): lines of therapy with their waits, toxicity,
// treatment-related death, best response, time to progression, competing deaths, failure mechanism at
// progression, and the next line chosen by the strategy. Writes into fixed-size records, no heap.
#include <array>

#include "models/myeloma/src/params.hpp"
#include "models/myeloma/src/patient_state.hpp"
#include "sim/random/stream.hpp"

namespace mmsim::myeloma {

inline constexpr std::size_t kMaxLineRecords = 51;  // max_lines <= 50, plus the stop
inline constexpr std::size_t kMaxEvents = 8 * kMaxLineRecords;

struct LineRecord {
  int line = 0;
  int therapy = kStop, partner = -1, maintenance = -1;
  double start = 0, infusion = NAN, end = NAN;
  int best_response = -1;  // Depth, -1 = not treated
  EndReason end_reason = EndReason::censored;
  Mech mechanism = Mech::none;      // drawn at this line's progression
  Pattern pattern = Pattern::none;  // pattern of this line's progression
  bool tested = false;              // this line's progression was tested (S "Testing")
  int rule = 0;                     // code in Params::rule_labels of the rule that chose the line
  std::uint8_t crs = 0, icans = 0;  // 0 none, 1 grade 1-2, 3 grade >= 3
  bool bridged = false, maintained = false;
};

struct EventRecord {
  double time = 0;
  State from = State::relapsed, to = State::relapsed;
  int line = 0;
  DeathCause cause = DeathCause::none;
};

struct History {
  PatientState state;  // at the end of follow-up (baseline attributes in state.x)
  std::array<LineRecord, kMaxLineRecords> lines;
  std::size_t n_lines = 0;  // treatment lines (not counting a stop)
  std::array<EventRecord, kMaxEvents> events;
  std::size_t n_events = 0;
  double death = kInf;  // absolute time of death; inf if alive at the horizon
  DeathCause death_cause = DeathCause::none;
  double stop_time = NAN;  // when no further therapy began

  // Derived times (NaN when they did not happen before the horizon).
  double line_failure(std::size_t i) const;  // end of line i (0-based) by progression/dropout/failure
  double line_start(std::size_t i) const { return i < n_lines ? lines[i].start : NAN; }
};

// Simulates patient `key.patient` under strategy `strategy`. Baseline attributes are drawn from the scenario
// population unless `fixed_baseline` is given (constructed patients in tests).
void simulate_patient(const Params& p, std::size_t strategy, const StreamKey& key, History& h,
                      const std::array<double, kAttrs>* fixed_baseline = nullptr);

// Absolute time of background death for a patient of this age and sex, from one exponential draw.
// The disease-death hazard's multiplier for the patient's current line (P7): per_line_multiplier to the power
// of the lines received before it (prior lines at entry included) minus per_line_reference, times the
// uncentred covariate hazard ratios.
double disease_death_multiplier(const Params& p, const PatientState& s);

double background_death_time(const BackgroundSpec& b, double age, bool male, double exp_draw);

// Time to progression (from the therapy's start) for a law scaled by exp(log_hr), with the multiplier hm on
// [m1, m2) (maintenance), conditional on no progression before `cond`, from one exponential draw.
double progression_time(const TimeDistribution& law, double log_hr, double hm, double m1, double m2,
                        double cond, double exp_draw);

}  // namespace mmsim::myeloma
