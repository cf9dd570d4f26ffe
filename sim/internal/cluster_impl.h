// ClusterImpl: the state behind sim/cluster.h.
//   cluster_impl.cc  nodes, faults, events, timers, library connections
//   transport.*      mock totem (a type of its own): rings, formation timing, agreed-order
//                    delivery, the sync driver
//   sim_node.h       one simulated node
//   (sim/cluster.cc  the public forwarding layer)
#ifndef QUORUMSIM_SIM_INTERNAL_CLUSTER_IMPL_H_
#define QUORUMSIM_SIM_INTERNAL_CLUSTER_IMPL_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "sim/cluster.h"
#include "sim/corosync_conf.h"
#include "sim/internal/conn_table.h"
#include "sim/internal/event_queue.h"
#include "sim/internal/sim_node.h"
#include "sim/internal/trace.h"
#include "sim/internal/transport.h"
#include "sim/qdevice_sim.h"

namespace quorumsim::internal {

class ClusterImpl;

// Routes one node's engine effects into the cluster. Holds its SimNode directly: these
// calls run for every message and callback, too often for an id lookup each.
class NodeOutput final : public EngineOutput, public QuorumServiceOutput, public CmapServiceOutput {
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
  // QuorumServiceOutput
  void QuorumNotify(ConnId conn, QuorumModel model, bool quorate, const RingId& ring,
                    std::span<const NodeId> view) override;
  void QuorumNodelistNotify(ConnId conn, const RingId& ring, std::span<const NodeId> members,
                            std::span<const NodeId> joined,
                            std::span<const NodeId> left) override;
  // CmapServiceOutput
  void CmapNotify(ConnId conn, uint64_t track, int32_t event, const std::string& key,
                  const CmapValue* new_value, const CmapValue* old_value) override;

 private:
  ClusterImpl* c_;
  SimNode* node_;
  NodeId id_;
};

class ClusterImpl final : public QdeviceHost, public TransportHost {
 public:
  ClusterImpl(const ClusterConfig& config, std::vector<NodeId> nodes,
              const ClusterOptions& options);
  Status Validate() const;

  // --- lookups ---
  SimNode* Find(NodeId id);
  const SimNode* Find(NodeId id) const;
  bool Live(const SimNode& n) const { return n.Live(); }
  // Call after changing anything the transport's Operational() looks at: a node's run
  // state, leaving flag or partition.
  void TopologyChanged() { transport_.Invalidate(); }
  // Call once a fault is complete: the transport re-plans ring formations.
  void Recompute() { transport_.TopologyChanged(); }

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

  // --- TransportHost ---
  uint64_t Now() const override { return now_; }
  void ScheduleTransport(uint64_t at, EventKind kind, uint64_t a, uint64_t b) override {
    Schedule(at, kind, 0, a, b);
  }
  void NoteActivity() override { ++activity_; }
  void ServicesSyncInit(SimNode& n, std::span<const NodeId> trans, const RingId& ring,
                        std::span<const NodeId> members) override {
    n.quorum->SyncInit(trans, members, ring);
    n.cmap->RingChanged(n.last_ring, members);
    n.last_ring.assign(members.begin(), members.end());
  }
  void ServicesSyncActivate(SimNode& n) override { n.quorum->SyncActivate(); }

  // --- QdeviceHost ---
  Engine* EngineOf(NodeId node) override;
  ConnId OpenInternalConnection(NodeId node, ClientSink* sink) override;
  void ScheduleQdevicePollNow(NodeId node) override;
  void ScheduleQdevicePeriodic(NodeId node, uint64_t delay_ms, uint64_t generation) override;
  void TraceQdevice(NodeId node, const char* what, CsError rc) override;

  // --- the configuration map ---
  // Brings a node's runtime cmap keys up to date (before a library reads them).
  void RefreshCmap(SimNode& n);
  // After every event: nodes whose cmap has trackers hear of changes as they happen.
  void RefreshTrackedCmaps();
  std::vector<NodeId> cmap_watch_;  // nodes whose cmap had a tracker

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
  Transport transport_;  // after nodes_ and trace_, which it refers to
  ConnTable conns_;
  uint32_t device_timeout_ms_ = 10000;
  // Bumped by every event that can change state, except a periodic device poll (a poll
  // that changes something broadcasts or calls back, and those bump it).
  uint64_t activity_ = 0;
};

}  // namespace quorumsim::internal

#endif  // QUORUMSIM_SIM_INTERNAL_CLUSTER_IMPL_H_
