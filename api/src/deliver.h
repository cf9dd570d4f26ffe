// Runs a handle's callbacks for notifications, as corosync's votequorum_dispatch does.
//
// A plain class rather than a std::function: dispatch calls it once per notification, and
// this way that costs a switch and the user's function pointer, nothing more.
#ifndef QUORUMSIM_API_SRC_DELIVER_H_
#define QUORUMSIM_API_SRC_DELIVER_H_

#include <atomic>

#include <corosync/votequorum.h>

#include "api/src/notification_batch.h"

namespace quorumsim::api {

class CallbackRunner {
 public:
  // Everything is borrowed: the dispatch holds the handle's instance while it runs.
  CallbackRunner(votequorum_handle_t handle, const votequorum_callbacks_t& callbacks,
                 const std::atomic<bool>& finalized)
      : handle_(handle), callbacks_(callbacks), finalized_(finalized) {}

  // Whether votequorum_finalize was called on the handle (by a callback or another thread).
  bool finalized() const { return finalized_.load(std::memory_order_acquire); }

  // Runs the callback for `n`; a missing callback drops the notification, as corosync's
  // dispatch does. Returns false when the handle was finalized meanwhile: dispatch then
  // stops with CS_ERR_BAD_HANDLE, as corosync's does.
  bool operator()(const Notification& n) const {
    switch (n.kind) {
      case Notification::Kind::kNodelist:
        if (auto fn = callbacks_.votequorum_nodelist_notify_fn) {
          fn(handle_, n.context, n.ring_id, n.count, n.members);
        }
        break;
      case Notification::Kind::kQuorum:
        if (auto fn = callbacks_.votequorum_quorum_notify_fn) {
          fn(handle_, n.context, n.quorate, n.count, n.nodes);
        }
        break;
      case Notification::Kind::kExpectedVotes:
        if (auto fn = callbacks_.votequorum_expectedvotes_notify_fn) {
          fn(handle_, n.context, n.expected_votes);
        }
        break;
    }
    return !finalized();
  }

 private:
  votequorum_handle_t handle_;
  const votequorum_callbacks_t& callbacks_;
  const std::atomic<bool>& finalized_;
};

}  // namespace quorumsim::api

#endif  // QUORUMSIM_API_SRC_DELIVER_H_
