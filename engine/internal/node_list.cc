#include "engine/internal/node_list.h"

#include <algorithm>
#include <cassert>

namespace quorumsim::internal {

namespace {
bool IsMember(const NodeRecord& r) { return r.state == NodeState::kMember; }
}  // namespace

NodeList::NodeList(NodeId local_id, bool corosync_order) : corosync_order_(corosync_order) {
  records_.reserve(kCapacity);
  records_.push_back(NodeRecord{local_id, NodeState::kDead, 0, 0, 0});
  index_.Set(local_id, 0);
}

bool NodeList::Less(NodeId a, NodeId b) const {
  // corosync compares the ids as signed ints; keep that so large ids order the same way.
  return corosync_order_ ? static_cast<int32_t>(a) < static_cast<int32_t>(b) : a < b;
}

size_t NodeList::InsertPosition(NodeId id) const {
  // The position is the first record with a larger id, else before the last record
  // (corosync) or at the end (sorted). Every insertion keeps all records but the last in
  // ascending order, so that prefix can be binary-searched; the last is checked apart.
  if (records_.empty()) return 0;
  const auto prefix_end = records_.end() - 1;
  const auto it = std::upper_bound(records_.begin(), prefix_end, id,
                                   [this](NodeId v, const NodeRecord& r) { return Less(v, r.node_id); });
  if (it != prefix_end) return static_cast<size_t>(it - records_.begin());
  if (Less(id, records_.back().node_id)) return records_.size() - 1;
  return corosync_order_ ? records_.size() - 1 : records_.size();
}

void NodeList::Reindex(size_t from) {
  for (size_t i = from; i < records_.size(); ++i) index_.Set(records_[i].node_id, static_cast<uint32_t>(i));
}

NodeRecord* NodeList::Add(NodeId id) {
  bool recycled = false;
  if (records_.size() >= kCapacity) {
    size_t dead = records_.size();
    for (size_t i = 0; i < records_.size(); ++i) {
      if (records_[i].state == NodeState::kDead && i != us_index_) {
        dead = i;
        break;
      }
    }
    if (dead == records_.size()) return nullptr;
    // A DEAD record counts in no aggregate, so dropping it changes none.
    records_.erase(records_.begin() + static_cast<std::ptrdiff_t>(dead));
    if (dead < us_index_) --us_index_;
    recycled = true;
  }
  const size_t pos = InsertPosition(id);
  records_.insert(records_.begin() + static_cast<std::ptrdiff_t>(pos),
                  NodeRecord{id, NodeState::kDead, 0, 0, 0});
  if (pos <= us_index_) ++us_index_;
  if (recycled) {
    // The table cannot forget a key; rebuild it (only ever happens with a full list).
    index_.Clear();
    Reindex(0);
  } else {
    Reindex(pos);
  }
  return &records_[pos];
}

void NodeList::SetState(NodeRecord& r, NodeState state) {
  const bool was = IsMember(r);
  r.state = state;
  const bool is = IsMember(r);
  if (was == is) return;
  const int32_t sid = static_cast<int32_t>(r.node_id);
  if (is) {
    ++member_count_;
    member_votes_ += r.votes;
    max_expected_ = std::max(max_expected_, r.expected_votes);
    low_id_ = std::min(low_id_, sid);
    high_id_ = std::max(high_id_, sid);
  } else {
    --member_count_;
    member_votes_ -= r.votes;
    if (r.expected_votes == max_expected_) max_expected_valid_ = false;
    if (sid == low_id_ || sid == high_id_) id_range_valid_ = false;
  }
}

void NodeList::SetVotes(NodeRecord& r, uint32_t votes) {
  if (IsMember(r)) member_votes_ += votes - r.votes;  // modular, like the sum itself
  r.votes = votes;
}

void NodeList::SetExpected(NodeRecord& r, uint32_t expected) {
  if (IsMember(r)) {
    if (expected >= max_expected_) {
      max_expected_ = expected;
    } else if (r.expected_votes == max_expected_) {
      max_expected_valid_ = false;
    }
  }
  r.expected_votes = expected;
}

void NodeList::SetMembersExpected(uint32_t expected) {
  for (NodeRecord& r : records_) {
    if (IsMember(r)) r.expected_votes = expected;
  }
  max_expected_ = member_count_ > 0 ? expected : 0;
  max_expected_valid_ = true;
}

void NodeList::RefreshMaxExpected() const {
  if (max_expected_valid_) return;
  uint32_t m = 0;
  for (const NodeRecord& r : records_) {
    if (IsMember(r)) m = std::max(m, r.expected_votes);
  }
  max_expected_ = m;
  max_expected_valid_ = true;
}

void NodeList::RefreshIdRange() const {
  if (id_range_valid_) return;
  int32_t low = INT32_MAX;
  int32_t high = INT32_MIN;
  for (const NodeRecord& r : records_) {
    if (!IsMember(r)) continue;
    low = std::min(low, static_cast<int32_t>(r.node_id));
    high = std::max(high, static_cast<int32_t>(r.node_id));
  }
  low_id_ = low;
  high_id_ = high;
  id_range_valid_ = true;
}

void NodeList::CheckAggregates() const {
#ifndef NDEBUG
  uint32_t count = 0;
  uint32_t votes = 0;
  uint32_t max_expected = 0;
  int32_t low = INT32_MAX;
  int32_t high = INT32_MIN;
  for (size_t i = 0; i < records_.size(); ++i) {
    const NodeRecord& r = records_[i];
    assert(index_.Find(r.node_id) == i);
    if (!IsMember(r)) continue;
    ++count;
    votes += r.votes;
    max_expected = std::max(max_expected, r.expected_votes);
    low = std::min(low, static_cast<int32_t>(r.node_id));
    high = std::max(high, static_cast<int32_t>(r.node_id));
  }
  // InsertPosition's binary search relies on this.
  assert(records_.empty() ||
         std::is_sorted(records_.begin(), records_.end() - 1, [this](const NodeRecord& a, const NodeRecord& b) {
           return Less(a.node_id, b.node_id);
         }));
  assert(count == member_count_);
  assert(votes == member_votes_);
  assert(!max_expected_valid_ || max_expected == max_expected_);
  assert(!id_range_valid_ || (low == low_id_ && high == high_id_));
#endif
}

uint32_t NodeList::member_count() const {
  CheckAggregates();
  return member_count_;
}

uint32_t NodeList::member_votes() const {
  CheckAggregates();
  return member_votes_;
}

uint32_t NodeList::member_max_expected() const {
  CheckAggregates();
  RefreshMaxExpected();
  return max_expected_;
}

int32_t NodeList::member_low_id() const {
  CheckAggregates();
  RefreshIdRange();
  return low_id_;
}

int32_t NodeList::member_high_id() const {
  CheckAggregates();
  RefreshIdRange();
  return high_id_;
}

}  // namespace quorumsim::internal
