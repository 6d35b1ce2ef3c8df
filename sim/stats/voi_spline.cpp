#include "sim/stats/voi_spline.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace mmsim::stats::voi {
namespace {

// Inverse of a small symmetric positive definite matrix through its Cholesky factor.
DenseMatrix spd_inverse(const DenseMatrix& a) {
  DenseMatrix l;
  if (!cholesky(a, l)) throw std::invalid_argument("cubic regression spline: knots too close together");
  const std::size_t m = a.rows();
  DenseMatrix inv(m, m);
  std::vector<double> e(m);
  for (std::size_t j = 0; j < m; ++j) {
    std::fill(e.begin(), e.end(), 0.0);
    e[j] = 1.0;
    solve_lower(l, e);
    solve_lower_transposed(l, e);
    for (std::size_t i = 0; i < m; ++i) inv(i, j) = e[i];
  }
  return inv;
}

DenseMatrix multiply(const DenseMatrix& a, const DenseMatrix& b) {
  DenseMatrix c(a.rows(), b.cols());
  for (std::size_t i = 0; i < a.rows(); ++i)
    for (std::size_t k = 0; k < a.cols(); ++k) {
      const double aik = a(i, k);
      if (aik == 0.0) continue;
      for (std::size_t j = 0; j < b.cols(); ++j) c(i, j) += aik * b(k, j);
    }
  return c;
}

DenseMatrix transpose(const DenseMatrix& a) {
  DenseMatrix t(a.cols(), a.rows());
  for (std::size_t i = 0; i < a.rows(); ++i)
    for (std::size_t j = 0; j < a.cols(); ++j) t(j, i) = a(i, j);
  return t;
}

// Kronecker product a (x) b.
DenseMatrix kronecker(const DenseMatrix& a, const DenseMatrix& b) {
  DenseMatrix k(a.rows() * b.rows(), a.cols() * b.cols());
  for (std::size_t i = 0; i < a.rows(); ++i)
    for (std::size_t j = 0; j < a.cols(); ++j)
      for (std::size_t r = 0; r < b.rows(); ++r)
        for (std::size_t c = 0; c < b.cols(); ++c) k(i * b.rows() + r, j * b.cols() + c) = a(i, j) * b(r, c);
  return k;
}

DenseMatrix identity(std::size_t m) {
  DenseMatrix e(m, m);
  for (std::size_t i = 0; i < m; ++i) e(i, i) = 1.0;
  return e;
}

// The least-squares problem after the QR step: minimise ||z - R b||^2 + b' S(lambda) b, plus the residual r2
// no coefficient can remove.
class PenalizedProblem {
 public:
  PenalizedProblem(const PenalizedBasis& basis, std::span<const double> y) : n_(basis.model.rows()) {
    std::vector<std::vector<double>> columns{std::vector<double>(y.begin(), y.end())};
    r_ = householder_r(basis.model, columns);
    const std::size_t p = r_.cols();
    z_.assign(columns[0].begin(), columns[0].begin() + static_cast<std::ptrdiff_t>(p));
    residual_ = 0.0;
    for (std::size_t i = p; i < n_; ++i) residual_ += columns[0][i] * columns[0][i];
    rtr_ = multiply(transpose(r_), r_);
    const double scale = frobenius_norm(rtr_);
    for (const auto& s : basis.penalties) {
      const double norm = frobenius_norm(s);
      DenseMatrix scaled = s;
      for (std::size_t i = 0; i < p; ++i)
        for (std::size_t j = 0; j < p; ++j) scaled(i, j) = norm > 0.0 ? s(i, j) * scale / norm : 0.0;
      penalties_.push_back(std::move(scaled));
    }
  }

  std::size_t penalty_count() const { return penalties_.size(); }

