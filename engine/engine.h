// Engine: one node's votequorum service, as corosync 3.1's exec/votequorum.c runs it.
//
// A pure state machine. Inputs are method calls (membership change steps, a message
// delivered by the ring, a library request, a timer expiry); every effect is a call on
// the EngineOutput given at construction, made before the input method returns. There is
// no clock, no I/O and no thread: the caller (sim/ or a test) is the transport, the
// timer wheel and the IPC layer. Same inputs in the same order => same outputs.
//
// Contract with the caller, mirroring what totem + sync give corosync:
//  * Start() once, first. Its Broadcast (the node's own NODEINFO) must be held by the
//    transport until the node's first ring is operational, then delivered in that ring.
//  * A membership change is SyncInit on every member, then SyncProcess on every member
//    (the first call broadcasts; deliver all those messages to all members in agreed
//    order), SyncProcess repeated until every member returns true (a node may wait for
//    its quorum device's poll or its sync timeout), then SyncActivate on every member.
//  * Deliver() every broadcast of the ring to every member of that ring, the sender
//    included, in one agreed order.
//  * TimerExpired(kind) when a timer armed through EngineOutput::ArmTimer runs out and
//    was not cancelled or re-armed since.
//  * Library requests may arrive at any time, including during sync. Library-side
//    argument checks (NULL pointers, name length, dispatch type) belong to the caller;
//    the engine implements the daemon side and returns corosync's error code.
#ifndef QUORUMSIM_ENGINE_ENGINE_H_
#define QUORUMSIM_ENGINE_ENGINE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "engine/config.h"
#include "engine/messages.h"
#include "engine/output.h"
#include "engine/status.h"
#include "engine/types.h"

namespace quorumsim {

namespace internal {
class EngineState;
}

class Engine {
 public:
  // `out` must outlive the engine. `store` may be null: an in-memory store starting at 0
  // is used then. The store must outlive the engine.
  Engine(NodeId local_id, VotequorumConfig config, EngineOutput* out,
         ExpectedVotesStore* store = nullptr, Quirks quirks = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Reads the configuration (corosync's votequorum_readconfig), runs the first
  // recalculation and broadcasts the node's NODEINFO. A configuration corosync refuses to
  // start with returns InvalidConfig naming the key and value; the engine is then unusable.
  Status Start();

  // --- membership change (corosync sync service: init, process, activate) ---
  void SyncInit(const RingId& ring, std::span<const NodeId> members);
  // Returns true when this node's sync step is finished. The first call after SyncInit
  // broadcasts NODEINFO/qdevice info and sends the nodelist callbacks.
  bool SyncProcess();
  void SyncActivate();

  // --- ring traffic ---
  void Deliver(NodeId sender, const Message& msg);

  // --- timers ---
  void TimerExpired(TimerKind kind);

  // --- clean shutdown (corosync stopping normally; LEAVING with allow_downscale) ---
  void Shutdown();

  // --- runtime configuration reload (corosync's votequorum_refresh_config, spec §4.10) ---
  // Re-reads the run-time keys and broadcasts NODEINFO (own and device) plus RECONFIGURE
  // for changed votes/expected votes. Start-up-only keys keep their start-up values.
  // Returns InvalidConfig (and changes nothing) for values the configuration parser
  // would refuse; other problems only disable the quorum device, as in corosync.
  Status Reload(const VotequorumConfig& config);

  // --- library requests (daemon side) ---
  CsError GetInfo(NodeId node_id, VoteInfo* info) const;
  CsError SetExpected(uint32_t expected_votes);
  CsError SetVotes(NodeId node_id, uint32_t votes);
  // Sends the snapshot (if flags ask for it) through `out` before returning.
  CsError TrackStart(ConnId conn, uint64_t context, uint32_t flags);
  CsError TrackStop(ConnId conn);
  // The library connection went away (finalize or process exit): stop tracking it.
  void ConnectionClosed(ConnId conn);
  // std::nullopt means the reply is deferred until the registration message comes back
  // through the ring; it then arrives as EngineOutput::QdeviceRegisterReply(conn, ...).
  std::optional<CsError> QdeviceRegister(ConnId conn, std::string_view name);
  CsError QdeviceUnregister(std::string_view name);
  CsError QdeviceUpdate(std::string_view old_name, std::string_view new_name);
  CsError QdevicePoll(std::string_view name, bool cast_vote, const RingId& ring);
  CsError QdeviceMasterWins(std::string_view name, bool allow);
  // Writing quorum.cancel_wait_for_all >= 1 into the configuration map.
  void CancelWaitForAll();

  // --- read-only state, for simulators and tests ---
  NodeId local_id() const;
  bool quorate() const;
  uint32_t quorum() const;  // stored threshold (8 bits with the default quirks)
  RingId ring_id() const;   // ring id of the current (or syncing) ring; {0,0} before any
  std::span<const NodeId> members() const;      // current ring members
  std::span<const NodeRecord> records() const;  // node list, in corosync's order
  const NodeRecord& qdevice_record() const;
  bool sync_in_progress() const;
  const std::string& qdevice_name() const;
  bool wait_for_all_status() const;    // the WFA latch (runtime.votequorum.wait_for_all_status)
  uint32_t ev_tracking_barrier() const;  // in-memory expected_votes_tracking barrier
  // The runtime.votequorum.* keys this node's votequorum has written (for libcmap).
  VotequorumCmapKeys cmap_keys() const;

 private:
  std::unique_ptr<internal::EngineState> state_;
};

}  // namespace quorumsim

#endif  // QUORUMSIM_ENGINE_ENGINE_H_
