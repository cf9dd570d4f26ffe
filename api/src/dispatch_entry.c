/* votequorum_dispatch's entry point is written in C on purpose: a caller may pass any
 * integer as the dispatch type, and in C++ merely reading a cs_dispatch_flags_t that holds
 * a value outside the enumeration is undefined behaviour (UBSan reports it). In C the enum
 * is an ordinary integer type, so the range check below is well defined; only valid types
 * reach the C++ implementation. */
#include "api/src/dispatch_entry.h"

cs_error_t votequorum_dispatch(votequorum_handle_t handle, cs_dispatch_flags_t dispatch_types) {
  const unsigned int type = (unsigned int)dispatch_types;
  if (type < (unsigned int)CS_DISPATCH_ONE || type > (unsigned int)CS_DISPATCH_ONE_NONBLOCKING) {
    return CS_ERR_INVALID_PARAM; /* checked before the handle, as corosync does */
  }
  return quorumsim_internal_dispatch(handle, (int)type);
}
