// The mock totem transport and the sync driver.
//
// Timing model (documented in `quorumsim -h`):
//  * A node that starts forms a ring on its own after `join` ms, then merges.
//  * A node compares its ring with the set of nodes it can reach (live, same partition,
//    already in some ring). Losing a member that did not leave cleanly (crash, pause,
//    split) is noticed after the token timeout; any other difference (a node to merge
//    with, a member that left cleanly, a resumed node) after `join` ms.
//  * A reachable group re-forms at the earliest such trigger among its nodes, plus
//    `consensus` ms if any of them lost a member uncleanly (the lost nodes never answer
//    the join, so consensus must expire). So a crash costs token + consensus (corosync
//    3.1 defaults, 3 nodes: 3650 + 4380 ms), a merge or clean leave costs join (50 ms).
//  * Ring id = (lowest member, highest sequence any member has seen + 4).
#include <algorithm>
#include <cassert>

#include "sim/internal/cluster_impl.h"

namespace quorumsim::internal {

uint64_t ClusterImpl::TokenTimeout() const {
  return config_.totem.TokenTimeoutMs(config_.votequorum.nodelist.size());
}

uint64_t ClusterImpl::Consensus() const {
  return config_.totem.ConsensusMs(config_.votequorum.nodelist.size());
}

uint64_t ClusterImpl::NextJitter() {
  if (jitter_ms_ == 0) return 0;
  // splitmix64
  uint64_t z = (rng_ += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  z ^= z >> 31;
  return z % (jitter_ms_ + 1);
}

// Asked for every broadcast and after every event, but it only changes with the topology,
// so the answer is kept until the next TopologyChanged(). Debug builds re-check it.
bool ClusterImpl::Operational(const Ring& r) const {
  if (r.op_epoch != topology_epoch_) {
    r.op_value = ComputeOperational(r);
    r.op_epoch = topology_epoch_;
  }
  assert(r.op_value == ComputeOperational(r));
  return r.op_value;
}

bool ClusterImpl::ComputeOperational(const Ring& r) const {
  if (r.closed) return false;
  const SimNode* first = nullptr;
  for (const SimNode* n : r.nodes) {
    if (n == nullptr || !Live(*n) || n->leaving || n->ring < 0 ||
        rings_[static_cast<size_t>(n->ring)].get() != &r) {
      return false;
    }
    if (first == nullptr) {
      first = n;
    } else if (n->partition != first->partition) {
      return false;
    }
  }
  return true;
}

void ClusterImpl::Broadcast(SimNode& sender, const Message& msg) {
  SimNode* n = &sender;
  bool op = n->ring >= 0 && Operational(*rings_[static_cast<size_t>(n->ring)]);
  if (trace_.on()) {
    JsonLine j(now_, "send");
    j.Num("node", n->id).Str("msg", DescribeMessage(msg)).Bool("held", !op);
    trace_.Emit(j);
  }
  if (op) {
    Append(n->ring, n->id, msg);
  } else {
    n->held.push_back(msg);
  }
}

void ClusterImpl::Append(int ring, NodeId sender, const Message& msg) {
  Ring& r = *rings_[static_cast<size_t>(ring)];
  r.log.push_back(Ring::Entry{sender, msg});
  uint64_t t = now_ + delay_ms_ + NextJitter();
  t = std::max(t, r.last_delivery_time);
  r.last_delivery_time = t;
  ++r.pending;
  ++pending_deliveries_;
  Schedule(t, EventKind::kDeliver, 0, static_cast<uint64_t>(ring), r.log.size() - 1);
}

void ClusterImpl::DeliverUpTo(SimNode& n, size_t upto) {
  if (n.ring < 0) return;
  Ring& r = *rings_[static_cast<size_t>(n.ring)];
  while (n.cursor < upto && n.cursor < r.log.size() && n.engine) {
    const Ring::Entry& e = r.log[n.cursor];  // stays valid: the log is a deque
    ++n.cursor;
    if (trace_.on()) {
      JsonLine j(now_, "deliver");
      j.Num("node", n.id).Num("from", e.sender).Str("msg", DescribeMessage(e.msg));
      trace_.Emit(j);
    }
    n.engine->Deliver(e.sender, e.msg);
  }
}

void ClusterImpl::OnDeliverEvent(int ring, size_t index) {
  --pending_deliveries_;
  Ring& r = *rings_[static_cast<size_t>(ring)];
  --r.pending;
  for (SimNode* n : r.nodes) {
    if (!Live(*n) || n->ring != ring) continue;
    DeliverUpTo(*n, index + 1);
  }
}

namespace {
bool Contains(const std::vector<NodeId>& sorted, NodeId id) {
  return std::binary_search(sorted.begin(), sorted.end(), id);
}
}  // namespace

void ClusterImpl::Recompute() {
  // Reachable groups: live nodes that already have a ring, by partition.
  std::map<PartitionId, std::vector<SimNode*>> groups;
  for (auto& up : nodes_) {
    SimNode& n = *up;
    if (Live(n) && !n.leaving && n.ring >= 0) groups[n.partition].push_back(&n);
  }
  std::optional<uint64_t> next;
  auto consider = [&next](uint64_t t) {
    if (!next || t < *next) next = t;
  };
  for (auto& up : nodes_) {
    SimNode& n = *up;
    if (Live(n) && n.ring < 0) consider(n.start_at + config_.totem.join);
  }
  for (auto& part_group : groups) {
    std::vector<SimNode*>& group = part_group.second;  // not a structured binding: clang 14 cannot capture one in a lambda
    std::vector<NodeId> ids;
    for (SimNode* n : group) ids.push_back(n->id);  // ascending: nodes_ is sorted
    // The group is settled when all its nodes sit in one ring whose members are exactly
    // the group.
    const int first_ring = group.front()->ring;
    bool one_ring = true;
    for (SimNode* m : group) one_ring = one_ring && m->ring == first_ring;
    const bool same = one_ring && rings_[static_cast<size_t>(first_ring)]->members == ids;
    // What a node sees depends only on its ring (and its own resumed_fresh), so it is
    // worked out once per distinct ring of the group, not once per node: per node it
    // made every topology change quadratic in the group size.
    struct RingView {
      int ring;
      bool missing_clean;    // a member not reachable any more that left cleanly
      bool missing_unclean;  // one that did not
      bool outsider;         // a node of the group that is not in this ring
    };
    std::vector<RingView> views;
    const auto view_of = [&](int ring) -> const RingView& {
      for (const RingView& v : views) {
        if (v.ring == ring) return v;
      }
      const Ring& r = *rings_[static_cast<size_t>(ring)];
      RingView v{ring, false, false, false};
      for (size_t i = 0; i < r.members.size(); ++i) {
        if (Contains(ids, r.members[i])) continue;
        const SimNode* mn = r.nodes[i];
        bool clean = (mn->run == NodeRunState::kDown && mn->clean_exit) || mn->leaving;
        (clean ? v.missing_clean : v.missing_unclean) = true;
      }
      for (SimNode* m : group) {
        if (!Contains(r.members, m->id) || m->ring != ring) v.outsider = true;
      }
      views.push_back(v);
      return views.back();
    };
    for (SimNode* n : group) {
      if (same) {
        n->loss_since.reset();
        n->join_since.reset();
        continue;
      }
      // Members missing from the group: a resumed node treats every loss as a change to
      // merge, not as a failure to wait out.
      const RingView& v = view_of(n->ring);
      const bool lost = v.missing_unclean && !n->resumed_fresh;
      const bool other = v.missing_clean || (v.missing_unclean && n->resumed_fresh) || v.outsider;
      if (lost) {
        if (!n->loss_since) n->loss_since = now_;
      } else {
        n->loss_since.reset();
      }
      if (other) {
        if (!n->join_since) n->join_since = now_;
      } else {
        n->join_since.reset();
      }
    }
    if (std::optional<uint64_t> due = ReformDueAt(group)) consider(*due);
  }
  if (next) {
    uint64_t t = std::max(*next, now_);
    if (checks_.insert(t).second) Schedule(t, EventKind::kReformCheck, 0, t);
  }
}

// When the group's ring is re-formed: the earliest pending trigger (a lost member is noticed
// after the token timeout, a newcomer after the join timeout), plus consensus if a member was
// lost. Empty when nothing is pending.
std::optional<uint64_t> ClusterImpl::ReformDueAt(const std::vector<SimNode*>& group) const {
  bool any_loss = false;
  std::optional<uint64_t> trigger;
  for (const SimNode* n : group) {
    if (n->loss_since) {
      any_loss = true;
      uint64_t t = *n->loss_since + TokenTimeout();
      if (!trigger || t < *trigger) trigger = t;
    }
    if (n->join_since) {
      uint64_t t = *n->join_since + config_.totem.join;
      if (!trigger || t < *trigger) trigger = t;
    }
  }
  if (!trigger) return std::nullopt;
  return *trigger + (any_loss ? Consensus() : 0);
}

void ClusterImpl::OnReformCheck() {
  // Nodes without a ring form one on their own first.
  for (auto& up : nodes_) {
    SimNode& n = *up;
    if (Live(n) && !n.leaving && n.ring < 0 && n.start_at + config_.totem.join <= now_) {
      FormRing({&n});
    }
  }
  Recompute();
  // Groups whose re-formation is due now.
  std::map<PartitionId, std::vector<SimNode*>> groups;
  for (auto& up : nodes_) {
    SimNode& n = *up;
    if (Live(n) && !n.leaving && n.ring >= 0) groups[n.partition].push_back(&n);
  }
  std::vector<std::vector<SimNode*>> due;
  for (auto& [part, group] : groups) {
    std::optional<uint64_t> due_at = ReformDueAt(group);
    if (due_at && *due_at <= now_) due.push_back(group);
  }
  std::sort(due.begin(), due.end(),
            [](const auto& a, const auto& b) { return a.front()->id < b.front()->id; });
  for (const auto& g : due) FormRing(g);
  Recompute();
}

void ClusterImpl::FormRing(const std::vector<SimNode*>& members) {
  uint64_t seq = 0;
  for (SimNode* n : members) seq = std::max(seq, n->seq_seen);
  seq += 4;
  auto ring = std::make_unique<Ring>();
  ring->id = RingId{members.front()->id, seq};
  ring->nodes = members;
  std::sort(ring->nodes.begin(), ring->nodes.end(),
            [](const SimNode* a, const SimNode* b) { return a->id < b->id; });
  for (SimNode* n : ring->nodes) ring->members.push_back(n->id);
  ring->id.rep = ring->members.front();
  // Virtual synchrony: the old rings stop, and every member first gets the rest of the
  // messages of the ring it is leaving.
  for (SimNode* n : members) {
    if (n->ring >= 0) rings_[static_cast<size_t>(n->ring)]->closed = true;
  }
  TopologyChanged();
  for (SimNode* n : members) {
    if (n->ring >= 0) DeliverUpTo(*n, SIZE_MAX);
  }
  int idx = static_cast<int>(rings_.size());
  rings_.push_back(std::move(ring));
  Ring& r = *rings_.back();
  r.last_delivery_time = now_;
  r.syncing = true;
  for (SimNode* n : members) {
    if (n->ring >= 0) syncing_.erase(n->ring);
    n->ring = idx;
    n->cursor = 0;
    n->seq_seen = seq;
    n->loss_since.reset();
    n->join_since.reset();
    n->resumed_fresh = false;
    n->sync_done = false;
  }
  TopologyChanged();
  if (trace_.on()) {
    JsonLine j(now_, "ring");
    j.Str("ring", FormatRingId(r.id)).Ids("members", r.members);
    trace_.Emit(j);
  }
  for (SimNode* n : members) {
    std::vector<Message> held;
    held.swap(n->held);
    for (const Message& m : held) Append(idx, n->id, m);
  }
  syncing_.insert(idx);
  for (SimNode* n : members) n->engine->SyncInit(r.id, r.members);
  for (SimNode* n : members) n->sync_done = n->engine->SyncProcess();
}

void ClusterImpl::AdvanceSyncs() {
  std::vector<int> done;
  // Runs after every event. A ring with a delivery still scheduled cannot be drained (an
  // open ring's entries reach its members only through those events, in log order), so
  // that cheap test goes first; it answers "continue" exactly when the full test would.
  const auto drained = [](const Ring& r) {
    if (r.pending > 0) return false;
    for (const SimNode* n : r.nodes) {
      if (n->cursor != r.log.size()) return false;
    }
    return true;
  };
  for (int idx : syncing_) {
    Ring& r = *rings_[static_cast<size_t>(idx)];
    if (r.pending > 0 || !Operational(r)) continue;
    if (!drained(r)) continue;
    bool all = true;
    for (SimNode* n : r.nodes) {
      if (!n->sync_done) n->sync_done = n->engine->SyncProcess();
      all = all && n->sync_done;
    }
    if (!all) continue;
    if (!drained(r)) continue;
    done.push_back(idx);
  }
  for (int idx : done) {
    Ring& r = *rings_[static_cast<size_t>(idx)];
    syncing_.erase(idx);
    r.syncing = false;
    for (SimNode* n : r.nodes) n->engine->SyncActivate();
    if (trace_.on()) {
      JsonLine j(now_, "sync_done");
      j.Str("ring", FormatRingId(r.id)).Ids("members", r.members);
      trace_.Emit(j);
    }
  }
}

}  // namespace quorumsim::internal
