#include "sim/economics/moments.hpp"

#include <stdexcept>
#include <utility>

namespace mmsim::economics {

Moments::Moments(std::size_t dimension)
    : mean_(dimension, 0.0), comoment_(dimension * dimension, 0.0), delta_(dimension, 0.0) {}

Moments::Moments(std::uint64_t n, std::vector<double> mean, std::vector<double> comoment)
    : n_(n), mean_(std::move(mean)), comoment_(std::move(comoment)), delta_(mean_.size(), 0.0) {
  if (comoment_.size() != mean_.size() * mean_.size())
    throw std::invalid_argument("economics moments: the co-moment matrix does not match the means");
}

void Moments::add(const double* x) {
  ++n_;
  const std::size_t d = mean_.size();
  const double inv = 1.0 / static_cast<double>(n_);
  for (std::size_t i = 0; i < d; ++i) {
    delta_[i] = x[i] - mean_[i];
    mean_[i] += delta_[i] * inv;
  }
  // C_ij += (x_i - old mean_i)(x_j - new mean_j): exact, and symmetric up to rounding; the upper triangle is
  // kept and mirrored on read.
  for (std::size_t i = 0; i < d; ++i) {
    double* row = comoment_.data() + i * d;
    for (std::size_t j = i; j < d; ++j) row[j] += delta_[i] * (x[j] - mean_[j]);
  }
}

double Moments::covariance(std::size_t i, std::size_t j) const {
  if (n_ < 2) return 0.0;
  const std::size_t d = mean_.size();
  const double c = i <= j ? comoment_[i * d + j] : comoment_[j * d + i];
  return c / static_cast<double>(n_ - 1);
}

}  // namespace mmsim::economics
