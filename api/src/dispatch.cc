// Dispatch rules shared by every queue-based connection.
#include "api/src/connection.h"

namespace quorumsim::api {

cs_error_t DispatchFromQueue(NotificationQueue& queue, cs_dispatch_flags_t type,
                             const Connection::Deliver& deliver) {
  // ONE and BLOCKING wait for notifications; ALL and ONE_NONBLOCKING only take what is
  // already there.
  const bool wait = type == CS_DISPATCH_ONE || type == CS_DISPATCH_BLOCKING;
  const bool just_one = type == CS_DISPATCH_ONE || type == CS_DISPATCH_ONE_NONBLOCKING;
  Notification n;
  for (;;) {
    switch (queue.Take(wait, &n)) {
      case NotificationQueue::Pop::kEmpty:
        // Only reachable without waiting: ALL is done, ONE_NONBLOCKING had nothing.
        return type == CS_DISPATCH_ONE_NONBLOCKING ? CS_ERR_TRY_AGAIN : CS_OK;
      case NotificationQueue::Pop::kClosed:
        // Finalized from another thread: the handle is gone. Daemon gone: the receive
        // fails as "not connected", which corosync reports as CS_ERR_LIBRARY.
        return queue.state() == NotificationQueue::State::kFinalized ? CS_ERR_BAD_HANDLE
                                                                      : CS_ERR_LIBRARY;
      case NotificationQueue::Pop::kGot:
        if (!deliver(n)) return CS_ERR_BAD_HANDLE;
        if (just_one) return CS_OK;
        break;
    }
  }
}

}  // namespace quorumsim::api
