#include "engine/testing/ring_driver.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace quorumsim::testing {
namespace {

std::string JoinIds(std::span<const NodeId> ids) {
  std::string s;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i) s += ',';
    s += std::to_string(ids[i]);
  }
  return s;
}

char StateLetter(NodeState s) {
  switch (s) {
    case NodeState::kMember: return 'M';
    case NodeState::kDead: return 'D';
    case NodeState::kLeaving: return 'L';
    case NodeState::kNone: break;
  }
  return '0';
}

}  // namespace

// Routes one engine's effects back to the driver, tagged with the node id.
class RingDriver::Output : public EngineOutput {
 public:
  Output(RingDriver* d, NodeId id) : d_(d), id_(id) {}

  void Broadcast(const Message& msg) override { d_->OnBroadcast(id_, msg); }
  void NodelistCallback(ConnId conn, uint64_t context, const RingId& ring,
                        std::span<const NodeId> members) override {
    Record(conn, context, "NODELIST ring=" + FormatRingId(ring) + " nodes=" + JoinIds(members));
  }
  void QuorumCallback(ConnId conn, uint64_t context, bool quorate,
                      std::span<const QuorumNode> nodes) override {
    std::string s = "QUORUM quorate=" + std::string(quorate ? "1" : "0") + " nodes=";
    for (size_t i = 0; i < nodes.size(); ++i) {
      if (i) s += ',';
      s += std::to_string(nodes[i].node_id) + ':' + StateLetter(nodes[i].state);
    }
    Record(conn, context, s);
  }
  void ExpectedVotesCallback(ConnId conn, uint64_t context, uint32_t expected_votes) override {
    Record(conn, context, "EXPECTED " + std::to_string(expected_votes));
  }
  void QdeviceRegisterReply(ConnId conn, CsError result) override { d_->node(id_).replies[conn] = result; }
  void QuorumServiceNotify(bool quorate, std::span<const NodeId> members, const RingId& ring) override {
    d_->node(id_).notifications.push_back("NOTIFY quorate=" + std::string(quorate ? "1" : "0") +
                                          " ring=" + FormatRingId(ring) + " nodes=" + JoinIds(members));
  }
  void ArmTimer(TimerKind kind, uint64_t delay_ms) override {
    d_->Schedule(id_, static_cast<int>(kind), d_->now_ + delay_ms);
  }
  void CancelTimer(TimerKind kind) override { d_->Unschedule(id_, static_cast<int>(kind)); }

 private:
  void Record(ConnId conn, uint64_t context, std::string text) {
    d_->node(id_).callbacks.push_back(RecordedCallback{conn, context, std::move(text)});
  }
  RingDriver* d_;
  NodeId id_;
};

RingDriver::RingDriver(Quirks quirks) : quirks_(quirks) {}
RingDriver::~RingDriver() = default;

RingDriver::Node& RingDriver::node(NodeId id) {
  auto it = nodes_.find(id);
  if (it == nodes_.end()) throw std::logic_error("RingDriver: unknown node " + std::to_string(id));
  return it->second;
}

const RingDriver::Node& RingDriver::node(NodeId id) const {
  auto it = nodes_.find(id);
  if (it == nodes_.end()) throw std::logic_error("RingDriver: unknown node " + std::to_string(id));
  return it->second;
}

void RingDriver::Configure(NodeId id, VotequorumConfig config) {
  Node& n = nodes_[id];
  n.id = id;
  n.config = std::move(config);
}

Status RingDriver::Start(NodeId id) {
  Node& n = node(id);
  if (n.up) return Status::Internal("node already up");
  n.out = std::make_unique<Output>(this, id);
  n.engine = std::make_unique<Engine>(id, n.config, n.out.get(), &n.store, quirks_);
  n.has_ring = false;
  n.held.clear();
  n.ring = RingId{};
  n.ring_members.clear();
  Status st = n.engine->Start();
  if (!st.ok()) {
    n.engine.reset();
    return st;
  }
  n.up = true;
  n.engine->TrackStart(kTrackConn, 0, track_flags::kChangesOnly);
  FormRing({id});
  return st;
}

