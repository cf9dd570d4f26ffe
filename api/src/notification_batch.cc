#include "api/src/notification_batch.h"

#include <algorithm>
#include <utility>

namespace quorumsim::api {

void NotificationBatch::AddNodelist(uint64_t context, const votequorum_ring_id_t& ring,
                                    std::span<const uint32_t> members) {
  entries_.push_back(Entry{context, ring, 0, static_cast<uint32_t>(members.size()),
                           static_cast<uint32_t>(members_.size()),
                           Notification::Kind::kNodelist});
  members_.insert(members_.end(), members.begin(), members.end());
}

votequorum_node_t* NotificationBatch::AddQuorum(uint64_t context, uint32_t quorate,
                                                size_t count) {
  const size_t offset = nodes_.size();
  entries_.push_back(Entry{context, {}, quorate, static_cast<uint32_t>(count),
                           static_cast<uint32_t>(offset), Notification::Kind::kQuorum});
  nodes_.resize(offset + count);
  return nodes_.data() + offset;
}

void NotificationBatch::AddExpectedVotes(uint64_t context, uint32_t expected_votes) {
  entries_.push_back(Entry{context, {}, expected_votes, 0, 0, Notification::Kind::kExpectedVotes});
}

void NotificationBatch::AddService(std::shared_ptr<const ServiceEvent> event) {
  entries_.push_back(Entry{0, {}, 0, 0, static_cast<uint32_t>(services_.size()),
                           Notification::Kind::kService});
  services_.push_back(std::move(event));
}

size_t NotificationBatch::FrontBytes() const {
  const Entry& e = entries_[next_];
  switch (e.kind) {
    case Notification::Kind::kNodelist:
      return Bytes(e.count * sizeof(uint32_t));
    case Notification::Kind::kQuorum:
      return Bytes(e.count * sizeof(votequorum_node_t));
    case Notification::Kind::kService:
      return Bytes(services_[e.offset]->Bytes());
    case Notification::Kind::kExpectedVotes:
      break;
  }
  return Bytes(0);
}

void NotificationBatch::MoveFrontTo(NotificationBatch* out) {
  const Notification n = Front();
  switch (n.kind) {
    case Notification::Kind::kNodelist:
      out->AddNodelist(n.context, n.ring_id, std::span<const uint32_t>(n.members, n.count));
      break;
    case Notification::Kind::kQuorum:
      std::copy(n.nodes, n.nodes + n.count, out->AddQuorum(n.context, n.quorate, n.count));
      break;
    case Notification::Kind::kExpectedVotes:
      out->AddExpectedVotes(n.context, n.expected_votes);
      break;
    case Notification::Kind::kService:
      out->AddService(std::move(services_[entries_[next_].offset]));
      break;
  }
  ++next_;
  CompactIfWorthIt();
}

void NotificationBatch::CompactIfWorthIt() {
  if (next_ == entries_.size()) {
    Clear();  // popped empty: start over at the front
    return;
  }
  if (next_ < 64 || 2 * next_ < entries_.size()) return;
  // Payloads are appended in order, so the first remaining entry of each kind marks where
  // that kind's live payload starts.
  size_t members_from = members_.size();
  size_t nodes_from = nodes_.size();
  size_t services_from = services_.size();
  for (size_t i = next_; i < entries_.size(); ++i) {
    const Entry& e = entries_[i];
    if (e.kind == Notification::Kind::kNodelist) members_from = std::min<size_t>(members_from, e.offset);
    if (e.kind == Notification::Kind::kQuorum) nodes_from = std::min<size_t>(nodes_from, e.offset);
    if (e.kind == Notification::Kind::kService) services_from = std::min<size_t>(services_from, e.offset);
  }
  entries_.erase(entries_.begin(), entries_.begin() + static_cast<std::ptrdiff_t>(next_));
  members_.erase(members_.begin(), members_.begin() + static_cast<std::ptrdiff_t>(members_from));
  nodes_.erase(nodes_.begin(), nodes_.begin() + static_cast<std::ptrdiff_t>(nodes_from));
  services_.erase(services_.begin(),
                  services_.begin() + static_cast<std::ptrdiff_t>(services_from));
  for (Entry& e : entries_) {
    if (e.kind == Notification::Kind::kNodelist) e.offset -= static_cast<uint32_t>(members_from);
    if (e.kind == Notification::Kind::kQuorum) e.offset -= static_cast<uint32_t>(nodes_from);
    if (e.kind == Notification::Kind::kService) e.offset -= static_cast<uint32_t>(services_from);
  }
  next_ = 0;
}

}  // namespace quorumsim::api
