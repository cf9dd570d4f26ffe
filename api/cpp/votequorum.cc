#include "api/cpp/votequorum.hpp"

#include <cstring>
#include <vector>

namespace quorumsim::votequorum {

// Heap state, so the C library's context pointer stays valid when a Handle moves.
struct Handle::State {
  votequorum_handle_t handle = 0;
  bool open = false;
  Callbacks callbacks;
  Handle* owner = nullptr;  // the Handle object currently holding this state
  void* user_context = nullptr;

  static State* Of(votequorum_handle_t h) {
    void* p = nullptr;
    return votequorum_context_get(h, &p) == CS_OK ? static_cast<State*>(p) : nullptr;
  }

  static void OnQuorum(votequorum_handle_t h, uint64_t ctx, uint32_t quorate, uint32_t n,
                       votequorum_node_t list[]) {
    State* s = Of(h);
    if (s == nullptr || !s->callbacks.quorum) return;
    std::vector<Node> nodes;
    for (uint32_t i = 0; i < n; ++i) {
      nodes.push_back(Node{NodeId{list[i].nodeid}, static_cast<NodeState>(list[i].state)});
    }
    s->callbacks.quorum(*s->owner, ctx, quorate != 0, nodes);
  }
  static void OnExpected(votequorum_handle_t h, uint64_t ctx, uint32_t expected) {
    State* s = Of(h);
    if (s == nullptr || !s->callbacks.expected_votes) return;
    s->callbacks.expected_votes(*s->owner, ctx, expected);
  }
  static void OnNodelist(votequorum_handle_t h, uint64_t ctx, votequorum_ring_id_t ring,
                         uint32_t n, uint32_t list[]) {
    State* s = Of(h);
    if (s == nullptr || !s->callbacks.nodelist) return;
    std::vector<NodeId> members;
    for (uint32_t i = 0; i < n; ++i) members.push_back(NodeId{list[i]});
    s->callbacks.nodelist(*s->owner, ctx, RingId{NodeId{ring.nodeid}, ring.seq}, members);
  }
};

const char* ErrorName(cs_error_t e) {
  switch (e) {
#define QS_NAME(x) \
  case x:          \
    return #x;
    QS_NAME(CS_OK) QS_NAME(CS_ERR_LIBRARY) QS_NAME(CS_ERR_VERSION) QS_NAME(CS_ERR_INIT)
    QS_NAME(CS_ERR_TIMEOUT) QS_NAME(CS_ERR_TRY_AGAIN) QS_NAME(CS_ERR_INVALID_PARAM)
    QS_NAME(CS_ERR_NO_MEMORY) QS_NAME(CS_ERR_BAD_HANDLE) QS_NAME(CS_ERR_BUSY)
    QS_NAME(CS_ERR_ACCESS) QS_NAME(CS_ERR_NOT_EXIST) QS_NAME(CS_ERR_NAME_TOO_LONG)
    QS_NAME(CS_ERR_EXIST) QS_NAME(CS_ERR_NO_SPACE) QS_NAME(CS_ERR_INTERRUPT)
    QS_NAME(CS_ERR_NAME_NOT_FOUND) QS_NAME(CS_ERR_NO_RESOURCES) QS_NAME(CS_ERR_NOT_SUPPORTED)
    QS_NAME(CS_ERR_BAD_OPERATION) QS_NAME(CS_ERR_FAILED_OPERATION)
    QS_NAME(CS_ERR_MESSAGE_ERROR) QS_NAME(CS_ERR_QUEUE_FULL)
    QS_NAME(CS_ERR_QUEUE_NOT_AVAILABLE) QS_NAME(CS_ERR_BAD_FLAGS) QS_NAME(CS_ERR_TOO_BIG)
    QS_NAME(CS_ERR_NO_SECTIONS) QS_NAME(CS_ERR_CONTEXT_NOT_FOUND)
    QS_NAME(CS_ERR_TOO_MANY_GROUPS) QS_NAME(CS_ERR_SECURITY)
#undef QS_NAME
  }
  return "CS_ERR_UNKNOWN";
}

Result<Handle> Handle::Initialize(Callbacks callbacks) {
  auto state = std::make_unique<State>();
  state->callbacks = std::move(callbacks);
  votequorum_callbacks_t c{&State::OnQuorum, &State::OnExpected, &State::OnNodelist};
  cs_error_t err = votequorum_initialize(&state->handle, &c);
  if (err != CS_OK) return Result<Handle>::Error(err);
  state->open = true;
  err = votequorum_context_set(state->handle, state.get());
  if (err != CS_OK) {
    (void)votequorum_finalize(state->handle);
    return Result<Handle>::Error(err);
  }
  return Handle(std::move(state));
}

Handle::Handle(std::unique_ptr<State> state) : state_(std::move(state)) { state_->owner = this; }

Handle::Handle(Handle&& other) noexcept : state_(std::move(other.state_)) {
  if (state_) state_->owner = this;
}

Handle& Handle::operator=(Handle&& other) noexcept {
  if (this != &other) {
    if (state_ && state_->open) (void)votequorum_finalize(state_->handle);
    state_ = std::move(other.state_);
    if (state_) state_->owner = this;
  }
  return *this;
}

Handle::~Handle() {
  if (state_ && state_->open) (void)votequorum_finalize(state_->handle);
}

votequorum_handle_t Handle::raw() const { return state_ ? state_->handle : 0; }

Result<void> Handle::Finalize() {
  if (!state_) return CS_ERR_BAD_HANDLE;
  state_->open = false;
  return votequorum_finalize(state_->handle);
}

Result<void> Handle::Dispatch(DispatchFlags flags) {
  return votequorum_dispatch(raw(), static_cast<cs_dispatch_flags_t>(flags));
}

Result<int> Handle::FdGet() const {
  int fd = -1;
  cs_error_t err = votequorum_fd_get(raw(), &fd);
  if (err != CS_OK) return Result<int>::Error(err);
  return fd;
}

Result<NodeInfo> Handle::GetInfo(NodeId node) const {
  votequorum_info c{};
  cs_error_t err = votequorum_getinfo(raw(), node.value, &c);
  if (err != CS_OK) return Result<NodeInfo>::Error(err);
  NodeInfo info;
  info.node_id = NodeId{c.node_id};
  info.state = static_cast<NodeState>(c.node_state);
  info.votes = c.node_votes;
  info.expected_votes = c.node_expected_votes;
  info.highest_expected = c.highest_expected;
  info.total_votes = c.total_votes;
  info.quorum = c.quorum;
  info.flags = NodeInfoFlags(c.flags);
  info.qdevice_votes = c.qdevice_votes;
  info.qdevice_name.assign(c.qdevice_name, strnlen(c.qdevice_name, sizeof c.qdevice_name));
  return info;
}

Result<void> Handle::SetExpected(uint32_t expected_votes) {
  return votequorum_setexpected(raw(), expected_votes);
}

Result<void> Handle::SetVotes(NodeId node, uint32_t votes) {
  return votequorum_setvotes(raw(), node.value, votes);
}

Result<void> Handle::TrackStart(uint64_t context, TrackFlags flags) {
  return votequorum_trackstart(raw(), context, static_cast<unsigned int>(flags));
}

Result<void> Handle::TrackStop() { return votequorum_trackstop(raw()); }

// The C context slot holds the State; the application's pointer lives beside it. The
// C call still validates the handle, so a finalized Handle reports CS_ERR_BAD_HANDLE.
Result<void*> Handle::ContextGet() const {
  void* ignored = nullptr;
  cs_error_t err = votequorum_context_get(raw(), &ignored);
  if (err != CS_OK) return Result<void*>::Error(err);
  return state_->user_context;
}

Result<void> Handle::ContextSet(void* context) {
  void* ignored = nullptr;
  cs_error_t err = votequorum_context_get(raw(), &ignored);
  if (err == CS_OK) state_->user_context = context;
  return err;
}

Result<void> Handle::QdeviceRegister(std::string_view name) {
  return votequorum_qdevice_register(raw(), std::string(name).c_str());
}

Result<void> Handle::QdeviceUnregister(std::string_view name) {
  return votequorum_qdevice_unregister(raw(), std::string(name).c_str());
}

Result<void> Handle::QdeviceUpdate(std::string_view old_name, std::string_view new_name) {
  return votequorum_qdevice_update(raw(), std::string(old_name).c_str(),
                                   std::string(new_name).c_str());
}

Result<void> Handle::QdevicePoll(std::string_view name, bool cast_vote, RingId ring) {
  votequorum_ring_id_t r{ring.node_id.value, ring.seq};
  return votequorum_qdevice_poll(raw(), std::string(name).c_str(), cast_vote ? 1 : 0, r);
}

Result<void> Handle::QdeviceMasterWins(std::string_view name, bool allow) {
  return votequorum_qdevice_master_wins(raw(), std::string(name).c_str(), allow ? 1 : 0);
}

}  // namespace quorumsim::votequorum
