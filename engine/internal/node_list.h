// The node records a votequorum instance knows, in the order corosync keeps them.
//
// corosync's node_add_ordered means to keep the list sorted by id but, when no record
// has a larger id, it inserts the new record *before the last one* instead of appending
// it. That order is visible in quorum callbacks, so it is reproduced unless the caller
// asks for the sorted order (Quirks::unsorted_node_list = false).
#ifndef QUORUMSIM_ENGINE_INTERNAL_NODE_LIST_H_
#define QUORUMSIM_ENGINE_INTERNAL_NODE_LIST_H_

#include <cstddef>
#include <span>
#include <vector>

#include "engine/types.h"

namespace quorumsim::internal {

class NodeList {
 public:
  // The list is created with the local node as its only record.
  NodeList(NodeId local_id, bool corosync_order);

  size_t size() const { return records_.size(); }
  std::span<const NodeRecord> records() const { return records_; }
  std::span<NodeRecord> mutable_records() { return records_; }

  NodeRecord& us() { return records_[us_index_]; }
  const NodeRecord& us() const { return records_[us_index_]; }

  // nullptr when unknown. Pointers stay valid until the next Add.
  NodeRecord* Find(NodeId id);
  const NodeRecord* Find(NodeId id) const;

  // Creates a record (state DEAD, zero votes/expected/flags) at corosync's position.
  // When the list is full corosync recycles the first DEAD record; returns nullptr if
  // there is none either.
  NodeRecord* Add(NodeId id);

  static constexpr size_t kCapacity = kMaxNodes + 1;  // corosync's node slots minus qdevice

 private:
  size_t InsertPosition(NodeId id) const;

  std::vector<NodeRecord> records_;
  size_t us_index_ = 0;
  bool corosync_order_;
};

}  // namespace quorumsim::internal

#endif  // QUORUMSIM_ENGINE_INTERNAL_NODE_LIST_H_
