// R oracle for the EVPPI regression (sim/stats/voi_spline.hpp): the same data are fitted here and by R's
// mgcv, gam(y ~ s(x1, bs = "cr", k = K), method = "GCV.Cp") for one parameter and gam(y ~ te(x1, x2, bs =
// "cr", k = K), method = "GCV.Cp") for two (tests/oracle/mgcv_oracle.R), and compared:
//   knots: 1e-12 relative (the same placement rule);
//   one parameter: fitted values 1e-5 of sd(y), edf 1e-4 absolute, GCV score 1e-7 relative (both optimise the
//     same one-dimensional GCV curve; the tolerance is the optimisers' stopping rules, not model error);
//   two parameters: the GCV score 1e-4 relative and fitted values 2e-3 of sd(y): two smoothing parameters on
//   a
//     flatter surface, where mgcv's Newton steps and the coordinate search here stop at slightly different
//     points of the same minimum.
// Without Rscript or mgcv this test FAILS (declared test dependency: r-base-core, r-cran-mgcv).
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "sim/stats/voi_spline.hpp"
#include "tests/unit/sim/stats/voi_test_support.hpp"
#include "tests/unit/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using namespace mmsim::stats::voi;

struct Dataset {
  std::string name;
  std::size_t k;
  std::vector<double> y, x1, x2;  // x2 empty: one parameter
};

std::vector<Dataset> make_datasets() {
  std::vector<Dataset> sets;
  mmsim::test::Deviates dev(314);
  {  // a wiggly curve: GCV picks a moderate smoothing parameter
    Dataset d{"wiggly", 10, {}, {}, {}};
    for (int i = 0; i < 300; ++i) {
      const double x = dev.uniform();
      d.x1.push_back(x);
      d.y.push_back(std::sin(6.0 * x) + 0.3 * dev.normal());
    }
    sets.push_back(d);
  }
  {  // an INB-like response: nearly linear in a log-normal hazard ratio, heavy noise (strong smoothing)
    Dataset d{"inb_like", 8, {}, {}, {}};
    for (int i = 0; i < 500; ++i) {
      const double hr = std::exp(std::log(0.7) + 0.15 * dev.normal());
      d.x1.push_back(hr);
      d.y.push_back(20000.0 * (1.0 - hr) - 3000.0 + 8000.0 * (1.0 - hr) * (1.0 - hr) + 5000.0 * dev.normal());
    }
    sets.push_back(d);
  }
  {  // two parameters with an interaction: the tensor product
    Dataset d{"tensor", 5, {}, {}, {}};
    for (int i = 0; i < 400; ++i) {
      const double a = dev.uniform(), b = dev.normal();
      d.x1.push_back(a);
      d.x2.push_back(b);
      d.y.push_back(std::sin(3.0 * a) * b + 0.5 * a + 0.25 * dev.normal());
    }
    sets.push_back(d);
  }
  return sets;
}

std::map<std::string, std::vector<double>> read_out(const fs::path& path) {
  std::map<std::string, std::vector<double>> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ss(line);
    std::string key;
    ss >> key;
    std::vector<double> v;
    double x;
    while (ss >> x) v.push_back(x);
    out[key] = v;
  }
  return out;
}

}  // namespace

TEST_CASE("EVPPI regression splines agree with R's mgcv", "[stats][voi][oracle][R]") {
  if (std::system("command -v Rscript > /dev/null 2>&1") != 0)
    FAIL(
        "Rscript was not found on PATH: the oracle needs R with mgcv (apt-get install r-base-core "
        "r-cran-mgcv)");
  const fs::path script = fs::path(MMSIM_SOURCE_DIR) / "tests" / "oracle" / "mgcv_oracle.R";
  REQUIRE(fs::exists(script));
  const mmsim::test::TempDir dir("mmsim_mgcv_oracle_");
  const auto sets = make_datasets();
  {
    std::ofstream manifest(dir.path / "manifest.txt");
    for (const auto& d : sets) {
      manifest << d.name << "\n";
      std::ofstream csv(dir.path / (d.name + ".csv"));
      csv << (d.x2.empty() ? "y,x1\n" : "y,x1,x2\n");
      for (std::size_t i = 0; i < d.y.size(); ++i) {
        csv << fmt::format("{},{}", d.y[i], d.x1[i]);
        if (!d.x2.empty()) csv << fmt::format(",{}", d.x2[i]);
        csv << "\n";
      }
      std::ofstream(dir.path / (d.name + ".params")) << "k " << d.k << "\n";
    }
  }
  const fs::path log = dir.path / "rscript.log";
  const int status = std::system(
      fmt::format("Rscript '{}' '{}' > '{}' 2>&1", script.string(), dir.path.string(), log.string()).c_str());
  if (status != 0) {
    std::ifstream in(log);
    std::stringstream text;
    text << in.rdbuf();
    FAIL("Rscript failed (" << status << "); is r-cran-mgcv installed? Output:\n" << text.str());
  }
  for (const auto& d : sets) {
    INFO("dataset " << d.name);
    const auto r = read_out(dir.path / (d.name + ".out"));
    const bool two = !d.x2.empty();
    const std::vector<double> knots1 = cr_knots(d.x1, d.k);
    REQUIRE(r.at("knots1").size() == knots1.size());
    for (std::size_t j = 0; j < knots1.size(); ++j)
      CHECK(std::abs(knots1[j] - r.at("knots1")[j]) <= 1e-12 * std::max(1.0, std::abs(knots1[j])));
    PenalizedBasis basis = cubic_regression_spline(d.x1, d.k);
    if (two) {
      const std::vector<double> knots2 = cr_knots(d.x2, d.k);
      for (std::size_t j = 0; j < knots2.size(); ++j)
        CHECK(std::abs(knots2[j] - r.at("knots2")[j]) <= 1e-12 * std::max(1.0, std::abs(knots2[j])));
      basis = tensor_product({cubic_regression_spline(d.x1, d.k), cubic_regression_spline(d.x2, d.k)});
    }
    const SmoothFit fit = fit_penalized_gcv(basis, d.y);
    const double sd_y = mmsim::test::sample_sd(d.y);
    const auto& fitted = r.at("fitted");
    REQUIRE(fitted.size() == d.y.size());
    double worst = 0.0;
    for (std::size_t i = 0; i < fitted.size(); ++i)
      worst = std::max(worst, std::abs(fit.fitted[i] - fitted[i]));
    INFO("edf " << fit.edf << " (mgcv " << r.at("edf")[0] << "), gcv " << fit.gcv << " (mgcv "
                << r.at("gcv")[0] << "), largest fitted difference " << worst / sd_y << " sd(y)");
    CHECK(worst <= (two ? 2e-3 : 1e-5) * sd_y);
    CHECK(std::abs(fit.gcv - r.at("gcv")[0]) <= (two ? 1e-4 : 1e-7) * r.at("gcv")[0]);
    if (!two) CHECK(std::abs(fit.edf - r.at("edf")[0]) <= 1e-4);
  }
}
