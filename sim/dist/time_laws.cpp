#include "sim/dist/time_laws.hpp"

#include <fmt/format.h>

#include <algorithm>
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

// Boost.Math reports overflow (e.g. a quantile at p = 1) by returning infinity instead of throwing.
using BoostPolicy =
    boost::math::policies::policy<boost::math::policies::overflow_error<boost::math::policies::ignore_error>>;

void require(bool ok, const char* law, const char* what) {
  if (!ok) throw std::invalid_argument(fmt::format("{}: {}", law, what));
}

bool is_probability(double p) {
  return p >= 0.0 && p <= 1.0;
}

// Shared shapes of the functions once the cumulative hazard H = -log S is known.
double cdf_from_cumhazard(double h) {
  return -std::expm1(-h);
}
double survival_from_cumhazard(double h) {
  return std::exp(-h);
}
// -log(1 - p): the cumulative hazard at the p-quantile.
double cumhazard_at_probability(double p) {
  return -std::log1p(-p);
}

// pdf = hazard * survival; when that product is 0 * inf or overflows, fall back to exp(log h - H).
double pdf_from(double hazard, double cumhazard, double log_hazard) {
  const double s = survival_from_cumhazard(cumhazard);
  if (s > 0.0 && std::isfinite(hazard)) return hazard * s;
  return std::exp(log_hazard - cumhazard);
}

}  // namespace

// --- Exponential
// ---------------------------------------------------------------------------------------------

Exponential::Exponential(double rate) : rate_(rate), mean_(1.0 / rate) {
  require(std::isfinite(rate) && rate > 0.0, "exponential", "rate must be finite and > 0");
}

double Exponential::pdf(double t) const {
  if (t < 0.0) return 0.0;
  return rate_ * std::exp(-rate_ * t);
}
double Exponential::cdf(double t) const {
  return t <= 0.0 ? 0.0 : -std::expm1(-rate_ * t);
}
double Exponential::survival(double t) const {
  return t <= 0.0 ? 1.0 : std::exp(-rate_ * t);
}
double Exponential::quantile(double p) const {
  if (!is_probability(p)) return kNaN;
  return cumhazard_at_probability(p) * mean_;
}
double Exponential::hazard(double t) const {
  return t < 0.0 ? 0.0 : rate_;
}
double Exponential::cumhazard(double t) const {
  return t <= 0.0 ? 0.0 : rate_ * t;
}
double Exponential::inv_cumhazard(double h) const {
  return inv_cumhazard_of(h, mean_);
}
std::string Exponential::describe() const {
  return fmt::format("exponential(rate={})", rate_);
}

// --- Weibull
// -------------------------------------------------------------------------------------------------

Weibull::Weibull(double shape, double scale) : shape_(shape), scale_(scale), inv_shape_(1.0 / shape) {
  require(std::isfinite(shape) && shape > 0.0, "weibull", "shape must be finite and > 0");
  require(std::isfinite(scale) && scale > 0.0, "weibull", "scale must be finite and > 0");
}

double Weibull::cumhazard(double t) const {
  return t <= 0.0 ? 0.0 : std::pow(t / scale_, shape_);
}
double Weibull::hazard(double t) const {
  if (t < 0.0) return 0.0;
  return shape_ / scale_ * std::pow(t / scale_, shape_ - 1.0);
}
double Weibull::pdf(double t) const {
  if (t < 0.0 || t == kInf) return 0.0;
  if (t == 0.0) return hazard(0.0);
  return pdf_from(hazard(t), cumhazard(t), std::log(shape_ / scale_) + (shape_ - 1.0) * std::log(t / scale_));
}
double Weibull::cdf(double t) const {
  return cdf_from_cumhazard(cumhazard(t));
}
double Weibull::survival(double t) const {
  return survival_from_cumhazard(cumhazard(t));
}
double Weibull::quantile(double p) const {
  if (!is_probability(p)) return kNaN;
  return inv_cumhazard(cumhazard_at_probability(p));
}
double Weibull::inv_cumhazard(double h) const {
  return inv_cumhazard_of(h, scale_, inv_shape_);
}
double Weibull::sample(RandomStream& rng) const {
  return inv_cumhazard(rng.exponential());  // the same expression as sample_conditional at hr = 1 (CRN)
}
std::string Weibull::describe() const {
  return fmt::format("weibull(shape={}, scale={})", shape_, scale_);
}

// --- Gompertz
// ------------------------------------------------------------------------------------------------

Gompertz::Gompertz(double shape, double rate) : shape_(shape), rate_(rate) {
  require(std::isfinite(shape), "gompertz", "shape must be finite");
  require(std::isfinite(rate) && rate > 0.0, "gompertz", "rate must be finite and > 0");
}

double Gompertz::cure_fraction() const {
  return shape_ < 0.0 ? std::exp(rate_ / shape_) : 0.0;
}

