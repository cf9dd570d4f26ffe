#include "sim/internal/cluster_impl.h"

#include <algorithm>

namespace quorumsim::internal {

namespace {
// Discards everything; used to validate a configuration once.
class NullOutput final : public EngineOutput {
 public:
  void Broadcast(const Message&) override {}
  void NodelistCallback(ConnId, uint64_t, const RingId&, std::span<const NodeId>) override {}
  void QuorumCallback(ConnId, uint64_t, bool, std::span<const QuorumNode>) override {}
  void ExpectedVotesCallback(ConnId, uint64_t, uint32_t) override {}
  void QdeviceRegisterReply(ConnId, CsError) override {}
  void QuorumServiceNotify(bool, std::span<const NodeId>, const RingId&) override {}
  void ArmTimer(TimerKind, uint64_t) override {}
  void CancelTimer(TimerKind) override {}
};
}  // namespace

// ---------------- NodeOutput ----------------

NodeOutput::NodeOutput(ClusterImpl* c, SimNode* node) : c_(c), node_(node), id_(node->id) {}

void NodeOutput::Broadcast(const Message& msg) { c_->transport_.Broadcast(*node_, msg); }

void NodeOutput::NodelistCallback(ConnId conn, uint64_t context, const RingId& ring,
                                  std::span<const NodeId> members) {
  ++c_->activity_;
  if (c_->trace_.on()) {
    JsonLine j(c_->now_, "nodelist_cb");
    j.Num("node", id_).Num("conn", conn).Str("ring", FormatRingId(ring)).Ids("members", members);
    c_->trace_.Emit(j);
  }
  if (ClientSink* s = c_->SinkFor(conn)) s->OnNodelist(context, ring, members);
}

void NodeOutput::QuorumCallback(ConnId conn, uint64_t context, bool quorate,
                                std::span<const QuorumNode> nodes) {
  ++c_->activity_;
  if (c_->trace_.on()) {
    std::string list;
    for (const QuorumNode& q : nodes) {
      if (!list.empty()) list += ',';
      list += std::to_string(q.node_id) + ":" + std::to_string(static_cast<uint32_t>(q.state));
    }
    JsonLine j(c_->now_, "quorum_cb");
    j.Num("node", id_).Num("conn", conn).Bool("quorate", quorate).Str("nodes", list);
    c_->trace_.Emit(j);
  }
  if (ClientSink* s = c_->SinkFor(conn)) s->OnQuorum(context, quorate, nodes);
}

void NodeOutput::ExpectedVotesCallback(ConnId conn, uint64_t context, uint32_t expected_votes) {
  ++c_->activity_;
  if (c_->trace_.on()) {
    JsonLine j(c_->now_, "expected_cb");
    j.Num("node", id_).Num("conn", conn).Num("expected", expected_votes);
    c_->trace_.Emit(j);
  }
  if (ClientSink* s = c_->SinkFor(conn)) s->OnExpectedVotes(context, expected_votes);
}

void NodeOutput::QdeviceRegisterReply(ConnId conn, CsError result) {
  c_->TraceApi(id_, "qdevice_register_reply", result, conn);
  if (ClientSink* s = c_->SinkFor(conn)) s->OnQdeviceRegisterReply(result);
}

void NodeOutput::QuorumServiceNotify(bool quorate, std::span<const NodeId> members,
                                     const RingId& ring) {
  ++c_->activity_;
  SimNode* n = node_;
  n->reported = true;
  n->quorate = quorate;
  n->notified_ring = ring;
  n->notified_members.assign(members.begin(), members.end());
  n->quorum->SetQuorum(quorate, members, ring);
  if (c_->trace_.on()) {
    JsonLine j(c_->now_, "notify");
    j.Num("node", id_).Bool("quorate", quorate).Str("ring", FormatRingId(ring)).Ids("members", members);
    c_->trace_.Emit(j);
  }
}

void NodeOutput::QuorumNotify(ConnId conn, QuorumModel model, bool quorate, const RingId& ring,
                              std::span<const NodeId> view) {
  ++c_->activity_;
  if (c_->trace_.on()) {
    JsonLine j(c_->now_, "quorum_service_cb");
    j.Num("node", id_).Num("conn", conn).Bool("quorate", quorate).Str("ring", FormatRingId(ring));
    j.Ids("view", view);
    c_->trace_.Emit(j);
  }
  if (ClientSink* s = c_->SinkFor(conn)) s->OnQuorumNotify(model, quorate, ring, view);
}

void NodeOutput::QuorumNodelistNotify(ConnId conn, const RingId& ring,
                                      std::span<const NodeId> members,
                                      std::span<const NodeId> joined,
                                      std::span<const NodeId> left) {
  ++c_->activity_;
  if (c_->trace_.on()) {
    JsonLine j(c_->now_, "quorum_nodelist_cb");
    j.Num("node", id_).Num("conn", conn).Str("ring", FormatRingId(ring)).Ids("members", members);
    j.Ids("joined", joined).Ids("left", left);
    c_->trace_.Emit(j);
  }
  if (ClientSink* s = c_->SinkFor(conn)) s->OnQuorumNodelist(ring, members, joined, left);
}

void NodeOutput::CmapNotify(ConnId conn, uint64_t track, int32_t event, const std::string& key,
                            const CmapValue* new_value, const CmapValue* old_value) {
  ++c_->activity_;
  if (c_->trace_.on()) {
    JsonLine j(c_->now_, "cmap_cb");
    j.Num("node", id_).Num("conn", conn).Num("event", static_cast<uint64_t>(event)).Str("key", key);
    c_->trace_.Emit(j);
  }
  if (ClientSink* s = c_->SinkFor(conn)) s->OnCmapNotify(track, event, key, new_value, old_value);
}

void NodeOutput::ArmTimer(TimerKind kind, uint64_t delay_ms) {
  SimNode* n = node_;
  uint64_t gen = ++n->timer_gen[static_cast<int>(kind)];
  if (c_->trace_.on()) {
    JsonLine j(c_->now_, "timer_arm");
    j.Num("node", id_).Num("kind", static_cast<uint64_t>(kind)).Num("delay", delay_ms);
    c_->trace_.Emit(j);
  }
  c_->Schedule(c_->now_ + delay_ms, EventKind::kEngineTimer, id_, static_cast<uint64_t>(kind), gen);
}

void NodeOutput::CancelTimer(TimerKind kind) {
  ++node_->timer_gen[static_cast<int>(kind)];
}

// ---------------- construction ----------------

ClusterImpl::ClusterImpl(const ClusterConfig& config, std::vector<NodeId> nodes,
                         const ClusterOptions& options)
    : config_(config),
      order_(std::move(nodes)),
      options_(options),
      transport_(this, &nodes_, config_.totem, config_.votequorum.nodelist.size(), &trace_) {
  trace_.set_record(options.record_trace);
  transport_.SetSeed(options.seed);
  if (config_.votequorum.device_timeout) device_timeout_ms_ = *config_.votequorum.device_timeout;
  std::vector<NodeId> sorted = order_;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  for (NodeId id : sorted) {
    auto n = std::make_unique<SimNode>();
    n->id = id;
    n->out = std::make_unique<NodeOutput>(this, n.get());
    n->placement = placement_counter_++;
    n->qdevice = std::make_unique<QdeviceSim>(id, this, device_timeout_ms_);
    ids_.push_back(id);
    nodes_.push_back(std::move(n));
  }
}

Status ClusterImpl::Validate() const {
  if (order_.empty()) return Status::InvalidArgument("the cluster has no nodes");
  if (order_.size() > static_cast<size_t>(kMaxNodes)) {
    return Status::InvalidArgument("too many nodes: " + std::to_string(order_.size()) +
                                   " (corosync supports at most " + std::to_string(kMaxNodes) + ")");
  }
  if (nodes_.size() != order_.size()) return Status::InvalidArgument("duplicate node id in the node list");
  for (NodeId id : order_) {
    if (id == 0) return Status::InvalidArgument("node id 0 is reserved");
  }
  NullOutput out;
  MemoryStore store;
  Engine probe(order_.front(), config_.votequorum, &out, &store, options_.quirks);
  return probe.Start();
}

// Hot paths hold SimNode pointers; this serves requests naming nodes by id.
SimNode* ClusterImpl::Find(NodeId id) {
  auto it = std::lower_bound(ids_.begin(), ids_.end(), id);
  return it == ids_.end() || *it != id ? nullptr : nodes_[static_cast<size_t>(it - ids_.begin())].get();
}

const SimNode* ClusterImpl::Find(NodeId id) const {
  return const_cast<ClusterImpl*>(this)->Find(id);
}

// ---------------- faults ----------------

Status ClusterImpl::CheckIds(std::span<const NodeId> ids) const {
  for (NodeId id : ids) {
    if (Find(id) == nullptr) {
      return Status::NotFound("unknown node id " + std::to_string(id) +
                              " (not in the cluster's node list)");
    }
  }
  return Status::Ok();
}

namespace {
void TraceNode(Trace& t, uint64_t now, const char* ev, NodeId id) {
  if (!t.on()) return;
  JsonLine j(now, ev);
  j.Num("node", id);
  t.Emit(j);
}
}  // namespace

Status ClusterImpl::StartNode(SimNode& n) {
  TopologyChanged();
  n.run = NodeRunState::kUp;
  ++n.incarnation;
  transport_.NodeStarted(n, now_);
  n.deferred.clear();
  n.clean_exit = false;
  n.leaving = false;
  n.reported = false;
  n.quorate = false;
  n.notified_ring = RingId{};
  n.notified_members.clear();
  n.qdevice->Reset();
  for (auto& g : n.timer_gen) ++g;
  TraceNode(trace_, now_, "start", n.id);
  // The quorum service exists before votequorum starts: votequorum's first verdict goes
  // to it.
  n.quorum = std::make_unique<QuorumService>(n.out.get(), /*provider=*/true);
  n.cfg_trackers.clear();
  n.last_ring.clear();
  {
    CmapEntries start;
    (void)BuildConfigCmap(config_, n.id, &start);  // the configuration was validated
    n.cmap = std::make_unique<CmapService>(n.out.get(), std::move(start));
  }
  n.engine = std::make_unique<Engine>(n.id, config_.votequorum, n.out.get(), &n.store, options_.quirks);
  Status st = n.engine->Start();
  if (!st.ok()) {
    n.engine.reset();
    n.run = NodeRunState::kDown;
    transport_.NodeStopped(n);
    TopologyChanged();
    return st;
  }
  return Status::Ok();
}

void ClusterImpl::KillNode(SimNode& n, bool clean) {
  TraceNode(trace_, now_, clean ? "exit" : "crash", n.id);
  TopologyChanged();
  n.run = NodeRunState::kDown;
  ++n.incarnation;
  n.clean_exit = clean;
  n.leaving = false;
  n.engine.reset();
  n.quorum.reset();
  n.cmap.reset();
  transport_.NodeStopped(n);
  n.deferred.clear();
  for (auto& g : n.timer_gen) ++g;
  n.qdevice->Reset();
  conns_.ForEach([&n](ConnId, Conn& c) {
    if (c.node == n.id && !c.dead) {
      c.dead = true;
      if (c.sink != nullptr && c.sink != n.qdevice.get()) c.sink->OnDisconnected();
    }
  });
}

Status ClusterImpl::Up(std::span<const NodeId> ids) {
  Status st = CheckIds(ids);
  if (!st.ok()) return st;
  for (NodeId id : ids) {
    if (Find(id)->run != NodeRunState::kDown) {
      return Status::InvalidArgument("node " + std::to_string(id) + " is already up");
    }
  }
  for (NodeId id : ids) {
    SimNode& n = *Find(id);
    st = StartNode(n);
    if (!st.ok()) return st;
    n.placement = placement_counter_++;  // a started node arrives last in its partition
  }
  Recompute();
  return Status::Ok();
}

Status ClusterImpl::Crash(std::span<const NodeId> ids) {
  Status st = CheckIds(ids);
  if (!st.ok()) return st;
  for (NodeId id : ids) {
    SimNode& n = *Find(id);
    if (n.run == NodeRunState::kDown) return Status::InvalidArgument("node " + std::to_string(id) + " is not up");
  }
  for (NodeId id : ids) KillNode(*Find(id), false);
  Recompute();
  return Status::Ok();
}

Status ClusterImpl::Restart(std::span<const NodeId> ids) {
  Status st = CheckIds(ids);
  if (!st.ok()) return st;
  std::vector<bool> was_down;
  for (NodeId id : ids) {
    SimNode& n = *Find(id);
    was_down.push_back(n.run == NodeRunState::kDown);
    if (n.run != NodeRunState::kDown) KillNode(n, false);
  }
  for (size_t i = 0; i < ids.size(); ++i) {
    SimNode& n = *Find(ids[i]);
    st = StartNode(n);
    if (!st.ok()) return st;
    // A restarted running node keeps its place; one that was down arrives last.
    if (was_down[i]) n.placement = placement_counter_++;
  }
  Recompute();
  return Status::Ok();
}

Status ClusterImpl::Leave(std::span<const NodeId> ids) {
  Status st = CheckIds(ids);
  if (!st.ok()) return st;
  for (NodeId id : ids) {
    SimNode& n = *Find(id);
    if (n.run != NodeRunState::kUp || n.leaving) {
      return Status::InvalidArgument("node " + std::to_string(id) + " is not up (or is paused)");
    }
  }
  for (NodeId id : ids) {
    SimNode& n = *Find(id);
    TraceNode(trace_, now_, "shutdown", n.id);
    n.engine->Shutdown();
    n.leaving = true;
    TopologyChanged();
    Schedule(transport_.LastDeliveryTime(n, now_), EventKind::kLeaveExit, n.id);
  }
  return Status::Ok();
}

Status ClusterImpl::Pause(std::span<const NodeId> ids) {
  Status st = CheckIds(ids);
  if (!st.ok()) return st;
  for (NodeId id : ids) {
    if (Find(id)->run != NodeRunState::kUp) {
      return Status::InvalidArgument("node " + std::to_string(id) + " is not running");
    }
  }
  for (NodeId id : ids) {
    Find(id)->run = NodeRunState::kPaused;
    TopologyChanged();
    TraceNode(trace_, now_, "pause", id);
  }
  Recompute();
  return Status::Ok();
}

Status ClusterImpl::Resume(std::span<const NodeId> ids) {
  Status st = CheckIds(ids);
  if (!st.ok()) return st;
  for (NodeId id : ids) {
    if (Find(id)->run != NodeRunState::kPaused) {
      return Status::InvalidArgument("node " + std::to_string(id) + " is not paused");
    }
  }
  for (NodeId id : ids) {
    SimNode& n = *Find(id);
    n.run = NodeRunState::kUp;
    TopologyChanged();
    TraceNode(trace_, now_, "resume", id);
    transport_.NodeResumed(n, now_);
    std::vector<Event> deferred;
    deferred.swap(n.deferred);
    for (Event e : deferred) Schedule(now_, e.kind, e.node, e.a, e.b);
  }
  Recompute();
  return Status::Ok();
}

Status ClusterImpl::Move(std::span<const NodeId> ids, PartitionId p) {
  Status st = CheckIds(ids);
  if (!st.ok()) return st;
  for (NodeId id : ids) {
    SimNode& n = *Find(id);
    if (n.partition == p) continue;
    n.partition = p;
    n.placement = placement_counter_++;
    TopologyChanged();
    if (trace_.on()) {
      JsonLine j(now_, "move");
      j.Num("node", id).Num("partition", p);
      trace_.Emit(j);
    }
  }
  Recompute();
  return Status::Ok();
}

// ---------------- events ----------------

void ClusterImpl::Schedule(uint64_t at, EventKind kind, NodeId node, uint64_t a, uint64_t b) {
  Event e;
  e.time = at;
  e.kind = kind;
  e.node = node;
  e.a = a;
  e.b = b;
  if (node != 0) {
    const SimNode* n = Find(node);
    e.incarnation = n ? n->incarnation : 0;
  }
  queue_.Push(e);
}

void ClusterImpl::ProcessNext() {
  Event e = queue_.Pop();
  if (e.time > now_) now_ = e.time;
  Dispatch(e);
  transport_.AfterEvent();
  RefreshTrackedCmaps();
}

void ClusterImpl::Dispatch(const Event& e) {
  if (e.kind != EventKind::kQdevicePeriodic && e.kind != EventKind::kEngineTimer) ++activity_;
  switch (e.kind) {
    case EventKind::kReformCheck:
    case EventKind::kDeliver:
      transport_.OnEventDue(e);
      return;
    default:
      break;
  }
  SimNode* n = Find(e.node);
  if (n == nullptr || n->incarnation != e.incarnation || n->run == NodeRunState::kDown) return;
  if (n->run == NodeRunState::kPaused) {
    n->deferred.push_back(e);
    return;
  }
  switch (e.kind) {
    case EventKind::kEngineTimer: {
      int k = static_cast<int>(e.a);
      if (n->timer_gen[k] != e.b) return;
      ++activity_;
      if (trace_.on()) {
        JsonLine j(now_, "timer");
        j.Num("node", n->id).Num("kind", e.a);
        trace_.Emit(j);
      }
      n->engine->TimerExpired(static_cast<TimerKind>(k));
      return;
    }
    case EventKind::kQdevicePollNow:
      n->qdevice->OnPollNow();
      return;
    case EventKind::kQdevicePeriodic:
      n->qdevice->OnPeriodic(e.b);
      return;
    case EventKind::kLeaveExit:
      KillNode(*n, true);
      Recompute();
      return;
    default:
      return;
  }
}

size_t ClusterImpl::ActiveSyncs() const { return transport_.ActiveSyncs(); }

bool ClusterImpl::IsSettled() const { return queue_.work_count() == 0 && ActiveSyncs() == 0; }

Status ClusterImpl::Settle(uint64_t limit_ms) {
  uint64_t deadline = now_ + limit_ms;
  while (!IsSettled()) {
    if (queue_.empty()) {
      return Status::Internal("a membership change cannot complete (no event left)");
    }
    if (queue_.top().time > deadline) {
      return Status::Internal("the cluster did not settle within " + std::to_string(limit_ms) +
                              " ms of virtual time");
    }
    ProcessNext();
  }
  return Status::Ok();
}

bool ClusterImpl::OnlyIdlePolling() const {
  if (!IsSettled()) return false;
  for (const auto& n : nodes_) {
    if (n->run == NodeRunState::kPaused) return false;
  }
  auto live = [this](const Event& e) -> const SimNode* {
    const SimNode* n = Find(e.node);
    if (n == nullptr || n->incarnation != e.incarnation || n->run == NodeRunState::kDown) return nullptr;
    if (e.kind == EventKind::kQdevicePeriodic) return n->qdevice->generation() == e.b ? n : nullptr;
    return n->timer_gen[e.a] == e.b ? n : nullptr;
  };
  // The next live poll of each node's device.
  std::map<NodeId, uint64_t> next_poll;
  bool idle = true;
  queue_.ForEach([&](const Event& e) {
    if (e.kind == EventKind::kQdevicePeriodic) {
      if (const SimNode* n = live(e)) {
        auto [it, fresh] = next_poll.emplace(n->id, e.time);
        if (!fresh) it->second = std::min(it->second, e.time);
      }
    } else if (e.kind != EventKind::kEngineTimer) {
      idle = false;
    }
  });
  if (!idle) return false;
  // A live device-timeout timer is harmless only if a poll comes first and re-arms it;
  // any other live timer will fire and change state.
  queue_.ForEach([&](const Event& e) {
    if (!idle || e.kind != EventKind::kEngineTimer) return;
    const SimNode* n = live(e);
    if (n == nullptr) return;
    auto poll = next_poll.find(n->id);
    idle = static_cast<TimerKind>(e.a) == TimerKind::kQdevice && n->qdevice->polling() &&
           poll != next_poll.end() && poll->second < e.time;
  });
  return idle;
}

void ClusterImpl::RunFor(uint64_t ms) {
  uint64_t end = ms > UINT64_MAX - now_ ? UINT64_MAX : now_ + ms;
  // A long wait over devices that keep polling without changing anything costs one
  // event per poll; once two whole poll intervals passed with no state change, the rest
  // but the last two intervals is skipped by moving every pending event forward by a
  // whole number of intervals (they repeat exactly, so the outcome is the same).
  const uint64_t interval = std::max<uint64_t>(1, device_timeout_ms_ / 2);
  std::optional<std::pair<uint64_t, uint64_t>> quiet;  // (since, activity_ then)
  while (!queue_.empty() && queue_.top().time <= end) {
    if (!OnlyIdlePolling()) {
      quiet.reset();
    } else if (!quiet || quiet->second != activity_) {
      quiet = std::make_pair(now_, activity_);
    } else if (now_ - quiet->first >= 2 * interval && (end - now_) / interval > 2) {
      uint64_t skip = ((end - now_) / interval - 2) * interval;
      if (trace_.on()) {
        JsonLine j(now_, "idle_skip");
        j.Num("to", now_ + skip).Num("intervals", skip / interval);
        trace_.Emit(j);
      }
      queue_.ShiftAll(skip);
      now_ += skip;
      quiet.reset();
    }
    ProcessNext();
  }
  now_ = end;
}

void ClusterImpl::Pump() {
  while (transport_.pending_deliveries() > 0 && !queue_.empty()) ProcessNext();
}

// ---------------- QdeviceHost ----------------

Engine* ClusterImpl::EngineOf(NodeId node) {
  SimNode* n = Find(node);
  return (n == nullptr || n->run == NodeRunState::kDown) ? nullptr : n->engine.get();
}

ConnId ClusterImpl::OpenInternalConnection(NodeId node, ClientSink* sink) {
  SimNode* n = Find(node);
  return conns_.Add(Conn{node, n ? n->incarnation : 0, sink, false});
}

void ClusterImpl::ScheduleQdevicePollNow(NodeId node) {
  Schedule(now_, EventKind::kQdevicePollNow, node);
}

void ClusterImpl::ScheduleQdevicePeriodic(NodeId node, uint64_t delay_ms, uint64_t generation) {
  Schedule(now_ + delay_ms, EventKind::kQdevicePeriodic, node, 0, generation);
}

void ClusterImpl::TraceQdevice(NodeId node, const char* what, CsError rc) {
  if (!trace_.on()) return;
  JsonLine j(now_, "qdevice");
  j.Num("node", node).Str("op", what).Str("rc", CsErrorName(rc));
  trace_.Emit(j);
}

// ---------------- the configuration map ----------------

void ClusterImpl::RefreshCmap(SimNode& n) {
  if (!n.cmap || !n.engine) return;
  CmapRuntimeInput in;
  in.local = n.id;
  in.votequorum = n.engine->cmap_keys();
  n.cmap->Refresh(std::move(in));
}

void ClusterImpl::RefreshTrackedCmaps() {
  if (cmap_watch_.empty()) return;
  std::erase_if(cmap_watch_, [this](NodeId id) {
    SimNode* n = Find(id);
    if (n == nullptr || !n->cmap || !n->cmap->tracked()) return true;
    RefreshCmap(*n);
    return false;
  });
}

// ---------------- connections ----------------

ClientSink* ClusterImpl::SinkFor(ConnId conn) {
  const Conn* c = conns_.Find(conn);
  if (c == nullptr || c->dead) return nullptr;
  return c->sink;
}

CsError ClusterImpl::ConnNode(ConnId conn, SimNode** node) {
  const Conn* c = conns_.Find(conn);
  if (c == nullptr) return CsError::kBadHandle;
  SimNode* n = Find(c->node);
  if (c->dead || n == nullptr || n->run == NodeRunState::kDown ||
      n->incarnation != c->incarnation) {
    return CsError::kLibrary;
  }
  if (n->run == NodeRunState::kPaused) return CsError::kTryAgain;
  *node = n;
  return CsError::kOk;
}

void ClusterImpl::TraceApi(NodeId node, const char* call, CsError rc, uint64_t conn) {
  if (!trace_.on()) return;
  JsonLine j(now_, "api");
  j.Num("node", node).Str("call", call).Str("rc", CsErrorName(rc));
  if (conn != 0) j.Num("conn", conn);
  trace_.Emit(j);
}

}  // namespace quorumsim::internal
