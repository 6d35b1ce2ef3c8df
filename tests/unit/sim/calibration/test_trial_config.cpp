// The [trial] reader: kinds and populations from the config, targets filled from the evidence table, every
// problem located, and the names only a built model knows checked against its strategies and output schema.
#include <catch2/catch.hpp>

#include <fstream>

#include "sim/calibration/trial_config.hpp"
#include "sim/config/loader.hpp"
#include "sim/core/errors.hpp"
#include "tests/unit/temp_dir.hpp"

using namespace mmsim;
using namespace mmsim::calibration;

namespace {

// A model that only names its strategies and outputs.
class NamesOnlyModel final : public Model {
 public:
  NamesOnlyModel() {
    schema_.endpoints = {"pfs", "os"};
    schema_.outcomes = {"resp", "treated"};
  }
  const OutputSchema& schema() const override { return schema_; }
  const std::vector<std::string>& strategies() const override { return strategies_; }
  double horizon() const override { return 120.0; }
  void simulate(std::size_t, const StreamKey&, PatientSink&) const override {}
  std::string parameter_report() const override { return {}; }

 private:
  OutputSchema schema_;
  std::vector<std::string> strategies_{"control", "treatment"};
};

const char* kKinds = R"toml(
[trial.kinds.orr]
statistic = "rate"
outcome = "resp"
label = "ORR ({arm})"

[trial.kinds.median]
statistic = "median"
endpoint = "pfs"

[trial.kinds.landmark]
statistic = "survival_at"
endpoint = "pfs"

[trial.kinds.hr]
statistic = "hazard_ratio"
endpoint = "pfs"
label = "HR {arm} : {reference}"

[trial.kinds.early]
statistic = "failure_at"
endpoint = "pfs"
label = "progressed by {time} mo ({arm})"

[trial.populations]
treated = "treated"
)toml";

const char* kTrial = R"toml(
[trial]
name = "T-1"
accrual_months = 12.0
cutoff_months = 30.0
evidence_file = "evidence.csv"
target_population = "treated"
arm = [{ strategy = "treatment", n = 100 }, { strategy = "control", n = 50 }]

[[trial.target]]
evidence = "E1"
kind = "orr"
arm = "treatment"

[[trial.target]]
evidence = "E2"
kind = "median"
endpoint = "os"
label = "median OS ({arm})"
arm = "control"

[[trial.target]]
evidence = "E3"
kind = "hr"
arm = "treatment"
reference = "control"

[[trial.target]]
evidence = "E1"
kind = "landmark"
time = 24
arm = "treatment"
value = 0.4
weight = 0.25

[[trial.target]]
evidence = "E1"
kind = "early"
time = 3
arm = "treatment"
population = "treated"
)toml";

struct Fixture {
  test::TempDir dir{"mmsim_trial_config_"};
  Fixture() {
    std::ofstream(dir.path / "evidence.csv") << "id,value,ci_low,ci_high,n,source\n"
                                                "E1,0.7,,,100,paper one\n"
                                                "E2,18.5,12.0,25.0,50,paper two\n"
                                                "E3,0.5,0.3,0.8,150,paper three\n"
                                                "E4,,,,,no value\n";
  }
  // Reads `text` placed in the temp folder; the problems found, one per line ("" when none).
  std::string problems(const std::string& text, std::optional<TrialConfig>* out = nullptr) {
    const auto doc = config::load_config_text(text, dir.path / "trial.toml");
    config::Diagnostics diag;
    auto trial = read_trial_config(doc.root, dir.path, diag);
    if (trial && diag.ok()) resolve_trial_config(*trial, NamesOnlyModel(), diag);
    if (out != nullptr) *out = std::move(trial);
    return diag.format();
  }
};

}  // namespace