double Gompertz::cumhazard(double t) const {
  if (t <= 0.0) return 0.0;
  if (shape_ == 0.0) return rate_ * t;
  // expm1 keeps full relative precision for small shape * t, where exp(a t) - 1 would cancel.
  return rate_ / shape_ * std::expm1(shape_ * t);
}
double Gompertz::hazard(double t) const {
  if (t < 0.0) return 0.0;
  return rate_ * std::exp(shape_ * t);
}
double Gompertz::pdf(double t) const {
  if (t < 0.0 || t == kInf) return 0.0;
  return pdf_from(hazard(t), cumhazard(t), std::log(rate_) + shape_ * t);
}
double Gompertz::cdf(double t) const {
  return cdf_from_cumhazard(cumhazard(t));
}
double Gompertz::survival(double t) const {
  return survival_from_cumhazard(cumhazard(t));
}
double Gompertz::quantile(double p) const {
  if (!is_probability(p)) return kNaN;
  return inv_cumhazard(cumhazard_at_probability(p));
}
double Gompertz::inv_cumhazard(double h) const {
  if (h <= 0.0) return 0.0;
  if (shape_ == 0.0) return h / rate_;
  // Solve (rate/shape) expm1(shape t) = h. With shape < 0, x >= -1 means h is at or past H(inf) =
  // -rate/shape.
  const double x = shape_ * h / rate_;
  if (x <= -1.0) return kInf;
  return std::log1p(x) / shape_;
}
std::string Gompertz::describe() const {
  return fmt::format("gompertz(shape={}, rate={})", shape_, rate_);
}

// --- LogNormal
// -----------------------------------------------------------------------------------------------

LogNormal::LogNormal(double meanlog, double sdlog) : meanlog_(meanlog), sdlog_(sdlog) {
  require(std::isfinite(meanlog), "lognormal", "meanlog must be finite");
  require(std::isfinite(sdlog) && sdlog > 0.0, "lognormal", "sdlog must be finite and > 0");
}

double LogNormal::z(double t) const {
  return (std::log(t) - meanlog_) / sdlog_;
}

double LogNormal::pdf(double t) const {
  if (t <= 0.0 || t == kInf) return 0.0;
  return normal_pdf(z(t)) / (sdlog_ * t);
}
double LogNormal::cdf(double t) const {
  return t <= 0.0 ? 0.0 : normal_cdf(z(t));
}
double LogNormal::survival(double t) const {
  return t <= 0.0 ? 1.0 : normal_cdf(-z(t));
}
double LogNormal::quantile(double p) const {
  if (!is_probability(p)) return kNaN;
  return std::exp(meanlog_ + sdlog_ * normal_quantile(p));
}
double LogNormal::hazard(double t) const {
  if (t <= 0.0 || t == kInf) return 0.0;
  // h = phi(z) / (sdlog t (1 - Phi(z))) = 1 / (sdlog t R(z)), R the Mills ratio: no underflow at large z.
  return 1.0 / (sdlog_ * t * normal_mills_ratio(z(t)));
}
double LogNormal::cumhazard(double t) const {
  return t <= 0.0 ? 0.0 : -normal_log_cdf(-z(t));
}
double LogNormal::inv_cumhazard(double h) const {
  if (h <= 0.0) return 0.0;
  // log S = log Phi(-z) = -h.
  return std::exp(meanlog_ - sdlog_ * normal_quantile_log(-h));
}
std::string LogNormal::describe() const {
  return fmt::format("lognormal(meanlog={}, sdlog={})", meanlog_, sdlog_);
}

// --- LogLogistic
// ---------------------------------------------------------------------------------------------

LogLogistic::LogLogistic(double shape, double scale) : shape_(shape), scale_(scale) {
  require(std::isfinite(shape) && shape > 0.0, "loglogistic", "shape must be finite and > 0");
  require(std::isfinite(scale) && scale > 0.0, "loglogistic", "scale must be finite and > 0");
}

double LogLogistic::log_odds(double t) const {
  return shape_ * std::log(t / scale_);
}

