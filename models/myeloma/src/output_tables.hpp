#pragma once
// The myeloma model's output tables (docs/hdf5_schema.md). Each table is one list of columns, each column
// its name, type, labels, unit, description and how its value is read from the simulated record; the layout
// the engine writes and the row writing both come from that list, so a new column is one entry.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "models/myeloma/src/endpoints.hpp"
#include "models/myeloma/src/params.hpp"
#include "models/myeloma/src/simulate.hpp"
#include "sim/core/table.hpp"

namespace mmsim::myeloma {

// What a patients row is read from: the history, its first three lines, the patient's censoring time and the
// censored endpoints.
struct PatientRecord {
  std::uint64_t patient = 0;
  const History* history = nullptr;
  const LineRecord* line1 = nullptr;  // null when no line started
  const LineRecord* line2 = nullptr;
  const LineRecord* line3 = nullptr;
  double horizon = 0;  // the patient's end of follow-up (earlier than the model's under trial emulation)
  std::array<EndpointValue, kEndpoints> endpoints{};  // by Endpoint; the configured ones are set
};

// What a lines row and an events row are read from.
struct LineRow {
  std::uint64_t patient = 0;
  const LineRecord* line = nullptr;
};
struct EventRow {
  std::uint64_t patient = 0;
  const EventRecord* event = nullptr;
};

struct OutputTables {
  RecordTable<PatientRecord> patients;
  RecordTable<LineRow> lines;
  RecordTable<EventRow> events;
};

// The tables of a model built from `params`: its therapies, partners and maintenances label the enums, its
// endpoints pick the endpoint columns (and a per-line endpoint adds the per-line outcome columns). The
// trajectory tables are, in order, lines and events.
OutputTables make_output_tables(const Params& params);
inline constexpr std::size_t kLinesTable = 0, kEventsTable = 1;  // OutputSchema::trajectories indices

// The binary outcome columns reported as rates, and beside each the column of the patients among whom its
// rate is also reported ("" = intention to treat only; none at all unless the scenario writes per-line
// outputs).
struct OutcomeColumns {
  std::vector<std::string> outcomes, denominators;
};
OutcomeColumns outcome_columns(const Params& params);

}  // namespace mmsim::myeloma
