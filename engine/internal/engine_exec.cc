// Ring traffic and the three sync steps of a membership change.
#include <algorithm>
#include <type_traits>

#include "engine/internal/engine_state.h"

namespace quorumsim::internal {

void EngineState::Deliver(NodeId sender, const Message& msg) {
  if (phase_ != Phase::kRunning) return;
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, NodeInfoMsg>) {
          OnNodeInfo(sender, m);
        } else if constexpr (std::is_same_v<T, ReconfigureMsg>) {
          OnReconfigure(m);
        } else if constexpr (std::is_same_v<T, QdeviceRegMsg>) {
          OnQdeviceReg(sender, m);
        } else {
          OnQdeviceReconfigure(m);
        }
      },
      msg);
}

void EngineState::OnNodeInfo(NodeId sender, const NodeInfoMsg& msg) {
  const NodeId id = msg.node_id;
  NodeRecord* node = FindNode(id);
  bool is_new = false;
  if (node == nullptr) {
    node = nodes_.Add(id);
    if (node == nullptr) return;  // corosync would abort: no free record slot
    is_new = true;
  }
  // A new record compares as if it had been a dead, empty one.
  const NodeRecord old = is_new ? NodeRecord{id, NodeState::kDead, 0, 0, 0} : *node;
  bool allow_decrease = false;
  bool by_members = false;

  if (id == kQdeviceNodeId) {
    // Device votes: an inquorate node takes a quorate sender's value, otherwise the
    // larger value wins.
    const NodeRecord* from = FindNode(sender);
    const bool sender_quorate = from != nullptr && (from->flags & node_flags::kQuorate);
    if (!quorate_ && sender_quorate) {
      node->votes = msg.votes;
    } else {
      node->votes = std::max(node->votes, msg.votes);
    }
  } else {
    // `node` is a list record here (id != 0): votes, state and expected votes change
    // through NodeList so its member aggregates follow.
    NodeRecord& us = nodes_.us();
    node->flags = msg.flags;
    nodes_.SetVotes(*node, msg.votes);
    nodes_.SetState(*node, NodeState::kMember);
    if (node->flags & node_flags::kLeaving) {
      nodes_.SetState(*node, NodeState::kLeaving);
      allow_decrease = true;
      by_members = true;
    }
    // An inquorate node adopts a quorate peer's expected votes (without a callback).
    if (!quorate_ && (node->flags & node_flags::kQuorate)) {
      allow_decrease = true;
      nodes_.SetExpected(us, msg.expected_votes);
    }
    // Only quorate senders (or any sender with tracking) may push their expected votes.
    if ((node->flags & node_flags::kQuorate) || settings_.ev_tracking) {
      nodes_.SetExpected(*node, msg.expected_votes);
    } else {
      nodes_.SetExpected(*node, us.expected_votes);
    }
    if (settings_.last_man_standing && node->votes > 1) {
      // last_man_standing needs one vote per node; a weighted node switches it off for good.
      settings_.last_man_standing = false;
      if (lms_timer_set_) {
        out_->CancelTimer(TimerKind::kLastManStanding);
        lms_timer_set_ = false;
      }
    }
  }

  if (is_new || id == local_id_ || (node->flags & node_flags::kFirst) || old.votes != node->votes ||
      old.expected_votes != node->expected_votes || old.flags != node->flags ||
      old.state != node->state) {
    Recalculate(allow_decrease, by_members);
  }
  // Checked after the recalculation: clearing the latch does not re-decide by itself.
  if (settings_.wait_for_all && !(node->flags & node_flags::kWfaStatus) &&
      (node->flags & node_flags::kQuorate)) {
    SetWfaStatus(false);
  }
}

void EngineState::OnReconfigure(const ReconfigureMsg& msg) {
  switch (msg.param) {
    case ReconfigureMsg::kExpectedVotes: {
      UpdateNodeExpected(msg.value);
      // Announced with the requested value even if tracking raises it again below.
      SendExpectedVotesCallbacks();
      ev_barrier_ = msg.value;
      NodeRecord& us = nodes_.us();
      if (settings_.ev_tracking) nodes_.SetExpected(us, std::max(us.expected_votes, ev_tracking_barrier_));
      Recalculate(true, false);
      break;
    }
    case ReconfigureMsg::kNodeVotes: {
      NodeRecord* node = FindNode(msg.node_id);
      if (node == nullptr) return;
      SetRecordVotes(node, msg.value);
      Recalculate(true, false);
      break;
    }
    case ReconfigureMsg::kCancelWaitForAll:
      SetWfaStatus(false);
      Recalculate(false, false);
      break;
  }
}

