// Cluster: a simulated corosync 3.1 cluster running votequorum, in virtual time.
//
// Every node runs its own quorumsim::Engine. The cluster plays the roles corosync's
// other parts play for votequorum: the totem transport (agreed-order broadcast inside a
// ring, virtually synchronous membership changes, ring ids), the sync service (init /
// process / barrier / activate), the timer wheel, the IPC layer for library connections
// and, optionally, a quorum-device daemon per node.
//
// Nothing here reads the wall clock. All activity is an event in one queue ordered by
// (virtual time, sequence number); the seed only drives message-delay jitter. Same
// configuration, seed and calls => same events, same trace, byte for byte.
//
// Single-threaded: the caller must serialise all calls (the C API layer wraps the
// cluster in a mutex). ClientSink methods are called from inside Cluster calls and must
// not call back into the Cluster.
//
// Faults and requests take effect at the current virtual time; membership changes then
// need virtual time to complete (see the timing model in sim/README or `quorumsim -h`):
// call Settle() (run until the cluster is settled) or RunFor(ms).
#ifndef QUORUMSIM_SIM_CLUSTER_H_
#define QUORUMSIM_SIM_CLUSTER_H_

#include <cstdint>
#include <iosfwd>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "engine/config.h"
#include "engine/output.h"
#include "engine/status.h"
#include "engine/types.h"
#include "sim/cmap_tree.h"
#include "sim/corosync_conf.h"
#include "sim/node_services.h"
#include "sim/quorum_service.h"

namespace quorumsim {

namespace internal {
class ClusterImpl;
}

// Network placement: nodes in the same partition can reach each other.
using PartitionId = uint32_t;

struct ClusterOptions {
  uint64_t seed = 0;      // drives message-delay jitter only
  Quirks quirks;          // engine quirks (defaults = corosync 3.1's behaviour)
  bool record_trace = false;  // keep trace lines in memory (trace_lines())
};

// Receives one library connection's callbacks (what votequorum_dispatch would run) and
// the deferred reply of qdevice_register. Called from inside Cluster calls.
class ClientSink {
 public:
  virtual ~ClientSink() = default;
  virtual void OnNodelist(uint64_t context, const RingId& ring,
                          std::span<const NodeId> members) = 0;
  virtual void OnQuorum(uint64_t context, bool quorate, std::span<const QuorumNode> nodes) = 0;
  virtual void OnExpectedVotes(uint64_t context, uint32_t expected_votes) = 0;
  virtual void OnQdeviceRegisterReply(CsError result) = 0;
  // The quorum service's notifications for a libquorum connection (quorum_service.h).
  // Default: ignore (a votequorum connection never tracks the quorum service).
  virtual void OnQuorumNotify(QuorumModel /*model*/, bool /*quorate*/, const RingId& /*ring*/,
                              std::span<const NodeId> /*view*/) {}
  virtual void OnQuorumNodelist(const RingId& /*ring*/, std::span<const NodeId> /*members*/,
                                std::span<const NodeId> /*joined*/,
                                std::span<const NodeId> /*left*/) {}
  // cfg's shutdown callback for a connection that called corosync_cfg_trackstart.
  virtual void OnCfgShutdown(uint32_t /*flags*/) {}
  // A key this libcmap connection tracks changed (a null value: none).
  virtual void OnCmapNotify(uint64_t /*track*/, int32_t /*event*/, const std::string& /*key*/,
                            const CmapValue* /*new_value*/, const CmapValue* /*old_value*/) {}
  // The node's daemon went away (crash, leave): the connection is dead; every later
  // request on it returns CS_ERR_LIBRARY. Default: ignore.
  virtual void OnDisconnected() {}
  // The Cluster is being destroyed while this connection is still open: the sink must
  // never call into it again (it answers later requests with CS_ERR_LIBRARY, like a
  // client whose daemon is gone). Called from ~Cluster. Default: ignore.
  virtual void OnClusterDestroyed() {}
};

enum class NodeRunState { kDown, kUp, kPaused };

// One node as the simulator sees it.
struct NodeView {
  NodeId node_id = 0;
  NodeRunState run_state = NodeRunState::kDown;
  PartitionId partition = 0;
  // Order of arrival in its partition (larger = later): corosync-vqsim lists a
  // partition's nodes in this order. A node arrives when it starts or moves in.
  uint64_t placement = 0;
  // Last internal quorum-service notification (what corosync-vqsim prints).
  bool reported = false;  // false until the first notification of this incarnation
  bool quorate = false;
  RingId ring;                   // ring id of that notification
  std::vector<NodeId> members;   // ring members of that notification
  // Engine state now (valid when run_state != kDown).
  VoteInfo info;                 // votequorum_getinfo(0) on the node
  RingId engine_ring;            // engine's current (or syncing) ring id
  std::vector<NodeId> engine_members;
  std::vector<NodeRecord> records;
  bool sync_in_progress = false;
  // Result of the last library call made through the cluster's calls by node
  // (NodeSetExpected, NodeSetVotes, NodeQdeviceUnregister, ...); nullopt if none was
  // ever made. It survives crashes and restarts of the node.
  std::optional<CsError> last_rc;
  // Simulated quorum device of this node.
  bool qdevice_registered = false;  // the simulated device believes it is registered
  bool qdevice_polling = false;
  bool qdevice_cast_vote = false;
  bool qdevice_master_wins = false;
};

// What the simulated transport keeps in memory and has done (for memory checks and
// benchmarks).
struct SimStats {
  size_t live_rings = 0;       // rings not yet freed (a ring is freed once no node is in it)
  size_t ring_slots = 0;       // ring objects allocated: live ones + freed ones kept for reuse
  size_t logged_messages = 0;  // message-log entries not yet received by every member
  size_t pending_events = 0;   // events in the queue (timers included)
  uint64_t deliveries = 0;     // messages handed to engines since the cluster was made
};

class Cluster {
 public:
  // Up to kMaxNodes (384) nodes; node ids must be non-zero and unique.
  static Status Create(const ClusterConfig& config, const ClusterOptions& options,
                       std::unique_ptr<Cluster>* out);
  static Status FromConfText(std::string_view text, std::string_view filename,
                             const ClusterOptions& options, std::unique_ptr<Cluster>* out);
  static Status FromConfFile(const std::string& path, const ClusterOptions& options,
                             std::unique_ptr<Cluster>* out);
  // `nodes` empty => the ids of config.nodelist.
  static Status FromVotequorumConfig(const VotequorumConfig& config,
                                     std::vector<NodeId> nodes, const TotemConfig& totem,
                                     const ClusterOptions& options,
                                     std::unique_ptr<Cluster>* out);
  ~Cluster();
  Cluster(const Cluster&) = delete;

