#include "models/myeloma/myeloma_model.hpp"

#include <cmath>
#include <limits>

#include "models/myeloma/src/read_params.hpp"
#include "models/myeloma/src/streams.hpp"

namespace mmsim::myeloma {
namespace {

template <std::size_t N>
std::vector<std::string> labels(const std::array<std::string_view, N>& names, std::size_t count = N) {
  return std::vector<std::string>(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(count));
}

std::vector<std::string> with_none(std::vector<std::string> v) {
  v.insert(v.begin(), "none");
  return v;
}

bool attr_is_flag(std::size_t a) {
  const auto at = static_cast<Attr>(a);
  return at != Attr::age && at != Attr::prior_lines && at != Attr::bcma_density && at != Attr::gprc5d_level &&
         at != Attr::tcell_fitness;
}

std::uint8_t code_plus_one(int v) {
  return static_cast<std::uint8_t>(v + 1);
}

}  // namespace

MyelomaModel::MyelomaModel(Params params) : params_(std::move(params)) {
  std::vector<std::string> therapy_labels;
  for (const auto& t : params_.therapies) therapy_labels.push_back(t.id);
  therapy_labels = with_none(therapy_labels);
  std::vector<std::string> partner_labels, maint_labels;
  for (const auto& x : params_.partners) partner_labels.push_back(x.id);
  for (const auto& x : params_.maintenances) maint_labels.push_back(x.id);
  partner_labels = with_none(partner_labels);
  maint_labels = with_none(maint_labels);
  const auto depth_labels = with_none(labels(kDepthNames));
  const auto mech_labels = labels(kMechNames, kMechanisms + 1);  // six mechanisms, then none

  std::vector<Field> pf{{"id", FieldType::u64, {}, "0-based patient index (random stream key)"}};
  for (std::size_t a = 0; a < kAttrs; ++a) {
    const auto at = static_cast<Attr>(a);
    const FieldType type = at == Attr::prior_lines ? FieldType::i32
                           : attr_is_flag(a)       ? FieldType::u8
                                                   : FieldType::f64;
    pf.push_back({std::string(kAttrNames[a]), type, {}, "baseline attribute (docs/model.md P2)"});
  }
  pf.push_back({"index_therapy", FieldType::enumeration, therapy_labels, "therapy of line 1"});
  pf.push_back({"infused_line1", FieldType::u8, {}, "1 if line 1 started (CAR-T infused)"});
  pf.push_back({"best_response_line1", FieldType::enumeration, depth_labels, "best response of line 1"});
  pf.push_back(
      {"response_line1", FieldType::u8, {}, "1 if best response of line 1 >= PR (intention to treat)"});
  pf.push_back(
      {"cr_line1", FieldType::u8, {}, "1 if best response of line 1 is CR/sCR (intention to treat)"});
  pf.push_back({"crs_any_line1", FieldType::u8, {}, "1 if line 1 caused CRS of any grade"});
  pf.push_back({"crs_grade3_line1", FieldType::u8, {}, "1 if line 1 caused CRS of grade >= 3"});
  pf.push_back(
      {"mechanism_line1", FieldType::enumeration, mech_labels, "failure mechanism at line 1 progression"});
  pf.push_back(
      {"therapy_line2", FieldType::enumeration, therapy_labels, "therapy of line 2 (none if not started)"});
  pf.push_back({"best_response_line2", FieldType::enumeration, depth_labels, "best response of line 2"});
  pf.push_back({"response_line2", FieldType::u8, {}, "1 if best response of line 2 >= PR (0 if no line 2)"});
  pf.push_back({"lines_received", FieldType::i32, {}, "lines of therapy started (simulated)"});
  pf.push_back(
      {"death_cause", FieldType::enumeration, labels(kDeathCauseNames), "cause of death (none if alive)"});
  for (int e : params_.endpoints) {
    const std::string n = kEndpointNames[e];
    pf.push_back({n + "_time", FieldType::f64, {}, "months from the endpoint's start; NaN: undefined"});
    pf.push_back({n + "_event", FieldType::u8, {}, "1 event, 0 censored"});
    schema_.endpoints.push_back(n);
  }
  schema_.patients = TableLayout("patients", std::move(pf));
  schema_.outcomes = {"response_line1", "cr_line1",      "response_line2",
                      "infused_line1",  "crs_any_line1", "crs_grade3_line1"};
  schema_.state_names = labels(kStateNames);

  schema_.trajectories.emplace_back(
      "lines",
      std::vector<Field>{
          {"patient", FieldType::u64, {}, "patient index"},
          {"line", FieldType::i32, {}, "line of therapy, 1 = index line"},
          {"therapy", FieldType::enumeration, therapy_labels, "therapy id"},
          {"partner", FieldType::enumeration, partner_labels, "combination partner"},
          {"maintenance", FieldType::enumeration, maint_labels, "maintenance named by the strategy"},
          {"start", FieldType::f64, {}, "months since time zero: decision/apheresis"},
          {"infusion", FieldType::f64, {}, "months since time zero: treatment start (NaN if never given)"},
          {"end",
           FieldType::f64,
           {},
           "months since time zero: progression, dropout, failure, death or horizon"},
          {"best_response", FieldType::enumeration, depth_labels, "best response (none if not treated)"},
          {"end_reason", FieldType::enumeration, labels(kEndReasonNames), "how the line ended"},
          {"mechanism", FieldType::enumeration, mech_labels, "failure mechanism drawn at progression"},
          {"crs_grade", FieldType::u8, {}, "0 none, 1 grade 1-2, 3 grade >= 3"},
          {"icans_grade", FieldType::u8, {}, "0 none, 1 grade 1-2, 3 grade >= 3"},
          {"bridged", FieldType::u8, {}, "1 if bridging therapy was given during the wait"},
          {"maintained", FieldType::u8, {}, "1 if maintenance was started (response >= its minimum)"}});
  schema_.trajectories.emplace_back(
      "events",
      std::vector<Field>{{"patient", FieldType::u64, {}, "patient index"},
                         {"time", FieldType::f64, {}, "months since time zero"},
                         {"from", FieldType::enumeration, labels(kStateNames), "state left"},
                         {"to", FieldType::enumeration, labels(kStateNames), "state entered"},
                         {"line", FieldType::i32, {}, "current line of therapy"},
                         {"cause", FieldType::enumeration, labels(kDeathCauseNames), "cause of death"}});
  for (const auto& s : params_.strategies) strategy_names_.push_back(s.name);

  const TableLayout& p = schema_.patients;
  f_id_ = p.find("id");
  for (std::size_t a = 0; a < kAttrs; ++a) f_attr_[a] = p.find(kAttrNames[a]);
  f_index_therapy_ = p.find("index_therapy");
  f_infused1_ = p.find("infused_line1");
  f_best1_ = p.find("best_response_line1");
  f_resp1_ = p.find("response_line1");
  f_cr1_ = p.find("cr_line1");
  f_crs1_ = p.find("crs_any_line1");
  f_crs3_1_ = p.find("crs_grade3_line1");
  f_mech1_ = p.find("mechanism_line1");
  f_therapy2_ = p.find("therapy_line2");
  f_best2_ = p.find("best_response_line2");
  f_resp2_ = p.find("response_line2");
  f_lines_ = p.find("lines_received");
  f_death_cause_ = p.find("death_cause");
  for (int e : params_.endpoints) {
    f_ep_time_.push_back(p.find(std::string(kEndpointNames[e]) + "_time"));
    f_ep_event_.push_back(p.find(std::string(kEndpointNames[e]) + "_event"));
  }
  const TableLayout& l = schema_.trajectories[0];
  l_patient_ = l.find("patient");
  l_line_ = l.find("line");
  l_therapy_ = l.find("therapy");
  l_partner_ = l.find("partner");
  l_maintenance_ = l.find("maintenance");
  l_start_ = l.find("start");
  l_infusion_ = l.find("infusion");
  l_end_ = l.find("end");
  l_best_ = l.find("best_response");
  l_reason_ = l.find("end_reason");
  l_mech_ = l.find("mechanism");
  l_crs_ = l.find("crs_grade");
  l_icans_ = l.find("icans_grade");
  l_bridged_ = l.find("bridged");
  l_maintained_ = l.find("maintained");
  const TableLayout& ev = schema_.trajectories[1];
  e_patient_ = ev.find("patient");
  e_time_ = ev.find("time");
  e_from_ = ev.find("from");
  e_to_ = ev.find("to");
  e_line_ = ev.find("line");
  e_cause_ = ev.find("cause");
}

void MyelomaModel::simulate(std::size_t strategy, const StreamKey& key, PatientSink& sink) const {
  thread_local History h;
  simulate_patient(params_, strategy, key, h);
  write(h, key, sink);
}

void MyelomaModel::write(const History& h, const StreamKey& key, PatientSink& sink) const {
  const std::uint64_t patient = key.patient;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  double horizon = params_.horizon;
  if (params_.trial) {  // administrative censoring at the data cut-off, after uniform accrual
    RandomStream rs(StreamKey{key.seed, key.domain, patient, kTrialAccrual, 0});
    horizon = std::min(horizon, params_.trial_cutoff - params_.trial_accrual * rs.uniform());
  }
  const PatientState& s = h.state;
  RowRef row = sink.patients.append();
  row.set_u64(f_id_, patient);
  for (std::size_t a = 0; a < kAttrs; ++a) {
    const auto at = static_cast<Attr>(a);
    if (at == Attr::prior_lines) {
      row.set_i32(f_attr_[a], static_cast<std::int32_t>(std::lround(s.x[a])));
    } else if (attr_is_flag(a)) {
      row.set_u8(f_attr_[a], s.x[a] > 0.5 ? 1 : 0);
    } else {
      row.set_f64(f_attr_[a], s.x[a]);
    }
  }
  const LineRecord* l1 = h.n_lines > 0 ? &h.lines[0] : nullptr;
  const LineRecord* l2 = h.n_lines > 1 ? &h.lines[1] : nullptr;
  row.set_enum(f_index_therapy_, l1 ? code_plus_one(l1->therapy) : 0);
  row.set_u8(f_infused1_, l1 && !std::isnan(l1->infusion) ? 1 : 0);
  row.set_enum(f_best1_, l1 ? code_plus_one(l1->best_response) : 0);
  row.set_u8(f_resp1_, l1 && l1->best_response >= static_cast<int>(Depth::pr) ? 1 : 0);
  row.set_u8(f_cr1_, l1 && l1->best_response == static_cast<int>(Depth::cr) ? 1 : 0);
  row.set_u8(f_crs1_, l1 && l1->crs > 0 ? 1 : 0);
  row.set_u8(f_crs3_1_, l1 && l1->crs >= 3 ? 1 : 0);
  row.set_enum(f_mech1_, static_cast<std::uint8_t>(l1 ? idx(l1->mechanism) : idx(Mech::none)));
  row.set_enum(f_therapy2_, l2 ? code_plus_one(l2->therapy) : 0);
  row.set_enum(f_best2_, l2 ? code_plus_one(l2->best_response) : 0);
  row.set_u8(f_resp2_, l2 && l2->best_response >= static_cast<int>(Depth::pr) ? 1 : 0);
  row.set_i32(f_lines_, static_cast<std::int32_t>(h.n_lines));
  row.set_enum(f_death_cause_, static_cast<std::uint8_t>(h.death_cause));

  // Endpoints (docs/model.md S): start and end times on the patient's clock; inf = not (yet) happened.
  const auto opt = [](double v) { return std::isnan(v) ? kInf : v; };
  const double death = h.death;
  const double t0 = params_.time_zero == TimeZero::infusion ? (l1 ? l1->infusion : nan) : 0.0;
  const double fail1 = opt(h.line_failure(0)), fail2 = opt(h.line_failure(1));
  const double start2 = opt(h.line_start(1));
  const double relapse = fail1;
  for (std::size_t i = 0; i < params_.endpoints.size(); ++i) {
    double start = t0, end = kInf;
    switch (params_.endpoints[i]) {
      case 0:  // pfs
        end = std::min(fail1, death);
        break;
      case 1:  // pfs2
        end = std::min(fail2, death);
        break;
      case 2:  // os
        end = death;
        break;
      case 3:  // ttnt
        end = std::min(start2, death);
        break;
      case 4:  // pfs_after_relapse
        start = std::isinf(relapse) ? nan : relapse;
        end = std::min(fail2, death);
        break;
      default:  // os_after_relapse
        start = std::isinf(relapse) ? nan : relapse;
        end = death;
        break;
    }
    if (std::isnan(start) || start > horizon) {
      row.set_f64(f_ep_time_[i], nan);
      row.set_u8(f_ep_event_[i], 0);
    } else if (end <= horizon) {
      row.set_f64(f_ep_time_[i], std::max(0.0, end - start));
      row.set_u8(f_ep_event_[i], 1);
    } else {
      row.set_f64(f_ep_time_[i], horizon - start);
      row.set_u8(f_ep_event_[i], 0);
    }
  }

  if (sink.trajectories == nullptr) return;
  TableBuffer& lines = (*sink.trajectories)[0];
  for (std::size_t i = 0; i < h.n_lines; ++i) {
    const LineRecord& r = h.lines[i];
    RowRef lr = lines.append();
    lr.set_u64(l_patient_, patient);
    lr.set_i32(l_line_, r.line);
    lr.set_enum(l_therapy_, code_plus_one(r.therapy));
    lr.set_enum(l_partner_, code_plus_one(r.partner));
    lr.set_enum(l_maintenance_, code_plus_one(r.maintenance));
    lr.set_f64(l_start_, r.start);
    lr.set_f64(l_infusion_, r.infusion);
    lr.set_f64(l_end_, r.end);
    lr.set_enum(l_best_, code_plus_one(r.best_response));
    lr.set_enum(l_reason_, static_cast<std::uint8_t>(r.end_reason));
    lr.set_enum(l_mech_, static_cast<std::uint8_t>(r.mechanism));
    lr.set_u8(l_crs_, r.crs);
    lr.set_u8(l_icans_, r.icans);
    lr.set_u8(l_bridged_, r.bridged ? 1 : 0);
    lr.set_u8(l_maintained_, r.maintained ? 1 : 0);
  }
  TableBuffer& events = (*sink.trajectories)[1];
  for (std::size_t i = 0; i < h.n_events; ++i) {
    const EventRecord& e = h.events[i];
    RowRef er = events.append();
    er.set_u64(e_patient_, patient);
    er.set_f64(e_time_, e.time);
    er.set_enum(e_from_, static_cast<std::uint8_t>(e.from));
    er.set_enum(e_to_, static_cast<std::uint8_t>(e.to));
    er.set_i32(e_line_, e.line);
    er.set_enum(e_cause_, static_cast<std::uint8_t>(e.cause));
  }
}

std::unique_ptr<MyelomaModel> build_myeloma_model(const toml::table& root, const ScenarioSettings& settings,
                                                  config::Diagnostics& diag) {
  Params p = read_params(root, settings, diag);
  if (!diag.ok()) return nullptr;
  return std::make_unique<MyelomaModel>(std::move(p));
}

}  // namespace mmsim::myeloma
