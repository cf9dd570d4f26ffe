#include "sim/qdevice_sim.h"

namespace quorumsim {

void QdeviceSim::Reset() {
  conn_ = 0;
  registered_ = registering_ = polling_ = false;
  cast_vote_ = true;
  master_wins_ = false;
  last_ring_ = RingId{};
  ++generation_;
}

void QdeviceSim::Enable(bool cast_vote) {
  Engine* engine = host_->EngineOf(node_);
  if (engine == nullptr) return;
  cast_vote_ = cast_vote;
  polling_ = true;
  if (conn_ == 0) {
    conn_ = host_->OpenInternalConnection(node_, this);
    CsError rc = engine->TrackStart(conn_, 0, track_flags::kChanges);
    host_->TraceQdevice(node_, "trackstart", rc);
  }
  if (registered_) {
    host_->ScheduleQdevicePollNow(node_);
    return;
  }
  if (registering_) return;
  std::optional<CsError> rc = engine->QdeviceRegister(conn_, kSimQdeviceName);
  if (rc.has_value()) {
    host_->TraceQdevice(node_, "register", *rc);
    if (*rc == CsError::kOk) {
      registered_ = true;
      host_->ScheduleQdevicePollNow(node_);
    }
    return;
  }
  registering_ = true;
}

void QdeviceSim::Stop() {
  polling_ = false;
  ++generation_;
}

void QdeviceSim::Unregistered() {
  Stop();
  registered_ = false;
  // master_wins_ stays: votequorum keeps the node's master_wins setting after an
  // unregister (see QUIRKS in the README).
}

void QdeviceSim::OnNodelist(uint64_t, const RingId& ring, std::span<const NodeId>) {
  last_ring_ = ring;
  if (registered_ && polling_) host_->ScheduleQdevicePollNow(node_);
}

void QdeviceSim::OnQdeviceRegisterReply(CsError result) {
  registering_ = false;
  host_->TraceQdevice(node_, "register", result);
  if (result != CsError::kOk) {
    polling_ = false;
    return;
  }
  registered_ = true;
  // Follow-up engine calls happen from the event loop, not from inside this callback.
  host_->ScheduleQdevicePollNow(node_);
}

void QdeviceSim::OnPollNow() {
  Engine* engine = host_->EngineOf(node_);
  if (engine == nullptr || !registered_ || !polling_) return;
  Poll(engine);
}

void QdeviceSim::OnPeriodic(uint64_t generation) {
  if (generation != generation_) return;
  Engine* engine = host_->EngineOf(node_);
  if (engine == nullptr || !registered_ || !polling_) return;
  Poll(engine);
}

void QdeviceSim::Poll(Engine* engine) {
  CsError rc = engine->QdevicePoll(kSimQdeviceName, cast_vote_, last_ring_);
  host_->TraceQdevice(node_, cast_vote_ ? "poll_vote1" : "poll_vote0", rc);
  ++generation_;
  uint64_t interval = timeout_ms_ / 2;
  if (interval == 0) interval = 1;
  host_->ScheduleQdevicePeriodic(node_, interval, generation_);
}

}  // namespace quorumsim
