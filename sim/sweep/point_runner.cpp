#include "sim/sweep/point_runner.hpp"

#include <fmt/format.h>

#include <utility>

#include "sim/core/errors.hpp"
#include "sim/economics/economics_h5.hpp"
#include "sim/economics/run_economics.hpp"
#include "sim/io/run_file.hpp"
#include "sim/report/column_sources.hpp"
#include "sim/runner/cohort_runner.hpp"
#include "sim/runner/run_attributes.hpp"

namespace mmsim::sweep {

PointRunner::PointRunner(const SweepSpec& spec, const SweepStore& store, const SweepHeader& header,
                         ScenarioBuilder build, PointRunSettings settings)
    : spec_(spec),
      store_(store),
      header_(header),
      build_(std::move(build)),
      settings_(settings),
      tables_(header.shape) {}

void PointRunner::run(const SweepPoint& pt) const {
  store(pt, simulate(pt, settings_.threads));
}

void PointRunner::store(const SweepPoint& pt, const PointRows& rows) const {
  store_.write_point(header_, pt.index, rows);
}

PointRows PointRunner::simulate(const SweepPoint& pt, unsigned threads) const {
  BuiltScenario sc;
  try {
    sc = build_(point_document(spec_, pt));
  } catch (const InputError& e) {
    throw InputError(fmt::format("{}\n(point {} of the sweep {})", e.what(), pt.index, spec_.file));
  }
  const Model& model = *sc.model;
  const auto& schema = model.schema();
  if (model.strategies() != header_.shape.strategies || schema.endpoints != header_.shape.endpoints ||
      schema.outcomes != header_.shape.outcomes) {
    throw InputError(
        fmt::format("{}: point {} changes the scenario's strategies, endpoints or outcomes: a sweep "
                    "may only change numbers",
                    spec_.file, pt.index));
  }
  report::ReportOptions ro;
  ro.landmarks = spec_.landmarks;
  ro.reference = settings_.reference;
  const SweepTables& tables = tables_;
  PointRows rows(tables);
  add_point_row(tables, pt.index, pt.varied, pt.values, rows);
  if (tables.shape.economics != (sc.economics != nullptr)) {
    throw InputError(
        fmt::format("{}: point {} adds or removes the scenario's [economics] table", spec_.file, pt.index));
  }
  std::optional<economics::RunEconomics> econ;
  if (sc.economics) econ.emplace(*sc.economics, schema);
  for (std::uint32_t r = 0; r < spec_.replicates; ++r) {
    RunOptions opt;
    opt.patients = settings_.patients;
    opt.seed = sc.settings.seed;
    opt.domain = r;
    opt.threads = threads;
    opt.mode = settings_.trajectories ? OutputMode::trajectories : OutputMode::summary_only;
    if (econ) opt.economics = &*econ;
    report::Report rep;
    std::optional<economics::Moments> moments;
    if (settings_.trajectories) {
      const io::RunAttributes attrs =
          run_attributes(model, opt, sc.model_name, sc.document.resolved_text(),
                         fmt::format("{} point {} replicate {}", spec_.file, pt.index, r));
      io::RunFileWriter writer(store_.dir() / "points" / fmt::format("point-{}-rep-{}.h5", pt.index, r),
                               attrs);
      moments = run_cohort(model, opt, &writer).economics;
      if (moments) economics::write_moments(writer, *moments, model.strategies());
      const report::FileColumns<io::RunFileWriter> cols(writer, model.strategies());
      rep = report::compute_report(cols, model.strategies(), schema.endpoints, schema.outcomes,
                                   model.horizon(), ro);
      writer.commit();
    } else {
      const RunOutcome outcome = run_cohort(model, opt, nullptr);
      moments = outcome.economics;
      const report::MemoryColumns cols(outcome, schema.endpoints, schema.outcomes);
      rep = report::compute_report(cols, model.strategies(), schema.endpoints, schema.outcomes,
                                   model.horizon(), ro);
    }
    add_report_rows(tables, pt.index, r, pt.values, rep, rows);
    if (moments) {
      add_economics_rows(
          tables, pt.index, r, pt.values,
          economics::compute_economics(*moments, economics::report_settings(sc.economics->spec())), rows);
    }
  }
  return rows;
}

}  // namespace mmsim::sweep
