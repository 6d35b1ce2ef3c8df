#pragma once
// The concrete time-to-event laws. Each is a small immutable class with closed forms for every function of
// TimeDistribution, evaluated on the log-survival (cumulative hazard) scale with log1p/expm1 so that neither
// the early tail (cdf ~ 1e-12) nor the late tail (survival ~ 1e-300 and below) loses precision or turns into
// NaN.
//
// Conventions shared by every law:
//   * time is in the model's unit (months); t <= 0 has cdf 0, survival 1, hazard and cumhazard 0, pdf 0
//     (except at t = 0 itself, where pdf and hazard are the right limits, possibly +infinity);
//   * t = +infinity has cdf 1 (or the plateau of a defective law), pdf 0;
//   * constructors check their parameters and throw std::invalid_argument (a programmer error: user input is
//     validated with located messages by parse_time_distribution before a law is built).
//
// Sampling: sample() is inv_cumhazard(E) with E ~ Exp(1) (one uniform) for every law except Gamma, whose
// Marsaglia-Tsang sampler is exact but consumes a random number of uniforms. Exponential (E / rate) and
// Weibull (scale * pow(E, 1/shape), 1/shape precomputed) override sample() with that same formula written out
// for the hot loop, so sample(rng) == sample_conditional(rng, 0, 1) bit for bit: a hazard ratio of 1 and the
// fast path give the same draw (common random numbers).
#include <cmath>
#include <string>
#include <vector>

#include "sim/dist/time_distribution.hpp"

namespace mmsim {

// h(t) = rate.
class Exponential final : public TimeDistribution {
 public:
  explicit Exponential(double rate);
  double rate() const { return rate_; }

  double pdf(double t) const override;
  double cdf(double t) const override;
  double survival(double t) const override;
  double quantile(double p) const override;
  double hazard(double t) const override;
  double cumhazard(double t) const override;
  double inv_cumhazard(double h) const override;
  std::string describe() const override;
  double sample(RandomStream& rng) const override { return rng.exponential() * mean_; }
  // H^-1 given 1 / rate: the one expression inv_cumhazard and the reference loop's inlined draw
  // (sim/multistate/plain_clock_loop.cpp) share, so both give the same bits.
  static double inv_cumhazard_of(double h, double mean) { return h <= 0.0 ? 0.0 : h * mean; }

 private:
  double rate_;
  double mean_;  // 1 / rate
};

// S(t) = exp(-(t/scale)^shape).
class Weibull final : public TimeDistribution {
 public:
  Weibull(double shape, double scale);
  double shape() const { return shape_; }
  double scale() const { return scale_; }

  double pdf(double t) const override;
  double cdf(double t) const override;
  double survival(double t) const override;
  double quantile(double p) const override;
  double hazard(double t) const override;
  double cumhazard(double t) const override;
  double inv_cumhazard(double h) const override;
  std::string describe() const override;
  double sample(RandomStream& rng) const override;
  // H^-1 given scale and 1 / shape, h^(1/k) as exp(log(h) / k): glibc's pow is correctly rounded and costs
  // ~150 instructions, this ~100 (3% of the reference model's run time), with a relative error of a few ulp.
  // Shared with the reference loop's inlined draw (sim/multistate/plain_clock_loop.cpp): the same bits.
  static double inv_cumhazard_of(double h, double scale, double inv_shape) {
    return h <= 0.0 ? 0.0 : scale * std::exp(inv_shape * std::log(h));
  }

 private:
  double shape_;
  double scale_;
  double inv_shape_;  // 1 / shape, precomputed for sample()
};

// h(t) = rate * exp(shape * t), H(t) = (rate/shape) (exp(shape t) - 1). shape may be any finite number:
// shape = 0 is the exponential law; shape < 0 is defective, S(inf) = exp(rate/shape) > 0 (a cured fraction),
// and quantile / inv_cumhazard return +infinity past the plateau.
class Gompertz final : public TimeDistribution {
 public:
  Gompertz(double shape, double rate);
  double shape() const { return shape_; }
  double rate() const { return rate_; }
  // S(inf): exp(rate/shape) for shape < 0, else 0.
  double cure_fraction() const;

