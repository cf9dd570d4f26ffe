#include "engine/engine.h"

#include <utility>

#include "engine/internal/engine_state.h"

namespace quorumsim {

Engine::Engine(NodeId local_id, VotequorumConfig config, EngineOutput* out,
               ExpectedVotesStore* store, Quirks quirks)
    : state_(std::make_unique<internal::EngineState>(local_id, std::move(config), out, store, quirks)) {}

Engine::~Engine() = default;

Status Engine::Start() { return state_->Start(); }
Status Engine::Reload(const VotequorumConfig& config) { return state_->Reload(config); }
void Engine::Shutdown() { state_->Shutdown(); }

void Engine::SyncInit(const RingId& ring, std::span<const NodeId> members) { state_->SyncInit(ring, members); }
bool Engine::SyncProcess() { return state_->SyncProcess(); }
void Engine::SyncActivate() { state_->SyncActivate(); }
void Engine::Deliver(NodeId sender, const Message& msg) { state_->Deliver(sender, msg); }
void Engine::TimerExpired(TimerKind kind) { state_->TimerExpired(kind); }

CsError Engine::GetInfo(NodeId node_id, VoteInfo* info) const { return state_->GetInfo(node_id, info); }
CsError Engine::SetExpected(uint32_t expected_votes) { return state_->SetExpected(expected_votes); }
CsError Engine::SetVotes(NodeId node_id, uint32_t votes) { return state_->SetVotes(node_id, votes); }
CsError Engine::TrackStart(ConnId conn, uint64_t context, uint32_t flags) {
  return state_->TrackStart(conn, context, flags);
}
CsError Engine::TrackStop(ConnId conn) { return state_->TrackStop(conn); }
void Engine::ConnectionClosed(ConnId conn) { state_->ConnectionClosed(conn); }
std::optional<CsError> Engine::QdeviceRegister(ConnId conn, std::string_view name) {
  return state_->QdeviceRegister(conn, name);
}
CsError Engine::QdeviceUnregister(std::string_view name) { return state_->QdeviceUnregister(name); }
CsError Engine::QdeviceUpdate(std::string_view old_name, std::string_view new_name) {
  return state_->QdeviceUpdate(old_name, new_name);
}
CsError Engine::QdevicePoll(std::string_view name, bool cast_vote, const RingId& ring) {
  return state_->QdevicePoll(name, cast_vote, ring);
}
CsError Engine::QdeviceMasterWins(std::string_view name, bool allow) {
  return state_->QdeviceMasterWins(name, allow);
}
void Engine::CancelWaitForAll() { state_->CancelWaitForAll(); }

NodeId Engine::local_id() const { return state_->local_id(); }
bool Engine::quorate() const { return state_->quorate(); }
uint32_t Engine::quorum() const { return state_->quorum(); }
RingId Engine::ring_id() const { return state_->ring_id(); }
std::span<const NodeId> Engine::members() const { return state_->members(); }
std::span<const NodeRecord> Engine::records() const { return state_->records(); }
const NodeRecord& Engine::qdevice_record() const { return state_->qdevice_record(); }
bool Engine::sync_in_progress() const { return state_->sync_in_progress(); }
const std::string& Engine::qdevice_name() const { return state_->qdevice_name(); }
bool Engine::wait_for_all_status() const { return state_->wait_for_all_status(); }
uint32_t Engine::ev_tracking_barrier() const { return state_->ev_tracking_barrier(); }
VotequorumCmapKeys Engine::cmap_keys() const { return state_->cmap_keys(); }

}  // namespace quorumsim