bool RingDriver::is_up(NodeId id) const {
  auto it = nodes_.find(id);
  return it != nodes_.end() && it->second.up;
}

Engine& RingDriver::engine(NodeId id) {
  Node& n = node(id);
  if (!n.engine) throw std::logic_error("RingDriver: node " + std::to_string(id) + " is down");
  return *n.engine;
}

MemoryEvStore& RingDriver::store(NodeId id) { return node(id).store; }

void RingDriver::OnBroadcast(NodeId sender, const Message& msg) {
  Node& n = node(sender);
  if (!n.has_ring) {
    n.held.push_back(msg);  // totem holds it until the node's first ring is operational
    return;
  }
  queue_.push_back(Pending{sender, n.ring_members, msg});
}

void RingDriver::Drain() {
  while (!queue_.empty()) {
    Pending p = std::move(queue_.front());
    queue_.pop_front();
    trace_.push_back(std::to_string(p.sender) + ": " + DescribeMessage(p.msg));
    for (NodeId m : p.members) {
      Node& n = node(m);
      if (n.up) n.engine->Deliver(p.sender, p.msg);
    }
  }
}

void RingDriver::FormRing(std::vector<NodeId> members) { Partition({std::move(members)}); }

std::optional<RingDriver::NewRing> RingDriver::MakeRing(std::vector<NodeId> members) {
  std::sort(members.begin(), members.end());
  members.erase(std::unique(members.begin(), members.end()), members.end());
  if (members.empty()) return std::nullopt;
  bool unchanged = true;
  uint64_t max_seq = 0;
  for (NodeId id : members) {
    Node& n = node(id);
    if (!n.up) throw std::logic_error("RingDriver: node " + std::to_string(id) + " is down");
    if (!n.has_ring || n.ring_members != members) unchanged = false;
    max_seq = std::max(max_seq, n.max_seq_seen);
  }
  if (unchanged) return std::nullopt;
  const RingId ring{members.front(), max_seq + 4};
  for (NodeId id : members) {
    Node& n = node(id);
    n.ring = ring;
    n.ring_members = members;
    n.max_seq_seen = ring.seq;
  }
  return NewRing{ring, std::move(members)};
}

// The rings are disjoint. Each is synced in the order the header describes, and they
// progress side by side, as separate partitions of a real cluster do. One ring whose sync
// waits (for a quorum device's poll) holds up only itself: the others activate meanwhile,
// and their timers run in the same virtual time (the simulator's order too).
void RingDriver::RunSyncs(const std::vector<NewRing>& rings) {
  for (const NewRing& r : rings) {
    for (NodeId id : r.members) node(id).engine->SyncInit(r.ring, r.members);
  }
  // Messages queued before the ring existed go out first in it.
  for (const NewRing& r : rings) {
    for (NodeId id : r.members) {
      Node& n = node(id);
      n.has_ring = true;
      for (const Message& m : n.held) queue_.push_back(Pending{id, r.members, m});
      n.held.clear();
    }
  }
  std::map<NodeId, bool> done;
  for (const NewRing& r : rings) {
    for (NodeId id : r.members) {
      Node& n = node(id);
      done[id] = n.engine->SyncProcess();
      // The device daemon learns the new ring from the nodelist callback and polls at once.
      if (n.daemon.running) DaemonPoll(id);
    }
  }
  Drain();
  std::vector<bool> active(rings.size(), false);
  for (;;) {
    bool all_active = true;
    for (size_t i = 0; i < rings.size(); ++i) {
      if (active[i]) continue;
      bool all = true;
      for (NodeId id : rings[i].members) {
        if (!done[id] && node(id).up) done[id] = node(id).engine->SyncProcess();
        all = all && (done[id] || !node(id).up);
      }
      Drain();
      if (all) {
        for (NodeId id : rings[i].members) {
          if (node(id).up) node(id).engine->SyncActivate();
        }
        Drain();
        active[i] = true;
      }
      all_active = all_active && active[i];
    }
    if (all_active) break;
    if (!FireNextEvent()) {
      // Nothing left that could end the wait.
      for (size_t i = 0; i < rings.size(); ++i) {
        if (active[i]) continue;
        for (NodeId id : rings[i].members) {
          if (node(id).up) node(id).engine->SyncActivate();
        }
        Drain();
      }
      break;
    }
  }
}