  double pdf(double t) const override;
  double cdf(double t) const override;
  double survival(double t) const override;
  double quantile(double p) const override;
  double hazard(double t) const override;
  double cumhazard(double t) const override;
  double inv_cumhazard(double h) const override;
  std::string describe() const override;

 private:
  double shape_;
  double rate_;
};

// log T ~ Normal(meanlog, sdlog^2).
class LogNormal final : public TimeDistribution {
 public:
  LogNormal(double meanlog, double sdlog);
  double meanlog() const { return meanlog_; }
  double sdlog() const { return sdlog_; }

  double pdf(double t) const override;
  double cdf(double t) const override;
  double survival(double t) const override;
  double quantile(double p) const override;
  double hazard(double t) const override;
  double cumhazard(double t) const override;
  double inv_cumhazard(double h) const override;
  std::string describe() const override;

 private:
  double z(double t) const;  // (log t - meanlog) / sdlog
  double meanlog_;
  double sdlog_;
};

// S(t) = 1 / (1 + (t/scale)^shape).
class LogLogistic final : public TimeDistribution {
 public:
  LogLogistic(double shape, double scale);
  double shape() const { return shape_; }
  double scale() const { return scale_; }

  double pdf(double t) const override;
  double cdf(double t) const override;
  double survival(double t) const override;
  double quantile(double p) const override;
  double hazard(double t) const override;
  double cumhazard(double t) const override;
  double inv_cumhazard(double h) const override;
  std::string describe() const override;

 private:
  double log_odds(double t) const;  // shape * log(t/scale) = log(cdf / survival)
  double shape_;
  double scale_;
};

// Density rate^shape t^(shape-1) exp(-rate t) / Gamma(shape). cdf is the regularized incomplete gamma P, the
// cumulative hazard -log Q (with a continued fraction for log Q where Q underflows).
class Gamma final : public TimeDistribution {
 public:
  Gamma(double shape, double rate);
  double shape() const { return shape_; }
  double rate() const { return rate_; }

  double pdf(double t) const override;
  double cdf(double t) const override;
  double survival(double t) const override;
  double quantile(double p) const override;
  double hazard(double t) const override;
  double cumhazard(double t) const override;
  double inv_cumhazard(double h) const override;
  std::string describe() const override;
  // gamma_variate_with_squeeze (sim/dist/gamma_variates.hpp): Marsaglia & Tsang with the U^(1/shape) boost
  // for shape < 1, normals by inversion, so each draw is a function of the stream only.
  double sample(RandomStream& rng) const override;

 private:
  double log_survival(double x) const;  // log Q(shape, x), x = rate * t
  double shape_;
  double rate_;
  double log_gamma_shape_;  // lgamma(shape)
};

// Constant hazard rates[i] on [breaks[i], breaks[i+1]); the last interval is open-ended. breaks[0] = 0,
// strictly increasing, one rate per break, every rate > 0.
class PiecewiseExponential final : public TimeDistribution {
 public:
  PiecewiseExponential(std::vector<double> breaks, std::vector<double> rates);
  const std::vector<double>& breaks() const { return breaks_; }
  const std::vector<double>& rates() const { return rates_; }

  double pdf(double t) const override;
  double cdf(double t) const override;
  double survival(double t) const override;
  double quantile(double p) const override;
  double hazard(double t) const override;
  double cumhazard(double t) const override;
  double inv_cumhazard(double h) const override;
  std::string describe() const override;

 private:
  std::size_t interval(double t) const;  // i with breaks[i] <= t < breaks[i+1], t >= 0
  std::vector<double> breaks_;
  std::vector<double> rates_;
  std::vector<double> cum_at_break_;  // H(breaks[i])
};

}  // namespace mmsim
