// One connection's pending notifications, and the descriptor that announces them.
//
// corosync's library reads notifications from an IPC ring whose descriptor polls
// readable while something is queued. NotificationQueue gives the same contract with an
// eventfd: once the descriptor has been handed out (fd()), its counter is non-zero exactly
// while a notification waits for its callback (queued, or taken by a dispatch that has not
// started it yet) or the connection is lost, so poll() and epoll report it readable exactly
// when dispatch has work. Before anyone asked for the descriptor nobody can poll it, so the
// queue leaves it alone and saves the two system calls per notification.
//
// Dispatch takes the whole queue under one lock (TakeBatch) and runs the callbacks from its
// own batch without the lock, so the per-callback cost is a function call.
#ifndef QUORUMSIM_API_SRC_NOTIFICATION_H_
#define QUORUMSIM_API_SRC_NOTIFICATION_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>

#include <corosync/votequorum.h>

#include "api/src/notification_batch.h"

namespace quorumsim::api {

class NotificationQueue {
 public:
  // Why the queue stopped accepting notifications.
  enum class State { kOpen, kFinalized, kDisconnected };

  NotificationQueue();
  ~NotificationQueue();
  NotificationQueue(const NotificationQueue&) = delete;
  NotificationQueue& operator=(const NotificationQueue&) = delete;

  // False if the kernel refused an eventfd (then the connection fails to open).
  bool has_fd() const { return fd_ >= 0; }
  // The eventfd, or -1. From the first call on, the queue keeps it readable as the header
  // says (that costs a system call whenever readiness changes).
  int fd();

  // The most a connection may have queued (estimated bytes of its notifications). A
  // client that never dispatches makes corosync queue events without limit until an
  // allocation fails, and then corosync disconnects it (exec/ipc_glue.c,
  // msg_send_or_queue); quorumsim disconnects it at this bound instead.
  static constexpr size_t kMaxQueuedBytes = size_t{16} << 20;
  // Lowers the bound for queues created afterwards (tests reach it in a few thousand calls).
  static void SetMaxQueuedBytesForTesting(size_t bytes);

  // Queue one notification. Ignored once the queue is closed: a closed connection receives
  // nothing. Return false when the notification would exceed the bound: the queue is then
  // closed as kDisconnected (what was queued stays readable, as in a dropped IPC
  // connection); also false on a queue already disconnected.
  bool PushNodelist(uint64_t context, const votequorum_ring_id_t& ring,
                    std::span<const uint32_t> members);
  // `to_node(const Node&)` gives the votequorum_node_t of each of `nodes`.
  template <typename Node, typename ToNode>
  bool PushQuorum(uint64_t context, uint32_t quorate, std::span<const Node> nodes,
                  const ToNode& to_node);
  bool PushExpectedVotes(uint64_t context, uint32_t expected_votes);
  // An event of libquorum, libcmap or libcfg (their connections share this queue).
  bool PushService(std::shared_ptr<const ServiceEvent> event);

  enum class Take { kGot, kEmpty, kFinalized, kDisconnected };
  // Moves the waiting notifications into `out` (all of them, or with `one` only the
  // oldest); whatever `out` held is discarded and its memory reused by the queue. With
  // `wait`, blocks until there is one or the queue is closed. Notifications queued before
  // Close are still handed out; kFinalized or kDisconnected come after.
  Take TakeBatch(bool wait, bool one, NotificationBatch* out);
  // True when nothing waits and the queue is open, read without the lock: a dispatch that
  // sees it may return at once, as if it had taken the lock a moment earlier.
  bool Quiet() const { return quiet_.load(std::memory_order_acquire); }
  // Dispatch calls this just before it runs the last notification of a batch that
  // owes_last_notice(); see NotificationBatch.
  void LastOfBatchStarting(NotificationBatch* batch);

  // Ends the connection and wakes every waiting TakeBatch.
  void Close(State why);
  State state() const;
  // Close(kFinalized) has happened; read without the lock, before each callback.
  bool finalized() const { return finalized_.load(std::memory_order_acquire); }

 private:
  // Whether a notification of `bytes` may be queued; if not, *accepted is what the push
  // returns.
  bool AdmitLocked(size_t bytes, bool* accepted);
  // After a notification was added to pending_.
  void PushedLocked(size_t bytes);
  // Brings quiet_ and, once handed out, the descriptor in line with the queue.
  void SyncLocked();
  void SetReadableLocked(bool readable);

  mutable std::mutex mu_;
  std::condition_variable cv_;
  NotificationBatch pending_;
  size_t pending_bytes_ = 0;
  size_t max_bytes_;
  State state_ = State::kOpen;
  int waiters_ = 0;  // TakeBatch calls blocked on cv_ (pushes notify only when there are any)
  int fd_ = -1;
  bool readable_ = false;
  std::atomic<bool> quiet_{true};
  std::atomic<bool> finalized_{false};
  // Set once by fd(). Atomic (sequentially consistent), like batches_out_, because
  // LastOfBatchStarting reads both without the lock; see there.
  std::atomic<bool> fd_handed_out_{false};
  // Batches of several notifications handed out whose last one has not started.
  std::atomic<int> batches_out_{0};
};

template <typename Node, typename ToNode>
bool NotificationQueue::PushQuorum(uint64_t context, uint32_t quorate,
                                   std::span<const Node> nodes, const ToNode& to_node) {
  std::lock_guard<std::mutex> lock(mu_);
  const size_t bytes = NotificationBatch::Bytes(nodes.size() * sizeof(votequorum_node_t));
  bool accepted;
  if (!AdmitLocked(bytes, &accepted)) return accepted;
  votequorum_node_t* out = pending_.AddQuorum(context, quorate, nodes.size());
  for (const Node& node : nodes) *out++ = to_node(node);
  PushedLocked(bytes);
  return true;
}

}  // namespace quorumsim::api

#endif  // QUORUMSIM_API_SRC_NOTIFICATION_H_
