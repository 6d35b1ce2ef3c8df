#pragma once
// The myeloma model's fixed vocabularies: every name the config may use is resolved to one of these indices
// at load time, so the per-patient loop never compares strings.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace mmsim::myeloma {

// Baseline attributes (docs/model.md P2), in patients-table order.
enum class Attr : std::uint8_t {
  age,
  male,
  prior_lines,
  emd,
  high_risk_cytogenetics,
  pcl,
  high_ferritin,
  prior_bcma_exposure,
  penta_refractory,
  triple_class_refractory,
  high_tumor_burden,
  bcma_density,
  bcma_het_loss,
  gprc5d_level,
  tcell_fitness,
  // Appended last: the copula draws attributes in this order from one stream and its Cholesky factor is lower
  // triangular, so an attribute added at the end leaves every earlier attribute's draw unchanged.
  len_refractory,
};
inline constexpr std::size_t kAttrs = 16;
extern const std::array<std::string_view, kAttrs> kAttrNames;

// Failure mechanisms (P6); kMechanisms = the six drawn ones, then the two rule-only values.
enum class Mech : std::uint8_t {
  antigen_loss,
  antigen_down,
  tcell_exhaustion,
  microenvironment,
  anti_car_immunity,
  clonal_other,
  none,
  unknown
};
inline constexpr std::size_t kMechanisms = 6;
extern const std::array<std::string_view, 8> kMechNames;

enum class Category : std::uint8_t {
  car_t,
  allo_car_t,
  bsab,
  adc,
  pd1,
  conventional,
  chemo,
  sct,
  radiotherapy
};
inline constexpr std::size_t kCategories = 9;
extern const std::array<std::string_view, kCategories> kCategoryNames;

// Best response, ordered from worst to best (the proportional-odds order).
enum class Depth : std::uint8_t { pd, mr_sd, pr, vgpr, cr };
inline constexpr std::size_t kDepths = 5;
extern const std::array<std::string_view, kDepths> kDepthNames;

enum class Antigen : std::uint8_t { BCMA, GPRC5D, CD19, CS1, FcRH5 };
inline constexpr std::size_t kAntigens = 5;
extern const std::array<std::string_view, kAntigens> kAntigenNames;

enum class Binder : std::uint8_t { murine, camelid, humanized, fully_human, none };
extern const std::array<std::string_view, 5> kBinderNames;

enum class CellSource : std::uint8_t { autologous, allogeneic, none };
extern const std::array<std::string_view, 3> kCellSourceNames;

// Covariates of the response and progression linear predictors (P3); `bridged` is progression-only.
enum class Cov : std::uint8_t {
  emd,
  high_risk_cytogenetics,
  pcl,
  high_ferritin,
  high_tumor_burden,
  penta_refractory,
  triple_class_refractory,
  prior_same_target,
  per_prior_line,
  tcell_fitness_per_sd,
  antigen_density_per_log,
  bridged
};
inline constexpr std::size_t kResponseCovs = 11;
inline constexpr std::size_t kProgressionCovs = 12;
extern const std::array<std::string_view, kProgressionCovs> kCovNames;

// How a line ended (lines table).
enum class EndReason : std::uint8_t { progression, dropout, manufacturing_failure, death, censored };
extern const std::array<std::string_view, 5> kEndReasonNames;

// Cause of death (patients and events tables).
enum class DeathCause : std::uint8_t { none, background, myeloma, treatment, waitlist, no_further_therapy };
extern const std::array<std::string_view, 6> kDeathCauseNames;

// States of the events table.
enum class State : std::uint8_t {
  relapsed,
  waiting,
  on_therapy,
  responding,
  stable,
  progressive,
  progressed,
  no_further_therapy,
  dead
};
extern const std::array<std::string_view, 9> kStateNames;

// Endpoints of the patients table (docs/model.md S); `[scenario].endpoints` picks and orders them. The first
// kDefaultEndpoints are the default when the scenario names none; the per-line ones after them (PFS and OS of
// line k from its own start, duration of response of line k among its responders) are written only when
// asked for, and asking for any of them also adds the per-line outcome columns (output_tables.hpp).
enum class Endpoint : std::uint8_t {
  pfs,
  pfs2,
  os,
  ttnt,
  pfs_after_relapse,
  os_after_relapse,
  pfs_line2,
  os_line2,
  pfs_line3,
  os_line3,
  dor_line1,
  dor_line2
};
inline constexpr std::size_t kEndpoints = 12;
inline constexpr std::size_t kDefaultEndpoints = 6;
extern const std::array<std::string_view, kEndpoints> kEndpointNames;

// Antigen status seen by strategy rules (P5); `untested` only as observed by an imperfect test (S, testing).
enum class Status : std::uint8_t { expressed, low, lost, untested };
extern const std::array<std::string_view, 4> kStatusNames;

// How the disease progressed at the last progression (drawn at each progression; P6 `[progression_pattern]`):
// `none` before any progression.
enum class Pattern : std::uint8_t { systemic, extramedullary, oligo, none };
inline constexpr std::size_t kPatterns = 3;
extern const std::array<std::string_view, 4> kPatternNames;

template <class E>
constexpr std::size_t idx(E e) {
  return static_cast<std::size_t>(e);
}

// Index of `name` in `names`, or -1.
template <std::size_t N>
int find_name(const std::array<std::string_view, N>& names, std::string_view name) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<int>(i);
  }
  return -1;
}

template <std::size_t N>
std::string join_names(const std::array<std::string_view, N>& names, std::size_t count = N) {
  std::string out;
  for (std::size_t i = 0; i < count && i < N; ++i) {
    if (i) out += ", ";
    out += names[i];
  }
  return out;
}

}  // namespace mmsim::myeloma
