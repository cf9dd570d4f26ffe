#include "api/src/sim_link.h"

namespace quorumsim::api {

cs_error_t SimLink::Open(NodeId node) {
  std::lock_guard<std::recursive_mutex> lock(host_->mu());
  if (!queue_.has_fd() || !host_->alive()) return CS_ERR_LIBRARY;
  cs_error_t err = static_cast<cs_error_t>(host_->cluster().Connect(node, this, &id_));
  open_ = err == CS_OK;
  return err;
}

void SimLink::Push(std::shared_ptr<const ServiceEvent> event) {
  // A client that never dispatches is disconnected at the queue's bound, as corosync
  // disconnects a client it can no longer queue events for.
  if (!queue_.PushService(std::move(event))) overflowed_ = true;
}

void SimLink::Close() {
  {
    std::lock_guard<std::recursive_mutex> lock(host_->mu());
    if (open_ && !closed_ && host_->alive()) host_->cluster().Disconnect(id_);
    closed_ = true;
  }
  queue_.Close(NotificationQueue::State::kFinalized);
}

void SimLink::OnQuorumNotify(QuorumModel model, bool quorate, const RingId& ring,
                             std::span<const NodeId> view) {
  auto e = std::make_shared<QuorumEvent>();
  e->kind = QuorumEvent::Kind::kQuorum;
  e->model = static_cast<uint32_t>(model);
  e->quorate = quorate;
  e->ring = ring;
  e->members.assign(view.begin(), view.end());
  Push(std::move(e));
}

void SimLink::OnQuorumNodelist(const RingId& ring, std::span<const NodeId> members,
                               std::span<const NodeId> joined, std::span<const NodeId> left) {
  auto e = std::make_shared<QuorumEvent>();
  e->kind = QuorumEvent::Kind::kNodelist;
  e->ring = ring;
  e->members.assign(members.begin(), members.end());
  e->joined.assign(joined.begin(), joined.end());
  e->left.assign(left.begin(), left.end());
  Push(std::move(e));
}

void SimLink::OnCfgShutdown(uint32_t flags) {
  auto e = std::make_shared<CfgEvent>();
  e->flags = flags;
  Push(std::move(e));
}

void SimLink::OnCmapNotify(uint64_t track, int32_t event, const std::string& key,
                           const CmapValue* new_value, const CmapValue* old_value) {
  auto e = std::make_shared<CmapEvent>();
  e->track = track;
  e->event = event;
  e->key = key;
  if (new_value != nullptr) {
    e->new_type = static_cast<uint8_t>(new_value->type);
    e->new_value = new_value->bytes;
  }
  if (old_value != nullptr) {
    e->old_type = static_cast<uint8_t>(old_value->type);
    e->old_value = old_value->bytes;
  }
  Push(std::move(e));
}

}  // namespace quorumsim::api
