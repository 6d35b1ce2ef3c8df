#pragma once
// The concrete attribute laws. Constructors check their parameters and throw std::invalid_argument (a
// programmer error: user input is validated with located messages by parse_value_distribution first).
#include <string>
#include <vector>

#include "sim/dist/value_distribution.hpp"

namespace mmsim {

// 1 with probability p, else 0.
class BernoulliValue final : public ValueDistribution {
 public:
  explicit BernoulliValue(double p);
  double p() const { return p_; }

  double pdf(double x) const override;
  double cdf(double x) const override;
  double quantile(double u) const override;
  double mean() const override { return p_; }
  std::string describe() const override;
  bool discrete() const override { return true; }

 private:
  double p_;
};

// values[i] with probability probs[i]. Without values, the values are the indices 0, 1, ..., n-1 (so a draw
// is the category's index). probs are >= 0 and sum to 1 within 1e-9 (they are renormalized); values, when
// given, are strictly increasing so that the cdf and quantile follow their order.
class CategoricalValue final : public ValueDistribution {
 public:
  static constexpr double kSumTolerance = 1e-9;

  explicit CategoricalValue(std::vector<double> probs, std::vector<double> values = {});
  const std::vector<double>& probs() const { return probs_; }
  const std::vector<double>& values() const { return values_; }
  // The category whose value is quantile(u).
  std::size_t index(double u) const;

  double pdf(double x) const override;
  double cdf(double x) const override;
  double quantile(double u) const override { return values_[index(u)]; }
  double mean() const override;
  std::string describe() const override;
  bool discrete() const override { return true; }

 private:
  std::vector<double> probs_;
  std::vector<double> values_;
  std::vector<double> cumulative_;  // cumulative_[i] = probs_[0] + ... + probs_[i]; the last is exactly 1
};

class NormalValue final : public ValueDistribution {
 public:
  NormalValue(double mean, double sd);
  double sd() const { return sd_; }

  double pdf(double x) const override;
  double cdf(double x) const override;
  double quantile(double u) const override;
  double mean() const override { return mean_; }
  std::string describe() const override;
  bool discrete() const override { return false; }

 private:
  double mean_;
  double sd_;
};

// Normal(mean, sd) restricted to [lower, upper] (either may be infinite). Inversion works on the log scale of
// whichever normal tail the answer lies in, so a truncation far in a tail (lower = mean + 40 sd) is exact.
// The cdf is a difference Phi(z) - Phi(a): accurate to ~1e-16 absolute, but only relatively so away from the
// bounds.
class TruncatedNormalValue final : public ValueDistribution {
 public:
  TruncatedNormalValue(double mean, double sd, double lower, double upper);
  double location() const { return mu_; }
  double sd() const { return sd_; }
  double lower() const { return lower_; }
  double upper() const { return upper_; }

  double pdf(double x) const override;
  double cdf(double x) const override;
  double quantile(double u) const override;
  double mean() const override;
  std::string describe() const override;
  bool discrete() const override { return false; }

 private:
  enum class Side : unsigned char { lower_tail, middle, upper_tail };
  double mu_, sd_, lower_, upper_;
  double a_, b_;                  // standardized bounds
  double log_cdf_a_, log_cdf_b_;  // log Phi(a), log Phi(b)
  double log_sf_a_, log_sf_b_;    // log (1 - Phi(a)), log (1 - Phi(b))
  double log_mass_;               // log (Phi(b) - Phi(a))
  Side side_;
};

class UniformValue final : public ValueDistribution {
 public:
  UniformValue(double lower, double upper);
  double lower() const { return lower_; }
  double upper() const { return upper_; }

  double pdf(double x) const override;
  double cdf(double x) const override;
  double quantile(double u) const override;
  double mean() const override { return 0.5 * (lower_ + upper_); }
  std::string describe() const override;
  bool discrete() const override { return false; }

 private:
  double lower_;
  double upper_;
};

// log X ~ Normal(meanlog, sdlog^2).
class LogNormalValue final : public ValueDistribution {
 public:
  LogNormalValue(double meanlog, double sdlog);
  double meanlog() const { return meanlog_; }
  double sdlog() const { return sdlog_; }

  double pdf(double x) const override;
  double cdf(double x) const override;
  double quantile(double u) const override;
  double mean() const override;
  std::string describe() const override;
  bool discrete() const override { return false; }

 private:
  double meanlog_;
  double sdlog_;
};

// Density x^(shape-1) exp(-x/scale) / (Gamma(shape) scale^shape): PSA draws of rates and durations.
// sample() is gamma_variate_without_squeeze (sim/dist/gamma_variates.hpp) times scale, not quantile(U): the
// sampler PSA sweeps have always used, so their draws stay bit-identical. The time-to-event law Gamma samples
// with the other variant of the same method, for the same reason.
class GammaValue final : public ValueDistribution {
 public:
  GammaValue(double shape, double scale);
  double shape() const { return shape_; }
  double scale() const { return scale_; }

  double pdf(double x) const override;
  double cdf(double x) const override;
  double quantile(double u) const override;
  double mean() const override { return shape_ * scale_; }
  std::string describe() const override;
  bool discrete() const override { return false; }
  double sample(RandomStream& rng) const override;

 private:
  double shape_;
  double scale_;
};

// Density x^(alpha-1) (1-x)^(beta-1) / B(alpha, beta) on [0, 1]: PSA draws of probabilities. sample() is
// X / (X + Y) for X ~ Gamma(alpha), Y ~ Gamma(beta) drawn in that order with gamma_variate_without_squeeze,
// not quantile(U), for the reason GammaValue gives.
class BetaValue final : public ValueDistribution {
 public:
  BetaValue(double alpha, double beta);
  double alpha() const { return alpha_; }
  double beta() const { return beta_; }

  double pdf(double x) const override;
  double cdf(double x) const override;
  double quantile(double u) const override;
  double mean() const override { return alpha_ / (alpha_ + beta_); }
  std::string describe() const override;
  bool discrete() const override { return false; }
  double sample(RandomStream& rng) const override;

 private:
  double alpha_;
  double beta_;
};

// Always `value`. Still consumes one uniform per draw, like every law, so streams stay aligned.
class FixedValue final : public ValueDistribution {
 public:
  explicit FixedValue(double value);
  double value() const { return value_; }

  double pdf(double x) const override { return x == value_ ? 1.0 : 0.0; }
  double cdf(double x) const override { return x >= value_ ? 1.0 : 0.0; }
  double quantile(double /*u*/) const override { return value_; }
  double mean() const override { return value_; }
  std::string describe() const override;
  bool discrete() const override { return true; }

 private:
  double value_;
};

}  // namespace mmsim
