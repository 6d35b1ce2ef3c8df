#pragma once
// The standard normal law, written here so that every normal draw is a pure function of one uniform
// (inversion), which is what a Gaussian copula over patient attributes needs, and so that results never
// depend on a standard library's <random>. Accurate to a few ulps over the whole range, including the far
// tails:
//   normal_cdf(x)             Phi(x): erfc near the centre, the Mills-ratio continued fraction in the tails;
//   normal_log_cdf(x)         log Phi(x), finite down to x = -1e150 or so;
//   normal_mills_ratio(z)     (1 - Phi(z)) / phi(z), the reciprocal of the normal hazard;
//   normal_quantile(p)        Phi^{-1}(p): Acklam's rational approximation plus one Halley step against erfc;
//   normal_quantile_log(lp)   Phi^{-1}(exp(lp)), for probabilities too small for a double (lp < -745).
// Tail symmetry: Phi(-x) = 1 - Phi(x), so upper-tail quantities are computed as normal_*(-x) with no 1 - p.

namespace mmsim {

double normal_pdf(double x);
double normal_cdf(double x);
double normal_log_cdf(double x);
// Mills ratio (1 - Phi(z)) / phi(z): the reciprocal of the normal hazard; accurate for large z where both
// numerator and denominator underflow.
double normal_mills_ratio(double z);
// p in [0, 1]: -inf at 0, +inf at 1; NaN outside.
double normal_quantile(double p);
// log_p in [-inf, 0]: the x with log Phi(x) = log_p.
double normal_quantile_log(double log_p);

}  // namespace mmsim