  // Runs `fn` at the start of ~Cluster, before any state is freed (in registration order).
  // Used by the client library, whose handles may outlive the cluster.
  void AddDestroyListener(std::function<void()> fn);
  Cluster& operator=(const Cluster&) = delete;

  // --- configuration ---
  const std::vector<NodeId>& node_ids() const;  // configured nodes, nodelist order
  bool HasNode(NodeId id) const;
  const ClusterConfig& config() const;
  // Message delay for every ring broadcast, plus a uniform random jitter in
  // [0, jitter_ms] drawn from the seed. Agreed order is kept regardless.
  void SetMessageDelay(uint64_t delay_ms, uint64_t jitter_ms = 0);
  // Re-seeds the jitter generator.
  void SetSeed(uint64_t seed);

  // --- faults (take effect now; Settle()/RunFor() let them complete) ---
  // Starts nodes that are down (fresh engine; the expected_votes_tracking store of the
  // node survives). Errors: unknown id, node already up.
  Status Up(std::span<const NodeId> ids);
  Status StartAll();  // every configured node that is down
  // Process killed: node DEAD for the others after token timeout + consensus.
  Status Crash(std::span<const NodeId> ids);
  // Crash (if up) then start again.
  Status Restart(std::span<const NodeId> ids);
  // Clean shutdown: Engine::Shutdown, its messages delivered, then the node leaves;
  // the others re-form quickly (join timeout).
  Status Leave(std::span<const NodeId> ids);
  // Process stopped / continued. A paused node does nothing; the others lose it after
  // token timeout + consensus; on resume its overdue timers fire and it rejoins.
  Status Pause(std::span<const NodeId> ids);
  Status Resume(std::span<const NodeId> ids);
  // Network placement. Moving a node that is down is allowed (it starts there later).
  Status MoveToPartition(std::span<const NodeId> ids, PartitionId partition);
  // Splits the network into the given groups: group i goes to partition i; nodes not
  // listed stay where they are.
  Status Split(const std::vector<std::vector<NodeId>>& groups);
  // Merges partitions `others` into `into`.
  Status JoinPartitions(PartitionId into, std::span<const PartitionId> others);

