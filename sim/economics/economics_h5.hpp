#pragma once
// Stores a run's economics Moments in its run file and reads them back (`mmsim report`, summary-only runs
// included):
//   /economics/means       one row per (strategy, value): strategy, value, n, mean
//   /economics/comoments   one row per (i, j) of the co-moment matrix: i, j, comoment (sum of products of
//                          deviations from the means)
#include <optional>
#include <string>
#include <vector>

#include "sim/economics/moments.hpp"
#include "sim/io/run_file.hpp"

namespace mmsim::economics {

void write_moments(io::RunFileWriter& writer, const Moments& moments,
                   const std::vector<std::string>& strategies);
// nullopt when the file has no /economics (a run without [economics]).
std::optional<Moments> read_moments(const io::RunFileReader& file);

}  // namespace mmsim::economics