TEST_CASE("trial config: a sound [trial] read in full") {
  Fixture f;
  std::optional<TrialConfig> t;
  REQUIRE(f.problems(std::string(kKinds) + kTrial, &t).empty());
  REQUIRE(t);
  CHECK(t->name == "T-1");
  CHECK(t->window.accrual_months == 12.0);
  CHECK(t->window.cutoff_months == 30.0);
  CHECK(t->replicates == 200);
  REQUIRE(t->arms.size() == 2);
  CHECK(t->arms[0].index == 1);  // "treatment" is the model's second strategy
  CHECK(t->arms[1].index == 0);
  REQUIRE(t->targets.size() == 5);
  const Target& orr = t->targets[0];
  CHECK(orr.trial == "T-1");
  CHECK(orr.kind.statistic == Statistic::rate);
  CHECK(orr.kind.column == "resp");
  CHECK(orr.denominator == "treated");  // the trial's default population
  CHECK(orr.value == 0.7);
  CHECK(orr.n == 100);
  CHECK(orr.source == "paper one");
  CHECK(orr.label() == "ORR (treatment)");
  const Target& os = t->targets[1];  // a kind's endpoint and label overridden by the target
  CHECK(os.kind.column == "os");
  CHECK(os.label() == "median OS (control)");
  CHECK(os.ci_low == 12.0);
  CHECK(os.denominator.empty());  // the trial's default population is the rates' only
  CHECK(t->targets[2].label() == "HR treatment : control");
  const Target& landmark = t->targets[3];
  CHECK(landmark.label() == "landmark at 24 mo (treatment)");  // the default label of a landmark kind
  CHECK(landmark.value == 0.4);                                // the config's value wins over the row's
  CHECK(landmark.n == 100);
  CHECK(landmark.weight == 0.25);  // a weaker figure (e.g. NOT VERIFIED); the others weigh 1
  CHECK(orr.weight == 1.0);
  const Target& early = t->targets[4];  // a landmark among a population the target names
  CHECK(early.kind.statistic == Statistic::failure_at);
  CHECK(early.time == 3.0);
  CHECK(early.denominator == "treated");
  CHECK(early.label() == "progressed by 3 mo (treatment)");
}

TEST_CASE("trial config: none without a [trial] table") {
  Fixture f;
  std::optional<TrialConfig> t;
  CHECK(f.problems("model = \"x\"\n", &t).empty());
  CHECK_FALSE(t);
}

TEST_CASE("trial config: bad values located by file, line and key") {
  Fixture f;
  const std::string e = f.problems(std::string(kKinds) + R"toml(
[trial]
name = "T-1"
accrual_months = 12.0
cutoff_months = 6.0
evidence_file = "evidence.csv"
replicates = 0
arm = [{ strategy = "treatment", n = -1 }, { strategy = "control", n = true }, { strategy = "x", n = {} }, 3]

[[trial.target]]
evideence = "E1"
kind = "orr"
arm = "treatment"

[[trial.target]]
evidence = "E1"
kind = "landmark"
time = +inf
arm = "treatment"

[[trial.target]]
evidence = "E3"
kind = "hr"
arm = "treatment"
label = "HR {arm} vs {refrence}"
population = "treated"

[[trial.target]]
evidence = "E1"
kind = "median_os"
arm = "treatment"

[[trial.target]]
evidence = "E1"
kind = "orr"
arm = "treatment"
weight = 1.5
)toml");
  const std::string file = (f.dir.path / "trial.toml").string();
  CHECK_THAT(e, Catch::Contains(file + ":31:17: error: trial.cutoff_months: the data cut-off must not come"));
  CHECK_THAT(e, Catch::Contains("trial.replicates: 0 is out of range"));
  CHECK_THAT(e, Catch::Contains("trial.arm[0].n: -1 is out of range"));
  CHECK_THAT(e, Catch::Contains("trial.arm[1].n: expected an integer, found a boolean"));
  CHECK_THAT(e, Catch::Contains("trial.arm[2].n: expected an integer, found a table"));
  CHECK_THAT(e, Catch::Contains("trial.arm[3]: each arm is a table { strategy, n }"));
  CHECK_THAT(e, Catch::Contains("trial.target[0].evidence: missing required key"));
  CHECK_THAT(e, Catch::Contains("trial.target[0].evideence: unknown key"));
  CHECK_THAT(e, Catch::Contains("trial.target[1].time: must be finite"));
  CHECK_THAT(e, Catch::Contains("trial.target[2].population: a hazard ratio takes no population"));
  CHECK_THAT(e, Catch::Contains("trial.target[2].reference: a hazard-ratio target needs reference"));
  CHECK_THAT(e, Catch::Contains("trial.target[2].label: unknown placeholder {refrence}"));
  CHECK_THAT(
      e, Catch::Contains("trial.target[3].kind: unknown kind \"median_os\" ([trial.kinds] defines: early, "
                         "hr, landmark, median, orr)"));
  CHECK_THAT(e, Catch::Contains("trial.target[4].weight: 1.5 is out of range"));
}