  // The fit at the given log smoothing parameters; gcv is +inf when the system is singular.
  SmoothFit evaluate(const std::vector<double>& log_lambda) const {
    const std::size_t p = r_.cols();
    DenseMatrix m = rtr_;
    for (std::size_t j = 0; j < penalties_.size(); ++j) {
      const double lambda = std::exp(log_lambda[j]);
      for (std::size_t a = 0; a < p; ++a)
        for (std::size_t b = 0; b < p; ++b) m(a, b) += lambda * penalties_[j](a, b);
    }
    SmoothFit fit;
    fit.log_lambda = log_lambda;
    fit.gcv = std::numeric_limits<double>::infinity();
    if (!cholesky(m, fit.penalized_cholesky)) return fit;
    const DenseMatrix& l = fit.penalized_cholesky;
    // b = M^-1 R' z
    std::vector<double> b(p, 0.0);
    for (std::size_t i = 0; i < p; ++i)
      for (std::size_t j = 0; j <= i; ++j) b[i] += r_(j, i) * z_[j];
    solve_lower(l, b);
    solve_lower_transposed(l, b);
    double rss = residual_;
    for (std::size_t i = 0; i < p; ++i) {
      double rb = 0.0;
      for (std::size_t j = i; j < p; ++j) rb += r_(i, j) * b[j];
      rss += (z_[i] - rb) * (z_[i] - rb);
    }
    // edf = tr(R M^-1 R') = || L^-1 R' ||_F^2, column j of R' being row j of R.
    double edf = 0.0;
    std::vector<double> col(p);
    for (std::size_t j = 0; j < p; ++j) {
      for (std::size_t i = 0; i < p; ++i) col[i] = r_(j, i);
      solve_lower(l, col);
      for (const double v : col) edf += v * v;
    }
    const auto n = static_cast<double>(n_);
    fit.coefficients = std::move(b);
    fit.edf = edf;
    fit.rss = rss;
    fit.gcv = n - edf > 0.0 ? n * rss / ((n - edf) * (n - edf)) : std::numeric_limits<double>::infinity();
    fit.sigma2 = n - edf > 0.0 ? rss / (n - edf) : 0.0;
    return fit;
  }

 private:
  std::size_t n_;
  DenseMatrix r_, rtr_;
  std::vector<double> z_;
  double residual_ = 0.0;
  std::vector<DenseMatrix> penalties_;
};

constexpr double kLogLambdaLow = -25.0, kLogLambdaHigh = 25.0;

// Minimises f over [lo, hi] by golden-section search; returns the abscissa.
template <class F>
double golden_section(F&& f, double lo, double hi, double tol) {
  const double g = (std::sqrt(5.0) - 1.0) / 2.0;
  double a = lo, b = hi;
  double c = b - g * (b - a), d = a + g * (b - a);
  double fc = f(c), fd = f(d);
  while (b - a > tol) {
    if (fc <= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = f(d);
    }
  }
  return fc <= fd ? c : d;
}

// Minimises the GCV score along coordinate `j` (all coordinates when j == penalty count), starting from
// `start`: a grid of `step` over [centre - half, centre + half] within the global bounds, then golden section
// around the best grid point.
std::vector<double> line_search(const PenalizedProblem& problem, std::vector<double> start, std::size_t j,
                                double half, double step) {
  const std::size_t count = problem.penalty_count();
  auto at = [&](double v) {
    std::vector<double> x = start;
    if (j == count)
      std::fill(x.begin(), x.end(), v);
    else
      x[j] = v;
    return x;
  };
  const double centre = j == count ? start[0] : start[j];
  const double lo = std::max(kLogLambdaLow, centre - half), hi = std::min(kLogLambdaHigh, centre + half);
  double best = centre, best_gcv = problem.evaluate(at(centre)).gcv;
  for (double v = lo; v <= hi + 1e-12; v += step) {
    const double g = problem.evaluate(at(v)).gcv;
    if (g < best_gcv) {
      best_gcv = g;
      best = v;
    }
  }
  const double refined =
      golden_section([&](double v) { return problem.evaluate(at(v)).gcv; },
                     std::max(kLogLambdaLow, best - step), std::min(kLogLambdaHigh, best + step), 1e-7);
  if (problem.evaluate(at(refined)).gcv <= best_gcv) best = refined;
  return at(best);
}

}  // namespace