void RingDriver::Partition(const std::vector<std::vector<NodeId>>& parts) {
  std::vector<NodeId> all;
  for (const auto& p : parts) {
    std::vector<NodeId> ids = p;
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    all.insert(all.end(), ids.begin(), ids.end());
  }
  std::sort(all.begin(), all.end());
  if (std::adjacent_find(all.begin(), all.end()) != all.end()) {
    throw std::logic_error("RingDriver: a node is in two parts");
  }
  std::vector<NewRing> rings;
  for (const auto& p : parts) {
    if (std::optional<NewRing> r = MakeRing(p)) rings.push_back(std::move(*r));
  }
  RunSyncs(rings);
}

void RingDriver::TakeDown(NodeId id) {
  Node& n = node(id);
  n.up = false;
  n.engine.reset();
  n.out.reset();
  n.has_ring = false;
  n.held.clear();
  n.daemon = Daemon{};
  for (int k : {kLmsTimer, kQdeviceTimer, kDaemonPoll}) Unschedule(id, k);
}

void RingDriver::Crash(const std::vector<NodeId>& ids) {
  std::vector<std::vector<NodeId>> rings;
  for (NodeId id : ids) {
    Node& n = node(id);
    if (!n.up) continue;
    if (std::find(rings.begin(), rings.end(), n.ring_members) == rings.end()) rings.push_back(n.ring_members);
    TakeDown(id);
  }
  std::vector<std::vector<NodeId>> rests;
  for (auto& r : rings) {
    std::vector<NodeId> rest;
    for (NodeId m : r) {
      if (node(m).up) rest.push_back(m);
    }
    if (!rest.empty()) rests.push_back(std::move(rest));
  }
  Partition(rests);
}

void RingDriver::CleanShutdown(NodeId id) {
  Node& n = node(id);
  if (!n.up) return;
  n.engine->Shutdown();
  Drain();
  Crash({id});
}

void RingDriver::BreakRings(const std::vector<NodeId>& ids) {
  for (NodeId id : ids) {
    Node& n = node(id);
    // OnBroadcast holds the messages of a node without a ring; MakeRing then never
    // treats its ring as unchanged.
    if (n.up) n.has_ring = false;
  }
}

// ------------------------------------------------------------------------------------
// Time

void RingDriver::Schedule(NodeId id, int kind, uint64_t at) {
  Unschedule(id, kind);
  events_[EventKey{at, id, kind}] = true;
  deadlines_[{id, kind}] = at;
}

void RingDriver::Unschedule(NodeId id, int kind) {
  auto it = deadlines_.find({id, kind});
  if (it == deadlines_.end()) return;
  events_.erase(EventKey{it->second, id, kind});
  deadlines_.erase(it);
}

bool RingDriver::FireNextEvent() {
  if (events_.empty()) return false;
  const uint64_t at = std::get<0>(events_.begin()->first);
  now_ = std::max(now_, at);
  // Every event due at this instant runs before a message one of them sends is delivered:
  // delivery takes time, so two nodes whose timers run out together do not see each
  // other's NODEINFO first (the simulator's order too).
  while (!events_.empty() && std::get<0>(events_.begin()->first) == at) {
    const auto [t, id, kind] = events_.begin()->first;
    Unschedule(id, kind);
    Fire(id, kind);
  }
  Drain();
  return true;
}

void RingDriver::Fire(NodeId id, int kind) {
  Node& n = node(id);
  if (!n.up) return;
  if (kind == kDaemonPoll) {
    if (n.daemon.running) DaemonPoll(id);
    return;
  }
  n.engine->TimerExpired(static_cast<TimerKind>(kind));
}

