// Notifications as callbacks receive them, and the storage that holds them while queued.
//
// A batch keeps its notifications in one array of fixed-size headers plus one array per
// payload type (nodelist members, quorum nodes), so queuing a notification allocates
// nothing once the arrays have grown, and a whole queue changes hands (queue → dispatch)
// by swapping the arrays. Memory is reused, never given back per notification.
#ifndef QUORUMSIM_API_SRC_NOTIFICATION_BATCH_H_
#define QUORUMSIM_API_SRC_NOTIFICATION_BATCH_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include <corosync/votequorum.h>

namespace quorumsim::api {

// An event of one of the other corosync libraries (service_events.h defines them); the
// queue only needs its size.
struct ServiceEvent {
  virtual ~ServiceEvent() = default;
  virtual size_t Bytes() const = 0;
};

// One notification as the daemon sends it to one connection. The arrays belong to whoever
// made the view (a batch taken by dispatch, or the real library's message) and stay valid
// while the callback runs. They are not const because the C callback types are not: a
// callback may write to the list it is given, which only changes this copy.
struct Notification {
  enum class Kind : uint8_t { kNodelist, kQuorum, kExpectedVotes, kService };
  Kind kind = Kind::kQuorum;
  uint64_t context = 0;
  votequorum_ring_id_t ring_id{};      // kNodelist
  uint32_t quorate = 0;                // kQuorum
  uint32_t expected_votes = 0;         // kExpectedVotes
  uint32_t count = 0;                  // entries in members (kNodelist) or nodes (kQuorum)
  uint32_t* members = nullptr;         // kNodelist
  votequorum_node_t* nodes = nullptr;  // kQuorum
  const ServiceEvent* service = nullptr;  // kService: libquorum, libcmap, libcfg
};

class NotificationBatch {
 public:
  // What a notification with `payload_bytes` of members or nodes costs while queued
  // (NotificationQueue's bound counts these).
  static size_t Bytes(size_t payload_bytes) { return sizeof(Entry) + payload_bytes; }

  bool empty() const { return next_ == entries_.size(); }
  size_t size() const { return entries_.size() - next_; }

  void AddNodelist(uint64_t context, const votequorum_ring_id_t& ring,
                   std::span<const uint32_t> members);
  // Returns where the caller writes the `count` nodes (valid until the next Add).
  votequorum_node_t* AddQuorum(uint64_t context, uint32_t quorate, size_t count);
  void AddExpectedVotes(uint64_t context, uint32_t expected_votes);
  void AddService(std::shared_ptr<const ServiceEvent> event);

  // The oldest notification. PopFront drops it from the batch but leaves every payload in
  // place, so views taken before stay valid until Clear, an Add or a Swap (dispatch pops a
  // notification, then runs its callback with the view).
  Notification Front();
  size_t FrontBytes() const;
  void PopFront() { ++next_; }
  // Appends a copy of the oldest notification to `out` and pops it here, reclaiming the
  // space of popped notifications when worthwhile: for the queue's own batch, whose views
  // nobody holds.
  void MoveFrontTo(NotificationBatch* out);

  // Empties the batch and keeps its memory.
  void Clear() {
    entries_.clear();
    members_.clear();
    nodes_.clear();
    services_.clear();
    next_ = 0;
    owes_last_notice_ = false;
  }
  // Lets go of the other libraries' events it holds (they should not outlive their
  // dispatch); the rest stays until the next Clear.
  void ReleaseServices() {
    if (!services_.empty()) services_.clear();
  }
  void Swap(NotificationBatch& other) {
    entries_.swap(other.entries_);
    members_.swap(other.members_);
    nodes_.swap(other.nodes_);
    services_.swap(other.services_);
    std::swap(next_, other.next_);
    std::swap(owes_last_notice_, other.owes_last_notice_);
  }
  size_t CapacityBytes() const {
    return entries_.capacity() * sizeof(Entry) + members_.capacity() * sizeof(uint32_t) +
           nodes_.capacity() * sizeof(votequorum_node_t) +
           services_.capacity() * sizeof(std::shared_ptr<const ServiceEvent>);
  }

  // Set by NotificationQueue on a batch of several notifications it handed out while the
  // descriptor may be polled: dispatch tells the queue when the last one starts
  // (NotificationQueue::LastOfBatchStarting), so the descriptor goes quiet then, as it
  // would have if each notification had been taken on its own.
  bool owes_last_notice() const { return owes_last_notice_; }
  void set_owes_last_notice(bool owes) { owes_last_notice_ = owes; }

 private:
  struct Entry {
    uint64_t context;
    votequorum_ring_id_t ring_id;
    uint32_t value;   // quorate or expected votes
    uint32_t count;   // payload entries
    uint32_t offset;  // first payload entry in members_, nodes_ or services_
    Notification::Kind kind;
  };
  // Drops the popped prefix once it is most of the batch (a queue popped one at a time
  // while new notifications keep arriving would otherwise never shrink).
  void CompactIfWorthIt();

  std::vector<Entry> entries_;
  std::vector<uint32_t> members_;
  std::vector<votequorum_node_t> nodes_;
  std::vector<std::shared_ptr<const ServiceEvent>> services_;
  size_t next_ = 0;  // entries before this one are popped
  bool owes_last_notice_ = false;
};

// Inline: dispatch calls it once per callback.
inline Notification NotificationBatch::Front() {
  const Entry& e = entries_[next_];
  Notification n;
  n.kind = e.kind;
  n.context = e.context;
  n.count = e.count;
  switch (e.kind) {
    case Notification::Kind::kNodelist:
      n.ring_id = e.ring_id;
      n.members = members_.data() + e.offset;
      break;
    case Notification::Kind::kQuorum:
      n.quorate = e.value;
      n.nodes = nodes_.data() + e.offset;
      break;
    case Notification::Kind::kExpectedVotes:
      n.expected_votes = e.value;
      break;
    case Notification::Kind::kService:
      n.service = services_[e.offset].get();
      break;
  }
  return n;
}

}  // namespace quorumsim::api

#endif  // QUORUMSIM_API_SRC_NOTIFICATION_BATCH_H_
