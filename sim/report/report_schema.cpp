#include "sim/report/report_schema.hpp"

#include <algorithm>

namespace mmsim::report {
namespace {

constexpr unsigned kNotSwept = kJson | kCsv | kHdf5;  // the sweep names its landmark columns by the time

constexpr Key kEndpointKeys[] = {Key::strategy, Key::endpoint};
constexpr Key kComparisonKeys[] = {Key::strategy, Key::reference, Key::endpoint};
constexpr Key kRateKeys[] = {Key::strategy, Key::outcome};
constexpr Key kRateComparisonKeys[] = {Key::strategy, Key::reference, Key::outcome};

using E = EndpointSummary;
constexpr ReportColumn<E> kSummaryColumns[] = {
    {"n", &E::n, "", "patients with the endpoint defined"},
    {"events", &E::events, "", "events observed"},
    {"median", &E::median, "months", "Kaplan-Meier median (NaN: not reached)"},
    {"median_ci_low", &E::median_ci_low, "months", "Brookmeyer-Crowley CI (log-log), lower"},
    {"median_ci_high", &E::median_ci_high, "months", "Brookmeyer-Crowley CI (log-log), upper"},
    {"rmst", &E::rmst, "months", "restricted mean survival time to rmst_horizon"},
    {"rmst_se", &E::rmst_se, "months", "its standard error (= Monte Carlo SE)"},
    {"rmst_horizon", &E::rmst_horizon, "months", "RMST horizon, months"},
    {"rmst_extrapolated", &E::rmst_extrapolated, "",
     "1: rmst_horizon is past the last follow-up time while S > 0 (the flat tail is extrapolated)",
     kNotSwept},
    {"rmst_patients_needed", &E::rmst_patients_needed, "", "patients for rmst_se to reach the target SE",
     kPlanning, "patients_needed"},
};

using L = LandmarkValue;
constexpr ReportColumn<L> kSurvivalColumns[] = {
    {"time", &L::time, "months", "landmark, months", kNotSwept},
    {"surv", &L::surv, "", "Kaplan-Meier survival (NaN: beyond follow-up)"},
    {"se", &L::se, "", "Greenwood SE"},
    {"ci_low", &L::ci_low, "", "log-log CI, lower"},
    {"ci_high", &L::ci_high, "", "log-log CI, upper"},
};

using C = Comparison;
constexpr ReportColumn<C> kComparisonColumns[] = {
    {"hr", &C::hr, "", "Cox hazard ratio strategy : reference (Efron ties; arms as independent)"},
    {"hr_ci_low", &C::hr_ci_low, "", "Wald CI, lower"},
    {"hr_ci_high", &C::hr_ci_high, "", "Wald CI, upper"},
    {"hr_ci_low_paired", &C::hr_ci_low_paired, "",
     "Wald CI with the cluster-robust (sandwich) variance over patient id (common random numbers), lower",
     kNotSwept},
    {"hr_ci_high_paired", &C::hr_ci_high_paired, "", "cluster-robust Wald CI, upper", kNotSwept},
    {"logrank_chisq", &C::logrank_chisq, "", "log-rank chi-square, 1 df (arms as independent)"},
    {"logrank_p", &C::logrank_p, "", "its p-value"},
    {"rmst_diff", &C::rmst_diff, "months", "RMST strategy minus reference"},
    {"rmst_diff_se", &C::rmst_diff_se, "months", "paired SE (common random numbers)"},
    {"rmst_diff_se_unpaired", &C::rmst_diff_se_unpaired, "months", "unpaired SE"},
    {"rmst_diff_ci_low", &C::rmst_diff_ci_low, "months", "paired CI, lower"},
    {"rmst_diff_ci_high", &C::rmst_diff_ci_high, "months", "paired CI, upper"},
    {"rmst_diff_patients_needed", &C::rmst_diff_patients_needed, "",
     "patients for rmst_diff_se (paired) to reach the target SE", kPlanning, "patients_needed"},
    {"rmst_diff_patients_needed_unpaired", &C::rmst_diff_patients_needed_unpaired, "",
     "patients for the unpaired SE to reach the target SE", kPlanning, "patients_needed_unpaired"},
};

// In the CSV a difference's columns are prefixed, as they share the long table with survival's.
using D = LandmarkDifference;
constexpr ReportColumn<D> kSurvivalDifferenceColumns[] = {
    {"time", &D::time, "months", "landmark, months", kNotSwept},
    {"diff", &D::diff, "", "survival strategy minus reference", kNotSwept},
    {"se", &D::se, "", "paired SE", kNotSwept, "diff_se"},
    {"se_unpaired", &D::se_unpaired, "", "unpaired SE", kNotSwept, "diff_se_unpaired"},
    {"ci_low", &D::ci_low, "", "paired CI, lower", kNotSwept, "diff_ci_low"},
    {"ci_high", &D::ci_high, "", "paired CI, upper", kNotSwept, "diff_ci_high"},
};

using P = ProportionSummary;
constexpr ReportColumn<P> kRateColumns[] = {
    {"n", &P::n, "", "patients"},
    {"rate", &P::rate, "", "proportion with the outcome"},
    {"se", &P::se, "", "its SE", kEveryForm, "rate_se"},
    {"denominator_n", &P::denominator_n, "",
     "patients in the outcome's denominator (its column == 1); 0 when the model names none", kNotSwept},
    {"denominator_rate", &P::denominator_rate, "", "proportion with the outcome among them", kNotSwept},
    {"denominator_rate_se", &P::denominator_se, "", "its SE", kNotSwept},
};

using Q = ProportionComparison;
constexpr ReportColumn<Q> kRateComparisonColumns[] = {
    {"diff", &Q::diff, "", "rate strategy minus reference"},
    {"diff_se", &Q::diff_se, "", "paired SE"},
    {"diff_se_unpaired", &Q::diff_se_unpaired, "", "unpaired SE"},
    {"diff_ci_low", &Q::diff_ci_low, "", "paired CI, lower"},
    {"diff_ci_high", &Q::diff_ci_high, "", "paired CI, upper"},
    {"denominator_diff", &Q::denominator_diff, "",
     "rate among the strategy's denominator patients minus the reference's", kNotSwept},
    {"denominator_diff_se", &Q::denominator_diff_se, "", "paired SE (common random numbers)", kNotSwept},
    {"denominator_diff_se_unpaired", &Q::denominator_diff_se_unpaired, "", "unpaired SE", kNotSwept},
    {"denominator_diff_ci_low", &Q::denominator_diff_ci_low, "", "paired CI, lower", kNotSwept},
    {"denominator_diff_ci_high", &Q::denominator_diff_ci_high, "", "paired CI, upper", kNotSwept},
};

}  // namespace

constinit const ReportTable<EndpointSummary> kSummaryTable{
    "summary", "summary_endpoints", true, io::layout::summary_endpoints, kEndpointKeys, kSummaryColumns};
constinit const ReportTable<LandmarkValue> kSurvivalTable{
    "survival", "summary_survival", true, io::layout::summary_survival, kEndpointKeys, kSurvivalColumns};
constinit const ReportTable<Comparison> kComparisonTable{
    "comparison", "comparisons", false, io::layout::comparisons, kComparisonKeys, kComparisonColumns};
constinit const ReportTable<LandmarkDifference> kSurvivalDifferenceTable{
    "survival_diff", "comparison_survival",     false, io::layout::comparison_survival,
    kComparisonKeys, kSurvivalDifferenceColumns};
constinit const ReportTable<ProportionSummary> kRateTable{
    "rate", "summary_rates", true, io::layout::summary_rates, kRateKeys, kRateColumns};
constinit const ReportTable<ProportionComparison> kRateComparisonTable{
    "rate_comparison",   "rate_comparisons",    false, io::layout::rate_comparisons,
    kRateComparisonKeys, kRateComparisonColumns};

std::string_view key_name(Key key) {
  switch (key) {
    case Key::strategy:
      return "strategy";
    case Key::reference:
      return "reference";
    case Key::endpoint:
      return "endpoint";
    case Key::outcome:
      return "outcome";
  }
  return "";
}

std::string_view key_description(Key key) {
  switch (key) {
    case Key::strategy:
      return "strategy";
    case Key::reference:
      return "reference strategy";
    case Key::endpoint:
      return "endpoint";
    case Key::outcome:
      return "binary outcome";
  }
  return "";
}

std::string_view KeyLabels::of(Key key) const {
  switch (key) {
    case Key::strategy:
      return strategy;
    case Key::reference:
      return reference;
    case Key::endpoint:
      return endpoint;
    case Key::outcome:
      return outcome;
  }
  return {};
}

std::vector<std::string> csv_columns() {
  std::vector<std::string> out{"section"};
  for (const Key k : kKeys) out.emplace_back(key_name(k));
  auto add = [&](std::string_view name) {
    if (std::find(out.begin(), out.end(), name) == out.end()) out.emplace_back(name);
  };
  for (const bool planning : {false, true}) {
    for_each_report_table([&](const auto& table) {
      for (const auto& c : table.columns) {
        if (c.in(kCsv) && c.planning() == planning) add(c.csv());
      }
    });
  }
  return out;
}

}  // namespace mmsim::report
