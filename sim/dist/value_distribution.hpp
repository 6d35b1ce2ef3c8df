#pragma once
// Laws of single values: baseline attributes (covariates: age, sex, stage, ...) and the parameter draws of a
// PSA sweep, the engine's own small classes like the time-to-event laws. Every attribute law samples by
// inversion of exactly one uniform, sample(rng) == quantile(U), so that a draw is a pure function of its
// stream position and attributes can later be made correlated through a Gaussian copula (feed quantile() with
// Phi(Z) for correlated normals Z) without changing any marginal. The two laws that only PSA sweeps use,
// GammaValue and BetaValue, override sample() with a rejection sampler (still a pure function of the stream,
// but of a random number of uniforms): it is the sampler the sweeps have always used, kept so that their
// parameter draws stay bit-identical; their quantile() is exact, so a copula can still use them.
#include <memory>
#include <string>

#include "sim/random/stream.hpp"

namespace mmsim {

class ValueDistribution {
 public:
  virtual ~ValueDistribution() = default;

  // Density; for a discrete law, the probability mass at x.
  virtual double pdf(double x) const = 0;
  virtual double cdf(double x) const = 0;
  // Smallest x with cdf(x) >= p, p in (0, 1); at p = 0 and p = 1 the ends of the support (maybe infinite).
  virtual double quantile(double p) const = 0;
  virtual double mean() const = 0;
  // "normal(mean=65, sd=10)": for --print, docs and error messages.
  virtual std::string describe() const = 0;
  virtual bool discrete() const = 0;

  // One draw: by inversion of one uniform (never 0 or 1), except for GammaValue and BetaValue (above).
  virtual double sample(RandomStream& rng) const { return quantile(rng.uniform()); }
};

using ValueDistributionPtr = std::shared_ptr<const ValueDistribution>;

}  // namespace mmsim
