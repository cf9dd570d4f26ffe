// Transport: the mock totem transport as a type of its own.
//
// It owns everything a real totem keeps between the processes: the rings and their message
// logs, which rings are syncing, the pending re-form checks, the message delay and jitter
// and the jitter's random stream. The cluster (ClusterImpl) owns the nodes, the clock and
// the event queue, and talks to the transport through a small interface:
//   Broadcast          a node's engine sends a message
//   Invalidate         something Operational() looks at changed (cheap, mid-change)
//   TopologyChanged    a fault is complete: re-plan the ring formations
//   OnEventDue         a transport event (re-form check, delivery) came due
//   AfterEvent         after every event: advance syncs, free finished rings
// plus per-node hooks (started, stopped, resumed). The timing model is in transport.cc.
#ifndef QUORUMSIM_SIM_INTERNAL_TRANSPORT_H_
#define QUORUMSIM_SIM_INTERNAL_TRANSPORT_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "engine/messages.h"
#include "engine/types.h"
#include "sim/corosync_conf.h"
#include "sim/internal/event_queue.h"
#include "sim/internal/trace.h"

namespace quorumsim::internal {

struct SimNode;

// Names a ring across frees: a slot of the ring table plus that slot's generation. A
// freed slot is reused with the next generation, so a stale handle never matches a ring
// that came later in the same slot.
struct RingHandle {
  static constexpr uint32_t kNone = UINT32_MAX;
  uint32_t slot = kNone;
  uint32_t gen = 0;
  bool valid() const { return slot != kNone; }
  // Events carry a handle in one 64-bit field.
  uint64_t Pack() const { return (static_cast<uint64_t>(gen) << 32) | slot; }
  static RingHandle Unpack(uint64_t v) {
    return RingHandle{static_cast<uint32_t>(v), static_cast<uint32_t>(v >> 32)};
  }
  friend bool operator==(RingHandle, RingHandle) = default;
};

// The transport's per-node state, kept inside the node (SimNode::link) so that the hot
// paths reach it without a lookup. Only the transport writes it.
struct NodeLink {
  RingHandle ring;              // none before the first ring
  uint64_t cursor = 0;          // log position (absolute, see Ring::base) delivered to it
  std::vector<Message> held;    // sent while no ring was operational
  uint64_t seq_seen = 0;        // highest ring sequence seen (survives restarts, as on disk)
  uint64_t start_at = 0;        // when it started (or resumed without a ring)
  std::optional<uint64_t> loss_since;  // lost an unclean member of its ring at
  std::optional<uint64_t> join_since;  // saw another difference at
  bool resumed_fresh = false;   // resumed after a pause; its token timer already expired
  bool sync_done = false;
};

// What the transport needs from the cluster besides the nodes.
class TransportHost {
 public:
  virtual uint64_t Now() const = 0;
  // Queues a transport event (kReformCheck or kDeliver) for `at`.
  virtual void ScheduleTransport(uint64_t at, EventKind kind, uint64_t a, uint64_t b) = 0;
  // A state change happened (see ClusterImpl::activity_).
  virtual void NoteActivity() = 0;
  // corosync's other sync services around votequorum's: a new membership is starting on
  // `n` (`trans`: the members that come from n's previous ring), and every member has
  // passed the services that sync before votequorum (the quorum service activates there).
  virtual void ServicesSyncInit(SimNode& n, std::span<const NodeId> trans, const RingId& ring,
                                std::span<const NodeId> members) = 0;
  virtual void ServicesSyncActivate(SimNode& n) = 0;

 protected:
  ~TransportHost() = default;
};

struct TransportStats {
  size_t live_rings = 0;      // rings not yet freed
  size_t ring_slots = 0;      // ring objects allocated (live + free for reuse)
  size_t logged_messages = 0; // log entries kept by live rings
  uint64_t deliveries = 0;    // messages handed to engines
};

class Transport {
 public:
  // `nodes` is the cluster's node table (ascending id); it must outlive the transport.
  Transport(TransportHost* host, const std::vector<std::unique_ptr<SimNode>>* nodes,
            const TotemConfig& totem, size_t nodelist_size, Trace* trace);
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  void SetDelay(uint64_t delay_ms, uint64_t jitter_ms) {
    delay_ms_ = delay_ms;
    jitter_ms_ = jitter_ms;
  }
  void SetSeed(uint64_t seed) { rng_ = seed; }