double LogLogistic::cdf(double t) const {
  return t <= 0.0 ? 0.0 : 1.0 / (1.0 + std::exp(-log_odds(t)));
}
double LogLogistic::survival(double t) const {
  return t <= 0.0 ? 1.0 : 1.0 / (1.0 + std::exp(log_odds(t)));
}
double LogLogistic::cumhazard(double t) const {
  if (t <= 0.0) return 0.0;
  // H = log(1 + e^x), x the log-odds, written so that e^x never overflows.
  const double x = log_odds(t);
  return x > 0.0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
}
double LogLogistic::hazard(double t) const {
  if (t < 0.0 || t == kInf) return 0.0;
  if (t <= scale_) {
    const double u = t / scale_;
    return shape_ / scale_ * std::pow(u, shape_ - 1.0) / (1.0 + std::pow(u, shape_));
  }
  return shape_ / t * cdf(t);  // h = (shape / t) F(t)
}
double LogLogistic::pdf(double t) const {
  if (t < 0.0) return 0.0;
  return hazard(t) * survival(t);
}
double LogLogistic::quantile(double p) const {
  if (!is_probability(p)) return kNaN;
  if (p == 0.0) return 0.0;
  if (p == 1.0) return kInf;
  return scale_ * std::exp((std::log(p) - std::log1p(-p)) / shape_);
}
double LogLogistic::inv_cumhazard(double h) const {
  if (h <= 0.0) return 0.0;
  if (h == kInf) return kInf;
  // Odds (t/scale)^shape = e^h - 1, on the log scale so that large h does not overflow.
  const double x = h > 30.0 ? h + std::log1p(-std::exp(-h)) : std::log(std::expm1(h));
  return scale_ * std::exp(x / shape_);
}
std::string LogLogistic::describe() const {
  return fmt::format("loglogistic(shape={}, scale={})", shape_, scale_);
}

// --- Gamma
// ---------------------------------------------------------------------------------------------------

Gamma::Gamma(double shape, double rate) : shape_(shape), rate_(rate), log_gamma_shape_(std::lgamma(shape)) {
  require(std::isfinite(shape) && shape > 0.0, "gamma", "shape must be finite and > 0");
  require(std::isfinite(rate) && rate > 0.0, "gamma", "rate must be finite and > 0");
}

