// ClusterImpl: the state behind sim/cluster.h. Split over three files:
//   cluster_impl.cc  nodes, faults, events, timers, library connections
//   transport.cc     mock totem: components, ring formation timing, agreed-order delivery,
//                    the sync driver
//   (sim/cluster.cc  the public forwarding layer)
#ifndef QUORUMSIM_SIM_INTERNAL_CLUSTER_IMPL_H_
#define QUORUMSIM_SIM_INTERNAL_CLUSTER_IMPL_H_

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "sim/cluster.h"
#include "sim/corosync_conf.h"
#include "sim/internal/conn_table.h"
#include "sim/internal/event_queue.h"
#include "sim/internal/trace.h"
#include "sim/qdevice_sim.h"

namespace quorumsim::internal {

class ClusterImpl;
struct SimNode;

// The expected_votes_tracking barrier file of one node (survives restarts).
class MemoryStore final : public ExpectedVotesStore {
 public:
  Status Load(uint32_t* value) override {
    exists_ = true;
    *value = value_;
    return Status::Ok();
  }
  Status Save(uint32_t value) override {
    exists_ = true;
    value_ = value;
    return Status::Ok();
  }

 private:
  bool exists_ = false;
  uint32_t value_ = 0;
};

// Routes one node's engine effects into the cluster. Holds its SimNode directly: these
// calls run for every message and callback, too often for an id lookup each.
class NodeOutput final : public EngineOutput {
 public:
  NodeOutput(ClusterImpl* c, SimNode* node);
  void Broadcast(const Message& msg) override;
  void NodelistCallback(ConnId conn, uint64_t context, const RingId& ring,
                        std::span<const NodeId> members) override;
  void QuorumCallback(ConnId conn, uint64_t context, bool quorate,
                      std::span<const QuorumNode> nodes) override;
  void ExpectedVotesCallback(ConnId conn, uint64_t context, uint32_t expected_votes) override;
  void QdeviceRegisterReply(ConnId conn, CsError result) override;
  void QuorumServiceNotify(bool quorate, std::span<const NodeId> members,
                           const RingId& ring) override;
  void ArmTimer(TimerKind kind, uint64_t delay_ms) override;
  void CancelTimer(TimerKind kind) override;

 private:
  ClusterImpl* c_;
  SimNode* node_;
  NodeId id_;
};

struct SimNode {
  NodeId id = 0;
  NodeRunState run = NodeRunState::kDown;
  PartitionId partition = 0;
  uint64_t placement = 0;     // order of arrival in its partition (vqsim prints this order)
  uint32_t incarnation = 0;   // bumped at every start and every death
  std::unique_ptr<NodeOutput> out;
  std::unique_ptr<Engine> engine;
  MemoryStore store;          // survives restarts
  uint64_t seq_seen = 0;      // highest ring sequence seen (survives restarts, as on disk)
  // Transport state.
  int ring = -1;              // index into rings_, -1 before the first ring
  size_t cursor = 0;          // messages of `ring`'s log delivered to this node
  std::vector<Message> held;  // sent while no ring was operational
  uint64_t start_at = 0;      // when it started (or resumed without a ring)
  std::optional<uint64_t> loss_since;  // lost an unclean member of its ring at
  std::optional<uint64_t> join_since;  // saw another difference at
  bool resumed_fresh = false; // resumed after a pause; its token timer already expired
  bool clean_exit = false;    // went down through Leave
  bool leaving = false;       // Shutdown called, exit pending
  bool sync_done = false;
  uint64_t timer_gen[kTimerKinds] = {};
  std::vector<Event> deferred;  // events that came due while paused
  // Last internal quorum notification.
  bool reported = false;
  bool quorate = false;
  RingId notified_ring;
  std::vector<NodeId> notified_members;
  std::optional<CsError> last_rc;
  std::unique_ptr<QdeviceSim> qdevice;
};

struct Ring {
  RingId id;
  std::vector<NodeId> members;  // ascending
  std::vector<SimNode*> nodes;  // the members' SimNodes, same order (no lookups per message)
  struct Entry {
    NodeId sender;
    Message msg;
  };
  // A deque so that delivering an entry by reference is safe while the delivery appends.
  std::deque<Entry> log;
  uint64_t last_delivery_time = 0;
  size_t pending = 0;    // kDeliver events scheduled for this ring and not yet run
  bool closed = false;   // replaced (fully or partly) by a newer ring
  bool syncing = false;
  // Operational() memo, valid while ClusterImpl::topology_epoch_ == op_epoch.
  mutable uint64_t op_epoch = UINT64_MAX;
  mutable bool op_value = false;
};

class ClusterImpl final : public QdeviceHost {
 public:
  ClusterImpl(const ClusterConfig& config, std::vector<NodeId> nodes,
              const ClusterOptions& options);
  Status Validate() const;