std::vector<double> cr_knots(std::span<const double> x, std::size_t k) {
  std::vector<double> u(x.begin(), x.end());
  std::sort(u.begin(), u.end());
  u.erase(std::unique(u.begin(), u.end()), u.end());
  if (k < 3) throw std::invalid_argument("cubic regression spline: k must be at least 3");
  if (u.size() < k)
    throw std::invalid_argument("cubic regression spline: " + std::to_string(u.size()) +
                                " distinct values, fewer than k = " + std::to_string(k) + " knots");
  std::vector<double> knots(k);
  const double spacing = static_cast<double>(u.size() - 1) / static_cast<double>(k - 1);
  for (std::size_t j = 0; j < k; ++j) {
    const double pos = spacing * static_cast<double>(j);
    const auto i = std::min(static_cast<std::size_t>(pos), u.size() - 1);
    const double frac = pos - static_cast<double>(i);
    knots[j] = i + 1 < u.size() ? u[i] + frac * (u[i + 1] - u[i]) : u[i];
  }
  knots.back() = u.back();
  return knots;
}

PenalizedBasis cubic_regression_spline(std::span<const double> x, std::size_t k) {
  const std::vector<double> knots = cr_knots(x, k);
  std::vector<double> h(k - 1);
  for (std::size_t j = 0; j + 1 < k; ++j) h[j] = knots[j + 1] - knots[j];
  // D ((k-2) x k) and B ((k-2) x (k-2)) of the natural cubic spline's second-derivative conditions.
  DenseMatrix d(k - 2, k), b(k - 2, k - 2);
  for (std::size_t i = 0; i + 2 < k; ++i) {
    d(i, i) = 1.0 / h[i];
    d(i, i + 1) = -1.0 / h[i] - 1.0 / h[i + 1];
    d(i, i + 2) = 1.0 / h[i + 1];
    b(i, i) = (h[i] + h[i + 1]) / 3.0;
    if (i + 3 < k) {
      b(i, i + 1) = h[i + 1] / 6.0;
      b(i + 1, i) = h[i + 1] / 6.0;
    }
  }
  const DenseMatrix binv_d = multiply(spd_inverse(b), d);  // second derivatives at the interior knots
  // F: the second derivative at every knot (zero at the ends) as a linear map of the knot values.
  DenseMatrix f(k, k);
  for (std::size_t i = 0; i + 2 < k; ++i)
    for (std::size_t j = 0; j < k; ++j) f(i + 1, j) = binv_d(i, j);
  PenalizedBasis basis;
  basis.model = DenseMatrix(x.size(), k);
  for (std::size_t r = 0; r < x.size(); ++r) {
    const double v = x[r];
    // The knot interval holding v (values outside the knots extrapolate the end intervals).
    std::size_t j = static_cast<std::size_t>(std::upper_bound(knots.begin(), knots.end(), v) - knots.begin());
    j = std::clamp<std::size_t>(j == 0 ? 0 : j - 1, 0, k - 2);
    const double hj = h[j];
    const double right = knots[j + 1] - v, left = v - knots[j];
    const double a_minus = right / hj, a_plus = left / hj;
    const double c_minus = (right * right * right / hj - hj * right) / 6.0;
    const double c_plus = (left * left * left / hj - hj * left) / 6.0;
    auto row = basis.model.row(r);
    row[j] += a_minus;
    row[j + 1] += a_plus;
    for (std::size_t c = 0; c < k; ++c) row[c] += c_minus * f(j, c) + c_plus * f(j + 1, c);
  }
  basis.penalties.push_back(multiply(transpose(d), binv_d));
  return basis;
}

