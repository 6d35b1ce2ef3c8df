#pragma once
// `mmsim voi`: the whole value-of-information analysis of a sweep folder, from its economics.csv to the
// tables and the exports for R (dampack, BCEA). The command file only parses options into a VoiRequest.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sim/stats/voi_decision.hpp"
#include "sim/stats/voi_evppi.hpp"
#include "sim/stats/voi_psa_table.hpp"

namespace mmsim::stats::voi {

enum class VoiFormat { table, csv, json, markdown };

struct GroupSpec {
  std::string name;
  std::vector<std::string> parameters;
};

struct VoiRequest {
  std::filesystem::path sweep_dir;
  std::vector<double> wtp;        // the CEAC/CEAF/EVPI grid
  std::vector<double> evppi_wtp;  // where EVPPI is estimated (empty: at every WTP of `wtp`)
  std::vector<GroupSpec> groups;  // empty: every parameter that varies, alone
  bool evppi = true;
  PsaReadOptions read;
  EvppiOptions evppi_options;
  std::string currency = "USD";
};

struct VoiAnalysis {
  PsaSample sample;
  std::vector<DecisionAtWtp> decisions;
  std::vector<EvppiResult> evppi;
  std::vector<GroupSpec> groups;
  std::string effect_name;  // "qaly" or "ly"
  std::string currency;
};

// Parses a WTP list: comma-separated numbers or ranges LOW:HIGH:STEP (inclusive), e.g.
// "0:200000:10000,250000". InputError naming `option` on anything else, a negative value or an empty list.
// Sorted, duplicates removed.
std::vector<double> parse_wtp_list(const std::string& text, const std::string& option);
// Parses "NAME=p1,p2" (a --group value). InputError naming the value when malformed.
GroupSpec parse_group(const std::string& text);

// Reads SWEEP_DIR/economics.csv and computes everything. InputError for a missing file, an unknown parameter
// in a group or a group EVPPI cannot take (the message names the group).
VoiAnalysis analyse_sweep(const VoiRequest& request);

// The output files of an analysis, relative names and contents: ceac.csv, ceaf.csv, evpi.csv, evppi.csv, and
// the PSA sample for R: psa_cost.csv, psa_effectiveness.csv, psa_parameters.csv, load_psa.R.
std::vector<std::pair<std::string, std::string>> voi_output_files(const VoiAnalysis& analysis);

// Checks, before any work, that every output file can be written in `out_dir` (io::check_output_dir and
// io::check_output_path: no device, FIFO, symlink or input in their place); InputError otherwise.
void check_voi_outputs(const std::filesystem::path& out_dir, const std::filesystem::path& sweep_dir);
// Writes voi_output_files() into `out_dir`, each file atomically (io/atomic_output.hpp).
void write_voi_outputs(const VoiAnalysis& analysis, const std::filesystem::path& out_dir,
                       const std::filesystem::path& sweep_dir);

// The summary printed to stdout in one format.
std::string format_voi(const VoiAnalysis& analysis, VoiFormat format);

}  // namespace mmsim::stats::voi
