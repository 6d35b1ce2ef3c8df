#pragma once
// Running means and co-moments of a vector of per-patient values (every strategy's costs, QALYs and life
// years), updated one patient at a time in patient order (Welford's algorithm, generalised to a covariance
// matrix): the result is a function of the patients' values in that order alone, not of threads or blocks,
// and it needs no per-patient storage, so it works for any cohort size and in sweeps.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace mmsim::economics {

class Moments {
 public:
  Moments() = default;
  explicit Moments(std::size_t dimension);
  // Restores stored moments (a run file's /economics).
  Moments(std::uint64_t n, std::vector<double> mean, std::vector<double> comoment);

  void add(const double* x);  // `dimension()` values

  std::size_t dimension() const { return mean_.size(); }
  std::uint64_t n() const { return n_; }
  double mean(std::size_t i) const { return mean_[i]; }
  // Sample covariance (n - 1 denominator); 0 below 2 patients.
  double covariance(std::size_t i, std::size_t j) const;
  const std::vector<double>& means() const { return mean_; }
  const std::vector<double>& comoments() const { return comoment_; }  // dimension x dimension, row-major

 private:
  std::uint64_t n_ = 0;
  std::vector<double> mean_, comoment_, delta_;
};

}  // namespace mmsim::economics
