// What dispatch runs for each notification.
//
// DeliverRef refers to any callable bool(const Notification&) (each library's own
// delivery). It is a plain reference rather than a std::function: making one costs two
// stores, and running it is a single indirect call. CallbackRunner is votequorum's
// delivery: a switch and the user's function pointer.
#ifndef QUORUMSIM_API_SRC_DELIVER_H_
#define QUORUMSIM_API_SRC_DELIVER_H_

#include <atomic>
#include <type_traits>

#include <corosync/votequorum.h>

#include "api/src/notification_batch.h"

namespace quorumsim::api {

class DeliverRef {
 public:
  // Refers to `f`, which must outlive the reference (a dispatch call's argument does).
  template <typename F>
    requires(!std::is_same_v<std::remove_cvref_t<F>, DeliverRef> &&
             std::is_invocable_r_v<bool, const F&, const Notification&>)
  DeliverRef(const F& f)  // NOLINT(google-explicit-constructor): passed as a lambda
      : object_(&f), call_([](const void* o, const Notification& n) -> bool {
          return (*static_cast<const F*>(o))(n);
        }) {}

  // Runs the callback for `n`; false when the handle was finalized meanwhile (dispatch
  // then stops with CS_ERR_BAD_HANDLE, as corosync's does).
  bool operator()(const Notification& n) const { return call_(object_, n); }

 private:
  const void* object_;
  bool (*call_)(const void*, const Notification&);
};

class CallbackRunner {
 public:
  // Everything is borrowed: the dispatch holds the handle's instance while it runs.
  CallbackRunner(votequorum_handle_t handle, const votequorum_callbacks_t& callbacks,
                 const std::atomic<bool>& finalized)
      : handle_(handle), callbacks_(callbacks), finalized_(finalized) {}

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
      case Notification::Kind::kService:  // never queued on a votequorum connection
        break;
    }
    return !finalized_.load(std::memory_order_acquire);
  }

 private:
  votequorum_handle_t handle_;
  const votequorum_callbacks_t& callbacks_;
  const std::atomic<bool>& finalized_;
};

}  // namespace quorumsim::api

#endif  // QUORUMSIM_API_SRC_DELIVER_H_
