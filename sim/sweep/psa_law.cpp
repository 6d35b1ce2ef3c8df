#include "sim/sweep/psa_law.hpp"

#include <fmt/format.h>

#include <cmath>
#include <memory>
#include <stdexcept>

#include "sim/dist/value_laws.hpp"

namespace mmsim::sweep {
namespace {

using config::NumberRule;
using config::TableReader;

// The natural parameters the table gives, before the law is built (the mean/sd forms already converted).
struct Parameters {
  double a = 0.0, b = 0.0;  // beta: alpha, beta; gamma: shape, scale; lognormal: meanlog, sdlog;
                            // normal: mean, sd; uniform: low, high; fixed: value, unused
};

// The mean of a mean/sd form: a number, or the base value when left out or written "base".
struct MeanReader {
  TableReader& r;
  double base;
  std::optional<double>& explicit_mean;

  double operator()(NumberRule rule, const char* law) {
    const toml::node* n = r.node("mean");
    if (n != nullptr && !n->is_string()) {
      const double m = r.number("mean", rule);
      explicit_mean = m;
      return m;
    }
    if (n != nullptr && n->value<std::string>() != "base") {
      r.error("mean", "expected a number, or \"base\" (the base scenario's value; the default)");
      return base;
    }
    if (!rule.admits(base)) {
      r.error(n != nullptr ? "mean" : "sd",
              fmt::format("the base value {} cannot be the mean of a {} law (its mean must be {}): write "
                          "the mean",
                          base, law, rule.describe()));
    }
    return base;
  }
};

Parameters read_parameters(TableReader& r, const std::string& dist, double base,
                           std::optional<double>& explicit_mean) {
  Parameters law;
  const auto pos = NumberRule::positive();
  const auto any = NumberRule::any();
  MeanReader mean{r, base, explicit_mean};
  // The mean/sd form is chosen by `sd`; its mean defaults to the base value.
  const bool moments = r.has("sd");
  if (dist == "beta") {
    if (moments) {
      const double m = mean({0.0, 1.0, true, true}, "beta");
      const double sd = r.number("sd", pos);
      const double k = m * (1.0 - m) / (sd * sd) - 1.0;
      if (k <= 0.0 && sd > 0.0) {
        r.error("sd", fmt::format("a beta law with mean {} needs sd < sqrt(mean*(1-mean)) = {:.6g}", m,
                                  std::sqrt(m * (1.0 - m))));
        law.a = law.b = 1.0;
      } else {
        law.a = m * k;
        law.b = (1.0 - m) * k;
      }
    } else {
      law.a = r.number("alpha", pos);
      law.b = r.number("beta", pos);
    }
  } else if (dist == "gamma") {
    if (moments) {
      const double m = mean(pos, "gamma");
      const double sd = r.number("sd", pos);
      law.a = (m * m) / (sd * sd);
      law.b = (sd * sd) / m;
    } else {
      law.a = r.number("shape", pos);
      if (r.has("rate")) {
        law.b = 1.0 / r.number("rate", pos);
      } else {
        law.b = r.number("scale", pos);
      }
    }
  } else if (dist == "lognormal") {
    if (moments) {
      const double m = mean(pos, "lognormal");
      const double sd = r.number("sd", pos);
      const double s2 = std::log1p((sd * sd) / (m * m));
      law.a = std::log(m) - 0.5 * s2;
      law.b = std::sqrt(s2);
    } else {
      law.a = r.number("meanlog", any);
      law.b = r.number("sdlog", pos);
    }
  } else if (dist == "normal") {
    law.a = mean(any, "normal");
    law.b = r.number("sd", pos);
  } else if (dist == "uniform") {
    law.a = r.number("low", any);
    law.b = r.number("high", any);
    if (law.b <= law.a && r.has("high")) r.error("high", "must be greater than low");
  } else if (dist == "fixed") {
    law.a = r.number("value", any);
  }
  return law;
}

ValueDistributionPtr build(const std::string& dist, const Parameters& p) {
  if (dist == "beta") return std::make_shared<BetaValue>(p.a, p.b);
  if (dist == "gamma") return std::make_shared<GammaValue>(p.a, p.b);
  if (dist == "lognormal") return std::make_shared<LogNormalValue>(p.a, p.b);
  if (dist == "normal") return std::make_shared<NormalValue>(p.a, p.b);
  if (dist == "uniform") return std::make_shared<UniformValue>(p.a, p.b);
  return std::make_shared<FixedValue>(p.a);
}

}  // namespace

const std::vector<std::string>& psa_law_names() {
  static const std::vector<std::string> names{"beta", "gamma", "lognormal", "normal", "uniform", "fixed"};
  return names;
}

PsaLaw read_psa_law(TableReader& r, bool integer_parameter, double base) {
  const std::size_t issues_before = r.diagnostics().issues().size();
  const std::string dist = r.choice("dist", psa_law_names());
  PsaLaw out;
  const Parameters p = read_parameters(r, dist, base, out.explicit_mean);
  // A missing `dist` (already reported) reads as fixed.
  if (integer_parameter && !dist.empty() && dist != "fixed")
    r.error("path", "an integer can only be fixed in a PSA (dist = \"fixed\")");
  if (r.diagnostics().issues().size() != issues_before) return out;
  try {
    out.law = build(dist, p);
  } catch (const std::invalid_argument& e) {
    // Numbers each valid alone whose mean/sd conversion overflows or underflows (sd / mean below 1e-154).
    r.error("dist", fmt::format("these parameters make no {} law: {}", dist, e.what()));
  }
  return out;
}

std::string describe_psa_law(const ValueDistribution& law) {
  if (const auto* l = dynamic_cast<const BetaValue*>(&law))
    return fmt::format("beta(alpha={:.6g}, beta={:.6g})", l->alpha(), l->beta());
  if (const auto* l = dynamic_cast<const GammaValue*>(&law))
    return fmt::format("gamma(shape={:.6g}, scale={:.6g})", l->shape(), l->scale());
  if (const auto* l = dynamic_cast<const LogNormalValue*>(&law))
    return fmt::format("lognormal(meanlog={:.6g}, sdlog={:.6g})", l->meanlog(), l->sdlog());
  if (const auto* l = dynamic_cast<const NormalValue*>(&law))
    return fmt::format("normal(mean={:.6g}, sd={:.6g})", l->mean(), l->sd());
  if (const auto* l = dynamic_cast<const UniformValue*>(&law))
    return fmt::format("uniform(low={:.6g}, high={:.6g})", l->lower(), l->upper());
  if (const auto* l = dynamic_cast<const FixedValue*>(&law)) return fmt::format("fixed({:.6g})", l->value());
  return law.describe();
}

}  // namespace mmsim::sweep