  // --- lookups ---
  SimNode* Find(NodeId id);
  const SimNode* Find(NodeId id) const;
  bool Live(const SimNode& n) const { return n.run == NodeRunState::kUp; }
  // Call after changing anything Operational() looks at: a node's run state, leaving,
  // ring or partition, or a ring's closed flag.
  void TopologyChanged() { ++topology_epoch_; }

  // --- faults ---
  Status CheckIds(std::span<const NodeId> ids) const;
  Status StartNode(SimNode& n);
  void KillNode(SimNode& n, bool clean);
  Status Up(std::span<const NodeId> ids);
  Status Crash(std::span<const NodeId> ids);
  Status Restart(std::span<const NodeId> ids);
  Status Leave(std::span<const NodeId> ids);
  Status Pause(std::span<const NodeId> ids);
  Status Resume(std::span<const NodeId> ids);
  Status Move(std::span<const NodeId> ids, PartitionId p);

  // --- events ---
  void Schedule(uint64_t at, EventKind kind, NodeId node, uint64_t a = 0, uint64_t b = 0);
  void ProcessNext();
  void Dispatch(const Event& e);
  Status Settle(uint64_t limit_ms);
  void RunFor(uint64_t ms);
  // True when nothing is pending but periodic device polls and the engine timers those
  // polls keep re-arming: from here on every poll interval repeats the previous one.
  bool OnlyIdlePolling() const;
  void Pump();  // until every scheduled ring delivery is done
  bool IsSettled() const;
  size_t ActiveSyncs() const;

  // --- transport (transport.cc) ---
  bool Operational(const Ring& r) const;  // memoised per topology epoch
  bool ComputeOperational(const Ring& r) const;
  void Broadcast(SimNode& sender, const Message& msg);
  void Append(int ring, NodeId sender, const Message& msg);
  void DeliverUpTo(SimNode& n, size_t upto);
  void OnDeliverEvent(int ring, size_t index);
  void Recompute();  // after any topology change: loss/join bookkeeping + next check
  void OnReformCheck();
  void FormRing(const std::vector<SimNode*>& members);
  void AdvanceSyncs();
  uint64_t TokenTimeout() const;
  uint64_t Consensus() const;
  std::optional<uint64_t> ReformDueAt(const std::vector<SimNode*>& group) const;
  uint64_t NextJitter();

  // --- QdeviceHost ---
  Engine* EngineOf(NodeId node) override;
  ConnId OpenInternalConnection(NodeId node, ClientSink* sink) override;
  void ScheduleQdevicePollNow(NodeId node) override;
  void ScheduleQdevicePeriodic(NodeId node, uint64_t delay_ms, uint64_t generation) override;
  void TraceQdevice(NodeId node, const char* what, CsError rc) override;

  // --- connections ---
  ClientSink* SinkFor(ConnId conn);
  // Checks the connection; on success sets *node.
  CsError ConnNode(ConnId conn, SimNode** node);
  void TraceApi(NodeId node, const char* call, CsError rc, uint64_t conn = 0);

  ClusterConfig config_;
  std::vector<NodeId> order_;                  // configured order
  std::vector<std::unique_ptr<SimNode>> nodes_;  // ascending id
  std::vector<NodeId> ids_;                      // nodes_' ids, for binary search
  ClusterOptions options_;
  Trace trace_;
  EventQueue queue_;
  uint64_t now_ = 0;
  uint64_t placement_counter_ = 0;
  uint64_t topology_epoch_ = 0;
  std::vector<std::unique_ptr<Ring>> rings_;
  std::set<int> syncing_;
  std::set<uint64_t> checks_;  // scheduled reform-check times
  size_t pending_deliveries_ = 0;
  uint64_t delay_ms_ = 0;
  uint64_t jitter_ms_ = 0;
  uint64_t rng_ = 0;
  ConnTable conns_;
  uint32_t device_timeout_ms_ = 10000;
  // Bumped by every event that can change state, except a periodic device poll (a poll
  // that changes something broadcasts or calls back, and those bump it).
  uint64_t activity_ = 0;
};

}  // namespace quorumsim::internal

#endif  // QUORUMSIM_SIM_INTERNAL_CLUSTER_IMPL_H_
