#include "sim/dist/value_laws.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <utility>

#include "sim/core/numeric.hpp"
#include "sim/dist/gamma_variates.hpp"
#include "sim/dist/normal.hpp"

namespace mmsim {
namespace {
constexpr double kLogSqrt2Pi = 0.918938533204672741780329736;

// Boost.Math reports overflow (a density at a pole, a quantile at p = 1) by returning infinity instead of
// throwing.
using BoostPolicy =
    boost::math::policies::policy<boost::math::policies::overflow_error<boost::math::policies::ignore_error>>;

void require(bool ok, const char* law, const char* what) {
  if (!ok) throw std::invalid_argument(fmt::format("{}: {}", law, what));
}

bool is_probability(double p) {
  return p >= 0.0 && p <= 1.0;
}

// log(e^x + e^y) without overflow; -inf when both are -inf.
double log_add(double x, double y) {
  const double hi = std::max(x, y);
  const double lo = std::min(x, y);
  if (hi == -kInf) return -kInf;
  return hi + std::log1p(std::exp(lo - hi));
}

// log(e^x - e^y) for x >= y.
double log_sub(double x, double y) {
  return x + std::log(-std::expm1(y - x));
}

double log_normal_pdf(double z) {
  return -0.5 * z * z - kLogSqrt2Pi;
}

}  // namespace

// --- Bernoulli
// -----------------------------------------------------------------------------------------------

BernoulliValue::BernoulliValue(double p) : p_(p) {
  require(is_probability(p), "bernoulli", "p must be in [0, 1]");
}
double BernoulliValue::pdf(double x) const {
  return x == 1.0 ? p_ : (x == 0.0 ? 1.0 - p_ : 0.0);
}
double BernoulliValue::cdf(double x) const {
  return x < 0.0 ? 0.0 : (x < 1.0 ? 1.0 - p_ : 1.0);
}
double BernoulliValue::quantile(double u) const {
  if (!is_probability(u)) return kNaN;
  return u <= 1.0 - p_ ? 0.0 : 1.0;
}
std::string BernoulliValue::describe() const {
  return fmt::format("bernoulli(p={})", p_);
}

// --- Categorical
// ---------------------------------------------------------------------------------------------

CategoricalValue::CategoricalValue(std::vector<double> probs, std::vector<double> values)
    : probs_(std::move(probs)), values_(std::move(values)) {
  const char* law = "categorical";
  require(!probs_.empty(), law, "needs at least one category");
  double sum = 0.0;
  for (double p : probs_) {
    require(is_probability(p), law, "probabilities must be in [0, 1]");
    sum += p;
  }
  require(std::abs(sum - 1.0) <= kSumTolerance, law, "probabilities must sum to 1");
  if (values_.empty()) {
    for (std::size_t i = 0; i < probs_.size(); ++i) values_.push_back(static_cast<double>(i));
  }
  require(values_.size() == probs_.size(), law, "needs one value per probability");
  for (std::size_t i = 0; i < values_.size(); ++i) {
    require(std::isfinite(values_[i]), law, "values must be finite");
    require(i == 0 || values_[i] > values_[i - 1], law, "values must be strictly increasing");
  }
  double running = 0.0;
  for (double& p : probs_) {
    p /= sum;
    running += p;
    cumulative_.push_back(running);
  }
  cumulative_.back() = 1.0;
}

std::size_t CategoricalValue::index(double u) const {
  // The first category with cumulative >= u; a zero-probability category is never chosen for u > 0.
  const auto it = std::lower_bound(cumulative_.begin(), cumulative_.end(), u);
  auto i = static_cast<std::size_t>(it - cumulative_.begin());
  if (i >= probs_.size()) i = probs_.size() - 1;  // u > 1 or NaN: a programmer error; stay in range
  while (probs_[i] == 0.0 && i + 1 < probs_.size()) ++i;
  return i;
}

double CategoricalValue::pdf(double x) const {
  const auto it = std::lower_bound(values_.begin(), values_.end(), x);
  return it != values_.end() && *it == x ? probs_[static_cast<std::size_t>(it - values_.begin())] : 0.0;
}
double CategoricalValue::cdf(double x) const {
  const auto k =
      static_cast<std::size_t>(std::upper_bound(values_.begin(), values_.end(), x) - values_.begin());
  return k == 0 ? 0.0 : cumulative_[k - 1];
}
double CategoricalValue::mean() const {
  double m = 0.0;
  for (std::size_t i = 0; i < probs_.size(); ++i) m += probs_[i] * values_[i];
  return m;
}
std::string CategoricalValue::describe() const {
  return fmt::format("categorical(probs=[{}], values=[{}])", fmt::join(probs_, ", "),
                     fmt::join(values_, ", "));
}

// --- Normal
// --------------------------------------------------------------------------------------------------

NormalValue::NormalValue(double mean, double sd) : mean_(mean), sd_(sd) {
  require(std::isfinite(mean), "normal", "mean must be finite");
  require(std::isfinite(sd) && sd > 0.0, "normal", "sd must be finite and > 0");
}
double NormalValue::pdf(double x) const {
  return normal_pdf((x - mean_) / sd_) / sd_;
}
double NormalValue::cdf(double x) const {
  return normal_cdf((x - mean_) / sd_);
}
double NormalValue::quantile(double u) const {
  return mean_ + sd_ * normal_quantile(u);
}
std::string NormalValue::describe() const {
  return fmt::format("normal(mean={}, sd={})", mean_, sd_);
}

// --- TruncatedNormal
// -----------------------------------------------------------------------------------------

TruncatedNormalValue::TruncatedNormalValue(double mean, double sd, double lower, double upper)
    : mu_(mean), sd_(sd), lower_(lower), upper_(upper) {
  const char* law = "truncated_normal";
  require(std::isfinite(mean), law, "mean must be finite");
  require(std::isfinite(sd) && sd > 0.0, law, "sd must be finite and > 0");
  require(!std::isnan(lower) && !std::isnan(upper) && lower < upper, law, "needs lower < upper");
  a_ = (lower - mean) / sd;
  b_ = (upper - mean) / sd;
  log_cdf_a_ = normal_log_cdf(a_);
  log_cdf_b_ = normal_log_cdf(b_);
  log_sf_a_ = normal_log_cdf(-a_);
  log_sf_b_ = normal_log_cdf(-b_);
  // The mass Phi(b) - Phi(a), computed without cancellation: as a difference of small tail probabilities on
  // the log scale when the interval lies in one tail, else as a sum of two erf terms of opposite sign.
  if (a_ >= 0.0) {
    side_ = Side::upper_tail;
    log_mass_ = log_sub(log_sf_a_, log_sf_b_);
  } else if (b_ <= 0.0) {
    side_ = Side::lower_tail;
    log_mass_ = log_sub(log_cdf_b_, log_cdf_a_);
  } else {
    side_ = Side::middle;
    log_mass_ = std::log(0.5 * (std::erf(b_ / std::numbers::sqrt2) - std::erf(a_ / std::numbers::sqrt2)));
  }
  require(std::isfinite(log_mass_), law, "the interval has no probability mass");
}

double TruncatedNormalValue::pdf(double x) const {
  if (!(x >= lower_ && x <= upper_)) return 0.0;
  return std::exp(log_normal_pdf((x - mu_) / sd_) - log_mass_) / sd_;
}

double TruncatedNormalValue::cdf(double x) const {
  if (x <= lower_) return 0.0;
  if (x >= upper_) return 1.0;
  const double z = (x - mu_) / sd_;
  if (side_ == Side::upper_tail || (side_ == Side::middle && z > 0.0)) {
    // 1 - F = (Q(z) - Q(b)) / mass, Q the upper tail.
    const double log_sf_z = normal_log_cdf(-z);
    return 1.0 - std::exp(log_sub(log_sf_z, log_sf_b_) - log_mass_);
  }
  // F = (Phi(z) - Phi(a)) / mass.
  return std::exp(log_sub(normal_log_cdf(z), log_cdf_a_) - log_mass_);
}

double TruncatedNormalValue::quantile(double u) const {
  if (!is_probability(u)) return kNaN;
  if (u == 0.0) return lower_;
  if (u == 1.0) return upper_;
  // Phi(z) = Phi(a) + u mass in the lower half, Q(z) = Q(b) + (1 - u) mass in the upper half.
  bool upper_half = side_ == Side::upper_tail;
  if (side_ == Side::middle) upper_half = std::exp(log_cdf_a_) + u * std::exp(log_mass_) > 0.5;
  double z = 0.0;
  if (upper_half) {
    z = -normal_quantile_log(log_add(log_sf_b_, std::log1p(-u) + log_mass_));
  } else {
    z = normal_quantile_log(log_add(log_cdf_a_, std::log(u) + log_mass_));
  }
  return std::clamp(mu_ + sd_ * z, lower_, upper_);
}

double TruncatedNormalValue::mean() const {
  // mu + sd (phi(a) - phi(b)) / mass, each ratio on the log scale so that far-tail truncations do not
  // overflow.
  const double ra = std::isfinite(a_) ? std::exp(log_normal_pdf(a_) - log_mass_) : 0.0;
  const double rb = std::isfinite(b_) ? std::exp(log_normal_pdf(b_) - log_mass_) : 0.0;
  return mu_ + sd_ * (ra - rb);
}

std::string TruncatedNormalValue::describe() const {
  return fmt::format("truncated_normal(mean={}, sd={}, lower={}, upper={})", mu_, sd_, lower_, upper_);
}

// --- Uniform
// -------------------------------------------------------------------------------------------------

UniformValue::UniformValue(double lower, double upper) : lower_(lower), upper_(upper) {
  require(std::isfinite(lower) && std::isfinite(upper) && lower < upper, "uniform",
          "needs finite lower < upper");
}
double UniformValue::pdf(double x) const {
  return x >= lower_ && x <= upper_ ? 1.0 / (upper_ - lower_) : 0.0;
}
double UniformValue::cdf(double x) const {
  if (x <= lower_) return 0.0;
  if (x >= upper_) return 1.0;
  return (x - lower_) / (upper_ - lower_);
}
double UniformValue::quantile(double u) const {
  if (!is_probability(u)) return kNaN;
  return std::min(lower_ + u * (upper_ - lower_), upper_);
}
std::string UniformValue::describe() const {
  return fmt::format("uniform(lower={}, upper={})", lower_, upper_);
}

// --- LogNormal
// -----------------------------------------------------------------------------------------------

LogNormalValue::LogNormalValue(double meanlog, double sdlog) : meanlog_(meanlog), sdlog_(sdlog) {
  require(std::isfinite(meanlog), "lognormal", "meanlog must be finite");
  require(std::isfinite(sdlog) && sdlog > 0.0, "lognormal", "sdlog must be finite and > 0");
}
double LogNormalValue::pdf(double x) const {
  if (x <= 0.0 || x == kInf) return 0.0;
  return normal_pdf((std::log(x) - meanlog_) / sdlog_) / (sdlog_ * x);
}
double LogNormalValue::cdf(double x) const {
  return x <= 0.0 ? 0.0 : normal_cdf((std::log(x) - meanlog_) / sdlog_);
}
double LogNormalValue::quantile(double u) const {
  return std::exp(meanlog_ + sdlog_ * normal_quantile(u));
}
double LogNormalValue::mean() const {
  return std::exp(meanlog_ + 0.5 * sdlog_ * sdlog_);
}
std::string LogNormalValue::describe() const {
  return fmt::format("lognormal(meanlog={}, sdlog={})", meanlog_, sdlog_);
}

// --- Gamma
// ---------------------------------------------------------------------------------------------------

GammaValue::GammaValue(double shape, double scale) : shape_(shape), scale_(scale) {
  require(std::isfinite(shape) && shape > 0.0, "gamma", "shape must be finite and > 0");
  require(std::isfinite(scale) && scale > 0.0, "gamma", "scale must be finite and > 0");
}
double GammaValue::pdf(double x) const {
  if (x < 0.0 || x == kInf) return 0.0;
  return boost::math::gamma_p_derivative(shape_, x / scale_, BoostPolicy{}) / scale_;
}
double GammaValue::cdf(double x) const {
  if (x <= 0.0) return 0.0;
  if (x == kInf) return 1.0;
  return boost::math::gamma_p(shape_, x / scale_, BoostPolicy{});
}
double GammaValue::quantile(double u) const {
  if (!is_probability(u)) return kNaN;
  if (u == 0.0) return 0.0;
  if (u == 1.0) return kInf;
  if (u <= 0.5) return boost::math::gamma_p_inv(shape_, u, BoostPolicy{}) * scale_;
  return boost::math::gamma_q_inv(shape_, 1.0 - u, BoostPolicy{}) * scale_;
}
double GammaValue::sample(RandomStream& rng) const {
  return gamma_variate_without_squeeze(shape_, rng) * scale_;
}
std::string GammaValue::describe() const {
  return fmt::format("gamma(shape={}, scale={})", shape_, scale_);
}

// --- Beta
// ----------------------------------------------------------------------------------------------------

BetaValue::BetaValue(double alpha, double beta) : alpha_(alpha), beta_(beta) {
  require(std::isfinite(alpha) && alpha > 0.0, "beta", "alpha must be finite and > 0");
  require(std::isfinite(beta) && beta > 0.0, "beta", "beta must be finite and > 0");
}
double BetaValue::pdf(double x) const {
  if (!(x >= 0.0 && x <= 1.0)) return 0.0;
  return boost::math::ibeta_derivative(alpha_, beta_, x, BoostPolicy{});
}
double BetaValue::cdf(double x) const {
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  return boost::math::ibeta(alpha_, beta_, x, BoostPolicy{});
}
double BetaValue::quantile(double u) const {
  if (!is_probability(u)) return kNaN;
  if (u == 0.0) return 0.0;
  if (u == 1.0) return 1.0;
  return boost::math::ibeta_inv(alpha_, beta_, u, BoostPolicy{});
}
double BetaValue::sample(RandomStream& rng) const {
  const double x = gamma_variate_without_squeeze(alpha_, rng);
  const double y = gamma_variate_without_squeeze(beta_, rng);
  return x / (x + y);
}
std::string BetaValue::describe() const {
  return fmt::format("beta(alpha={}, beta={})", alpha_, beta_);
}

// --- Fixed
// ---------------------------------------------------------------------------------------------------

FixedValue::FixedValue(double value) : value_(value) {
  require(std::isfinite(value), "fixed", "value must be finite");
}
std::string FixedValue::describe() const {
  return fmt::format("fixed(value={})", value_);
}

}  // namespace mmsim
