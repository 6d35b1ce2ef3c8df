#pragma once
// Time-to-event distributions: the engine's own small classes, so results never depend on a standard
// library's implementation. Times are in the model's unit (months). Every law is described by its cumulative
// hazard H(t); sampling goes through its inverse, which makes proportional-hazards scaling and sampling
// conditional on survival to t0 (clock-forward transitions) exact and cheap:
//     T | T > t0, hazard x hr   =   H^{-1}( H(t0) + E / hr ),   E ~ Exp(1).
// A law may be defective (S(inf) > 0, e.g. Gompertz with negative shape: a cured fraction); then
// inv_cumhazard returns +infinity for h >= H(inf).
#include <memory>
#include <string>

#include "sim/random/stream.hpp"

namespace mmsim {

class TimeDistribution {
 public:
  virtual ~TimeDistribution() = default;

  virtual double pdf(double t) const = 0;
  virtual double cdf(double t) const = 0;
  virtual double survival(double t) const = 0;
  // Smallest t with cdf(t) >= p; +infinity when the law never reaches p (defective laws).
  virtual double quantile(double p) const = 0;
  virtual double hazard(double t) const = 0;
  virtual double cumhazard(double t) const = 0;
  // Smallest t with cumhazard(t) >= h (h >= 0); +infinity if H never reaches h.
  virtual double inv_cumhazard(double h) const = 0;
  // "weibull(shape=1.2, scale=12)": for --print, docs and error messages.
  virtual std::string describe() const = 0;

  // One draw. The default inverts the cumulative hazard; laws with a faster exact sampler override it.
  virtual double sample(RandomStream& rng) const { return inv_cumhazard(rng.exponential()); }

  // A draw of T conditional on T > t0, with the hazard multiplied by hr > 0 (proportional hazards).
  double sample_conditional(RandomStream& rng, double t0, double hr) const {
    const double e = rng.exponential() / hr;
    return t0 > 0.0 ? inv_cumhazard(cumhazard(t0) + e) : inv_cumhazard(e);
  }
};

using TimeDistributionPtr = std::shared_ptr<const TimeDistribution>;

}  // namespace mmsim
