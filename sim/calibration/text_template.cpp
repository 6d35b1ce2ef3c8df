#include "sim/calibration/text_template.hpp"

#include <algorithm>
#include <cctype>

namespace mmsim::calibration {
namespace {

// Length of the placeholder "{name}" starting at text[i] (0 if there is none) and its name.
std::size_t placeholder_at(std::string_view text, std::size_t i, std::string_view& name) {
  if (text[i] != '{') return 0;
  std::size_t j = i + 1;
  while (j < text.size() && (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '_')) ++j;
  if (j == i + 1 || j >= text.size() || text[j] != '}') return 0;
  name = text.substr(i + 1, j - i - 1);
  return j - i + 1;
}

}  // namespace

std::string fill_template(std::string_view text, const TemplateValues& values) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    std::string_view name;
    const std::size_t len = placeholder_at(text, i, name);
    const auto it =
        std::find_if(values.begin(), values.end(), [&](const auto& v) { return v.first == name; });
    if (len > 0 && it != values.end()) {
      out += it->second;
      i += len;
    } else {
      out += text[i++];
    }
  }
  return out;
}

std::string unknown_placeholder(std::string_view text, const std::vector<std::string_view>& names) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    std::string_view name;
    if (placeholder_at(text, i, name) > 0 && std::find(names.begin(), names.end(), name) == names.end())
      return std::string(name);
  }
  return {};
}

}  // namespace mmsim::calibration
