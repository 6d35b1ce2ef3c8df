#pragma once
// `mmsim therapies`: one row per therapy of a loaded model, naming what a strategy rule can write (the id)
// and what it is (class, category, targets, binder, cell source) with where its parameters come from.
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "models/myeloma/src/params.hpp"

namespace mmsim::myeloma {

struct TherapyListing {
  std::string id, label, class_id, category, targets, binder, cell_source;
  std::string defined_at;  // file:line of its [therapy.<id>] table in the resolved config
  std::string
      overridden_by;   // the other files that set some of its values, e.g. "calibrated.toml (9 values)"
  std::string source;  // its `source` (the evidence it is built on)
};

// The therapies in the model's order; `root` is the resolved config the model was built from.
std::vector<TherapyListing> list_therapies(const Params& params, const toml::table& root);

}  // namespace mmsim::myeloma
