#pragma once
// RAII ownership of HDF5 identifiers, and conversion of HDF5 failures into exceptions.
//
// Every hid_t the io layer obtains goes straight into a Handle, so an exception thrown halfway through
// writing a file closes whatever was opened. Failures are reported as H5Error with a message saying what was
// being done to which file or object, followed by the innermost entries of HDF5's own error stack. HDF5's
// automatic printing of that stack to stderr is switched off for the duration of each io call
// (ErrorPrintingOff).
#include <hdf5.h>

#include <stdexcept>
#include <string>
#include <utility>

namespace mmsim::io::h5 {

class H5Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Builds an H5Error whose message is `what` plus a summary of the current thread's HDF5 error stack (which it
// then clears).
[[nodiscard]] H5Error make_error(const std::string& what);

// Throws make_error(what) when `status` is negative (HDF5's failure value for herr_t, hid_t, htri_t, ...).
template <class Status>
Status check(Status status, const std::string& what) {
  if (status < 0) throw make_error(what);
  return status;
}

// Switches HDF5's automatic error-stack printing off for the current thread while it lives, then restores
// whatever was installed before. HDF5's error settings are per thread in thread-safe builds.
class ErrorPrintingOff {
 public:
  ErrorPrintingOff();
  ~ErrorPrintingOff();
  ErrorPrintingOff(const ErrorPrintingOff&) = delete;
  ErrorPrintingOff& operator=(const ErrorPrintingOff&) = delete;

 private:
  H5E_auto2_t saved_func_ = nullptr;
  void* saved_data_ = nullptr;
  bool restore_ = false;
};

// Before any other HDF5 call: HDF5 skips its exit-time cleanup (why: process_guards.hpp).
void skip_exit_cleanup();

// Owns one identifier and closes it with Close. Failures while closing are ignored (destructors must not
// throw); code that needs to know whether closing worked, such as commit(), calls close() instead.
template <herr_t (*Close)(hid_t)>
class Handle {
 public:
  Handle() = default;
  explicit Handle(hid_t id) : id_(id) {}
  ~Handle() { reset(); }
  Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, H5I_INVALID_HID);
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }

  void reset() noexcept {
    if (id_ >= 0) (void)Close(id_);
    id_ = H5I_INVALID_HID;
  }
  // Closes now and reports failure; the handle is empty afterwards either way.
  void close(const std::string& what) {
    if (id_ < 0) return;
    const herr_t status = Close(std::exchange(id_, H5I_INVALID_HID));
    check(status, what);
  }

 private:
  hid_t id_ = H5I_INVALID_HID;
};

using File = Handle<H5Fclose>;
using Group = Handle<H5Gclose>;
using Dataset = Handle<H5Dclose>;
using Dataspace = Handle<H5Sclose>;
using Datatype = Handle<H5Tclose>;
using PropertyList = Handle<H5Pclose>;
using Attribute = Handle<H5Aclose>;
using Object = Handle<H5Oclose>;

// Takes ownership of `id` after checking it, so a failed call never produces a Handle holding an error value.
template <class H>
H make(hid_t id, const std::string& what) {
  return H(check(id, what));
}

}  // namespace mmsim::io::h5
