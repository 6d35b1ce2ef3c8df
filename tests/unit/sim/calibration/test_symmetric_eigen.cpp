// The Jacobi eigen-solver against closed forms, and A = V diag(lambda) V' on a larger matrix.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "sim/calibration/symmetric_eigen.hpp"

using namespace mmsim::calibration;

namespace {

std::vector<double> sorted(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v;
}

// max |A v_k - lambda_k v_k| and max |V'V - I| over all entries.
void check_decomposition(const Matrix& a, const EigenDecomposition& e, double tol) {
  const std::size_t n = a.size();
  for (std::size_t k = 0; k < n; ++k) {
    for (std::size_t i = 0; i < n; ++i) {
      double av = 0;
      for (std::size_t j = 0; j < n; ++j) av += a[i][j] * e.vectors[j][k];
      CHECK(av == Approx(e.values[k] * e.vectors[i][k]).margin(tol));
    }
    for (std::size_t l = 0; l < n; ++l) {
      double dot = 0;
      for (std::size_t i = 0; i < n; ++i) dot += e.vectors[i][k] * e.vectors[i][l];
      CHECK(dot == Approx(k == l ? 1.0 : 0.0).margin(tol));
    }
  }
}

}  // namespace

TEST_CASE("2x2: eigenvalues (a + c)/2 +- sqrt(((a - c)/2)^2 + b^2)") {
  const double a = 3.0, b = 1.5, c = -1.0;
  const Matrix m{{a, b}, {b, c}};
  const auto e = symmetric_eigen(m);
  const double mid = (a + c) / 2, r = std::sqrt((a - c) * (a - c) / 4 + b * b);
  const auto v = sorted(e.values);
  CHECK(v[0] == Approx(mid - r).epsilon(1e-14));
  CHECK(v[1] == Approx(mid + r).epsilon(1e-14));
  check_decomposition(m, e, 1e-12);
}

TEST_CASE("tridiagonal (2, -1): eigenvalues 2 - 2 cos(k pi / (n + 1))") {
  const std::size_t n = 5;
  Matrix m(n, std::vector<double>(n, 0.0));
  for (std::size_t i = 0; i < n; ++i) {
    m[i][i] = 2.0;
    if (i + 1 < n) m[i][i + 1] = m[i + 1][i] = -1.0;
  }
  const auto e = symmetric_eigen(m);
  const auto v = sorted(e.values);
  const double pi = std::acos(-1.0);
  for (std::size_t k = 1; k <= n; ++k)
    CHECK(
        v[k - 1] ==
        Approx(2.0 - 2.0 * std::cos(static_cast<double>(k) * pi / static_cast<double>(n + 1))).margin(1e-12));
  check_decomposition(m, e, 1e-12);
}

TEST_CASE("diagonal and rank-deficient matrices") {
  const auto d = symmetric_eigen({{4.0, 0.0}, {0.0, -2.0}});
  CHECK(d.values == std::vector<double>{4.0, -2.0});  // already diagonal: no rotation, identity vectors
  CHECK(d.vectors == Matrix{{1.0, 0.0}, {0.0, 1.0}});
  // u u' with u = (1, 2, 2): eigenvalue |u|^2 = 9 once, 0 twice (a flat direction of a curvature).
  const Matrix uu{{1, 2, 2}, {2, 4, 4}, {2, 4, 4}};
  const auto e = symmetric_eigen(uu);
  const auto v = sorted(e.values);
  CHECK(v[0] == Approx(0.0).margin(1e-12));
  CHECK(v[1] == Approx(0.0).margin(1e-12));
  CHECK(v[2] == Approx(9.0));
  check_decomposition(uu, e, 1e-12);
  CHECK(symmetric_eigen({}).values.empty());
}

TEST_CASE("a dense 8x8 matrix is reconstructed from its decomposition") {
  const std::size_t n = 8;
  Matrix m(n, std::vector<double>(n));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j <= i; ++j)
      m[i][j] = m[j][i] = std::sin(1.0 + 3.0 * static_cast<double>(i) + 7.0 * static_cast<double>(j));
  const auto e = symmetric_eigen(m);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      double r = 0;
      for (std::size_t k = 0; k < n; ++k) r += e.vectors[i][k] * e.values[k] * e.vectors[j][k];
      CHECK(r == Approx(m[i][j]).margin(1e-11));
    }
  }
  check_decomposition(m, e, 1e-11);
}