TEST_CASE("trial config: bad kinds and populations") {
  Fixture f;
  const std::string e = f.problems(R"toml(
[trial.kinds.a]
statistic = "mean"
outcome = "resp"

[trial.kinds.b]
statistic = "rate"
endpoint = "pfs"

[trial.kinds.c]
statistic = "median"

[trial.populations]
all = "resp"
)toml" + std::string(kTrial));
  CHECK_THAT(e, Catch::Contains("trial.kinds.a.statistic: unknown value \"mean\""));
  CHECK_THAT(e, Catch::Contains("trial.kinds.b.endpoint: a rate reads an outcome column"));
  CHECK_THAT(e, Catch::Contains("trial.kinds.b.outcome: missing required key"));
  CHECK_THAT(e, Catch::Contains("trial.kinds.c.endpoint: missing required key"));
  CHECK_THAT(e, Catch::Contains("trial.populations.all: \"all\" is every patient"));
}

TEST_CASE("trial config: evidence rows and arms the targets name must exist") {
  Fixture f;
  const std::string e = f.problems(std::string(kKinds) + R"toml(
[trial]
name = "T-1"
accrual_months = 12.0
cutoff_months = 30.0
evidence_file = "evidence.csv"
arm = [{ strategy = "treatment", n = 100 }]

[[trial.target]]
evidence = "E9"
kind = "orr"
arm = "treatment"

[[trial.target]]
evidence = "E4"
kind = "orr"
arm = "treatment"

[[trial.target]]
evidence = "E3"
kind = "hr"
arm = "placebo"
reference = "control"
)toml");
  CHECK_THAT(e, Catch::Contains("trial.target[0].evidence: no row E9 in"));
  CHECK_THAT(e, Catch::Contains("trial.target[1].evidence: row E4 has no numeric value"));
  CHECK_THAT(e, Catch::Contains("trial.target[2].arm: no arm \"placebo\" in [trial].arm"));
  CHECK_THAT(e, Catch::Contains("trial.target[2].reference: no arm \"control\" in [trial].arm"));
  const std::string missing = f.problems(std::string(kKinds) + R"toml(
[trial]
name = "T-1"
accrual_months = 12.0
cutoff_months = 30.0
evidence_file = "absent.csv"
arm = [{ strategy = "treatment", n = 100 }]
[[trial.target]]
evidence = "E1"
kind = "orr"
arm = "treatment"
)toml");
  CHECK_THAT(missing, Catch::Contains("trial.evidence_file: "));
  CHECK_THAT(missing, Catch::Contains("absent.csv: cannot read the evidence table"));
}

TEST_CASE("trial config: strategies and columns the built model does not have") {
  Fixture f;
  const std::string e = f.problems(R"toml(
[trial.kinds.crs]
statistic = "rate"
outcome = "crs_any"

[trial.kinds.ttnt]
statistic = "median"
endpoint = "ttnt"

[trial.populations]
infused = "infused"

[trial]
name = "T-1"
accrual_months = 12.0
cutoff_months = 30.0
evidence_file = "evidence.csv"
arm = [{ strategy = "placebo", n = 100 }]

[[trial.target]]
evidence = "E1"
kind = "crs"
arm = "placebo"
population = "infused"

[[trial.target]]
evidence = "E2"
kind = "ttnt"
arm = "placebo"
)toml");
  CHECK_THAT(e, Catch::Contains("trial.arm[0].strategy: no strategy \"placebo\" in this config"));
  CHECK_THAT(e,
             Catch::Contains("trial.target[0].kind: kind \"crs\" reads the outcome column \"crs_any\", which "
                             "the model does not write (outcomes: resp, treated)"));
  CHECK_THAT(e, Catch::Contains("trial.target[0].population: the population's column \"infused\" is not an "
                                "outcome column"));
  CHECK_THAT(e, Catch::Contains("trial.target[1].kind: kind \"ttnt\" reads the endpoint \"ttnt\", which this "
                                "scenario does not produce (endpoints: pfs, os)"));
}
