#include "sim/dist/parse_distribution.hpp"

#include <fmt/format.h>

#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <stdexcept>

#include "sim/core/numeric.hpp"
#include "sim/dist/time_laws.hpp"
#include "sim/dist/value_laws.hpp"

namespace mmsim {
namespace {

using config::NumberRule;
using config::TableReader;

std::size_t issue_count(const TableReader& r) {
  return r.diagnostics().issues().size();
}

// Records an error at element i of the array `key` (the array's own location if the element is missing).
void element_error(TableReader& r, std::string_view key, std::size_t i, std::string message) {
  const toml::node* n = r.table().get(key);
  const toml::array* arr = n != nullptr ? n->as_array() : nullptr;
  if (arr == nullptr || i >= arr->size()) {
    r.error(key, std::move(message));
    return;
  }
  r.diagnostics().error((*arr)[i].source(), fmt::format("{}[{}]", r.key_path(key), i), std::move(message));
}

// Each element greater than the one before; the message names the offending element.
void check_increasing(TableReader& r, std::string_view key, const std::vector<double>& v, const char* what) {
  for (std::size_t i = 1; i < v.size(); ++i) {
    if (!(v[i] > v[i - 1])) {
      element_error(r, key, i,
                    fmt::format("{} must be strictly increasing: {} follows {}", what, v[i], v[i - 1]));
      return;
    }
  }
}

// Reads `source` and `dist`; false (after recording why) when `dist` is missing or not one of `names`, in
// which case the table's other keys cannot be judged and are left alone.
bool read_header(TableReader& r, const std::vector<std::string>& names, std::string* source,
                 std::string& dist) {
  const std::string src = r.string("source", "");
  if (source != nullptr) *source = src;
  const std::size_t before = issue_count(r);
  const toml::node* n = r.table().get("dist");
  if (n != nullptr && !n->is_string()) {
    r.string("dist");  // reports the wrong type once (choice() would add "unknown value" too)
    return false;
  }
  dist = r.choice("dist", names);
  return issue_count(r) == before;
}

// Builds the law once every key was read and checked; nullptr if this table produced any issue. A law's own
// constructor check failing here would be a gap in the validation above: still reported, never thrown.
template <class Ptr>
Ptr build(TableReader& r, std::size_t before, const std::function<Ptr()>& make) {
  r.finish();
  if (issue_count(r) != before || !make) return nullptr;
  try {
    return make();
  } catch (const std::invalid_argument& e) {
    r.error("dist", e.what());
    return nullptr;
  }
}

}  // namespace

const std::vector<std::string>& time_distribution_names() {
  static const std::vector<std::string> names{
      "exponential", "weibull", "gompertz", "lognormal", "loglogistic", "gamma", "piecewise_exponential"};
  return names;
}

const std::vector<std::string>& value_distribution_names() {
  static const std::vector<std::string> names{"bernoulli", "categorical", "normal", "truncated_normal",
                                              "uniform",   "lognormal",   "fixed"};
  return names;
}

TimeDistributionPtr parse_time_distribution(config::TableReader& r, std::string* source) {
  const std::size_t before = issue_count(r);
  std::string dist;
  if (!read_header(r, time_distribution_names(), source, dist)) return nullptr;
  const NumberRule positive = NumberRule::positive();
  std::function<TimeDistributionPtr()> make;

  if (dist == "exponential") {
    const double rate = r.number("rate", positive);
    make = [=] { return std::make_shared<Exponential>(rate); };
  } else if (dist == "weibull") {
    const double shape = r.number("shape", positive);
    const double scale = r.number("scale", positive);
    make = [=] { return std::make_shared<Weibull>(shape, scale); };
  } else if (dist == "gompertz") {
    const double shape = r.number("shape", NumberRule::any());  // < 0: a cured fraction exp(rate/shape)
    const double rate = r.number("rate", positive);
    make = [=] { return std::make_shared<Gompertz>(shape, rate); };
  } else if (dist == "lognormal") {
    const double meanlog = r.number("meanlog", NumberRule::any());
    const double sdlog = r.number("sdlog", positive);
    make = [=] { return std::make_shared<LogNormal>(meanlog, sdlog); };
  } else if (dist == "loglogistic") {
    const double shape = r.number("shape", positive);
    const double scale = r.number("scale", positive);
    make = [=] { return std::make_shared<LogLogistic>(shape, scale); };
  } else if (dist == "gamma") {
    const double shape = r.number("shape", positive);
    const double rate = r.number("rate", positive);
    make = [=] { return std::make_shared<Gamma>(shape, rate); };
  } else if (dist == "piecewise_exponential") {
    const std::size_t arrays_before = issue_count(r);
    std::vector<double> breaks = r.numbers("breaks", NumberRule::non_negative());
    std::vector<double> rates = r.numbers("rates", positive);
    if (issue_count(r) == arrays_before) {
      if (breaks.empty()) {
        r.error("breaks", "needs at least one break, the first being 0");
      } else if (breaks.front() != 0.0) {
        element_error(r, "breaks", 0, fmt::format("the first break must be 0, found {}", breaks.front()));
      } else {
        check_increasing(r, "breaks", breaks, "breaks");
      }
      if (!breaks.empty() && rates.size() != breaks.size()) {
        r.error("rates",
                fmt::format("{} rates for {} breaks: give one rate per interval (the last interval is "
                            "open-ended)",
                            rates.size(), breaks.size()));
      }
    }
    make = [breaks, rates] { return std::make_shared<PiecewiseExponential>(breaks, rates); };
  }
  return build(r, before, make);
}

ValueDistributionPtr parse_value_distribution(config::TableReader& r, std::string* source) {
  const std::size_t before = issue_count(r);
  std::string dist;
  if (!read_header(r, value_distribution_names(), source, dist)) return nullptr;
  const NumberRule any = NumberRule::any();
  std::function<ValueDistributionPtr()> make;

  if (dist == "bernoulli") {
    const double p = r.number("p", NumberRule::probability());
    make = [=] { return std::make_shared<BernoulliValue>(p); };
  } else if (dist == "categorical") {
    const std::size_t arrays_before = issue_count(r);
    std::vector<double> probs = r.numbers("probs", NumberRule::probability());
    std::vector<double> values = r.numbers("values", any, /*required=*/false);
    if (issue_count(r) == arrays_before) {
      double sum = 0.0;
      for (double p : probs) sum += p;
      if (probs.empty()) {
        r.error("probs", "needs at least one probability");
      } else if (std::abs(sum - 1.0) > CategoricalValue::kSumTolerance) {
        r.error("probs", fmt::format("probabilities sum to {}, not 1 (tolerance {})", sum,
                                     CategoricalValue::kSumTolerance));
      }
      if (r.has("values")) {
        if (values.size() != probs.size()) {
          r.error("values", fmt::format("{} values for {} probabilities: give one value per category",
                                        values.size(), probs.size()));
        } else {
          check_increasing(r, "values", values, "values");
        }
      }
    }
    make = [probs, values] { return std::make_shared<CategoricalValue>(probs, values); };
  } else if (dist == "normal") {
    const double mean = r.number("mean", any);
    const double sd = r.number("sd", NumberRule::positive());
    make = [=] { return std::make_shared<NormalValue>(mean, sd); };
  } else if (dist == "truncated_normal") {
    using mmsim::kInf;
    const double mean = r.number("mean", any);
    const double sd = r.number("sd", NumberRule::positive());
    const double lower = r.number("lower", any, -kInf);
    const double upper = r.number("upper", any, kInf);
    if (issue_count(r) == before && !(lower < upper))
      r.error("upper", fmt::format("must be greater than lower ({}), found {}", lower, upper));
    make = [=] { return std::make_shared<TruncatedNormalValue>(mean, sd, lower, upper); };
  } else if (dist == "uniform") {
    const double lower = r.number("lower", any);
    const double upper = r.number("upper", any);
    if (issue_count(r) == before && !(lower < upper))
      r.error("upper", fmt::format("must be greater than lower ({}), found {}", lower, upper));
    make = [=] { return std::make_shared<UniformValue>(lower, upper); };
  } else if (dist == "lognormal") {
    const double meanlog = r.number("meanlog", any);
    const double sdlog = r.number("sdlog", NumberRule::positive());
    make = [=] { return std::make_shared<LogNormalValue>(meanlog, sdlog); };
  } else if (dist == "fixed") {
    const double value = r.number("value", any);
    make = [=] { return std::make_shared<FixedValue>(value); };
  }
  return build(r, before, make);
}

}  // namespace mmsim
