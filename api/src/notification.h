// One connection's pending notifications, and the descriptor that announces them.
//
// corosync's library reads notifications from an IPC ring whose descriptor polls
// readable while something is queued. NotificationQueue gives the same contract with an
// eventfd: the counter is non-zero exactly while the queue is non-empty, so poll() and
// epoll report the descriptor readable exactly when dispatch has work.
#ifndef QUORUMSIM_API_SRC_NOTIFICATION_H_
#define QUORUMSIM_API_SRC_NOTIFICATION_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

#include <corosync/votequorum.h>

namespace quorumsim::api {

// An event of one of the other corosync libraries (service_events.h defines them); the
// queue only needs its size.
struct ServiceEvent {
  virtual ~ServiceEvent() = default;
  virtual size_t Bytes() const = 0;
};

// A notification as the daemon sends it to one connection.
struct Notification {
  // What it costs in memory while queued (for NotificationQueue's bound).
  size_t Bytes() const {
    return sizeof(Notification) + members.size() * sizeof(uint32_t) +
           nodes.size() * sizeof(votequorum_node_t) + (service ? service->Bytes() : 0);
  }

  enum class Kind { kNodelist, kQuorum, kExpectedVotes, kService };
  Kind kind = Kind::kQuorum;
  uint64_t context = 0;
  votequorum_ring_id_t ring_id{};           // kNodelist
  std::vector<uint32_t> members;            // kNodelist
  uint32_t quorate = 0;                     // kQuorum
  std::vector<votequorum_node_t> nodes;     // kQuorum
  uint32_t expected_votes = 0;              // kExpectedVotes
  std::shared_ptr<const ServiceEvent> service;  // kService: libquorum, libcmap, libcfg
};

class NotificationQueue {
 public:
  // Why the queue stopped accepting notifications.
  enum class State { kOpen, kFinalized, kDisconnected };

  NotificationQueue();
  ~NotificationQueue();
  NotificationQueue(const NotificationQueue&) = delete;
  NotificationQueue& operator=(const NotificationQueue&) = delete;

  // The eventfd, or -1 if the kernel refused one (then FdGet reports CS_ERR_LIBRARY).
  int fd() const { return fd_; }

  // The most a connection may have queued (estimated bytes of its notifications). A
  // client that never dispatches makes corosync queue events without limit until an
  // allocation fails, and then corosync disconnects it (exec/ipc_glue.c,
  // msg_send_or_queue); quorumsim disconnects it at this bound instead.
  static constexpr size_t kMaxQueuedBytes = size_t{16} << 20;
  // Lowers the bound for queues created afterwards (tests reach it in a few thousand calls).
  static void SetMaxQueuedBytesForTesting(size_t bytes);

  // Ignored once the queue is closed: a closed connection receives nothing. Returns false
  // when the notification would exceed the bound: the queue is then closed as
  // kDisconnected (what was queued stays readable, as in a dropped IPC connection).
  bool Push(Notification n);

  enum class Pop { kGot, kEmpty, kClosed };
  // Takes the oldest notification. With wait, blocks until there is one or the queue is
  // closed. Notifications queued before Close are still handed out (kClosed comes after).
  Pop Take(bool wait, Notification* out);

  // Ends the connection and wakes every waiting Take.
  void Close(State why);
  State state() const;

 private:
  void SetReadableLocked(bool readable);

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Notification> pending_;
  size_t pending_bytes_ = 0;
  size_t max_bytes_;
  State state_ = State::kOpen;
  int fd_ = -1;
  bool readable_ = false;
};

}  // namespace quorumsim::api

#endif  // QUORUMSIM_API_SRC_NOTIFICATION_H_
