#pragma once
// The little dense linear algebra the value-of-information regressions need (no BLAS/Eigen in the build):
// a row-major matrix, the R factor of a Householder QR with Q'y applied to extra columns, a Cholesky factor
// and triangular solves. Sizes are a PSA sample (n up to ~10^4 rows) by a spline basis (p up to a few hundred
// columns), so O(n p^2) and O(p^3) loops are what is needed; nothing here is hot.
#include <cstddef>
#include <span>
#include <vector>

namespace mmsim::stats::voi {

class DenseMatrix {
 public:
  DenseMatrix() = default;
  DenseMatrix(std::size_t rows, std::size_t cols) : rows_(rows), cols_(cols), values_(rows * cols, 0.0) {}

  std::size_t rows() const { return rows_; }
  std::size_t cols() const { return cols_; }
  double& operator()(std::size_t r, std::size_t c) { return values_[r * cols_ + c]; }
  double operator()(std::size_t r, std::size_t c) const { return values_[r * cols_ + c]; }
  std::span<const double> row(std::size_t r) const { return {values_.data() + r * cols_, cols_}; }
  std::span<double> row(std::size_t r) { return {values_.data() + r * cols_, cols_}; }

 private:
  std::size_t rows_ = 0, cols_ = 0;
  std::vector<double> values_;
};

// Frobenius norm.
double frobenius_norm(const DenseMatrix& a);

// Householder QR of the n x p matrix `x` (n >= p). Returns the p x p upper-triangular R (x = QR) and replaces
// each of `columns` (length n) by Q'column; the first p entries of Q'y are what a least-squares fit needs and
// the sum of squares of the rest is the residual a fit of y on x cannot remove.
DenseMatrix householder_r(DenseMatrix x, std::vector<std::vector<double>>& columns);

// Lower-triangular L with a = L L' for a symmetric positive definite `a`; false when a pivot is not positive
// (`a` is numerically singular).
bool cholesky(const DenseMatrix& a, DenseMatrix& l);

// Solves L z = b in place (L lower triangular).
void solve_lower(const DenseMatrix& l, std::span<double> b);
// Solves L' z = b in place (L lower triangular).
void solve_lower_transposed(const DenseMatrix& l, std::span<double> b);

}  // namespace mmsim::stats::voi
