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
//
// Memory: a ring no node is in any more can never become operational again, so once its
// scheduled deliveries have run it is freed (its slot and buffers are reused by a later
// ring). A live ring drops the log prefix every member has received.
#include "sim/internal/transport.h"

#include <algorithm>
#include <cassert>

#include "sim/internal/message_log.h"
#include "sim/internal/sim_node.h"

namespace quorumsim::internal {

struct Transport::Ring {
  RingHandle handle;
  RingId id;
  std::vector<NodeId> members;  // ascending
  std::vector<SimNode*> nodes;  // the members' SimNodes, same order (no lookups per message)
  struct Entry {
    NodeId sender = 0;
    Message msg;
  };
  // log[i] is message number base + i of this ring; the prefix every member has received
  // is dropped (see Compact), so positions (cursors, delivery events) are absolute.
  MessageLog<Entry> log;
  uint64_t base = 0;
  uint64_t end() const { return base + log.size(); }
  uint64_t last_delivery_time = 0;
  size_t pending = 0;    // kDeliver events scheduled for this ring and not yet run
  size_t users = 0;      // nodes whose link.ring is this ring
  bool closed = false;   // replaced (fully or partly) by a newer ring
  bool syncing = false;
  bool orphan = false;   // listed in orphans_
  // Operational() memo, valid while Transport::epoch_ == op_epoch.
  mutable uint64_t op_epoch = UINT64_MAX;
  mutable bool op_value = false;
};

Transport::Transport(TransportHost* host, const std::vector<std::unique_ptr<SimNode>>* nodes,
                     const TotemConfig& totem, size_t nodelist_size, Trace* trace)
    : host_(host),
      nodes_(nodes),
      trace_(trace),
      token_ms_(totem.TokenTimeoutMs(nodelist_size)),
      consensus_ms_(totem.ConsensusMs(nodelist_size)),
      join_ms_(totem.join) {}

Transport::~Transport() = default;

uint64_t Transport::NextJitter() {
  if (jitter_ms_ == 0) return 0;
  // splitmix64
  uint64_t z = (rng_ += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  z ^= z >> 31;
  return z % (jitter_ms_ + 1);
}

// ---------------- ring table ----------------

Transport::Ring& Transport::At(RingHandle h) const {
  assert(h.valid() && h.slot < slots_.size() && slots_[h.slot]->handle == h);
  return *slots_[h.slot];
}

RingHandle Transport::NewRing() {
  uint32_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = static_cast<uint32_t>(slots_.size());
    slots_.push_back(std::make_unique<Ring>());
    slots_.back()->handle = RingHandle{slot, 0};
  }
  ++live_rings_;
  return slots_[slot]->handle;
}

// Clears the ring but keeps its vectors' capacity for the next ring in this slot.
void Transport::FreeRing(Ring& r) {
  assert(r.users == 0 && r.pending == 0);
  if (r.syncing) {
    syncing_.erase(std::find(syncing_.begin(), syncing_.end(), r.handle));
  }
  const RingHandle next{r.handle.slot, r.handle.gen + 1};
  r.members.clear();
  r.nodes.clear();
  r.log.clear();
  r.base = 0;
  r.last_delivery_time = 0;
  r.closed = false;
  r.syncing = false;
  r.orphan = false;
  r.op_epoch = UINT64_MAX;
  r.op_value = false;
  r.handle = next;
  free_slots_.push_back(next.slot);
  --live_rings_;
}

void Transport::Release(SimNode& n) {
  if (!n.link.ring.valid()) return;
  Ring& r = At(n.link.ring);
  n.link.ring = RingHandle{};
  n.link.cursor = 0;
  if (--r.users == 0 && !r.orphan) {
    r.orphan = true;
    orphans_.push_back(r.handle);
  }
}

// Run after every event, never in the middle of one: a delivery loop may be walking the
// ring when its last user goes.
void Transport::FreeOrphans() {
  size_t kept = 0;
  for (RingHandle h : orphans_) {
    Ring& r = At(h);
    if (r.pending == 0) {
      FreeRing(r);
    } else {
      orphans_[kept++] = h;
    }
  }
  orphans_.resize(kept);
}

TransportStats Transport::Stats() const {
  TransportStats s;
  s.live_rings = live_rings_;
  s.ring_slots = slots_.size();
  s.deliveries = deliveries_;
  for (const auto& r : slots_) s.logged_messages += r->log.size();
  return s;
}

// ---------------- per-node hooks ----------------

void Transport::NodeStarted(SimNode& n, uint64_t now) {
  Release(n);
  n.link.held.clear();
  n.link.start_at = now;
  n.link.loss_since.reset();
  n.link.join_since.reset();
  n.link.resumed_fresh = false;
  n.link.sync_done = false;
}

void Transport::NodeStopped(SimNode& n) {
  Release(n);
  n.link.held.clear();
  n.link.loss_since.reset();
  n.link.join_since.reset();
}

void Transport::NodeResumed(SimNode& n, uint64_t now) {
  if (!n.link.ring.valid()) n.link.start_at = now;
  n.link.resumed_fresh = n.link.ring.valid();
  n.link.loss_since.reset();
  n.link.join_since.reset();
}

uint64_t Transport::LastDeliveryTime(const SimNode& n, uint64_t now) const {
  if (!n.link.ring.valid()) return now;
  return std::max(now, At(n.link.ring).last_delivery_time);
}

// ---------------- agreed-order delivery ----------------

// Asked for every broadcast and after every event, but it only changes with the topology,
// so the answer is kept until the next Invalidate(). Debug builds re-check it.
bool Transport::Operational(const Ring& r) const {
  if (r.op_epoch != epoch_) {
    r.op_value = ComputeOperational(r);
    r.op_epoch = epoch_;
  }
  assert(r.op_value == ComputeOperational(r));
  return r.op_value;
}

bool Transport::ComputeOperational(const Ring& r) const {
  if (r.closed) return false;
  const SimNode* first = nullptr;
  for (const SimNode* n : r.nodes) {
    if (n == nullptr || !n->Live() || n->leaving || n->link.ring != r.handle) return false;
    if (first == nullptr) {
      first = n;
    } else if (n->partition != first->partition) {
      return false;
    }
  }
  return true;
}

void Transport::Broadcast(SimNode& sender, const Message& msg) {
  host_->NoteActivity();
  Ring* r = sender.link.ring.valid() ? &At(sender.link.ring) : nullptr;
  const bool op = r != nullptr && Operational(*r);
  if (trace_->on()) {
    JsonLine j(host_->Now(), "send");
    j.Num("node", sender.id).Str("msg", DescribeMessage(msg)).Bool("held", !op);
    trace_->Emit(j);
  }
  if (op) {
    Append(*r, sender.id, msg);
  } else {
    sender.link.held.push_back(msg);
  }
}

void Transport::Append(Ring& r, NodeId sender, const Message& msg) {
  Ring::Entry& e = r.log.Add();
  e.sender = sender;
  e.msg = msg;
  uint64_t t = host_->Now() + delay_ms_ + NextJitter();
  t = std::max(t, r.last_delivery_time);
  r.last_delivery_time = t;
  ++r.pending;
  ++pending_deliveries_;
  host_->ScheduleTransport(t, EventKind::kDeliver, r.handle.Pack(), r.end() - 1);
}

void Transport::DeliverUpTo(SimNode& n, uint64_t upto) {
  if (n.link.ring.valid()) DeliverIn(At(n.link.ring), n, upto);
}

// The per-delivery loop; tracing is out of line so that the loop stays small.
void Transport::DeliverIn(Ring& r, SimNode& n, uint64_t upto) {
  while (n.link.cursor < upto && n.link.cursor < r.end() && n.engine) {
    // Stays valid while the delivery broadcasts into this ring: log entries never move.
    const Ring::Entry& e = r.log[static_cast<size_t>(n.link.cursor - r.base)];
    ++n.link.cursor;
    if (trace_->on()) TraceDelivery(n, e.sender, e.msg);
    ++deliveries_;
    n.engine->Deliver(e.sender, e.msg);
  }
}

void Transport::TraceDelivery(const SimNode& n, NodeId sender, const Message& msg) {
  JsonLine j(host_->Now(), "deliver");
  j.Num("node", n.id).Num("from", sender).Str("msg", DescribeMessage(msg));
  trace_->Emit(j);
}

void Transport::OnDeliver(RingHandle h, uint64_t index) {
  --pending_deliveries_;
  Ring& r = At(h);
  for (SimNode* n : r.nodes) {
    if (!n->Live() || n->link.ring != h) continue;
    DeliverIn(r, *n, index + 1);
  }
  // Counted down after the loop so that the ring cannot be freed while it is walked.
  if (--r.pending == 0) Compact(r);
}

// Drops the log once every member in the ring has received all of it (a paused member
// still behind keeps it). Nothing reads a position below a member's cursor.
void Transport::Compact(Ring& r) {
  if (r.log.empty() || r.users == 0) return;
  for (const SimNode* n : r.nodes) {
    if (n->link.ring == r.handle && n->link.cursor != r.end()) return;
  }
  r.base = r.end();
  r.log.clear();
}

void Transport::OnEventDue(const Event& e) {
  if (e.kind == EventKind::kReformCheck) {
    auto it = std::lower_bound(checks_.begin(), checks_.end(), e.a);
    if (it != checks_.end() && *it == e.a) checks_.erase(it);
    OnReformCheck();
  } else if (e.kind == EventKind::kDeliver) {
    OnDeliver(RingHandle::Unpack(e.a), e.b);
  }
}

// ---------------- ring formation ----------------

namespace {
bool Contains(std::span<const NodeId> sorted, NodeId id) {
  return std::binary_search(sorted.begin(), sorted.end(), id);
}
}  // namespace

void Transport::CollectGroups() {
  group_nodes_.clear();
  groups_.clear();
  for (const auto& up : *nodes_) {
    SimNode& n = *up;
    if (n.Live() && !n.leaving && n.link.ring.valid()) group_nodes_.push_back(&n);
  }
  // By partition, then id (nodes_ is ascending, ids are unique: a total order).
  std::sort(group_nodes_.begin(), group_nodes_.end(), [](const SimNode* a, const SimNode* b) {
    return a->partition != b->partition ? a->partition < b->partition : a->id < b->id;
  });
  for (size_t i = 0; i < group_nodes_.size();) {
    size_t j = i + 1;
    while (j < group_nodes_.size() && group_nodes_[j]->partition == group_nodes_[i]->partition) ++j;
    groups_.emplace_back(i, j);
    i = j;
  }
}

void Transport::TopologyChanged() { Recompute(); }

void Transport::Recompute() {
  const uint64_t now = host_->Now();
  CollectGroups();
  std::optional<uint64_t> next;
  auto consider = [&next](uint64_t t) {
    if (!next || t < *next) next = t;
  };
  for (const auto& up : *nodes_) {
    const SimNode& n = *up;
    if (n.Live() && !n.link.ring.valid()) consider(n.link.start_at + join_ms_);
  }
  for (auto [begin, end] : groups_) {
    const std::span<SimNode* const> group(group_nodes_.data() + begin, end - begin);
    group_ids_.clear();
    for (SimNode* n : group) group_ids_.push_back(n->id);  // ascending
    // The group is settled when all its nodes sit in one ring whose members are exactly
    // the group.
    const RingHandle first_ring = group.front()->link.ring;
    bool one_ring = true;
    for (SimNode* m : group) one_ring = one_ring && m->link.ring == first_ring;
    const bool same = one_ring && At(first_ring).members == group_ids_;
    // What a node sees depends only on its ring (and its own resumed_fresh), so it is
    // worked out once per distinct ring of the group, not once per node: per node it
    // made every topology change quadratic in the group size.
    views_.clear();
    const auto view_of = [&](RingHandle ring) -> const RingView& {
      for (const RingView& v : views_) {
        if (v.ring == ring) return v;
      }
      const Ring& r = At(ring);
      RingView v{ring, false, false, false};
      for (size_t i = 0; i < r.members.size(); ++i) {
        if (Contains(group_ids_, r.members[i])) continue;
        const SimNode* mn = r.nodes[i];
        bool clean = (mn->run == NodeRunState::kDown && mn->clean_exit) || mn->leaving;
        (clean ? v.missing_clean : v.missing_unclean) = true;
      }
      for (SimNode* m : group) {
        if (!Contains(r.members, m->id) || m->link.ring != ring) v.outsider = true;
      }
      views_.push_back(v);
      return views_.back();
    };
    for (SimNode* n : group) {
      NodeLink& l = n->link;
      if (same) {
        l.loss_since.reset();
        l.join_since.reset();
        continue;
      }
      // Members missing from the group: a resumed node treats every loss as a change to
      // merge, not as a failure to wait out.
      const RingView& v = view_of(l.ring);
      const bool lost = v.missing_unclean && !l.resumed_fresh;
      const bool other = v.missing_clean || (v.missing_unclean && l.resumed_fresh) || v.outsider;
      if (lost) {
        if (!l.loss_since) l.loss_since = now;
      } else {
        l.loss_since.reset();
      }
      if (other) {
        if (!l.join_since) l.join_since = now;
      } else {
        l.join_since.reset();
      }
    }
    if (std::optional<uint64_t> due = ReformDueAt(group)) consider(*due);
  }
  if (next) {
    const uint64_t t = std::max(*next, now);
    auto it = std::lower_bound(checks_.begin(), checks_.end(), t);
    if (it == checks_.end() || *it != t) {
      checks_.insert(it, t);
      host_->ScheduleTransport(t, EventKind::kReformCheck, t, 0);
    }
  }
}

// When the group's ring is re-formed: the earliest pending trigger (a lost member is noticed
// after the token timeout, a newcomer after the join timeout), plus consensus if a member was
// lost. Empty when nothing is pending.
std::optional<uint64_t> Transport::ReformDueAt(std::span<SimNode* const> group) const {
  bool any_loss = false;
  std::optional<uint64_t> trigger;
  for (const SimNode* n : group) {
    if (n->link.loss_since) {
      any_loss = true;
      uint64_t t = *n->link.loss_since + token_ms_;
      if (!trigger || t < *trigger) trigger = t;
    }
    if (n->link.join_since) {
      uint64_t t = *n->link.join_since + join_ms_;
      if (!trigger || t < *trigger) trigger = t;
    }
  }
  if (!trigger) return std::nullopt;
  return *trigger + (any_loss ? consensus_ms_ : 0);
}

void Transport::OnReformCheck() {
  const uint64_t now = host_->Now();
  // Nodes without a ring form one on their own first.
  for (const auto& up : *nodes_) {
    SimNode* n = up.get();
    if (n->Live() && !n->leaving && !n->link.ring.valid() && n->link.start_at + join_ms_ <= now) {
      FormRing(std::span<SimNode* const>(&n, 1));
    }
  }
  Recompute();
  // Groups whose re-formation is due now, copied out: forming a ring must not disturb the
  // list being walked.
  CollectGroups();
  due_nodes_.clear();
  due_.clear();
  for (auto [begin, end] : groups_) {
    const std::span<SimNode* const> group(group_nodes_.data() + begin, end - begin);
    std::optional<uint64_t> due_at = ReformDueAt(group);
    if (due_at && *due_at <= now) {
      due_.emplace_back(due_nodes_.size(), due_nodes_.size() + group.size());
      due_nodes_.insert(due_nodes_.end(), group.begin(), group.end());
    }
  }
  std::sort(due_.begin(), due_.end(), [this](const auto& a, const auto& b) {
    return due_nodes_[a.first]->id < due_nodes_[b.first]->id;
  });
  for (auto [begin, end] : due_) {
    FormRing(std::span<SimNode* const>(due_nodes_.data() + begin, end - begin));
  }
  Recompute();
}

void Transport::FormRing(std::span<SimNode* const> members) {
  const uint64_t now = host_->Now();
  uint64_t seq = 0;
  for (SimNode* n : members) seq = std::max(seq, n->link.seq_seen);
  seq += 4;
  const RingHandle h = NewRing();
  Ring& r = At(h);
  r.nodes.assign(members.begin(), members.end());
  std::sort(r.nodes.begin(), r.nodes.end(),
            [](const SimNode* a, const SimNode* b) { return a->id < b->id; });
  for (SimNode* n : r.nodes) r.members.push_back(n->id);
  r.id = RingId{r.members.front(), seq};
  // Virtual synchrony: the old rings stop, and every member first gets the rest of the
  // messages of the ring it is leaving.
  for (SimNode* n : members) {
    if (n->link.ring.valid()) At(n->link.ring).closed = true;
  }
  Invalidate();
  for (SimNode* n : members) {
    if (n->link.ring.valid()) DeliverUpTo(*n, UINT64_MAX);
  }
  r.last_delivery_time = now;
  r.syncing = true;
  // Each member's transitional list: who comes along from the ring it is leaving.
  if (trans_.size() < members.size()) trans_.resize(members.size());
  for (size_t i = 0; i < members.size(); ++i) {
    trans_[i].clear();
    const NodeLink& l = members[i]->link;
    if (!l.ring.valid()) continue;
    for (NodeId id : At(l.ring).members) {
      if (std::binary_search(r.members.begin(), r.members.end(), id)) trans_[i].push_back(id);
    }
  }
  for (SimNode* n : members) {
    NodeLink& l = n->link;
    if (l.ring.valid()) {
      Ring& old = At(l.ring);
      if (old.syncing) {
        old.syncing = false;
        syncing_.erase(std::find(syncing_.begin(), syncing_.end(), old.handle));
      }
    }
    Release(*n);
    l.ring = h;
    ++r.users;
    l.cursor = 0;
    l.seq_seen = seq;
    l.loss_since.reset();
    l.join_since.reset();
    l.resumed_fresh = false;
    l.sync_done = false;
  }
  Invalidate();
  if (trace_->on()) {
    JsonLine j(now, "ring");
    j.Str("ring", FormatRingId(r.id)).Ids("members", r.members);
    trace_->Emit(j);
  }
  for (SimNode* n : members) {
    for (const Message& m : n->link.held) Append(r, n->id, m);
    n->link.held.clear();
  }
  syncing_.push_back(h);
  // corosync starts every sync service at once (the quorum service before votequorum),
  // then runs them one after the other; the quorum service has nothing to exchange, so it
  // activates before votequorum's first process step.
  for (size_t i = 0; i < members.size(); ++i) {
    host_->ServicesSyncInit(*members[i], trans_[i], r.id, r.members);
    members[i]->engine->SyncInit(r.id, r.members);
  }
  for (SimNode* n : members) host_->ServicesSyncActivate(*n);
  for (SimNode* n : members) n->link.sync_done = n->engine->SyncProcess();
}

// ---------------- sync driver ----------------

void Transport::AfterEvent() {
  AdvanceSyncs();
  FreeOrphans();
}

void Transport::AdvanceSyncs() {
  done_.clear();
  // Runs after every event. A ring with a delivery still scheduled cannot be drained (an
  // open ring's entries reach its members only through those events, in log order), so
  // that cheap test goes first; it answers "continue" exactly when the full test would.
  const auto drained = [](const Ring& r) {
    if (r.pending > 0) return false;
    for (const SimNode* n : r.nodes) {
      if (n->link.cursor != r.end()) return false;
    }
    return true;
  };
  // By index: SyncProcess may broadcast, which never adds to syncing_, but keep it safe.
  for (size_t i = 0; i < syncing_.size(); ++i) {
    Ring& r = At(syncing_[i]);
    if (r.pending > 0 || !Operational(r)) continue;
    if (!drained(r)) continue;
    bool all = true;
    for (SimNode* n : r.nodes) {
      if (!n->link.sync_done) n->link.sync_done = n->engine->SyncProcess();
      all = all && n->link.sync_done;
    }
    if (!all) continue;
    if (!drained(r)) continue;
    done_.push_back(r.handle);
  }
  for (RingHandle h : done_) {
    Ring& r = At(h);
    syncing_.erase(std::find(syncing_.begin(), syncing_.end(), h));
    r.syncing = false;
    for (SimNode* n : r.nodes) n->engine->SyncActivate();
    if (trace_->on()) {
      JsonLine j(host_->Now(), "sync_done");
      j.Str("ring", FormatRingId(r.id)).Ids("members", r.members);
      trace_->Emit(j);
    }
  }
}

size_t Transport::ActiveSyncs() const {
  size_t k = 0;
  for (RingHandle h : syncing_) {
    if (Operational(At(h))) ++k;
  }
  return k;
}

}  // namespace quorumsim::internal
