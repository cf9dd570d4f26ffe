#include "sim/quorum_service.h"

#include <algorithm>

namespace quorumsim {

namespace {
bool Contains(std::span<const NodeId> list, NodeId id) {
  return std::find(list.begin(), list.end(), id) != list.end();
}
}  // namespace

QuorumService::QuorumService(QuorumServiceOutput* out, bool provider)
    : out_(out), provider_(provider), quorate_(!provider) {}

void QuorumService::SyncInit(std::span<const NodeId> trans, std::span<const NodeId> members,
                             const RingId& ring) {
  members_.assign(members.begin(), members.end());
  sync_ring_ = ring;
  // Left: activated members that did not come along (not in the transitional list), or
  // came along but are not in the new membership.
  left_.clear();
  for (NodeId id : old_members_) {
    if (!Contains(trans, id) || !Contains(members_, id)) left_.push_back(id);
  }
  // Joined: new members that were not activated members, or that left and came back
  // within this change.
  joined_.clear();
  for (NodeId id : members_) {
    if (!Contains(old_members_, id) || Contains(left_, id)) joined_.push_back(id);
  }
}

void QuorumService::SyncActivate() {
  old_members_ = members_;
  for (ConnId conn : trackers_) {
    if (const Client* c = FindClient(conn)) SendNodelist(*c, /*with_changes=*/true);
  }
}

void QuorumService::SetQuorum(bool quorate, std::span<const NodeId> view, const RingId& ring) {
  quorate_ = quorate;
  view_.assign(view.begin(), view.end());
  quorum_ring_ = ring;
  for (ConnId conn : trackers_) {
    if (const Client* c = FindClient(conn)) SendQuorum(*c);
  }
}

void QuorumService::Connected(ConnId conn) { clients_.push_back(Client{conn}); }

void QuorumService::ConnectionClosed(ConnId conn) {
  trackers_.erase(std::remove(trackers_.begin(), trackers_.end(), conn), trackers_.end());
  clients_.erase(std::remove_if(clients_.begin(), clients_.end(),
                                [conn](const Client& c) { return c.conn == conn; }),
                 clients_.end());
}

CsError QuorumService::SetModel(ConnId conn, uint32_t model) {
  Client* c = FindClient(conn);
  if (c == nullptr) return CsError::kBadHandle;
  if (model != static_cast<uint32_t>(QuorumModel::kV0) &&
      model != static_cast<uint32_t>(QuorumModel::kV1)) {
    return CsError::kInvalidParam;
  }
  c->model = static_cast<QuorumModel>(model);
  return CsError::kOk;
}

CsError QuorumService::TrackStart(ConnId conn, uint32_t flags) {
  Client* c = FindClient(conn);
  if (c == nullptr) return CsError::kBadHandle;
  if ((flags & (track_flags::kCurrent | track_flags::kChanges)) != 0) {
    SendNodelist(*c, /*with_changes=*/false);
    SendQuorum(*c);
  }
  if (c->tracking) return CsError::kExist;
  if ((flags & (track_flags::kChanges | track_flags::kChangesOnly)) != 0) {
    c->tracking = true;
    trackers_.insert(trackers_.begin(), conn);
  }
  return CsError::kOk;
}

CsError QuorumService::TrackStop(ConnId conn) {
  Client* c = FindClient(conn);
  if (c == nullptr) return CsError::kBadHandle;
  if (c->tracking) {
    c->tracking = false;
    trackers_.erase(std::remove(trackers_.begin(), trackers_.end(), conn), trackers_.end());
  }
  return CsError::kOk;
}

QuorumService::Client* QuorumService::FindClient(ConnId conn) {
  for (Client& c : clients_) {
    if (c.conn == conn) return &c;
  }
  return nullptr;
}

void QuorumService::SendQuorum(const Client& c) {
  out_->QuorumNotify(c.conn, c.model, quorate_, quorum_ring_, view_);
}

void QuorumService::SendNodelist(const Client& c, bool with_changes) {
  if (c.model != QuorumModel::kV1) return;
  if (with_changes) {
    out_->QuorumNodelistNotify(c.conn, sync_ring_, members_, joined_, left_);
  } else {
    out_->QuorumNodelistNotify(c.conn, sync_ring_, members_, {}, {});
  }
}

}  // namespace quorumsim
