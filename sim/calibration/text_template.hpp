#pragma once
// "{name}" placeholders in the short texts a calibration or trial config supplies (target labels, report
// prose), so that the words live in the config and only the figures come from the code.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mmsim::calibration {

using TemplateValues = std::vector<std::pair<std::string_view, std::string>>;

// `text` with every "{name}" of `values` replaced by its value; other text, braces included, kept as is.
std::string fill_template(std::string_view text, const TemplateValues& values);

// The first "{name}" placeholder of `text` (a name of letters, digits and '_') that is not in `names`;
// empty when there is none. Lets a reader refuse a misspelled placeholder with its location.
std::string unknown_placeholder(std::string_view text, const std::vector<std::string_view>& names);

}  // namespace mmsim::calibration
