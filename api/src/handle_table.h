// The process-wide table of votequorum handles.
//
// Handles are opaque numbers, never reused, so a finalized or made-up handle is simply
// absent and every call with it returns CS_ERR_BAD_HANDLE. Lookups hand out shared
// ownership: a call in progress (a dispatch running a callback that finalizes the
// handle, a thread racing a finalize) keeps the instance alive until it returns.
#ifndef QUORUMSIM_API_SRC_HANDLE_TABLE_H_
#define QUORUMSIM_API_SRC_HANDLE_TABLE_H_

#include <atomic>
#include <cstdint>
#include <memory>

#include <corosync/votequorum.h>

#include "api/src/connection.h"
#include "api/src/handle_registry.h"

namespace quorumsim::api {

struct Instance {
  votequorum_handle_t handle = 0;
  votequorum_callbacks_t callbacks{};
  std::atomic<void*> context{nullptr};
  std::atomic<bool> finalized{false};
  std::unique_ptr<Connection> connection;
};

// Tagged "qsmv" in the high half, as votequorum handles always were.
using HandleTable = HandleRegistry<Instance, (uint64_t{0x71736d76} << 32 | 1)>;

}  // namespace quorumsim::api

#endif  // QUORUMSIM_API_SRC_HANDLE_TABLE_H_