  // --- virtual time ---
  uint64_t now_ms() const;
  // Runs until settled: every membership change has completed on every live node (ring
  // formed, sync done, all messages delivered, notifications sent). Timers that are
  // merely armed do not fire (unless a sync is waiting for one). Error if the cluster
  // does not settle within `limit_ms` of virtual time.
  Status Settle(uint64_t limit_ms = 24ull * 3600 * 1000);
  // Advances virtual time by `ms`, running every event (timers included) on the way.
  void RunFor(uint64_t ms);
  bool settled() const;

  // --- state ---
  Status GetNode(NodeId id, NodeView* out) const;
  NodeView Node(NodeId id) const;  // default NodeView for unknown ids
  bool IsUp(NodeId id) const;      // running (paused counts as up)
  SimStats stats() const;

  // --- simulated quorum device (one per node) ---
  // Registers (if needed), then polls at once and every device.timeout/2, with the ring
  // id of the latest nodelist notification, casting `vote`.
  Status QdeviceVote(std::span<const NodeId> ids, bool vote);
  Status QdeviceOn(std::span<const NodeId> ids) { return QdeviceVote(ids, true); }
  // Stops polling but stays registered (the device times out).
  Status QdeviceStop(std::span<const NodeId> ids);

  // --- convenience library calls by node (a per-node internal connection) ---
  // Each returns the call's result, records it as the node's last_rc, and processes the
  // resulting ring traffic before returning.
  CsError NodeSetExpected(NodeId node, uint32_t expected_votes);
  CsError NodeSetVotes(NodeId node, NodeId target, uint32_t votes);
  CsError NodeGetInfo(NodeId node, NodeId target, VoteInfo* info);
  CsError NodeCancelWaitForAll(NodeId node);
  // The node's device stops polling, then votequorum_qdevice_unregister("Qdevice").
  // CS_ERR_NOT_EXIST (and nothing changes) when no device is registered.
  CsError NodeQdeviceOff(NodeId node);
  // votequorum_qdevice_master_wins("Qdevice", allow) at once; CS_ERR_NOT_EXIST when no
  // device is registered (the setting is not remembered for a later registration).
  CsError NodeQdeviceMasterWins(NodeId node, bool allow);

  // --- library connections (libvotequorum handles bound to nodes) ---
  // CS_ERR_LIBRARY if the node is down (daemon absent); CS_ERR_TRY_AGAIN if paused.
  CsError Connect(NodeId node, ClientSink* sink, ConnId* conn);
  // Closes the connection (engine ConnectionClosed). Unknown/dead ids are ignored.
  void Disconnect(ConnId conn);
  std::optional<NodeId> ConnectionNode(ConnId conn) const;
  // The one door for library requests: runs fn(NodeServices&) -> CsError on the
  // connection's node. CS_ERR_BAD_HANDLE for an unknown connection, CS_ERR_LIBRARY when
  // its node is down or restarted since Connect, CS_ERR_TRY_AGAIN when it is paused; the
  // call is traced as `call` with its result, and the ring traffic it caused is
  // delivered before this returns (sim/node_services.h).
  template <typename F>
  CsError Call(ConnId conn, const char* call, F&& fn) {
    return CallImpl(conn, 0, call, &Invoke<F>, &fn);
  }
  // The same on behalf of a node itself (script commands): the node's last_rc records
  // the result; NodeServices::conn() is 0.
  template <typename F>
  CsError CallOnNode(NodeId node, const char* call, F&& fn) {
    return CallImpl(0, node, call, &Invoke<F>, &fn);
  }

  // --- trace: one JSON object per line, {"t":ms,"ev":"...",...} ---
  // Event schema: sim/TRACE.md (the stream's first line names its version).
  void SetTraceStream(std::ostream* os);  // nullptr: none
  // A "command" event: a script line `text` (from `source`, line `line`) runs now.
  void TraceCommand(std::string_view source, int line, std::string_view text);
  const std::vector<std::string>& trace_lines() const;  // if options.record_trace

 private:
  explicit Cluster(std::unique_ptr<internal::ClusterImpl> impl);
  using Thunk = CsError (*)(void* fn, NodeServices& services);
  template <typename F>
  static CsError Invoke(void* fn, NodeServices& services) {
    return (*static_cast<std::remove_reference_t<F>*>(fn))(services);
  }
  CsError CallImpl(ConnId conn, NodeId node, const char* call, Thunk thunk, void* fn);
  std::unique_ptr<internal::ClusterImpl> impl_;
  std::vector<std::function<void()>> destroy_listeners_;
};

}  // namespace quorumsim

#endif  // QUORUMSIM_SIM_CLUSTER_H_
