// EngineState: the whole per-node votequorum state and its transitions. Engine (the
// public class) only forwards to it. The split into files follows corosync's structure:
//   engine_state.cc  quorum recalculation, decision, configuration, timers
//   engine_exec.cc   ring traffic (NODEINFO, RECONFIGURE, QDEVICE_*) and sync steps
//   engine_lib.cc    library requests
#ifndef QUORUMSIM_ENGINE_INTERNAL_ENGINE_STATE_H_
#define QUORUMSIM_ENGINE_INTERNAL_ENGINE_STATE_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/config.h"
#include "engine/memory_ev_store.h"
#include "engine/messages.h"
#include "engine/output.h"
#include "engine/internal/node_list.h"
#include "engine/internal/read_config.h"
#include "engine/internal/settings.h"
#include "engine/internal/trackers.h"

namespace quorumsim::internal {

class EngineState {
 public:
  EngineState(NodeId local_id, VotequorumConfig config, EngineOutput* out,
              ExpectedVotesStore* store, Quirks quirks);

  Status Start();
  Status Reload(const VotequorumConfig& config);
  void Shutdown();

  void SyncInit(const RingId& ring, std::span<const NodeId> members);
  bool SyncProcess();
  void SyncActivate();
  void Deliver(NodeId sender, const Message& msg);
  void TimerExpired(TimerKind kind);

  CsError GetInfo(NodeId node_id, VoteInfo* info) const;
  CsError SetExpected(uint32_t expected_votes);
  CsError SetVotes(NodeId node_id, uint32_t votes);
  CsError TrackStart(ConnId conn, uint64_t context, uint32_t flags);
  CsError TrackStop(ConnId conn);
  void ConnectionClosed(ConnId conn);
  std::optional<CsError> QdeviceRegister(ConnId conn, std::string_view name);
  CsError QdeviceUnregister(std::string_view name);
  CsError QdeviceUpdate(std::string_view old_name, std::string_view new_name);
  CsError QdevicePoll(std::string_view name, bool cast_vote, const RingId& ring);
  CsError QdeviceMasterWins(std::string_view name, bool allow);
  void CancelWaitForAll();

  // Read-only views.
  NodeId local_id() const { return local_id_; }
  bool running() const { return phase_ == Phase::kRunning; }
  bool quorate() const { return quorate_; }
  uint32_t quorum() const { return quorum_; }
  RingId ring_id() const { return ring_; }
  std::span<const NodeId> members() const { return members_; }
  std::span<const NodeRecord> records() const { return nodes_.records(); }
  const NodeRecord& qdevice_record() const { return qdevice_; }
  bool sync_in_progress() const { return sync_in_progress_; }
  const std::string& qdevice_name() const { return qdevice_name_; }
  bool wait_for_all_status() const { return wfa_status_; }
  uint32_t ev_barrier() const { return ev_barrier_; }
  uint32_t ev_tracking_barrier() const { return ev_tracking_barrier_; }
  const Settings& settings() const { return settings_; }
  VotequorumCmapKeys cmap_keys() const;

 private:
  enum class Phase { kCreated, kRunning, kFailed, kStopped };

  // --- arithmetic on the records (engine_state.cc) ---
  // corosync's calculate_quorum: returns the unstored threshold and the quorum total.
  uint32_t CalculateQuorum(bool allow_decrease, uint32_t max_expected, uint32_t* total_votes) const;
  void Recalculate(bool allow_decrease, bool by_members);
  void Decide(uint32_t total_votes);
  void UpdateNodeExpected(uint32_t expected);
  void SetWfaStatus(bool on);
  void UpdateEvTrackingBarrier(uint32_t value);
  void NoteDeviceConfigured(const VotequorumConfig& c);
  void ApplyConfig(const ReadConfigResult& r);
  bool LowestIsMember() const;
  bool HighestIsMember() const;
  bool CheckAutoTieBreaker() const;
  bool CheckQdeviceMaster() const;
  NodeRecord* FindNode(NodeId id);  // 0 = the qdevice record
  // Writes to a record FindNode returned: the qdevice record directly, list records
  // through NodeList so its member aggregates stay right.
  void SetRecordVotes(NodeRecord* r, uint32_t votes);
  void SetRecordState(NodeRecord* r, NodeState state);

  // --- outputs ---
  void SendNodeInfo(NodeId id);
  void SendExpectedVotesCallbacks();
  void SendQuorumCallback(ConnId conn, uint64_t context);
  void SendQuorumCallbacks();
  void SendNodelistCallbacks();
  void NotifyQuorumService();
  const std::vector<QuorumNode>& BuildQuorumNodes();

  // --- ring traffic (engine_exec.cc) ---
  void OnNodeInfo(NodeId sender, const NodeInfoMsg& msg);
  void OnReconfigure(const ReconfigureMsg& msg);
  void OnQdeviceReg(NodeId sender, const QdeviceRegMsg& msg);
  void OnQdeviceReconfigure(const QdeviceReconfigureMsg& msg);

  const NodeId local_id_;
  VotequorumConfig config_;
  EngineOutput* const out_;
  MemoryEvStore own_store_;
  ExpectedVotesStore* const store_;
  const Quirks quirks_;
  Phase phase_ = Phase::kCreated;

  Settings settings_;
  NodeList nodes_;
  NodeRecord qdevice_{kQdeviceNodeId, NodeState::kNone, 0, 0, 0};

  uint32_t quorum_ = 0;  // stored threshold (8 bits wide with the default quirks)
  bool quorate_ = false;
  bool wfa_status_ = false;
  // Remembered for auto_tie_breaker; corosync keeps them as int starting at -1.
  int32_t lowest_node_id_ = -1;
  int32_t highest_node_id_ = -1;
  uint32_t ev_barrier_ = 0;
  uint32_t ev_tracking_barrier_ = 0;
  std::optional<uint32_t> persisted_barrier_;  // what the store holds, when known

  // Which runtime.votequorum.* keys corosync would have written by now, and the value of
  // runtime.votequorum.two_node (written only when a configuration read completes).
  // Bookkeeping for cmap_keys(); nothing decides on them.
  bool wfa_status_written_ = false;
  bool extreme_ids_written_ = false;
  bool atb_type_written_ = false;
  bool qdevice_can_operate_written_ = false;
  bool qdevice_master_wins_written_ = false;
  uint8_t cmap_two_node_ = 0;

  std::vector<NodeId> members_;
  std::vector<NodeId> previous_members_;
  RingId ring_{};

  std::string qdevice_name_;
  bool qdevice_master_wins_ = false;
  std::optional<ConnId> qdevice_reg_conn_;

  bool sync_in_progress_ = false;
  bool sync_nodeinfo_sent_ = false;
  bool sync_wait_for_poll_ = false;
  bool lms_timer_set_ = false;
  bool qdevice_timer_set_ = false;

  Trackers trackers_;
  std::vector<QuorumNode> quorum_nodes_scratch_;
};

}  // namespace quorumsim::internal

#endif  // QUORUMSIM_ENGINE_INTERNAL_ENGINE_STATE_H_