namespace {

// The Legendre continued fraction for the upper incomplete gamma function,
//   Q(a, x) = e^{-x} x^a / Gamma(a) * F,   F = 1 / (x + 1 - a - 1 (1 - a) / (x + 3 - a - 2 (2 - a) / (x + 5 -
//   a - ...))),
// evaluated by the modified Lentz method. Used only where Q underflows, i.e. far beyond the mode (x > a + 1),
// where it converges in a handful of terms. Then log Q = -x + a log x - lgamma(a) + log F, and the hazard on
// the x scale is f / Q = 1 / (x F), with no cancellation.
double legendre_fraction(double a, double x) {
  constexpr double kTiny = 1e-300;
  double b = x + 1.0 - a;
  double c = 1.0 / kTiny;
  double d = 1.0 / b;
  double f = d;
  for (int i = 1; i < 1000; ++i) {
    const double an = -i * (i - a);
    b += 2.0;
    d = an * d + b;
    if (std::abs(d) < kTiny) d = kTiny;
    c = b + an / c;
    if (std::abs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double delta = d * c;
    f *= delta;
    if (std::abs(delta - 1.0) < 1e-16) break;
  }
  return f;
}

constexpr double kSmallestUsableQ = 1e-290;

}  // namespace

double Gamma::log_survival(double x) const {
  if (x <= 0.0) return 0.0;
  if (x == kInf) return -kInf;
  const double p = boost::math::gamma_p(shape_, x, BoostPolicy{});
  if (p < 0.5) return std::log1p(-p);
  const double q = boost::math::gamma_q(shape_, x, BoostPolicy{});
  if (q > kSmallestUsableQ) return std::log(q);
  return -x + shape_ * std::log(x) - log_gamma_shape_ + std::log(legendre_fraction(shape_, x));
}

double Gamma::pdf(double t) const {
  if (t < 0.0 || t == kInf) return 0.0;
  if (t == 0.0) return shape_ < 1.0 ? kInf : (shape_ == 1.0 ? rate_ : 0.0);
  return rate_ * boost::math::gamma_p_derivative(shape_, rate_ * t, BoostPolicy{});
}
double Gamma::cdf(double t) const {
  if (t <= 0.0) return 0.0;
  if (t == kInf) return 1.0;
  return boost::math::gamma_p(shape_, rate_ * t, BoostPolicy{});
}
double Gamma::survival(double t) const {
  if (t <= 0.0) return 1.0;
  if (t == kInf) return 0.0;
  return boost::math::gamma_q(shape_, rate_ * t, BoostPolicy{});
}
double Gamma::cumhazard(double t) const {
  return t <= 0.0 ? 0.0 : -log_survival(rate_ * t);
}
double Gamma::hazard(double t) const {
  if (t < 0.0) return 0.0;
  if (t == 0.0) return pdf(0.0);
  if (t == kInf) return rate_;  // the hazard tends to the rate
  const double x = rate_ * t;
  const double q = boost::math::gamma_q(shape_, x, BoostPolicy{});
  if (q > kSmallestUsableQ) return pdf(t) / q;
  return rate_ / (x * legendre_fraction(shape_, x));
}
double Gamma::quantile(double p) const {
  if (!is_probability(p)) return kNaN;
  if (p == 0.0) return 0.0;
  if (p == 1.0) return kInf;
  if (p <= 0.5) return boost::math::gamma_p_inv(shape_, p, BoostPolicy{}) / rate_;
  return boost::math::gamma_q_inv(shape_, 1.0 - p, BoostPolicy{}) / rate_;
}
double Gamma::inv_cumhazard(double h) const {
  if (h <= 0.0) return 0.0;
  if (h == kInf) return kInf;
  if (h < std::numbers::ln2) return boost::math::gamma_p_inv(shape_, -std::expm1(-h), BoostPolicy{}) / rate_;
  if (h < 690.0) return boost::math::gamma_q_inv(shape_, std::exp(-h), BoostPolicy{}) / rate_;
  // Q = e^{-h} is below the doubles Boost can invert: Newton on H(x) = -log Q(x) = h, where H'(x) = 1 / (x F)
  // is the hazard on the x = rate * t scale, from H(x) ~ x - (shape - 1) log x + lgamma(shape).
  double x = std::max(h + (shape_ - 1.0) * std::log(h) - log_gamma_shape_, shape_ + 1.0);
  for (int i = 0; i < 100; ++i) {
    const double f = legendre_fraction(shape_, x);
    const double log_q = -x + shape_ * std::log(x) - log_gamma_shape_ + std::log(f);
    const double step = (-log_q - h) * x * f;
    x = std::max(x - step, 0.5 * x);
    if (std::abs(step) <= 1e-15 * x) break;
  }
  return x / rate_;
}
double Gamma::sample(RandomStream& rng) const {
  return gamma_variate_with_squeeze(shape_, rng) / rate_;
}
std::string Gamma::describe() const {
  return fmt::format("gamma(shape={}, rate={})", shape_, rate_);
}

// --- PiecewiseExponential
// ------------------------------------------------------------------------------------

PiecewiseExponential::PiecewiseExponential(std::vector<double> breaks, std::vector<double> rates)
    : breaks_(std::move(breaks)), rates_(std::move(rates)) {
  const char* law = "piecewise_exponential";
  require(!breaks_.empty(), law, "needs at least one interval");
  require(breaks_.size() == rates_.size(), law, "needs one rate per break");
  require(breaks_.front() == 0.0, law, "the first break must be 0");
  for (std::size_t i = 0; i < breaks_.size(); ++i) {
    require(std::isfinite(breaks_[i]), law, "breaks must be finite");
    require(i == 0 || breaks_[i] > breaks_[i - 1], law, "breaks must be strictly increasing");
    require(std::isfinite(rates_[i]) && rates_[i] > 0.0, law, "rates must be finite and > 0");
  }
  cum_at_break_.resize(breaks_.size());
  cum_at_break_[0] = 0.0;
  for (std::size_t i = 1; i < breaks_.size(); ++i) {
    cum_at_break_[i] = cum_at_break_[i - 1] + rates_[i - 1] * (breaks_[i] - breaks_[i - 1]);
  }
}

std::size_t PiecewiseExponential::interval(double t) const {
  const auto it = std::upper_bound(breaks_.begin(), breaks_.end(), t);
  return static_cast<std::size_t>(it - breaks_.begin()) - 1;
}

double PiecewiseExponential::hazard(double t) const {
  return t < 0.0 ? 0.0 : rates_[interval(t)];
}
double PiecewiseExponential::cumhazard(double t) const {
  if (t <= 0.0) return 0.0;
  const std::size_t i = interval(t);
  return cum_at_break_[i] + rates_[i] * (t - breaks_[i]);
}
double PiecewiseExponential::pdf(double t) const {
  if (t < 0.0 || t == kInf) return 0.0;
  return hazard(t) * survival(t);
}
double PiecewiseExponential::cdf(double t) const {
  return cdf_from_cumhazard(cumhazard(t));
}
double PiecewiseExponential::survival(double t) const {
  return survival_from_cumhazard(cumhazard(t));
}
double PiecewiseExponential::quantile(double p) const {
  if (!is_probability(p)) return kNaN;
  return inv_cumhazard(cumhazard_at_probability(p));
}
double PiecewiseExponential::inv_cumhazard(double h) const {
  if (h <= 0.0) return 0.0;
  if (h == kInf) return kInf;
  const auto it = std::upper_bound(cum_at_break_.begin(), cum_at_break_.end(), h);
  const auto i = static_cast<std::size_t>(it - cum_at_break_.begin()) - 1;
  return breaks_[i] + (h - cum_at_break_[i]) / rates_[i];
}
std::string PiecewiseExponential::describe() const {
  return fmt::format("piecewise_exponential(breaks=[{}], rates=[{}])", fmt::join(breaks_, ", "),
                     fmt::join(rates_, ", "));
}

}  // namespace mmsim
