// The myeloma model's display text (models/myeloma/src/endpoint_labels.cpp): one label per reported
// endpoint with its own time zero, strategy labels from the config (else the name), and the competing-risks
// analyses for the endpoints the scenario reports.
#include <catch2/catch.hpp>

#include <algorithm>

#include "test_myeloma_support.hpp"

using namespace mmsim;
using namespace mmsim::myeloma::test;

namespace {

const CompetingRisks* analysis(const OutputSchema& s, const std::string& name) {
  const auto it = std::find_if(s.competing_risks.begin(), s.competing_risks.end(),
                               [&](const CompetingRisks& c) { return c.name == name; });
  return it == s.competing_risks.end() ? nullptr : &*it;
}

}  // namespace

TEST_CASE("Endpoint labels name the endpoint's own time zero", "[myeloma]") {
  const auto m = build_file("configs/post_cart_salvage.toml");
  const OutputSchema& s = m->schema();
  REQUIRE(s.endpoint_labels.size() == s.endpoints.size());
  for (std::size_t e = 0; e < s.endpoints.size(); ++e) {
    const EndpointLabel& l = s.endpoint_labels[e];
    CHECK(!l.title.empty());
    CHECK(!l.axis.empty());
    const bool after_relapse = s.endpoints[e].find("after_relapse") != std::string::npos;
    CHECK(l.time_axis == (after_relapse ? "Months since first relapse" : "Months since start of index line"));
  }
  const auto pfs_ar =
      std::find(s.endpoints.begin(), s.endpoints.end(), "pfs_after_relapse") - s.endpoints.begin();
  CHECK(s.endpoint_labels[static_cast<std::size_t>(pfs_ar)].title ==
        "Progression-free survival after first relapse");

  REQUIRE(s.strategy_labels.size() == m->strategies().size());
  CHECK(s.strategy_labels[0] == "Re-treat with BCMA CAR-T");
  // first_cart.toml gives no labels: the names stand in.
  const auto f = build_file("configs/first_cart.toml");
  CHECK(f->schema().strategy_labels == f->strategies());

  const CompetingRisks* pfs = analysis(s, "pfs_events");
  REQUIRE(pfs != nullptr);
  CHECK(pfs->endpoint == "pfs");
  CHECK(pfs->split_endpoint == "os");
  CHECK(pfs->cause_labels == std::vector<std::string>{"Progression", "Death without progression"});
  const CompetingRisks* death = analysis(s, "death_cause");
  REQUIRE(death != nullptr);
  CHECK(death->cause_column == "death_cause");
  // One label per death cause after `none`, in the column's code order.
  CHECK(death->cause_labels.size() ==
        m->schema().patients.field(m->schema().patients.find("death_cause")).labels.size() - 1);
  CHECK(analysis(s, "pfs_after_relapse_events") != nullptr);
}

TEST_CASE("Infusion as time zero shows in the index-line endpoints' time axis", "[myeloma]") {
  const auto m = build_valid(scenario_text("default_relapsed", 60.0, R"(time_zero = "infusion"
endpoints = ["pfs", "os_after_relapse"]
)",
                                           R"(
[[strategy]]
name = "a"
label = "Arm A"
[[strategy.line]]
therapy = "cilta_cel"
[[strategy.rule]]
default = true
therapy = "stop"
)"));
  const OutputSchema& s = m->schema();
  REQUIRE(s.endpoint_labels.size() == 2);
  CHECK(s.endpoint_labels[0].time_axis == "Months since index infusion");
  CHECK(s.endpoint_labels[1].time_axis == "Months since first relapse");
  CHECK(s.strategy_labels == std::vector<std::string>{"Arm A"});
  // Only pfs of the pfs/os pair is reported and os is not: no competing-risks analysis applies.
  CHECK(s.competing_risks.empty());
}
