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
#include <mutex>
#include <unordered_map>

#include <corosync/votequorum.h>

#include "api/src/connection.h"

namespace quorumsim::api {

struct Instance {
  votequorum_handle_t handle = 0;
  votequorum_callbacks_t callbacks{};
  std::atomic<void*> context{nullptr};
  std::atomic<bool> finalized{false};
  std::unique_ptr<Connection> connection;
};

class HandleTable {
 public:
  // The one table of the process (deliberately never destroyed, so handles stay valid
  // while other static objects are torn down at exit).
  static HandleTable& Get();

  votequorum_handle_t Insert(std::shared_ptr<Instance> instance);
  std::shared_ptr<Instance> Find(votequorum_handle_t handle) const;
  // Takes the instance out of the table; null if it was not there (second finalize).
  std::shared_ptr<Instance> Remove(votequorum_handle_t handle);

 private:
  mutable std::mutex mu_;
  std::unordered_map<votequorum_handle_t, std::shared_ptr<Instance>> instances_;
  uint64_t next_ = 1;
};

}  // namespace quorumsim::api

#endif  // QUORUMSIM_API_SRC_HANDLE_TABLE_H_
