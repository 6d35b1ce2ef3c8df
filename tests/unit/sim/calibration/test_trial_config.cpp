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
    // The patients columns a subgroup or a categorical rate reads.
    const auto field = [](std::string name, FieldType type, std::vector<std::string> labels = {}) {
      return Field{std::move(name), type, std::move(labels), "", ""};
    };
    schema_.patients =
        TableLayout("patients", {field("id", FieldType::u64), field("resp", FieldType::u8),
                                 field("treated", FieldType::u8), field("emd", FieldType::u8),
                                 field("age", FieldType::f64),
                                 field("cause", FieldType::enumeration, {"none", "other", "treatment"})});
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

TEST_CASE("trial config: subgroups, categorical rates and the columns a run collects for them") {
  Fixture f;
  const std::string kinds = R"toml(
[trial.kinds.deaths]
statistic = "rate"
outcome = "cause"
values = ["treatment", "other"]
observed_on = "os"

[trial.kinds.hr]
statistic = "hazard_ratio"
endpoint = "pfs"

[trial.kinds.median]
statistic = "median"
endpoint = "pfs"

[trial.populations]
treated = "treated"

[trial]
name = "T-1"
accrual_months = 12.0
cutoff_months = 30.0
evidence_file = "evidence.csv"
arm = [{ strategy = "treatment", n = 100 }]
)toml";
  std::optional<TrialConfig> trial;
  const std::string ok = f.problems(kinds + R"toml(
[[trial.target]]
evidence = "E1"
kind = "deaths"
arm = "treatment"
population = "treated"

[[trial.target]]
evidence = "E3"
kind = "hr"
arm = "treatment"
subgroup = { count_of = ["emd"], at_least = 1, label = "EMD" }
reference_subgroup = { count_of = ["emd"], at_most = 0 }

[[trial.target]]
evidence = "E2"
kind = "median"
arm = "treatment"
subgroup = { count_of = ["emd", "resp"], at_least = 2 }
)toml",
                                    &trial);
  REQUIRE(ok.empty());
  REQUIRE(trial);
  const auto& t = trial->targets;
  CHECK(t[0].kind.values == std::vector<std::string>{"treatment", "other"});
  CHECK(t[0].kind.codes == std::vector<std::uint8_t>{2, 1});
  CHECK(t[0].kind.observed_on == "os");
  CHECK(t[1].reference == "treatment");  // two subgroups of one arm
  CHECK(t[1].subgroup.at_least == 1);
  CHECK(t[1].reference_subgroup.at_most == 0);
  CHECK(t[1].label() == "hr treatment : treatment [EMD : emd = 0]");
  CHECK(t[2].subgroup.columns == std::vector<std::string>{"emd", "resp"});
  CHECK(trial->columns_read() == std::vector<std::string>{"cause", "treated", "emd", "resp"});

  const std::string bad = f.problems(R"toml(
[trial.kinds.typo]
statistic = "median"
endpoint = "pfs"
values = ["a"]
)toml" + kinds + R"toml(
[[trial.target]]
evidence = "E2"
kind = "typo"
arm = "treatment"
)toml");
  CHECK_THAT(bad, Catch::Contains("trial.kinds.typo.values: only a rate counts the labels"));
  const std::string located = f.problems(kinds + R"toml(
[[trial.target]]
evidence = "E2"
kind = "median"
arm = "treatment"
subgroup = { count_of = ["emd"], at_least = 1, at_most = 0 }

[[trial.target]]
evidence = "E2"
kind = "median"
arm = "treatment"
reference_subgroup = { count_of = ["emd"], at_most = 0 }

[[trial.target]]
evidence = "E2"
kind = "median"
arm = "treatment"
subgroup = { count_of = ["emd"] }

[[trial.target]]
evidence = "E3"
kind = "hr"
arm = "treatment"
)toml");
  CHECK_THAT(located, Catch::Contains("trial.target[0].subgroup.at_most: must not be below at_least"));
  CHECK_THAT(located, Catch::Contains("trial.target[1].reference_subgroup: only a hazard ratio compares"));
  CHECK_THAT(located, Catch::Contains("trial.target[2].subgroup.at_least: needs at_least and/or at_most"));
  CHECK_THAT(located, Catch::Contains("trial.target[3].reference: a hazard-ratio target needs reference"));
  // The names only the model knows (the kinds above are sound as written).
  const std::string unknown = f.problems(R"toml(
[trial.kinds.flag_count]
statistic = "rate"
outcome = "resp"
values = ["yes"]

[trial.kinds.late]
statistic = "rate"
outcome = "cause"
values = ["treatment", "infection"]
observed_on = "ttnt"
)toml" + kinds + R"toml(
[[trial.target]]
evidence = "E1"
kind = "flag_count"
arm = "treatment"

[[trial.target]]
evidence = "E1"
kind = "late"
arm = "treatment"

[[trial.target]]
evidence = "E2"
kind = "median"
arm = "treatment"
subgroup = { count_of = ["age", "emd"], at_least = 1 }
)toml");
  CHECK_THAT(unknown,
             Catch::Contains("trial.target[0].kind: kind \"flag_count\" counts labels (yes) of \"resp\", "
                             "which is not a categorical column"));
  CHECK_THAT(unknown, Catch::Contains("trial.target[1].kind: kind \"late\": \"cause\" has no label "
                                      "\"infection\" (labels: none, other, treatment)"));
  CHECK_THAT(unknown, Catch::Contains("trial.target[1].kind: kind \"late\" counts by the endpoint \"ttnt\""));
  CHECK_THAT(unknown, Catch::Contains("trial.target[2].subgroup: subgroup column \"age\" is not a 0/1 column "
                                      "of the model's patients table (0/1 columns: resp, treated, emd)"));
}
