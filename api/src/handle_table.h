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
#include <vector>

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
  // Open addressing with linear probing in a power-of-two array, at most half full.
  // Handles are consecutive numbers under a fixed tag, so their low bits spread evenly: a
  // lookup is a mask and usually one probe. (std::unordered_map divides by a prime and
  // follows a node pointer on every lookup, which dispatch does once per call.)
  struct Slot {
    votequorum_handle_t handle = 0;  // 0: free (no handle is 0)
    std::shared_ptr<Instance> instance;
  };
  size_t SlotOf(votequorum_handle_t handle) const;  // its slot, or the free slot ending its probe
  void Grow();

  mutable std::mutex mu_;
  std::vector<Slot> slots_ = std::vector<Slot>(16);
  size_t used_ = 0;
  uint64_t next_ = 1;
};

}  // namespace quorumsim::api

#endif  // QUORUMSIM_API_SRC_HANDLE_TABLE_H_
