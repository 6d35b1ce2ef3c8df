#include "sim/io/h5_handle.hpp"

#include <string>
#include <vector>

namespace mmsim::io::h5 {
namespace {

// HDF5's file drivers put the system's whole report in one entry ("file write failed: time = ..., filename =
// ..., errno = 28, error message = 'No space left on device', buf = ..."): keep its first clause and the
// system's message, which is what a user can act on.
std::string condensed(std::string message) {
  const std::string key = "error message = '";
  const auto at = message.find(key);
  if (at == std::string::npos) return message;
  const auto end = message.find('\'', at + key.size());
  const std::string system =
      message.substr(at + key.size(), end == std::string::npos ? std::string::npos : end - at - key.size());
  const auto colon = message.find(':');
  return (colon == std::string::npos ? std::string() : message.substr(0, colon) + ": ") + system;
}

herr_t collect_entry(unsigned /*depth*/, const H5E_error2_t* entry, void* client_data) {
  auto* messages = static_cast<std::vector<std::string>*>(client_data);
  std::string message = condensed(entry->desc != nullptr ? entry->desc : "");
  if (entry->func_name != nullptr) message += std::string(" (in ") + entry->func_name + ")";
  messages->push_back(std::move(message));
  return 0;
}

}  // namespace

H5Error make_error(const std::string& what) {
  std::vector<std::string> messages;
  (void)H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, collect_entry, &messages);
  (void)H5Eclear2(H5E_DEFAULT);
  // The outermost entry names the API call; the innermost one usually says what actually went wrong.
  std::string text = what;
  if (!messages.empty()) {
    text += ": HDF5: " + messages.front();
    if (messages.size() > 1) text += "; cause: " + messages.back();
  }
  return H5Error(text);
}

void skip_exit_cleanup() {
  (void)H5dont_atexit();
}

ErrorPrintingOff::ErrorPrintingOff() {
  if (H5Eget_auto2(H5E_DEFAULT, &saved_func_, &saved_data_) >= 0) {
    restore_ = saved_func_ != nullptr;
  }
  if (restore_) (void)H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

ErrorPrintingOff::~ErrorPrintingOff() {
  if (restore_) (void)H5Eset_auto2(H5E_DEFAULT, saved_func_, saved_data_);
}

}  // namespace mmsim::io::h5