void EngineState::OnQdeviceReg(NodeId sender, const QdeviceRegMsg& msg) {
  if (msg.operation == QdeviceRegMsg::kRegister) {
    if (sender != local_id_) {
      // A peer's device: learn the cluster-wide name if we have none yet.
      if (qdevice_name_.empty()) qdevice_name_ = msg.name;
      return;
    }
    NodeRecord& us = nodes_.us();
    // Our own re-announcement at a sync, with no registration waiting for it.
    if (us.flags & node_flags::kQdeviceRegistered) return;
    if (!qdevice_reg_conn_) return;
    if (qdevice_name_.empty()) qdevice_name_ = msg.name;
    CsError result = CsError::kOk;
    if (msg.name == qdevice_name_) {
      us.flags |= node_flags::kQdeviceRegistered;
      SendNodeInfo(kQdeviceNodeId);
      SendNodeInfo(local_id_);
    } else {
      result = CsError::kExist;  // the cluster already uses another device name
    }
    const ConnId conn = *qdevice_reg_conn_;
    qdevice_reg_conn_.reset();
    out_->QdeviceRegisterReply(conn, result);
    return;
  }
  // Unregister: forget the name once no member has a registered device any more.
  for (const NodeRecord& r : nodes_.records()) {
    if (r.state == NodeState::kMember && (r.flags & node_flags::kQdeviceRegistered)) return;
  }
  qdevice_name_.clear();
}

void EngineState::OnQdeviceReconfigure(const QdeviceReconfigureMsg& msg) {
  if (msg.old_name == qdevice_name_) qdevice_name_ = msg.new_name;
}

// ---------------------------------------------------------------------------------------
// Sync

void EngineState::SyncInit(const RingId& ring, std::span<const NodeId> members) {
  if (phase_ != Phase::kRunning) return;
  sync_in_progress_ = true;
  sync_nodeinfo_sent_ = false;
  sync_wait_for_poll_ = false;

  NodeRecord& us = nodes_.us();
  if (members.size() > 1) us.flags &= ~node_flags::kFirst;

  // Whoever was in the previous ring and is missing now is dead to us. Rings list their
  // members in ascending order, so look them up by binary search (a linear search made
  // every membership change quadratic per node); other callers get the plain search.
  const bool sorted = std::is_sorted(members.begin(), members.end());
  const auto in_new_ring = [&](NodeId id) {
    return sorted ? std::binary_search(members.begin(), members.end(), id)
                  : std::find(members.begin(), members.end(), id) != members.end();
  };
  bool left = false;
  for (NodeId id : members_) {
    if (in_new_ring(id)) continue;
    left = true;
    if (NodeRecord* r = FindNode(id)) SetRecordState(r, NodeState::kDead);
  }

  if (settings_.last_man_standing) {
    // Node counts compared with a vote threshold: valid because LMS implies 1 vote each.
    const uint64_t n = members.size();
    if ((n >= quorum_ && left) ||
        (n <= quorum_ && settings_.atb.mode != AtbMode::kNone && LowestIsMember())) {
      out_->ArmTimer(TimerKind::kLastManStanding, settings_.last_man_standing_window);
      lms_timer_set_ = true;
    }
  }

  previous_members_.assign(members_.begin(), members_.end());
  members_.assign(members.begin(), members.end());
  ring_ = ring;

  // A live device must poll with the new ring id before our sync step may finish.
  constexpr uint32_t kLive = node_flags::kQdeviceRegistered | node_flags::kQdeviceAlive;
  if ((us.flags & kLive) == kLive) {
    out_->ArmTimer(TimerKind::kQdevice, settings_.qdevice_sync_timeout);
    qdevice_timer_set_ = true;
    sync_wait_for_poll_ = true;
  }
}

bool EngineState::SyncProcess() {
  if (phase_ != Phase::kRunning) return true;
  if (!sync_nodeinfo_sent_) {
    SendNodeInfo(local_id_);
    SendNodeInfo(kQdeviceNodeId);
    if (!qdevice_name_.empty()) {
      out_->Broadcast(QdeviceRegMsg{QdeviceRegMsg::kRegister, qdevice_name_});
    }
    SendNodelistCallbacks();
    sync_nodeinfo_sent_ = true;
  }
  return !((nodes_.us().flags & node_flags::kQdeviceRegistered) && sync_wait_for_poll_);
}

void EngineState::SyncActivate() {
  if (phase_ != Phase::kRunning) return;
  Recalculate(false, false);
  // Always reported at the end of a membership change, even when nothing changed.
  NotifyQuorumService();
  SendQuorumCallbacks();
  sync_in_progress_ = false;
}

}  // namespace quorumsim::internal
