#pragma once
// Reading and validating the myeloma model's config (docs/model.md P0-P8, S). Every problem is recorded in
// the Diagnostics with file:line:column and key path; the result is meaningful only when diag.ok().
#include <string>

#include "models/myeloma/src/params.hpp"
#include "sim/config/simulation_settings.hpp"
#include "sim/config/table_reader.hpp"

namespace mmsim::myeloma {

// The whole resolved config (includes merged): parameter files, [scenario], strategies. [simulation] and the
// trial calendar of [trial] come read (by the model registry) in `settings`.
Params read_params(const toml::table& root, const ScenarioSettings& settings, config::Diagnostics& diag);

// ---- pieces (one file each) ----
void read_populations(config::TableReader& top, Params& p);
void read_therapies(config::TableReader& top, Params& p);
void read_antigens(config::TableReader& top, Params& p);
void read_partners(config::TableReader& top, Params& p);
void read_mechanisms(config::TableReader& top, Params& p);
void read_disease(config::TableReader& top, Params& p);
void read_background(config::TableReader& top, Params& p);
void read_strategies(config::TableReader& top, Params& p);
// [testing.<id>] tables and [progression_pattern] (mechanisms.toml); `[scenario].testing` picks one.
void read_testing(config::TableReader& top, Params& p);
void pick_testing(config::TableReader& scenario, Params& p);

// ---- helpers shared by the readers ----
// { cr, vgpr, pr, mr_sd, pd } summing to 1 within 1e-6.
DepthProbs read_depth_probs(config::TableReader& r, std::string_view key);
// A sub-table read with its own reader; null when absent (error when required).
const toml::table* sub(config::TableReader& r, std::string_view key, bool required = true);
// The member value written last (by position), to locate errors about a whole table that may have been
// overridden key by key by an including file.
const toml::node& anchor(const toml::table& t);
// Position of a node, for errors about a value rather than a key.
std::string located(const toml::node& n);

}  // namespace mmsim::myeloma
