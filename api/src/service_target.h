// Where a libquorum / libcmap / libcfg handle being initialised connects to: the node
// the current binding names (binding_stack.h), or the real daemon through corosync's own
// library.
#ifndef QUORUMSIM_API_SRC_SERVICE_TARGET_H_
#define QUORUMSIM_API_SRC_SERVICE_TARGET_H_

#include <cstdint>
#include <cstring>
#include <memory>
#include <type_traits>

#include <corosync/corotypes.h>

#include "api/src/real_library.h"
#include "api/src/sim_link.h"

namespace quorumsim::api {

struct ServiceTarget {
  std::unique_ptr<SimLink> sim;      // simulated node, connected
  const RealLibrary* real = nullptr;  // or corosync's library (not yet initialised)
};

// CS_OK with exactly one of the two set, or the error initialize returns: CS_ERR_LIBRARY
// without a binding or when the node is down, CS_ERR_TRY_AGAIN when it is paused.
// `real_file` is corosync's library (e.g. "libquorum.so.5"), `probe` one of its functions
// and `own` quorumsim's function of that name (so quorumsim never forwards to itself).
// The integer a C caller passed for an enum parameter. C allows any int there, but in C++
// reading an enum object whose value is outside the enum's range is undefined, so an
// argument is only ever looked at as its bytes until it is known to be valid.
template <typename E>
int64_t EnumValue(const E& e) {
  std::underlying_type_t<E> v;
  std::memcpy(&v, &e, sizeof v);
  return static_cast<int64_t>(v);
}

// The four dispatch types corosync's libraries accept (anything else: CS_ERR_INVALID_PARAM,
// before the handle is looked up).
inline bool DispatchTypeOk(const cs_dispatch_flags_t& type) {
  const int64_t t = EnumValue(type);
  return t == CS_DISPATCH_ONE || t == CS_DISPATCH_ALL || t == CS_DISPATCH_BLOCKING ||
         t == CS_DISPATCH_ONE_NONBLOCKING;
}

cs_error_t ConnectService(const char* real_file, const char* probe, const void* own,
                          ServiceTarget* out);

}  // namespace quorumsim::api

#endif  // QUORUMSIM_API_SRC_SERVICE_TARGET_H_
