#include "engine/internal/engine_state.h"

#include <algorithm>
#include <utility>

#include "engine/internal/arithmetic.h"

namespace quorumsim::internal {

EngineState::EngineState(NodeId local_id, VotequorumConfig config, EngineOutput* out,
                         ExpectedVotesStore* store, Quirks quirks)
    : local_id_(local_id),
      config_(std::move(config)),
      out_(out),
      store_(store != nullptr ? store : &own_store_),
      quirks_(quirks),
      nodes_(local_id, quirks.unsorted_node_list) {
  members_.reserve(kMaxNodes);
  previous_members_.reserve(kMaxNodes);
  quorum_nodes_scratch_.reserve(NodeList::kCapacity + 1);
}

// ---------------------------------------------------------------------------------------
// Life cycle

Status EngineState::Start() {
  if (phase_ != Phase::kCreated) return Status::Internal("Start() called twice");
  NodeRecord& us = nodes_.us();
  nodes_.SetState(us, NodeState::kMember);
  nodes_.SetVotes(us, 1);
  us.flags |= node_flags::kFirst;

  ReadConfigInput in;
  in.local_id = local_id_;
  in.runtime = false;
  in.store = store_;
  ReadConfigResult r;
  Status st = ReadConfig(config_, in, &settings_, &r);
  if (!st.ok()) {
    phase_ = Phase::kFailed;
    return st;
  }
  // votequorum_readconfig writes atb_type at start-up only when auto_tie_breaker is on.
  atb_type_written_ = config_.auto_tie_breaker.value_or(0) != 0;
  NoteDeviceConfigured(config_);
  ApplyConfig(r);
  phase_ = Phase::kRunning;
  Recalculate(false, false);
  SendNodeInfo(local_id_);
  return Status::Ok();
}

Status EngineState::Reload(const VotequorumConfig& config) {
  if (phase_ != Phase::kRunning) return Status::Internal("engine is not running");
  // The configuration parser refuses out-of-range values before votequorum sees them.
  if (Status st = ValidateValueRanges(config); !st.ok()) return st;
  config_ = config;
  const uint32_t old_votes = nodes_.us().votes;
  const uint32_t old_expected = nodes_.us().expected_votes;

  ReadConfigInput in;
  in.local_id = local_id_;
  in.runtime = true;
  in.qdevice_registered = (nodes_.us().flags & node_flags::kQdeviceRegistered) != 0;
  in.wfa_latch = wfa_status_;
  in.ev_tracking_barrier = ev_tracking_barrier_;
  in.store = store_;
  ReadConfigResult r;
  Status st = ReadConfig(config_, in, &settings_, &r);
  if (!st.ok()) return st;
  // A runtime read rewrites atb_type first thing, whatever the configuration says.
  atb_type_written_ = true;
  NoteDeviceConfigured(config_);
  if (r.applied) ApplyConfig(r);

  // Announce the (possibly) new values, as votequorum_refresh_config does.
  SendNodeInfo(local_id_);
  SendNodeInfo(kQdeviceNodeId);
  const NodeRecord& us = nodes_.us();
  if (us.votes != old_votes) {
    out_->Broadcast(ReconfigureMsg{local_id_, us.votes, ReconfigureMsg::kNodeVotes});
  }
  if (us.expected_votes != old_expected) {
    out_->Broadcast(ReconfigureMsg{local_id_, nodes_.us().expected_votes, ReconfigureMsg::kExpectedVotes});
  }
  return Status::Ok();
}

void EngineState::Shutdown() {
  if (phase_ != Phase::kRunning) return;
  // Only allow_downscale tells the others; a plain shutdown looks like a failure to them.
  if (settings_.allow_downscale) {
    nodes_.us().flags |= node_flags::kLeaving;
    SendNodeInfo(local_id_);
  }
  if (lms_timer_set_) {
    out_->CancelTimer(TimerKind::kLastManStanding);
    lms_timer_set_ = false;
  }
  if (qdevice_timer_set_) {
    out_->CancelTimer(TimerKind::kQdevice);
    qdevice_timer_set_ = false;
  }
  phase_ = Phase::kStopped;
}

void EngineState::ApplyConfig(const ReadConfigResult& r) {
  if (r.loaded_ev_barrier) {
    persisted_barrier_ = *r.loaded_ev_barrier;
    UpdateEvTrackingBarrier(*r.loaded_ev_barrier);
  }
  NodeRecord& us = nodes_.us();
  nodes_.SetVotes(us, r.us_votes);
  if (r.us_expected) nodes_.SetExpected(us, *r.us_expected);
  if (r.qdevice_votes) qdevice_.votes = *r.qdevice_votes;
  ev_barrier_ = us.expected_votes;
  cmap_two_node_ = settings_.two_node ? 1 : 0;
  if (r.wfa_latch == ReadConfigResult::Latch::kSet) SetWfaStatus(true);
  if (r.wfa_latch == ReadConfigResult::Latch::kClear) SetWfaStatus(false);
}

// ---------------------------------------------------------------------------------------
// Arithmetic

NodeRecord* EngineState::FindNode(NodeId id) {
  if (id == local_id_) return &nodes_.us();
  if (id == kQdeviceNodeId) return &qdevice_;
  return nodes_.Find(id);
}

void EngineState::SetRecordVotes(NodeRecord* r, uint32_t votes) {
  if (r == &qdevice_) {
    r->votes = votes;
  } else {
    nodes_.SetVotes(*r, votes);
  }
}

void EngineState::SetRecordState(NodeRecord* r, NodeState state) {
  if (r == &qdevice_) {
    r->state = state;
  } else {
    nodes_.SetState(*r, state);
  }
}

uint32_t EngineState::CalculateQuorum(bool allow_decrease, uint32_t max_expected,
                                      uint32_t* total_votes) const {
  ThresholdInputs in;
  in.highest_expected = nodes_.member_max_expected();
  in.total_votes = nodes_.member_votes();
  in.node_count = nodes_.member_count();
  // The device counts on this node only if this node's own device casts its vote.
  if (nodes_.us().flags & node_flags::kQdeviceCastVote) {
    in.total_votes += qdevice_.votes;
    ++in.node_count;
  }
  in.stored_quorum = quorum_;
  in.allow_decrease = allow_decrease;
  in.max_expected = max_expected;
  in.allow_downscale = settings_.allow_downscale;
  in.ev_barrier = ev_barrier_;
  in.two_node = settings_.two_node;
  if (total_votes != nullptr) *total_votes = in.total_votes;
  return ComputeThreshold(in);
}

void EngineState::UpdateNodeExpected(uint32_t expected) {
  if (expected == 0) return;
  nodes_.SetMembersExpected(expected);
}

void EngineState::Recalculate(bool allow_decrease, bool by_members) {
  // The "raise" total: configured device votes count here whether or not a device is
  // registered or voting (corosync's get_total_votes).
  uint32_t raise_total = nodes_.member_votes();
  uint32_t raise_count = nodes_.member_count();
  if (qdevice_.votes != 0) {
    raise_total += qdevice_.votes;
    ++raise_count;
  }
  if (!by_members) raise_count = 0;

  if (raise_total > nodes_.us().expected_votes) {
    nodes_.SetExpected(nodes_.us(), raise_total);
    SendExpectedVotesCallbacks();
  }
  if (settings_.ev_tracking && nodes_.us().expected_votes > ev_tracking_barrier_) {
    UpdateEvTrackingBarrier(nodes_.us().expected_votes);
  }
  uint32_t total_votes = 0;
  const uint32_t q = CalculateQuorum(allow_decrease, raise_count, &total_votes);
  quorum_ = StoreThreshold(q, quirks_.quorum_threshold_wraps_at_256);
  UpdateNodeExpected(raise_count);
  Decide(total_votes);
}

void EngineState::Decide(uint32_t total_votes) {
  NodeRecord& us = nodes_.us();
  if (settings_.wait_for_all && wfa_status_) {
    // Still waiting for everybody: only an exact match of all expected votes releases us.
    if (total_votes != us.expected_votes) return;
    SetWfaStatus(false);
  }

  bool quorate = quorum_ <= total_votes;
  if (quorate) {
    // Remember the extreme ids only while quorate by votes (auto_tie_breaker history).
    const int32_t local = static_cast<int32_t>(local_id_);
    lowest_node_id_ = std::min(local, nodes_.member_low_id());
    highest_node_id_ = std::max(local, nodes_.member_high_id());
    extreme_ids_written_ = true;
  }

  // The tie-breaker compares node counts with the vote threshold, as corosync does.
  const int64_t left = static_cast<int64_t>(previous_members_.size()) -
                       static_cast<int64_t>(members_.size());
  if (settings_.atb.mode != AtbMode::kNone && total_votes == us.expected_votes / 2 &&
      left < static_cast<int64_t>(quorum_) && CheckAutoTieBreaker()) {
    quorate = true;
  }
  if (qdevice_master_wins_ && !quorate && CheckQdeviceMaster()) quorate = true;

  const bool changed = quorate != quorate_;
  quorate_ = quorate;
  if (quorate) {
    us.flags |= node_flags::kQuorate;
  } else {
    us.flags &= ~node_flags::kQuorate;
  }
  // The latch re-arms on every inquorate verdict, not only at start-up.
  if (settings_.wait_for_all) SetWfaStatus(!quorate);

  if (changed && !sync_in_progress_) {
    NotifyQuorumService();
    SendQuorumCallbacks();
  }
}

void EngineState::SetWfaStatus(bool on) {
  wfa_status_ = on;
  wfa_status_written_ = true;
  if (on) {
    nodes_.us().flags |= node_flags::kWfaStatus;
  } else {
    nodes_.us().flags &= ~node_flags::kWfaStatus;
  }
}

void EngineState::UpdateEvTrackingBarrier(uint32_t value) {
  ev_tracking_barrier_ = value;
  // corosync writes through a descriptor it closed after loading, so nothing reaches the
  // file (update_ev_tracking_barrier); with the quirk off the value is really kept.
  if (quirks_.ev_tracking_never_persisted) return;
  if (persisted_barrier_ && *persisted_barrier_ == value) return;
  if (store_->Save(value).ok()) persisted_barrier_ = value;
}

void EngineState::NoteDeviceConfigured(const VotequorumConfig& c) {
  // votequorum_qdevice_is_configured writes qdevice_can_operate whenever a model is named;
  // every later write of it happens only with a device configured.
  if (c.device_model && !c.device_model->empty()) qdevice_can_operate_written_ = true;
}

VotequorumCmapKeys EngineState::cmap_keys() const {
  VotequorumCmapKeys k;
  k.ev_barrier = ev_barrier_;
  k.two_node = cmap_two_node_;
  if (wfa_status_written_) k.wait_for_all_status = wfa_status_ ? 1 : 0;
  if (extreme_ids_written_) {
    k.lowest_node_id = static_cast<uint32_t>(lowest_node_id_);
    k.highest_node_id = static_cast<uint32_t>(highest_node_id_);
  }
  if (atb_type_written_) k.atb_type = static_cast<uint32_t>(settings_.atb.mode);
  if (qdevice_can_operate_written_) k.qdevice_can_operate = settings_.qdevice_can_operate ? 1 : 0;
  if (qdevice_master_wins_written_) k.qdevice_master_wins = qdevice_master_wins_ ? 1 : 0;
  // The barrier is written at start-up whenever tracking is on, and tracking never changes.
  if (settings_.ev_tracking) k.ev_tracking_barrier = ev_tracking_barrier_;
  return k;
}

// Ids are unique in the list, so "some MEMBER record has this id" is one lookup.
bool EngineState::LowestIsMember() const {
  const NodeRecord* r = nodes_.Find(static_cast<NodeId>(lowest_node_id_));
  return r != nullptr && r->state == NodeState::kMember;
}

bool EngineState::HighestIsMember() const {
  const NodeRecord* r = nodes_.Find(static_cast<NodeId>(highest_node_id_));
  return r != nullptr && r->state == NodeState::kMember;
}

bool EngineState::CheckAutoTieBreaker() const {
  switch (settings_.atb.mode) {
    case AtbMode::kLowest: return LowestIsMember();
    case AtbMode::kHighest: return HighestIsMember();
    case AtbMode::kNone:
    case AtbMode::kList: break;
  }
  const auto contains = [](std::span<const NodeId> ids, NodeId id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  };
  // The first listed node present here wins, unless a node listed before it was with us
  // in the previous ring: it may now be on the other side.
  const auto& list = settings_.atb.list;
  for (size_t i = 0; i < list.size(); ++i) {
    if (!contains(members_, list[i])) continue;
    for (size_t j = 0; j < i; ++j) {
      if (contains(previous_members_, list[j])) return false;
    }
    return true;
  }
  return false;
}

bool EngineState::CheckQdeviceMaster() const {
  constexpr uint32_t kBoth = node_flags::kQdeviceMasterWins | node_flags::kQdeviceCastVote;
  for (const NodeRecord& r : nodes_.records()) {
    if (r.state == NodeState::kMember && (r.flags & kBoth) == kBoth) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------
// Outputs

void EngineState::SendNodeInfo(NodeId id) {
  const NodeRecord* r = FindNode(id);
  if (r == nullptr) return;
  out_->Broadcast(NodeInfoMsg{id, r->votes, r->expected_votes, r->flags});
}

void EngineState::SendExpectedVotesCallbacks() {
  const uint32_t expected = nodes_.us().expected_votes;
  trackers_.ForEach([&](const Tracker& t) { out_->ExpectedVotesCallback(t.conn, t.context, expected); });
}

const std::vector<QuorumNode>& EngineState::BuildQuorumNodes() {
  quorum_nodes_scratch_.clear();
  for (const NodeRecord& r : nodes_.records()) quorum_nodes_scratch_.push_back({r.node_id, r.state});
  // The device entry carries the pseudo-record's state, which corosync never assigns (0).
  if (nodes_.us().flags & node_flags::kQdeviceRegistered) {
    quorum_nodes_scratch_.push_back({kQdeviceNodeId, qdevice_.state});
  }
  return quorum_nodes_scratch_;
}

void EngineState::SendQuorumCallback(ConnId conn, uint64_t context) {
  const auto& nodes = BuildQuorumNodes();
  out_->QuorumCallback(conn, context, quorate_, nodes);
}

void EngineState::SendQuorumCallbacks() {
  if (trackers_.empty()) return;
  const auto& nodes = BuildQuorumNodes();
  trackers_.ForEach([&](const Tracker& t) { out_->QuorumCallback(t.conn, t.context, quorate_, nodes); });
}

void EngineState::SendNodelistCallbacks() {
  trackers_.ForEach([&](const Tracker& t) { out_->NodelistCallback(t.conn, t.context, ring_, members_); });
}

void EngineState::NotifyQuorumService() { out_->QuorumServiceNotify(quorate_, members_, ring_); }

// ---------------------------------------------------------------------------------------
// Timers

void EngineState::TimerExpired(TimerKind kind) {
  if (phase_ != Phase::kRunning) return;
  if (kind == TimerKind::kLastManStanding) {
    if (!lms_timer_set_) return;
    lms_timer_set_ = false;
    // Only a quorate node shrinks expected votes to the current member count.
    if (quorate_) Recalculate(true, true);
    return;
  }
  // The device timer: poll timeout, or the sync wait for a first poll in a new ring.
  NodeRecord& us = nodes_.us();
  if (!(us.flags & node_flags::kQdeviceAlive) || !qdevice_timer_set_) return;
  us.flags &= ~(node_flags::kQdeviceAlive | node_flags::kQdeviceCastVote);
  SendNodeInfo(local_id_);
  qdevice_timer_set_ = false;
  sync_wait_for_poll_ = false;
}

}  // namespace quorumsim::internal