void RingDriver::AdvanceTo(uint64_t t) {
  while (!events_.empty() && std::get<0>(events_.begin()->first) <= t) FireNextEvent();
  now_ = std::max(now_, t);
}

// ------------------------------------------------------------------------------------
// Library helpers

VoteInfo RingDriver::Info(NodeId id, NodeId which) {
  VoteInfo info;
  engine(id).GetInfo(which, &info);
  return info;
}

CsError RingDriver::InfoStatus(NodeId id, NodeId which, VoteInfo* info) {
  return engine(id).GetInfo(which, info);
}

CsError RingDriver::SetExpected(NodeId on, uint32_t expected) {
  return Call(on, [&](Engine& e) { return e.SetExpected(expected); });
}

CsError RingDriver::SetVotes(NodeId on, NodeId target, uint32_t votes) {
  return Call(on, [&](Engine& e) { return e.SetVotes(target, votes); });
}

void RingDriver::CancelWaitForAll(NodeId on) {
  engine(on).CancelWaitForAll();
  Drain();
}

CsError RingDriver::DaemonPoll(NodeId id) {
  Node& n = node(id);
  const CsError r = n.engine->QdevicePoll(n.daemon.name, n.daemon.cast_vote, n.engine->ring_id());
  const uint32_t timeout = n.config.device_timeout.value_or(10000);
  Schedule(id, kDaemonPoll, now_ + timeout / 2);
  return r;
}

CsError RingDriver::QdeviceStart(NodeId id, const std::string& name, bool cast_vote) {
  Node& n = node(id);
  std::optional<CsError> r = n.engine->QdeviceRegister(kQdeviceConn, name);
  Drain();
  if (!r) {
    auto it = n.replies.find(kQdeviceConn);
    if (it == n.replies.end()) return CsError::kTimeout;  // reply never came back
    r = it->second;
    n.replies.erase(it);
  }
  if (*r != CsError::kOk) return *r;
  n.daemon = Daemon{true, name, cast_vote};
  const CsError p = DaemonPoll(id);
  Drain();
  return p;
}

CsError RingDriver::QdeviceSetVote(NodeId id, bool cast_vote) {
  Node& n = node(id);
  n.daemon.cast_vote = cast_vote;
  // A stopped daemon told to vote runs again, as the simulator's does (QdeviceSim::Enable):
  // without this it polled once and then ignored its own next poll.
  n.daemon.running = true;
  const CsError p = DaemonPoll(id);
  Drain();
  return p;
}

void RingDriver::QdeviceStop(NodeId id) {
  node(id).daemon.running = false;
  Unschedule(id, kDaemonPoll);
}

CsError RingDriver::QdeviceUnregister(NodeId id) {
  Node& n = node(id);
  const std::string name = n.daemon.name;
  QdeviceStop(id);
  return Call(id, [&](Engine& e) { return e.QdeviceUnregister(name); });
}

// ------------------------------------------------------------------------------------
// Logs

std::vector<std::string> RingDriver::callbacks(NodeId id) const {
  std::vector<std::string> out;
  for (const auto& c : node(id).callbacks) {
    if (c.conn == kTrackConn) out.push_back(c.text);
  }
  return out;
}

const std::vector<RecordedCallback>& RingDriver::all_callbacks(NodeId id) const { return node(id).callbacks; }

const std::vector<std::string>& RingDriver::notifications(NodeId id) const { return node(id).notifications; }

std::optional<CsError> RingDriver::register_reply(NodeId id, ConnId conn) const {
  const auto& r = node(id).replies;
  auto it = r.find(conn);
  if (it == r.end()) return std::nullopt;
  return it->second;
}

void RingDriver::ClearLogs() {
  for (auto& [id, n] : nodes_) {
    n.callbacks.clear();
    n.notifications.clear();
  }
  trace_.clear();
}

}  // namespace quorumsim::testing
