#pragma once
// Which action a strategy takes at a line (docs/model.md S): fixed lines first (therapy_mix drawn from a
// strategy-independent stream), then the first rule whose conditions all hold.
#include "models/myeloma/src/params.hpp"
#include "models/myeloma/src/patient_state.hpp"
#include "sim/random/stream.hpp"

namespace mmsim::myeloma {

struct Choice {
  int therapy = kStop;
  int partner = -1, maintenance = -1;
  int rule = -1;      // index of the rule that fired, -1 for a fixed line or max_lines
  int rule_code = 0;  // its code in Params::rule_labels (0 = a fixed line)
};

bool condition_holds(const Params& p, const Condition& c, int line, const PatientState& s, double t);

// `line` is 1-based; t is the time the line is decided (its start).
Choice choose_action(const Params& p, const Strategy& st, int line, const PatientState& s, double t,
                     const StreamKey& key);

}  // namespace mmsim::myeloma