PenalizedBasis tensor_product(const std::vector<PenalizedBasis>& margins) {
  if (margins.empty()) throw std::invalid_argument("tensor product of no margins");
  const std::size_t n = margins[0].model.rows();
  std::size_t p = 1;
  for (const auto& m : margins) {
    if (m.model.rows() != n) throw std::invalid_argument("tensor product margins of different lengths");
    p *= m.model.cols();
  }
  PenalizedBasis t;
  t.model = DenseMatrix(n, p);
  for (std::size_t r = 0; r < n; ++r) {
    std::vector<double> row{1.0};
    for (const auto& m : margins) {
      std::vector<double> next;
      next.reserve(row.size() * m.model.cols());
      for (const double a : row)
        for (const double b : m.model.row(r)) next.push_back(a * b);
      row = std::move(next);
    }
    std::copy(row.begin(), row.end(), t.model.row(r).begin());
  }
  for (std::size_t j = 0; j < margins.size(); ++j) {
    DenseMatrix s = j == 0 ? margins[0].penalties[0] : identity(margins[0].model.cols());
    for (std::size_t i = 1; i < margins.size(); ++i)
      s = kronecker(s, i == j ? margins[i].penalties[0] : identity(margins[i].model.cols()));
    t.penalties.push_back(std::move(s));
  }
  return t;
}

SmoothFit fit_penalized_gcv(const PenalizedBasis& basis, std::span<const double> y) {
  const std::size_t n = basis.model.rows(), p = basis.model.cols();
  if (y.size() != n) throw std::invalid_argument("penalized regression: response length differs from basis");
  if (n <= p)
    throw std::invalid_argument(
        "penalized regression: " + std::to_string(n) + " observations for " + std::to_string(p) +
        " basis functions (need more PSA simulations, or fewer knots: mmsim voi --knots)");
  const PenalizedProblem problem(basis, y);
  const std::size_t count = problem.penalty_count();
  std::vector<double> x(count, 0.0);
  // A common smoothing parameter first (coarse grid over the whole range), then each coordinate in turn.
  x = line_search(problem, x, count, kLogLambdaHigh, 1.0);
  if (count > 1) {
    double previous = problem.evaluate(x).gcv;
    for (int cycle = 0; cycle < 10; ++cycle) {
      for (std::size_t j = 0; j < count; ++j) x = line_search(problem, x, j, 6.0, 0.5);
      const double now = problem.evaluate(x).gcv;
      if (previous - now <= 1e-12 * std::abs(previous)) break;
      previous = now;
    }
  }
  SmoothFit fit = problem.evaluate(x);
  if (!std::isfinite(fit.gcv))
    throw std::invalid_argument("penalized regression: singular at every smoothing");
  fit.fitted.assign(n, 0.0);
  for (std::size_t r = 0; r < n; ++r) {
    const auto row = basis.model.row(r);
    double s = 0.0;
    for (std::size_t c = 0; c < p; ++c) s += row[c] * fit.coefficients[c];
    fit.fitted[r] = s;
  }
  return fit;
}

std::vector<double> posterior_fitted_draw(const PenalizedBasis& basis, const SmoothFit& fit,
                                          std::span<const double> z) {
  const std::size_t p = basis.model.cols();
  std::vector<double> delta(z.begin(), z.end());
  solve_lower_transposed(fit.penalized_cholesky, delta);
  const double scale = std::sqrt(fit.sigma2);
  std::vector<double> out(basis.model.rows());
  for (std::size_t r = 0; r < out.size(); ++r) {
    const auto row = basis.model.row(r);
    double s = 0.0;
    for (std::size_t c = 0; c < p; ++c) s += row[c] * (fit.coefficients[c] + scale * delta[c]);
    out[r] = s;
  }
  return out;
}

}  // namespace mmsim::stats::voi
