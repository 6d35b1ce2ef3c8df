#pragma once
// Random stream purposes of the myeloma model: one per call site (sim/random/stream.hpp). `step` is the line
// number (1-based) unless noted, so the same line draws the same numbers under every strategy.
#include <cstdint>

namespace mmsim::myeloma {

enum Purpose : std::uint32_t {
  kAttributes = 1,          // step 0: one uniform per attribute, in Attr order
  kBackgroundDeath = 2,     // step 0
  kTherapyMix = 3,          // therapy_mix choice
  kManufacturing = 4,       // manufacturing time
  kPreTreatment = 5,        // manufacturing failure, dropout, bridging (three uniforms)
  kWaitDeath = 6,           // death during the wait
  kToxicity = 7,            // CRS any, CRS >= 3, ICANS any, ICANS >= 3
  kEarlyTrm = 8,            // early TRM: occurs?, when
  kResponse = 9,            // best response
  kProgression = 10,        // time to progression
  kLineDeath = 11,          // competing non-background deaths during the line (two draws per segment)
  kMechanism = 12,          // mechanism drawn at progression, observed?
  kAntigenDrift = 13,       // post-exposure drift and down-regulation (two per antigen)
  kGap = 14,                // progression -> next line
  kGapDeath = 15,           // death during the gap
  kNoFurtherTherapy = 16,   // step = line number at which therapy stopped
  kTrialAccrual = 17,       // step 0: enrolment time within the trial's accrual period ([trial])
  kTargetNonresponse = 18,  // step 0: one uniform per antigen, in Antigen order (P3 prior_exposure)
  kTesting = 19,  // at progression: tested?, mechanism identified?, then two per antigen (S Testing)
  kProgressionPattern = 20,  // at progression: the pattern of progression (P6 [progression_pattern])
  kFrailty = 21,  // step 0: the progression frailty (gamma variate; P7), drawn only if its variance > 0
  kLateNrm = 22   // the decaying late NRM (infection) death: one exponential, only with a finite half-life
};

}  // namespace mmsim::myeloma
