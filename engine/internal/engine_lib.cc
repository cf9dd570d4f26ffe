// Library requests (the daemon side of libvotequorum).
#include <algorithm>

#include "engine/internal/engine_state.h"

namespace quorumsim::internal {
namespace {

// The library refuses these names before they reach the daemon; the engine repeats the
// check so a caller that skips it still gets corosync's answer.
bool BadName(std::string_view name) { return name.empty() || name.size() >= kQdeviceMaxNameLen; }

}  // namespace

CsError EngineState::GetInfo(NodeId node_id, VoteInfo* info) const {
  if (phase_ != Phase::kRunning) return CsError::kLibrary;
  // Node id 0 means "this node" here, not the quorum device.
  const NodeId id = node_id == kQdeviceNodeId ? local_id_ : node_id;
  const NodeRecord* node = nodes_.Find(id);
  if (node == nullptr) return CsError::kNotExist;

  const uint32_t highest = nodes_.member_max_expected();
  uint32_t total = nodes_.member_votes();
  // The device votes are added according to the *queried* node's casting flag.
  if (node->flags & node_flags::kQdeviceCastVote) total += qdevice_.votes;

  VoteInfo v;
  v.node_id = node->node_id;
  v.node_state = node->state;
  v.node_votes = node->votes;
  v.node_expected_votes = node->expected_votes;
  v.highest_expected = highest;
  v.total_votes = total;
  v.quorum = quorum_;
  if (settings_.two_node) v.flags |= info_flags::kTwoNode;
  if (quorate_) v.flags |= info_flags::kQuorate;
  if (settings_.wait_for_all) v.flags |= info_flags::kWaitForAll;
  if (settings_.last_man_standing) v.flags |= info_flags::kLastManStanding;
  if (settings_.atb.mode != AtbMode::kNone) v.flags |= info_flags::kAutoTieBreaker;
  if (settings_.allow_downscale) v.flags |= info_flags::kAllowDownscale;
  if (node->flags & node_flags::kQdeviceRegistered) v.flags |= info_flags::kQdeviceRegistered;
  if (node->flags & node_flags::kQdeviceAlive) v.flags |= info_flags::kQdeviceAlive;
  if (node->flags & node_flags::kQdeviceCastVote) v.flags |= info_flags::kQdeviceCastVote;
  if (node->flags & node_flags::kQdeviceMasterWins) v.flags |= info_flags::kQdeviceMasterWins;
  v.qdevice_votes = qdevice_.votes;
  v.qdevice_name = qdevice_name_;
  *info = std::move(v);
  return CsError::kOk;
}

CsError EngineState::SetExpected(uint32_t expected_votes) {
  if (phase_ != Phase::kRunning) return CsError::kLibrary;
  // Validated without allow_downscale's floor (corosync switches it off for this check).
  const bool saved = settings_.allow_downscale;
  settings_.allow_downscale = false;
  uint32_t total = 0;
  const uint32_t newq = CalculateQuorum(true, expected_votes, &total);
  settings_.allow_downscale = saved;
  if (expected_votes < total || (quorate_ && newq > total)) return CsError::kInvalidParam;
  UpdateNodeExpected(expected_votes);
  out_->Broadcast(ReconfigureMsg{local_id_, expected_votes, ReconfigureMsg::kExpectedVotes});
  return CsError::kOk;
}

CsError EngineState::SetVotes(NodeId node_id, uint32_t votes) {
  if (phase_ != Phase::kRunning) return CsError::kLibrary;
  // Node id 0 is the quorum device's record here.
  NodeRecord* node = FindNode(node_id);
  if (node == nullptr) return CsError::kNameNotFound;
  const uint32_t saved = node->votes;
  SetRecordVotes(node, votes);  // kept on success: the local record changes before delivery
  uint32_t total = 0;
  const uint32_t newq = CalculateQuorum(true, 0, &total);
  if (newq < total / 2 || newq > total) {
    SetRecordVotes(node, saved);
    return CsError::kInvalidParam;
  }
  out_->Broadcast(ReconfigureMsg{node_id, votes, ReconfigureMsg::kNodeVotes});
  return CsError::kOk;
}

CsError EngineState::TrackStart(ConnId conn, uint64_t context, uint32_t flags) {
  if (phase_ != Phase::kRunning) return CsError::kLibrary;
  // The snapshot goes out even when the connection is already tracking.
  if (flags & (track_flags::kCurrent | track_flags::kChanges)) {
    out_->NodelistCallback(conn, context, ring_, members_);
    SendQuorumCallback(conn, context);
  }
  if (trackers_.IsTracking(conn)) return CsError::kExist;
  if (flags & (track_flags::kChanges | track_flags::kChangesOnly)) {
    trackers_.Add(Tracker{conn, context, flags});
  }
  return CsError::kOk;
}

CsError EngineState::TrackStop(ConnId conn) {
  if (phase_ != Phase::kRunning) return CsError::kLibrary;
  return trackers_.Remove(conn) ? CsError::kOk : CsError::kNotExist;
}

void EngineState::ConnectionClosed(ConnId conn) {
  // A pending qdevice registration is deliberately left alone (corosync does too).
  trackers_.Remove(conn);
}

std::optional<CsError> EngineState::QdeviceRegister(ConnId conn, std::string_view name) {
  if (phase_ != Phase::kRunning) return CsError::kLibrary;
  if (BadName(name)) return CsError::kInvalidParam;
  if (!settings_.qdevice_can_operate) return CsError::kAccess;
  if (nodes_.us().flags & node_flags::kQdeviceRegistered) {
    return name == qdevice_name_ ? CsError::kOk : CsError::kExist;
  }
  if (qdevice_reg_conn_) return CsError::kTryAgain;
  qdevice_reg_conn_ = conn;
  out_->Broadcast(QdeviceRegMsg{QdeviceRegMsg::kRegister, std::string(name)});
  return std::nullopt;  // answered when our announcement comes back through the ring
}

CsError EngineState::QdeviceUnregister(std::string_view name) {
  if (phase_ != Phase::kRunning) return CsError::kLibrary;
  if (BadName(name)) return CsError::kInvalidParam;
  NodeRecord& us = nodes_.us();
  if (!(us.flags & node_flags::kQdeviceRegistered)) return CsError::kNotExist;
  if (name != qdevice_name_) return CsError::kInvalidParam;
  if (qdevice_timer_set_) {
    out_->CancelTimer(TimerKind::kQdevice);
    qdevice_timer_set_ = false;
    sync_wait_for_poll_ = false;
  }
  // The local master_wins setting survives on purpose: corosync does not reset it.
  us.flags &= ~(node_flags::kQdeviceRegistered | node_flags::kQdeviceAlive |
                node_flags::kQdeviceCastVote | node_flags::kQdeviceMasterWins);
  SendNodeInfo(local_id_);
  out_->Broadcast(QdeviceRegMsg{QdeviceRegMsg::kUnregister, std::string(name)});
  return CsError::kOk;
}

CsError EngineState::QdeviceUpdate(std::string_view old_name, std::string_view new_name) {
  if (phase_ != Phase::kRunning) return CsError::kLibrary;
  if (BadName(old_name) || BadName(new_name)) return CsError::kInvalidParam;
  if (!(nodes_.us().flags & node_flags::kQdeviceRegistered)) return CsError::kNotExist;
  if (old_name != qdevice_name_) return CsError::kInvalidParam;
  out_->Broadcast(QdeviceReconfigureMsg{std::string(old_name), std::string(new_name)});
  return CsError::kOk;
}

CsError EngineState::QdevicePoll(std::string_view name, bool cast_vote, const RingId& ring) {
  if (phase_ != Phase::kRunning) return CsError::kLibrary;
  if (BadName(name)) return CsError::kInvalidParam;
  if (!settings_.qdevice_can_operate) return CsError::kAccess;
  NodeRecord& us = nodes_.us();
  if (!(us.flags & node_flags::kQdeviceRegistered)) return CsError::kNotExist;
  // The ring id is checked before the name.
  if (ring.rep != ring_.rep || ring.seq != ring_.seq) return CsError::kMessageError;
  if (name != qdevice_name_) return CsError::kInvalidParam;

  const uint32_t old_flags = us.flags;
  us.flags |= node_flags::kQdeviceAlive;
  if (cast_vote) {
    us.flags |= node_flags::kQdeviceCastVote;
  } else {
    us.flags &= ~node_flags::kQdeviceCastVote;
  }
  // The vote takes effect for us when this NODEINFO comes back through the ring.
  if (us.flags != old_flags) SendNodeInfo(local_id_);
  out_->ArmTimer(TimerKind::kQdevice, settings_.qdevice_timeout);
  qdevice_timer_set_ = true;
  sync_wait_for_poll_ = false;
  return CsError::kOk;
}

CsError EngineState::QdeviceMasterWins(std::string_view name, bool allow) {
  if (phase_ != Phase::kRunning) return CsError::kLibrary;
  if (BadName(name)) return CsError::kInvalidParam;
  if (!settings_.qdevice_can_operate) return CsError::kAccess;
  NodeRecord& us = nodes_.us();
  if (!(us.flags & node_flags::kQdeviceRegistered)) return CsError::kNotExist;
  if (name != qdevice_name_) return CsError::kInvalidParam;
  const uint32_t old_flags = us.flags;
  if (allow) {
    us.flags |= node_flags::kQdeviceMasterWins;
  } else {
    us.flags &= ~node_flags::kQdeviceMasterWins;
  }
  if (us.flags != old_flags) SendNodeInfo(local_id_);
  qdevice_master_wins_ = allow;
  qdevice_master_wins_written_ = true;
  return CsError::kOk;
}

void EngineState::CancelWaitForAll() {
  if (phase_ != Phase::kRunning) return;
  out_->Broadcast(ReconfigureMsg{local_id_, 0, ReconfigureMsg::kCancelWaitForAll});
}

}  // namespace quorumsim::internal
