// The node records a votequorum instance knows, in the order corosync keeps them.
//
// corosync's node_add_ordered means to keep the list sorted by id but, when no record
// has a larger id, it inserts the new record *before the last one* instead of appending
// it. That order is visible in quorum callbacks, so it is reproduced unless the caller
// asks for the sorted order (Quirks::unsorted_node_list = false).
//
// Cost: the engine looks records up and re-runs the quorum arithmetic for nearly every
// message, so a membership change of n nodes would be cubic with linear scans. The list
// therefore keeps an id -> position index and running aggregates over the MEMBER records
// (count, vote sum, highest expected votes, lowest/highest id). For the aggregates to
// stay right, a record's state, votes and expected_votes must only change through the
// Set* methods below; flags may be written directly. Debug builds re-check every
// aggregate against a full scan when it is read.
#ifndef QUORUMSIM_ENGINE_INTERNAL_NODE_LIST_H_
#define QUORUMSIM_ENGINE_INTERNAL_NODE_LIST_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "engine/internal/id_index.h"
#include "engine/types.h"

namespace quorumsim::internal {

class NodeList {
 public:
  // The list is created with the local node as its only record.
  NodeList(NodeId local_id, bool corosync_order);

  size_t size() const { return records_.size(); }
  std::span<const NodeRecord> records() const { return records_; }

  NodeRecord& us() { return records_[us_index_]; }
  const NodeRecord& us() const { return records_[us_index_]; }

  // nullptr when unknown. Pointers stay valid until the next Add.
  NodeRecord* Find(NodeId id) {
    const uint32_t i = index_.Find(id);
    return i == IdIndex::kNone ? nullptr : &records_[i];
  }
  const NodeRecord* Find(NodeId id) const {
    const uint32_t i = index_.Find(id);
    return i == IdIndex::kNone ? nullptr : &records_[i];
  }

  // Creates a record (state DEAD, zero votes/expected/flags) at corosync's position.
  // When the list is full corosync recycles the first DEAD record; returns nullptr if
  // there is none either.
  NodeRecord* Add(NodeId id);

  // --- the only ways to change what the aggregates depend on (r must be in the list) ---
  void SetState(NodeRecord& r, NodeState state);
  void SetVotes(NodeRecord& r, uint32_t votes);
  void SetExpected(NodeRecord& r, uint32_t expected);
  void SetMembersExpected(uint32_t expected);  // every MEMBER record

  // --- aggregates over the MEMBER records ---
  uint32_t member_count() const;
  uint32_t member_votes() const;         // unsigned 32-bit sum, wrapping as corosync's
  uint32_t member_max_expected() const;  // 0 when there is no member
  // Lowest and highest member id, compared as signed ints (as corosync does);
  // INT32_MAX / INT32_MIN when there is no member.
  int32_t member_low_id() const;
  int32_t member_high_id() const;

  static constexpr size_t kCapacity = kMaxNodes + 1;  // corosync's node slots minus qdevice

 private:
  size_t InsertPosition(NodeId id) const;
  bool Less(NodeId a, NodeId b) const;
  void Reindex(size_t from);  // positions of records_[from..] changed
  // Recomputed by a scan only after a removal invalidated them (rare: a member leaving).
  void RefreshMaxExpected() const;
  void RefreshIdRange() const;
  void CheckAggregates() const;  // debug builds: compare with a full scan

  std::vector<NodeRecord> records_;
  IdIndex index_{kCapacity};
  size_t us_index_ = 0;
  bool corosync_order_;

  uint32_t member_count_ = 0;
  uint32_t member_votes_ = 0;
  mutable uint32_t max_expected_ = 0;
  mutable bool max_expected_valid_ = true;
  mutable int32_t low_id_ = INT32_MAX;
  mutable int32_t high_id_ = INT32_MIN;
  mutable bool id_range_valid_ = true;
};

}  // namespace quorumsim::internal

#endif  // QUORUMSIM_ENGINE_INTERNAL_NODE_LIST_H_
