#include <fmt/format.h>

#include <algorithm>
#include <iostream>

#include "sim/cli/commands.hpp"
#include "sim/cli/model_registry.hpp"
#include "sim/cli/report_options.hpp"
#include "sim/core/errors.hpp"
#include "sim/core/text.hpp"
#include "sim/economics/economics_h5.hpp"
#include "sim/economics/run_economics.hpp"
#include "sim/io/run_file.hpp"
#include "sim/io/run_layout.hpp"
#include "sim/report/column_sources.hpp"
#include "sim/report/report_by.hpp"
#include "sim/report/report_h5.hpp"
#include "sim/runner/progress.hpp"

namespace mmsim::cli {
namespace {

// The run's outcome denominators, one per outcome ("" = none), from the attribute written only by models
// that name any.
std::vector<std::string> stored_outcome_denominators(const io::RunFileReader& file) {
  std::string text;
  try {
    text = file.string_attribute("/", "outcome_denominators");
  } catch (const std::exception&) {
    return {};
  }
  std::vector<std::string> out(1);
  for (const char ch : text) {
    if (ch == ',') {
      out.emplace_back();
    } else {
      out.back() += ch;
    }
  }
  return out;
}

// The --by column of every strategy's patients table, with its labels when it is an enumeration. Its type
// comes from the model the run's stored config builds (the file keeps no field types); InputError (exit 2)
// for a column the tables lack or of another type.
report::GroupingColumn read_grouping_column(const io::RunFileReader& file, const std::string& path,
                                            const std::vector<std::string>& strategies,
                                            const std::string& name) {
  const std::string patients = table_path(strategies.front(), "patients");
  const std::vector<std::string> fields = file.field_names(patients);
  if (std::find(fields.begin(), fields.end(), name) == fields.end()) {
    throw InputError(fmt::format("--by: {} has no patients-table column '{}' (columns: {})", path, name,
                                 fmt::join(fields, ", ")));
  }
  const LoadedScenario scenario =
      load_scenario(config::load_config_text(file.string_attribute("/", io::layout::kConfig), path));
  const TableLayout& layout = scenario.model->schema().patients;
  const Field& field = layout.field(layout.find(name));
  if (field.type != FieldType::u8 && field.type != FieldType::i32 && field.type != FieldType::enumeration) {
    throw InputError(
        fmt::format("--by: column '{}' is not a u8, i32 or enumeration column (subgroups need "
                    "discrete values)",
                    name));
  }
  report::GroupingColumn by{
      name, {}, field.type == FieldType::enumeration ? field.labels : std::vector<std::string>{}};
  for (const auto& s : strategies) {
    std::vector<std::int64_t> values;
    if (field.type == FieldType::i32) {
      for (const double v : file.read_f64_column(table_path(s, "patients"), name))
        values.push_back(static_cast<std::int64_t>(v));
    } else {
      for (const std::uint8_t v : file.read_u8_column(table_path(s, "patients"), name)) values.push_back(v);
    }
    by.values.push_back(std::move(values));
  }
  return by;
}

// The run's economics (docs/economics.md) from its stored moments and the [economics] of its stored config;
// nullopt for a run without [economics].
std::optional<economics::EconomicsReport> stored_economics(const io::RunFileReader& file,
                                                           const std::string& path,
                                                           const ReportRequest& request) {
  const std::optional<economics::Moments> moments = economics::read_moments(file);
  if (!moments) return std::nullopt;
  const LoadedScenario scenario =
      load_scenario(config::load_config_text(file.string_attribute("/", io::layout::kConfig), path));
  if (!scenario.economics) return std::nullopt;
  economics::EconomicsSettings settings = economics::report_settings(scenario.economics->spec());
  if (request.reference_given) settings.reference = request.options.reference;
  return economics::compute_economics(*moments, settings, request.options.conf_level);
}

}  // namespace

int report_command(const std::vector<std::string>& args) {
  po::options_description visible(
      "mmsim report RESULT.h5 [options]\n\nSurvival summaries per strategy and endpoint (Kaplan-Meier median "
      "with "
      "Brookmeyer-Crowley CI, landmark survival, RMST) and comparisons with the reference strategy (Cox HR, "
      "log-rank, paired RMST and landmark differences), recomputed from the run's patients tables; for a "
      "--summary-only run, the summaries stored by 'mmsim run'.\n\nOptions");
  visible.add_options()("help,h", "show this help")(
      "by", po::value<std::string>(),
      "subgroup reports: every summary and comparison per value of this u8, i32 or enumeration column of the "
      "patients tables (e.g. --by emd); enumeration values are labelled by name");
  add_report_options(visible);
  add_planning_options(visible);
  const auto parsed = parse_command("report", args, visible, {"result", "run file"});
  if (!parsed) return kExitOk;
  const po::variables_map& vm = *parsed;
  if (!vm.count("result")) throw InputError("mmsim report: name the run file (see 'mmsim report --help')");
  const std::string path = vm["result"].as<std::string>();
  const io::RunFileReader file(path);
  if (file.filetype() != "run")
    throw InputError(fmt::format("{} is a {} file, not a run file", path, file.filetype()));
  const std::vector<std::string> strategies = file.strategy_order();
  const std::vector<std::string> endpoints = split_list(file.string_attribute("/", "endpoints"));
  const std::vector<std::string> outcomes = split_list(file.string_attribute("/", "outcomes"));
  ReportRequest request = read_report_options(vm, strategies, endpoints);
  request.options.outcome_denominators = stored_outcome_denominators(file);
  bool per_patient = true;
  for (const auto& s : strategies) per_patient = per_patient && file.has_dataset(table_path(s, "patients"));
  if (!per_patient) {
    // A --summary-only run: print the summaries `mmsim run` stored, which cannot be recomputed.
    if (!report::has_stored_report(file)) {
      throw InputError(fmt::format("{} has neither per-patient rows nor stored summaries", path));
    }
    const report::Report stored = report::read_report(file);
    auto refuse = [&](const char* option, const std::string& stored_value) {
      throw InputError(fmt::format(
          "{}: {} has no per-patient rows (a --summary-only run), so its stored summaries cannot be "
          "recomputed; they use {} (drop the option, or rerun without --summary-only)",
          option, path, stored_value));
    };
    std::vector<double> stored_landmarks;
    if (!stored.strategies.empty() && !stored.strategies.front().endpoints.empty()) {
      for (const auto& l : stored.strategies.front().endpoints.front().survival)
        stored_landmarks.push_back(l.time);
    }
    if (request.landmarks_given && request.options.landmarks != stored_landmarks)
      refuse("--landmarks", fmt::format("landmarks {}", fmt::join(stored_landmarks, ",")));
    if (request.horizon_given && !stored.strategies.empty() && !stored.strategies.front().endpoints.empty() &&
        request.options.rmst_horizon != stored.strategies.front().endpoints.front().rmst_horizon) {
      refuse("--rmst-horizon",
             fmt::format("RMST horizon {}", stored.strategies.front().endpoints.front().rmst_horizon));
    }
    if (request.reference_given && strategies.at(request.options.reference) != stored.reference)
      refuse("--reference", fmt::format("reference '{}'", stored.reference));
    report::Report shown = finish_report(stored, request);
    shown.economics = stored_economics(file, path, request);
    fmt::print(stderr, "{}", report::extrapolation_warning(shown));
    fmt::print("{}", report::format_report(shown, request.format, request.rows));
    return kExitOk;
  }
  const double horizon = std::stod(file.string_attribute("/", "horizon_months"));
  const report::FileColumns<io::RunFileReader> columns(file, strategies);
  const std::vector<std::string>& wanted = request.endpoints.empty() ? endpoints : request.endpoints;
  report::ReportOptions options = request.options;
  if (vm.count("by")) {
    const report::GroupingColumn by =
        read_grouping_column(file, path, strategies, vm["by"].as<std::string>());
    auto groups = report::compute_group_reports(columns, by, strategies, wanted, outcomes, horizon, options);
    for (auto& g : groups) g.report = finish_report(std::move(g.report), request);
    fmt::print("{}", report::format_group_reports(by.name, groups, request.format));
    return kExitOk;
  }
  const report::Report r = [&] {
    ProgressLine progress("summaries (strategy x endpoint)",
                          report::compute_steps(strategies.size(), wanted.size(), outcomes.size()),
                          progress_mode(true));
    options.on_step = [&progress] { progress.add(); };
    return report::compute_report(columns, strategies, wanted, outcomes, horizon, options);
  }();
  report::Report shown = finish_report(r, request);
  shown.economics = stored_economics(file, path, request);
  fmt::print(stderr, "{}", report::extrapolation_warning(shown));
  fmt::print("{}", report::format_report(shown, request.format, request.rows));
  return kExitOk;
}

}  // namespace mmsim::cli
