#include "sim/runner/pilot_rows.hpp"

#include <cstring>

namespace mmsim {

PilotRows::PilotRows(const OutputSchema& schema, std::size_t strategies, std::uint64_t seed,
                     std::uint64_t domain, bool trajectories)
    : seed_(seed), domain_(domain), trajectories_(trajectories) {
  strategies_.reserve(strategies);
  for (std::size_t s = 0; s < strategies; ++s) {
    Strategy& k = strategies_.emplace_back(Strategy{TableBuffer(schema.patients), {}, {}});
    for (const auto& t : schema.trajectories) k.trajectories.emplace_back(t);
  }
}

PatientSink PilotRows::sink(std::size_t s) {
  Strategy& k = strategies_[s];
  return PatientSink{k.patients, trajectories_ ? &k.trajectories : nullptr};
}

void PilotRows::end_patient(std::size_t s) {
  Strategy& k = strategies_[s];
  for (const TableBuffer& t : k.trajectories) k.ends.push_back(t.rows());
}

namespace {

// Appends rows [first, last) of `from` to `to` (the same layout).
void append_rows(const TableBuffer& from, std::size_t first, std::size_t last, TableBuffer& to) {
  const std::size_t row_size = from.layout().row_size();
  for (std::size_t r = first; r < last; ++r)
    std::memcpy(to.append().bytes(), from.data() + r * row_size, row_size);
}

}  // namespace

bool PilotRows::append(std::size_t s, const StreamKey& key, PatientSink& sink) const {
  if (s >= strategies_.size() || key.seed != seed_ || key.domain != domain_ || key.purpose != 0 ||
      key.step != 0 || (sink.trajectories != nullptr) != trajectories_)
    return false;
  const Strategy& k = strategies_[s];
  if (key.patient >= k.patients.rows()) return false;
  const std::size_t i = static_cast<std::size_t>(key.patient);
  append_rows(k.patients, i, i + 1, sink.patients);
  const std::size_t n_t = k.trajectories.size();
  for (std::size_t t = 0; sink.trajectories && t < n_t; ++t) {
    const std::size_t first = i == 0 ? 0 : k.ends[(i - 1) * n_t + t];
    append_rows(k.trajectories[t], first, k.ends[i * n_t + t], (*sink.trajectories)[t]);
  }
  return true;
}

}  // namespace mmsim