  // --- the interface the cluster uses ---
  void Broadcast(SimNode& sender, const Message& msg);
  void Invalidate() { ++epoch_; }
  void TopologyChanged();
  void OnEventDue(const Event& e);
  void AfterEvent();

  // --- per-node hooks ---
  void NodeStarted(SimNode& n, uint64_t now);  // a fresh process: no ring yet
  void NodeStopped(SimNode& n);                // crashed or exited: leaves its ring
  void NodeResumed(SimNode& n, uint64_t now);

  // --- queries ---
  // When the last message of the node's ring is delivered (now if none).
  uint64_t LastDeliveryTime(const SimNode& n, uint64_t now) const;
  size_t ActiveSyncs() const;
  size_t pending_deliveries() const { return pending_deliveries_; }
  TransportStats Stats() const;

 private:
  struct Ring;

  Ring& At(RingHandle h) const;
  bool Operational(const Ring& r) const;  // memoised per epoch
  bool ComputeOperational(const Ring& r) const;
  RingHandle NewRing();
  void Release(SimNode& n);  // n leaves its ring
  void FreeRing(Ring& r);
  void Append(Ring& r, NodeId sender, const Message& msg);
  void DeliverUpTo(SimNode& n, uint64_t upto);
  void DeliverIn(Ring& r, SimNode& n, uint64_t upto);
  [[gnu::noinline, gnu::cold]] void TraceDelivery(const SimNode& n, NodeId sender,
                                                  const Message& msg);
  void OnDeliver(RingHandle h, uint64_t index);
  void Compact(Ring& r);
  void Recompute();
  void OnReformCheck();
  void FormRing(std::span<SimNode* const> members);
  void AdvanceSyncs();
  void FreeOrphans();
  std::optional<uint64_t> ReformDueAt(std::span<SimNode* const> group) const;
  // Fills groups_ with the reachable groups (live nodes that have a ring, by partition).
  void CollectGroups();
  uint64_t NextJitter();

  TransportHost* host_;
  const std::vector<std::unique_ptr<SimNode>>* nodes_;
  Trace* trace_;
  uint64_t token_ms_;
  uint64_t consensus_ms_;
  uint64_t join_ms_;

  // Ring table: slots keep their Ring objects (and the buffers inside) for reuse.
  std::vector<std::unique_ptr<Ring>> slots_;
  std::vector<uint32_t> free_slots_;
  size_t live_rings_ = 0;
  std::vector<RingHandle> syncing_;  // in formation order (the order syncs complete in)
  std::vector<RingHandle> orphans_;  // rings no node is in any more, freed once drained
  std::vector<uint64_t> checks_;     // scheduled re-form check times, ascending
  uint64_t epoch_ = 0;               // Operational() memo key
  size_t pending_deliveries_ = 0;
  uint64_t deliveries_ = 0;
  uint64_t delay_ms_ = 0;
  uint64_t jitter_ms_ = 0;
  uint64_t rng_ = 0;

  // Scratch buffers reused by every re-plan (no allocation per transition).
  std::vector<SimNode*> group_nodes_;                 // by (partition, id)
  std::vector<std::pair<size_t, size_t>> groups_;     // [begin, end) into group_nodes_
  std::vector<NodeId> group_ids_;
  std::vector<SimNode*> due_nodes_;
  std::vector<std::pair<size_t, size_t>> due_;
  struct RingView {
    RingHandle ring;
    bool missing_clean;    // a member not reachable any more that left cleanly
    bool missing_unclean;  // one that did not
    bool outsider;         // a node of the group that is not in this ring
  };
  std::vector<RingView> views_;
  std::vector<RingHandle> done_;
  std::vector<std::vector<NodeId>> trans_;  // FormRing scratch: transitional lists
};

}  // namespace quorumsim::internal

#endif  // QUORUMSIM_SIM_INTERNAL_TRANSPORT_H_
