#pragma once
// Eigen-decomposition of a small symmetric matrix (cyclic Jacobi rotations), for the curvature of the fit's
// objective: n is the number of fitted parameters (tens), so a dense O(n^3) sweep is plenty.
#include <vector>

namespace mmsim::calibration {

using Matrix = std::vector<std::vector<double>>;  // row-major, square

struct EigenDecomposition {
  std::vector<double> values;  // in the order of the columns of `vectors` (not sorted)
  Matrix vectors;              // eigenvectors as columns: vectors[i][k] is component i of eigenvector k
};

// Sweeps until the squared off-diagonal sum is below 1e-22 (at most 100 sweeps). `a` must be symmetric.
EigenDecomposition symmetric_eigen(Matrix a);

}  // namespace mmsim::calibration
