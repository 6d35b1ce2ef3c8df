#pragma once
// Reading distributions from config tables such as
//     distribution = { dist = "weibull", shape = 1.2, scale = 12.0, source = "Smith 2019, table 2" }
// Time-to-event laws (dist = ...):
//     exponential {rate}          weibull {shape, scale}        gompertz {shape, rate}
//     lognormal {meanlog, sdlog}  loglogistic {shape, scale}    gamma {shape, rate}
//     piecewise_exponential {breaks, rates}
// Attribute laws:
//     bernoulli {p}   categorical {probs, values?}   normal {mean, sd}   truncated_normal {mean, sd, lower?,
//     upper?} uniform {lower, upper}   lognormal {meanlog, sdlog}   fixed {value}
// Every table may carry `source`, a free-text provenance string.
//
// Rates, scales, shapes and sds must be finite and > 0 (a Gompertz shape may be any finite number; negative
// means a cured fraction); piecewise breaks start at 0 and strictly increase, one rate per break; categorical
// probabilities sum to 1 within 1e-9 and values, when given, strictly increase. Every problem is recorded in
// the reader's Diagnostics with its file, line and key path, and the table's unknown keys are reported
// (finish()). The result is nullptr when anything was wrong with this table.
#include <string>
#include <vector>

#include "sim/config/table_reader.hpp"
#include "sim/dist/time_distribution.hpp"
#include "sim/dist/value_distribution.hpp"

namespace mmsim {

// The names accepted for `dist`, in documentation order.
const std::vector<std::string>& time_distribution_names();
const std::vector<std::string>& value_distribution_names();

// `source`, when given, receives the table's provenance string ("" when absent).
TimeDistributionPtr parse_time_distribution(config::TableReader& r, std::string* source = nullptr);
ValueDistributionPtr parse_value_distribution(config::TableReader& r, std::string* source = nullptr);

}  // namespace mmsim
