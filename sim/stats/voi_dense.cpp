#include "sim/stats/voi_dense.hpp"

#include <cmath>

namespace mmsim::stats::voi {

double frobenius_norm(const DenseMatrix& a) {
  double sum = 0.0;
  for (std::size_t r = 0; r < a.rows(); ++r)
    for (const double v : a.row(r)) sum += v * v;
  return std::sqrt(sum);
}

DenseMatrix householder_r(DenseMatrix x, std::vector<std::vector<double>>& columns) {
  const std::size_t n = x.rows(), p = x.cols();
  std::vector<double> v(n);
  for (std::size_t k = 0; k < p; ++k) {
    double norm = 0.0;
    for (std::size_t i = k; i < n; ++i) norm += x(i, k) * x(i, k);
    norm = std::sqrt(norm);
    if (norm == 0.0) continue;  // a zero column: R gets a zero pivot, which the Cholesky step reports
    const double alpha = x(k, k) > 0.0 ? -norm : norm;
    for (std::size_t i = k; i < n; ++i) v[i] = x(i, k);
    v[k] -= alpha;
    double vv = 0.0;
    for (std::size_t i = k; i < n; ++i) vv += v[i] * v[i];
    if (vv == 0.0) continue;
    // Reflect the remaining columns of x and every extra column: c -= 2 v (v'c) / (v'v).
    for (std::size_t j = k; j < p; ++j) {
      double dot = 0.0;
      for (std::size_t i = k; i < n; ++i) dot += v[i] * x(i, j);
      const double f = 2.0 * dot / vv;
      for (std::size_t i = k; i < n; ++i) x(i, j) -= f * v[i];
    }
    for (auto& c : columns) {
      double dot = 0.0;
      for (std::size_t i = k; i < n; ++i) dot += v[i] * c[i];
      const double f = 2.0 * dot / vv;
      for (std::size_t i = k; i < n; ++i) c[i] -= f * v[i];
    }
  }
  DenseMatrix r(p, p);
  for (std::size_t i = 0; i < p; ++i)
    for (std::size_t j = i; j < p; ++j) r(i, j) = x(i, j);
  return r;
}

bool cholesky(const DenseMatrix& a, DenseMatrix& l) {
  const std::size_t p = a.rows();
  l = DenseMatrix(p, p);
  for (std::size_t j = 0; j < p; ++j) {
    double d = a(j, j);
    for (std::size_t k = 0; k < j; ++k) d -= l(j, k) * l(j, k);
    if (!(d > 0.0)) return false;
    l(j, j) = std::sqrt(d);
    for (std::size_t i = j + 1; i < p; ++i) {
      double s = a(i, j);
      for (std::size_t k = 0; k < j; ++k) s -= l(i, k) * l(j, k);
      l(i, j) = s / l(j, j);
    }
  }
  return true;
}

void solve_lower(const DenseMatrix& l, std::span<double> b) {
  for (std::size_t i = 0; i < l.rows(); ++i) {
    double s = b[i];
    for (std::size_t k = 0; k < i; ++k) s -= l(i, k) * b[k];
    b[i] = s / l(i, i);
  }
}

void solve_lower_transposed(const DenseMatrix& l, std::span<double> b) {
  for (std::size_t i = l.rows(); i-- > 0;) {
    double s = b[i];
    for (std::size_t k = i + 1; k < l.rows(); ++k) s -= l(k, i) * b[k];
    b[i] = s / l(i, i);
  }
}

}  // namespace mmsim::stats::voi
