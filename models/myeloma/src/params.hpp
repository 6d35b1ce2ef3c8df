#pragma once
// The myeloma model's parameters after loading and validation (docs/model.md P0-P8 and S). Every name is
// resolved to an index; every number keeps its source for `mmsim check --print`.
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "models/myeloma/src/names.hpp"
#include "sim/core/numeric.hpp"
#include "sim/dist/time_distribution.hpp"
#include "sim/dist/value_distribution.hpp"

namespace mmsim::myeloma {

using mmsim::kInf;

using DepthProbs = std::array<double, kDepths>;  // indexed by Depth (pd .. cr)

struct Population {
  std::string id, label, source;
  std::array<ValueDistributionPtr, kAttrs> laws{};
  std::array<std::string, kAttrs> law_sources{};  // the population that wrote each attribute
  std::array<double, kAttrs> mean{};              // centering means (P3)
  std::array<std::array<double, kAttrs>, kAttrs> corr{};
  std::array<std::array<double, kAttrs>, kAttrs> cholesky{};  // lower triangular, of `corr`
  std::vector<std::string> corr_sources;
};

struct Therapy {
  std::string id, label, class_id, source;
  Category category = Category::conventional;
  std::uint32_t index = 0;        // own index in Params::therapies (exposure bitsets)
  std::uint32_t klass = 0;        // index into Params::class_ids
  std::uint32_t target_mask = 0;  // bit per Antigen
  int escape_antigen = -1;        // Antigen index or -1
  Binder binder = Binder::none;
  CellSource cell_source = CellSource::none;
  bool tcell_dependent = false;
  std::uint32_t reference_population = 0;
  // pre_treatment
  ValueDistributionPtr manufacturing_time;
  double manufacturing_failure_prob = 0, dropout_prob = 0, waitlist_death_hazard = 0, bridging_prob = 0,
         target_fraction_infused = 1;
  // toxicity: rates in `tox_reference_population`, shifted on the log-odds scale by the patient's centred
  // covariates (P3 toxicity odds ratios; all ln 1 = 0 unless a table gives them)
  double crs_any = 0, crs_g3 = 0, icans_any = 0, icans_g3 = 0;
  std::uint32_t tox_reference_population = 0;
  // Log odds ratios of one outcome's any-grade rate per centred covariate; CRS and ICANS have their own (a
  // trial contrast sizes each from its own rows: P3 toxicity odds ratios).
  struct ToxicityOdds {
    double per_prior_line = 0, burden = 0, emd = 0, age_decade = 0;
  };
  ToxicityOdds tox_crs, tox_icans;
  // mortality
  double early_trm_prob = 0, early_window = 0, late_nrm_hazard = 0, late_nrm_months = 0;
  // Half-life of the late NRM (infection) hazard from the end of the early window: immune reconstitution
  // after a T-cell-redirecting line (P3 mortality; issue 11 item 6). Infinite: constant, as before.
  double late_nrm_halflife = INFINITY;
  // response
  DepthProbs response{};
  double assessment_months = 1;
  // Lines simulated before this therapy where its response table was measured (a salvage regimen measured at
  // a trial's second line: 1). The per-prior-line covariate is centred on the reference population's prior
  // lines plus these, so the table holds at the line it was read at (P3).
  double reference_lines_before = 0;
  std::array<TimeDistributionPtr, kDepths> ttp{};
  std::array<double, kResponseCovs> log_or{};  // ln odds ratios
  // Partial proportional odds (P3 "Depth per prior line"): a further ln odds ratio per prior line on reaching
  // CR only, beside per_prior_line's shift of every depth. Trial pairs at different line counts move CR far
  // more than ORR (KarMMa X001/X002 vs KarMMa-3 X019/X021), which one shift of every threshold cannot hold.
  double log_or_cr_per_line = 0;
  std::array<double, kProgressionCovs> log_hr{};  // ln hazard ratios
  std::array<double, kMechanisms> failure{};      // mechanism probabilities
  double tcell_fitness_shift = 0;
  // prior_exposure (P3): shares of patients whose disease no longer responds to this therapy after earlier
  // exposure to one of its targets (any therapy, or baseline prior_bcma_exposure), or to this product itself.
  double nonresponse_same_target = 0, nonresponse_same_product = 0;
  // ...and ln progression hazard ratios after exposure of one of its targets by a CAR-T (autologous or
  // allogeneic), a bispecific or an ADC line (ExposureType order); the largest that applies acts.
  std::array<double, 3> log_hr_after{};
  // sources of the sub-tables, for the report
  std::string src_pre, src_tox, src_mort, src_resp, src_ttp, src_or, src_hr, src_mech, src_state,
      src_exposure;
};

struct AntigenSpec {
  bool modelled = false;
  std::string unit, source;
  Attr density_attribute = Attr::bcma_density;
  double reference_density = 1, functional_threshold = 0, low_cutoff = 0, cap_ratio = 1;
  ValueDistributionPtr drift, downregulation;  // multiplicative factors (value laws)
};

struct Partner {
  std::string id, label, source;
  std::uint32_t category_mask = 0;  // bit per Category
  int antigen = -1;
  double density_fold = 1, log_or = 0, log_hr = 0, fitness_shift = 0;
};

struct Maintenance {
  std::string id, label, source;
  Depth min_response = Depth::pr;
  double start_months = 0, duration_months = 0, log_hr = 0, extra_death_hazard = 0;
  // Not started in patients whose disease is refractory to the maintenance drug (baseline len_refractory):
  // no benefit is expected there and no clinician would give it (P4 `not_if_len_refractory`).
  bool not_if_len_refractory = false;
};

struct Modifier {
  double log_odds = 0, log_hr = 0;
};

struct MechanismSpec {
  std::array<double, kMechanisms> half_life{};  // months, inf = permanent
  double het_loss_weight = 1, exhaustion_weight_per_sd = 1;
  double recovery_per_month = 0, fitness_floor = -3;
  // [clocks]: categories whose failure-mechanism and T-cell recovery clocks start at the treatment (infusion)
  // rather than at the line's progression (bit per Category).
  std::uint32_t clock_from_start_mask = 0;
  std::array<std::array<Modifier, kCategories>, kMechanisms> modifier{};
  std::array<Modifier, 4> anti_car_by_binder{};  // murine .. fully_human
  std::string src_persistence, src_weights, src_fitness, src_anti_car, src_clocks;
  std::array<std::string, kMechanisms> src_modifier;
};

// Testing at relapse (docs/model.md S, "Testing"): whether a biopsy with antigen testing and a work-up of the
// failure mechanism is done, and how accurate it is. Rules see the observed status; a scenario without
// `testing` sees the true state (the idealised testing of the trial emulations).
struct TestingSpec {
  std::string id, source;
  double tested_prob = 1;                             // biopsy with antigen testing done at a progression
  double loss_sensitivity = 1, loss_specificity = 1;  // "lost" call vs true loss
  double low_sensitivity = 1, low_specificity = 1;    // "low" call (not called lost) vs true low or lost
  double mechanism_identified_prob = 1;  // a non-antigen mechanism (exhaustion, ...) is identified if tested
};

// Pattern of a progression by baseline extramedullary disease (P6 `[progression_pattern]`), Pattern order.
struct PatternSpec {
  std::array<double, kPatterns> if_emd{1, 0, 0}, if_no_emd{1, 0, 0};
  std::string source;
};

struct DiseaseSpec {
  double hazard_responding = 0, hazard_stable = 0, hazard_progressive = 0, per_line_multiplier = 1;
  double per_line_reference = 0;  // prior lines at which the state hazards were measured
  double hr_penta = 1, hr_emd = 1, hr_hrc = 1, hr_pcl = 1;
  // Disease death hazard while a bridged patient waits for a manufactured product (docs/model.md P7):
  // bridging therapy holds the disease, so the wait is not untreated progression. Negative = not given: the
  // progressive hazard, as for an unbridged wait (the model before issue 11 item 6).
  double hazard_waiting_bridged = -1;
  TimeDistributionPtr gap;
  double no_further_therapy_hazard = 0;
  // Variance of the patient's gamma frailty (mean 1) on every line's progression hazard (docs/model.md P7,
  // progression_frailty); 0: no frailty, lines independent given the attributes.
  double frailty_variance = 0;
  std::string src_mortality, src_gap, src_nft, src_frailty;
};

struct BackgroundSpec {
  std::array<double, 2> rate_per_month{};  // [female, male]
  std::array<double, 2> shape_per_year{};
  std::array<std::string, 2> source;
};

// ---- strategies ----------------------------------------------------------------------------------------

inline constexpr int kStop = -1;  // therapy index of the `stop` action

struct Action {
  int therapy = kStop;                      // index into Params::therapies, or kStop
  std::vector<std::pair<int, double>> mix;  // therapy_mix (fixed lines only): (therapy, cumulative prob)
  int partner = -1, maintenance = -1;
  std::string text;  // as written, for the report
};

enum class RuleField : std::uint8_t {
  line_number,
  mechanism_at_last_failure,
  bcma_status,
  gprc5d_status,
  prior_exposure,
  months_since_last_cart,
  best_response_last_line,
  age,
  tcell_fitness,
  emd,                   // baseline extramedullary disease (bool)
  high_tumor_burden,     // baseline high marrow burden (bool)
  len_refractory,        // baseline lenalidomide-refractory (bool)
  last_response_months,  // duration of the last line's response (months; 0 if it did not respond)
  prior_exposure_type,   // prior_exposure.<ANTIGEN>.<car_t|bsab|adc> (bool)
  progression_pattern,   // pattern of the last progression (enum)
  mechanism_tested       // the last progression was tested (bool)
};
enum class Op : std::uint8_t { eq, ne, lt, le, gt, ge, in, not_in };
enum class ExposureKind : std::uint8_t { antigen, category, klass, therapy };

struct Condition {
  RuleField field = RuleField::line_number;
  Op op = Op::eq;
  double number = 0;           // numbers, enum codes, booleans (0/1)
  std::uint32_t set_mask = 0;  // in / not_in: bit per enum code
  ExposureKind exposure_kind = ExposureKind::therapy;
  std::uint32_t exposure_index = 0;
  std::uint32_t exposure_type = 0;  // prior_exposure_type: ExposureType (car_t, bsab, adc)
  std::string text;
};

struct Rule {
  std::vector<Condition> when;
  bool is_default = false;
  Action action;
  std::string name;  // `name` as written, or rule[k] / fallback_rule[k]
};

struct Strategy {
  std::string name, description;
  std::string label;          // display name in figures and tables ("" = the name)
  std::vector<Action> lines;  // fixed actions for lines 1..
  std::vector<Rule> rules;    // own rules followed by the shared fallback rules
  // Code in Params::rule_labels of each rule (same order as `rules`); fixed lines are code 0.
  std::vector<int> rule_codes;
};

enum class TimeZero : std::uint8_t { line_start, infusion };

struct Params {
  double horizon = 120;
  std::string scenario_name, description;
  std::uint32_t population = 0;
  TimeZero time_zero = TimeZero::line_start;
  int max_lines = 8;
  std::vector<Endpoint> endpoints;  // in report order
  // Trial emulation (`[trial]`, docs/model.md S): uniform accrual over `trial_accrual` months from the first
  // enrolment, data cut-off `trial_cutoff` months after it; each patient is censored administratively at
  // min(horizon, cutoff - own enrolment time), on the clock of the index line's start
  // (enrolment/randomization).
  bool trial = false;
  double trial_accrual = 0.0, trial_cutoff = 0.0;

  std::vector<Population> populations;
  std::vector<std::string> class_ids;
  std::vector<Therapy> therapies;
  std::array<AntigenSpec, kAntigens> antigens{};
  DepthProbs antigen_negative{};
  std::string antigen_negative_source;
  std::vector<Partner> partners;
  std::vector<Maintenance> maintenances;
  MechanismSpec mechanisms;
  DiseaseSpec disease;
  BackgroundSpec background;
  std::vector<Strategy> strategies;
  // Labels of the lines table's `rule` column: "fixed_line", then "<strategy>.<rule>" for each strategy's own
  // rules and "fallback.<rule>" for the shared ones.
  std::vector<std::string> rule_labels;
  bool has_testing = false;  // `[scenario].testing` named a [testing.<id>] table
  TestingSpec testing;
  std::vector<TestingSpec> testing_specs;  // every [testing.<id>] table
  PatternSpec pattern;

  int therapy_index(std::string_view id) const;
  const Population& pop() const { return populations[population]; }
};

}  // namespace mmsim::myeloma
