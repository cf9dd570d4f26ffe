// Public face of the simulated cluster: forwards to internal::ClusterImpl.
#include "sim/cluster.h"

#include <algorithm>
#include <iostream>

#include "engine/engine.h"
#include "sim/internal/cluster_impl.h"

namespace quorumsim {

using internal::ClusterImpl;
using internal::Conn;
using internal::SimNode;

namespace {
// A misspelt key changes nothing in corosync either, so it warns and carries on (the exit
// status of the quorumsim command is unaffected).
void PrintWarnings(const ClusterConfig& cfg) {
  for (const std::string& w : cfg.warnings) std::cerr << w << "\n";
}
}  // namespace

Cluster::Cluster(std::unique_ptr<ClusterImpl> impl) : impl_(std::move(impl)) {}
Cluster::~Cluster() {
  for (auto& fn : destroy_listeners_) fn();
  // Library handles may outlive the cluster they were opened on; tell each one, so that
  // its later calls fail cleanly instead of touching freed memory.
  impl_->conns_.ForEach([](ConnId, Conn& c) {
    if (c.sink != nullptr) c.sink->OnClusterDestroyed();
  });
}

namespace {
// Builds the cluster of `config` with the node list `nodes` (the configuration's own,
// or a caller's for configurations without a nodelist).
Status Make(ClusterConfig config, std::vector<NodeId> nodes, const ClusterOptions& options,
            std::unique_ptr<ClusterImpl>* out) {
  if (nodes.size() > static_cast<size_t>(kMaxNodes)) {
    return Status::InvalidArgument("too many nodes: " + std::to_string(nodes.size()) +
                                   " (corosync supports at most " + std::to_string(kMaxNodes) + ")");
  }
  auto impl = std::make_unique<ClusterImpl>(config, std::move(nodes), options);
  Status st = impl->Validate();
  if (!st.ok()) return st;
  *out = std::move(impl);
  return Status::Ok();
}
}  // namespace

Status Cluster::Create(const ClusterConfig& config, const ClusterOptions& options,
                       std::unique_ptr<Cluster>* out) {
  std::unique_ptr<ClusterImpl> impl;
  Status st = Make(config, config.node_ids(), options, &impl);
  if (st.ok()) out->reset(new Cluster(std::move(impl)));
  return st;
}

Status Cluster::FromConfText(std::string_view text, std::string_view filename,
                             const ClusterOptions& options, std::unique_ptr<Cluster>* out) {
  ClusterConfig cfg;
  Status st = ParseCorosyncConf(text, filename, &cfg);
  if (!st.ok()) return st;
  PrintWarnings(cfg);
  return Create(cfg, options, out);
}

Status Cluster::FromConfFile(const std::string& path, const ClusterOptions& options,
                             std::unique_ptr<Cluster>* out) {
  ClusterConfig cfg;
  Status st = LoadCorosyncConf(path, &cfg);
  if (!st.ok()) return st;
  PrintWarnings(cfg);
  return Create(cfg, options, out);
}

Status Cluster::FromVotequorumConfig(const VotequorumConfig& config, std::vector<NodeId> nodes,
                                     const TotemConfig& totem, const ClusterOptions& options,
                                     std::unique_ptr<Cluster>* out) {
  if (nodes.empty()) {
    for (const auto& n : config.nodelist) nodes.push_back(n.node_id);
  }
  ClusterConfig cfg;
  cfg.votequorum = config;
  cfg.totem = totem;
  std::unique_ptr<ClusterImpl> impl;
  Status st = Make(std::move(cfg), std::move(nodes), options, &impl);
  if (st.ok()) out->reset(new Cluster(std::move(impl)));
  return st;
}

void Cluster::AddDestroyListener(std::function<void()> fn) {
  destroy_listeners_.push_back(std::move(fn));
}

const std::vector<NodeId>& Cluster::node_ids() const { return impl_->order_; }
bool Cluster::HasNode(NodeId id) const { return impl_->Find(id) != nullptr; }
const ClusterConfig& Cluster::config() const { return impl_->config_; }

void Cluster::SetMessageDelay(uint64_t delay_ms, uint64_t jitter_ms) {
  impl_->transport_.SetDelay(delay_ms, jitter_ms);
}
void Cluster::SetSeed(uint64_t seed) { impl_->transport_.SetSeed(seed); }

Status Cluster::Up(std::span<const NodeId> ids) { return impl_->Up(ids); }
Status Cluster::StartAll() {
  std::vector<NodeId> down;
  for (NodeId id : impl_->order_) {
    if (impl_->Find(id)->run == NodeRunState::kDown) down.push_back(id);
  }
  return impl_->Up(down);
}
Status Cluster::Crash(std::span<const NodeId> ids) { return impl_->Crash(ids); }
Status Cluster::Restart(std::span<const NodeId> ids) { return impl_->Restart(ids); }
Status Cluster::Leave(std::span<const NodeId> ids) { return impl_->Leave(ids); }
Status Cluster::Pause(std::span<const NodeId> ids) { return impl_->Pause(ids); }
Status Cluster::Resume(std::span<const NodeId> ids) { return impl_->Resume(ids); }
Status Cluster::MoveToPartition(std::span<const NodeId> ids, PartitionId partition) {
  return impl_->Move(ids, partition);
}

Status Cluster::Split(const std::vector<std::vector<NodeId>>& groups) {
  for (const auto& g : groups) {
    Status st = impl_->CheckIds(g);
    if (!st.ok()) return st;
  }
  for (size_t i = 0; i < groups.size(); ++i) {
    for (NodeId id : groups[i]) {
      SimNode& n = *impl_->Find(id);
      if (n.partition != static_cast<PartitionId>(i)) {
        n.partition = static_cast<PartitionId>(i);
        n.placement = impl_->placement_counter_++;
        impl_->TopologyChanged();
      }
    }
  }
  impl_->Recompute();
  return Status::Ok();
}

Status Cluster::JoinPartitions(PartitionId into, std::span<const PartitionId> others) {
  std::vector<NodeId> moving;
  for (auto& n : impl_->nodes_) {
    for (PartitionId p : others) {
      if (n->partition == p && p != into) moving.push_back(n->id);
    }
  }
  // vqsim appends each partition's nodes in turn, keeping their order.
  std::vector<const SimNode*> ordered;
  for (PartitionId p : others) {
    std::vector<const SimNode*> part;
    for (auto& n : impl_->nodes_) {
      if (n->partition == p && p != into) part.push_back(n.get());
    }
    std::sort(part.begin(), part.end(),
              [](const SimNode* a, const SimNode* b) { return a->placement < b->placement; });
    ordered.insert(ordered.end(), part.begin(), part.end());
  }
  for (const SimNode* c : ordered) {
    SimNode& n = *impl_->Find(c->id);
    n.partition = into;
    n.placement = impl_->placement_counter_++;
    impl_->TopologyChanged();
  }
  impl_->Recompute();
  return Status::Ok();
}

uint64_t Cluster::now_ms() const { return impl_->now_; }
SimStats Cluster::stats() const {
  const internal::TransportStats t = impl_->transport_.Stats();
  SimStats m;
  m.live_rings = t.live_rings;
  m.ring_slots = t.ring_slots;
  m.logged_messages = t.logged_messages;
  m.pending_events = impl_->queue_.size();
  m.deliveries = t.deliveries;
  return m;
}
Status Cluster::Settle(uint64_t limit_ms) { return impl_->Settle(limit_ms); }
void Cluster::RunFor(uint64_t ms) { impl_->RunFor(ms); }
bool Cluster::settled() const { return impl_->IsSettled(); }

Status Cluster::GetNode(NodeId id, NodeView* out) const {
  const SimNode* n = impl_->Find(id);
  if (n == nullptr) return Status::NotFound("unknown node id " + std::to_string(id));
  NodeView v;
  v.node_id = n->id;
  v.run_state = n->run;
  v.partition = n->partition;
  v.placement = n->placement;
  v.reported = n->reported;
  v.quorate = n->quorate;
  v.ring = n->notified_ring;
  v.members = n->notified_members;
  v.last_rc = n->last_rc;
  if (n->engine) {
    n->engine->GetInfo(0, &v.info);
    v.engine_ring = n->engine->ring_id();
    auto m = n->engine->members();
    v.engine_members.assign(m.begin(), m.end());
    auto r = n->engine->records();
    v.records.assign(r.begin(), r.end());
    v.sync_in_progress = n->engine->sync_in_progress();
  }
  v.qdevice_registered = n->qdevice->registered();
  v.qdevice_polling = n->qdevice->polling();
  v.qdevice_cast_vote = n->qdevice->cast_vote();
  v.qdevice_master_wins = n->qdevice->master_wins();
  *out = std::move(v);
  return Status::Ok();
}

NodeView Cluster::Node(NodeId id) const {
  NodeView v;
  (void)GetNode(id, &v);
  return v;
}

bool Cluster::IsUp(NodeId id) const {
  const SimNode* n = impl_->Find(id);
  return n != nullptr && n->run != NodeRunState::kDown;
}

// ---------------- simulated quorum devices ----------------

namespace {
Status NeedRunning(ClusterImpl& c, std::span<const NodeId> ids) {
  Status st = c.CheckIds(ids);
  if (!st.ok()) return st;
  for (NodeId id : ids) {
    if (c.Find(id)->run == NodeRunState::kDown) {
      return Status::InvalidArgument("node " + std::to_string(id) + " is not up");
    }
    if (c.Find(id)->run == NodeRunState::kPaused) {
      return Status::InvalidArgument("node " + std::to_string(id) + " is paused");
    }
  }
  return Status::Ok();
}
}  // namespace

Status Cluster::QdeviceVote(std::span<const NodeId> ids, bool vote) {
  Status st = NeedRunning(*impl_, ids);
  if (!st.ok()) return st;
  for (NodeId id : ids) impl_->Find(id)->qdevice->Enable(vote);
  impl_->Pump();
  return Status::Ok();
}

Status Cluster::QdeviceStop(std::span<const NodeId> ids) {
  Status st = NeedRunning(*impl_, ids);
  if (!st.ok()) return st;
  for (NodeId id : ids) impl_->Find(id)->qdevice->Stop();
  return Status::Ok();
}

// ---------------- library requests: the one door ----------------

NodeId NodeServices::node_id() const { return node_.id; }
Engine& NodeServices::votequorum() { return *node_.engine; }
QuorumService& NodeServices::quorum() { return *node_.quorum; }
CmapService& NodeServices::cmap() {
  impl_.RefreshCmap(node_);
  return *node_.cmap;
}
std::vector<ConnId>& NodeServices::cfg_trackers() { return node_.cfg_trackers; }
void NodeServices::NotifyShutdown(ConnId conn, uint32_t flags) {
  if (ClientSink* sink = impl_.SinkFor(conn)) sink->OnCfgShutdown(flags);
}

CsError Cluster::CallImpl(ConnId conn, NodeId node, const char* call, Thunk thunk, void* fn) {
  SimNode* n = nullptr;
  CsError rc;
  if (conn != 0) {
    rc = impl_->ConnNode(conn, &n);
    if (const Conn* entry = impl_->conns_.Find(conn)) node = entry->node;
  } else {
    n = impl_->Find(node);
    rc = n == nullptr || n->run == NodeRunState::kDown ? CsError::kLibrary
         : n->run == NodeRunState::kPaused             ? CsError::kTryAgain
                                                        : CsError::kOk;
  }
  // Script commands always deliver pending traffic; a refused connection request does not.
  const bool pump = conn == 0 || rc == CsError::kOk;
  bool shutdown = false;
  NodeId kill = 0;
  if (rc == CsError::kOk) {
    NodeServices services(*this, *impl_, *n, conn);
    rc = thunk(fn, services);
    shutdown = services.shutdown_requested();
    kill = services.kill_requested();
    // corosync's votequorum watches quorum.cancel_wait_for_all: it re-reads its
    // configuration (unchanged here) and then cancels wait_for_all.
    if (n->cmap->TakeCancelWaitForAll() && n->engine) {
      (void)n->engine->Reload(impl_->config_.votequorum);
      n->engine->CancelWaitForAll();
    }
    if (n->cmap->tracked() && std::find(impl_->cmap_watch_.begin(), impl_->cmap_watch_.end(),
                                        node) == impl_->cmap_watch_.end()) {
      impl_->cmap_watch_.push_back(node);
    }
  }
  if (conn == 0 && n != nullptr) n->last_rc = rc;
  impl_->TraceApi(node, call, rc, conn);
  if (pump) {
    impl_->Pump();
    impl_->RefreshTrackedCmaps();
  }
  if (shutdown) (void)impl_->Leave(std::span<const NodeId>(&node, 1));
  if (kill != 0) (void)impl_->Crash(std::span<const NodeId>(&kill, 1));
  return rc;
}

// ---------------- convenience calls by node ----------------

CsError Cluster::NodeSetExpected(NodeId node, uint32_t expected_votes) {
  return CallOnNode(node, "setexpected",
                    [&](NodeServices& s) { return s.votequorum().SetExpected(expected_votes); });
}
CsError Cluster::NodeSetVotes(NodeId node, NodeId target, uint32_t votes) {
  return CallOnNode(node, "setvotes",
                    [&](NodeServices& s) { return s.votequorum().SetVotes(target, votes); });
}
CsError Cluster::NodeGetInfo(NodeId node, NodeId target, VoteInfo* info) {
  return CallOnNode(node, "getinfo",
                    [&](NodeServices& s) { return s.votequorum().GetInfo(target, info); });
}
CsError Cluster::NodeQdeviceOff(NodeId node) {
  SimNode* n = impl_->Find(node);
  if (n != nullptr && n->run == NodeRunState::kUp) n->qdevice->Stop();
  CsError rc = CallOnNode(node, "qdevice_unregister", [&](NodeServices& s) {
    return s.votequorum().QdeviceUnregister(kSimQdeviceName);
  });
  if (rc == CsError::kOk) n->qdevice->Unregistered();
  return rc;
}
CsError Cluster::NodeQdeviceMasterWins(NodeId node, bool allow) {
  CsError rc = CallOnNode(node, "qdevice_master_wins", [&](NodeServices& s) {
    return s.votequorum().QdeviceMasterWins(kSimQdeviceName, allow);
  });
  if (rc == CsError::kOk) impl_->Find(node)->qdevice->MasterWinsSet(allow);
  return rc;
}
CsError Cluster::NodeCancelWaitForAll(NodeId node) {
  return CallOnNode(node, "cancel_wait_for_all", [&](NodeServices& s) {
    s.votequorum().CancelWaitForAll();
    return CsError::kOk;
  });
}

// ---------------- library connections ----------------

CsError Cluster::Connect(NodeId node, ClientSink* sink, ConnId* conn) {
  SimNode* n = impl_->Find(node);
  CsError rc = CsError::kOk;
  if (n == nullptr || n->run == NodeRunState::kDown) {
    rc = CsError::kLibrary;
  } else if (n->run == NodeRunState::kPaused) {
    rc = CsError::kTryAgain;
  }
  if (rc == CsError::kOk) *conn = impl_->OpenInternalConnection(node, sink);
  impl_->TraceApi(node, "connect", rc, rc == CsError::kOk ? *conn : 0);
  return rc;
}

void Cluster::Disconnect(ConnId conn) {
  const Conn* found = impl_->conns_.Find(conn);
  if (found == nullptr) return;
  const Conn c = *found;
  SimNode* n = impl_->Find(c.node);
  if (!c.dead && n != nullptr && n->engine && n->incarnation == c.incarnation) {
    n->engine->ConnectionClosed(conn);
    n->quorum->ConnectionClosed(conn);
    std::erase(n->cfg_trackers, conn);
    n->cmap->ConnectionClosed(conn);
  }
  impl_->TraceApi(c.node, "disconnect", CsError::kOk, conn);
  impl_->conns_.Erase(conn);
}

std::optional<NodeId> Cluster::ConnectionNode(ConnId conn) const {
  const Conn* c = impl_->conns_.Find(conn);
  if (c == nullptr) return std::nullopt;
  return c->node;
}

void Cluster::SetTraceStream(std::ostream* os) { impl_->trace_.set_stream(os, impl_->now_); }

void Cluster::TraceCommand(std::string_view source, int line, std::string_view text) {
  if (!impl_->trace_.on()) return;
  internal::JsonLine j(impl_->now_, "command");
  j.Str("file", source).Num("line", static_cast<uint64_t>(line)).Str("text", text);
  impl_->trace_.Emit(j);
}
const std::vector<std::string>& Cluster::trace_lines() const { return impl_->trace_.lines(); }

}  // namespace quorumsim
