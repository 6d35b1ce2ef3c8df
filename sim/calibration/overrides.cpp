#include "sim/calibration/overrides.hpp"

#include <fmt/format.h>

#include <vector>

#include "sim/core/errors.hpp"

namespace mmsim::calibration {
namespace {

std::vector<std::string> split(const std::string& path) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = path.find('.', start);
    out.push_back(path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (out.back().empty()) throw InputError(fmt::format("parameter path \"{}\": empty key", path));
    if (dot == std::string::npos) return out;
    start = dot + 1;
  }
}

// The table holding the last key of `path`, and that key.
toml::table& parent(toml::table& root, const std::string& path, std::string& last) {
  const auto keys = split(path);
  toml::table* t = &root;
  std::string where;
  for (std::size_t i = 0; i + 1 < keys.size(); ++i) {
    toml::node* n = t->get(keys[i]);
    where += (i ? "." : "") + keys[i];
    if (n == nullptr || !n->is_table())
      throw InputError(
          fmt::format("parameter path \"{}\": no table \"{}\" in the resolved config", path, where));
    t = n->as_table();
  }
  last = keys.back();
  const toml::node* leaf = t->get(last);
  if (leaf == nullptr || !(leaf->is_floating_point() || leaf->is_integer()))
    throw InputError(fmt::format("parameter path \"{}\": not a number in the resolved config", path));
  return *t;
}

}  // namespace

double get_number(const toml::table& root, const std::string& path) {
  std::string last;
  const toml::table& t = parent(const_cast<toml::table&>(root), path, last);
  return t.get(last)->value<double>().value();
}

void set_number(toml::table& root, const std::string& path, double value) {
  std::string last;
  toml::table& t = parent(root, path, last);
  t.insert_or_assign(last, value);
}

}  // namespace mmsim::calibration
