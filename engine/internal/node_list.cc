#include "engine/internal/node_list.h"

namespace quorumsim::internal {

NodeList::NodeList(NodeId local_id, bool corosync_order) : corosync_order_(corosync_order) {
  records_.reserve(kCapacity);
  records_.push_back(NodeRecord{local_id, NodeState::kDead, 0, 0, 0});
}

NodeRecord* NodeList::Find(NodeId id) {
  for (auto& r : records_) {
    if (r.node_id == id) return &r;
  }
  return nullptr;
}

const NodeRecord* NodeList::Find(NodeId id) const {
  for (const auto& r : records_) {
    if (r.node_id == id) return &r;
  }
  return nullptr;
}

size_t NodeList::InsertPosition(NodeId id) const {
  // corosync compares the ids as signed ints; keep that so large ids order the same way.
  const auto less = [this](NodeId a, NodeId b) {
    return corosync_order_ ? static_cast<int32_t>(a) < static_cast<int32_t>(b) : a < b;
  };
  for (size_t i = 0; i < records_.size(); ++i) {
    if (less(id, records_[i].node_id)) return i;
  }
  if (records_.empty()) return 0;
  // No larger id: corosync inserts before the last record, a sorted list appends.
  return corosync_order_ ? records_.size() - 1 : records_.size();
}

NodeRecord* NodeList::Add(NodeId id) {
  if (records_.size() >= kCapacity) {
    size_t dead = records_.size();
    for (size_t i = 0; i < records_.size(); ++i) {
      if (records_[i].state == NodeState::kDead && i != us_index_) {
        dead = i;
        break;
      }
    }
    if (dead == records_.size()) return nullptr;
    records_.erase(records_.begin() + static_cast<std::ptrdiff_t>(dead));
    if (dead < us_index_) --us_index_;
  }
  const size_t pos = InsertPosition(id);
  records_.insert(records_.begin() + static_cast<std::ptrdiff_t>(pos),
                  NodeRecord{id, NodeState::kDead, 0, 0, 0});
  if (pos <= us_index_) ++us_index_;
  return &records_[pos];
}

}  // namespace quorumsim::internal
