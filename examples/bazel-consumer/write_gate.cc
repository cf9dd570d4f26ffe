#include "write_gate.h"

WriteGate::WriteGate() {
  votequorum_callbacks_t callbacks = {};
  callbacks.votequorum_quorum_notify_fn = &WriteGate::OnQuorum;
  votequorum_handle_t handle = 0;
  if (votequorum_initialize(&handle, &callbacks) != CS_OK) return;
  // CS_TRACK_CURRENT delivers the present state at once, so MayWrite() never answers
  // from the initial `false` after the first dispatch.
  if (votequorum_context_set(handle, this) != CS_OK ||
      votequorum_trackstart(handle, 0, CS_TRACK_CURRENT | CS_TRACK_CHANGES) != CS_OK) {
    votequorum_finalize(handle);
    return;
  }
  handle_ = handle;
}

WriteGate::~WriteGate() {
  if (handle_ != 0) votequorum_finalize(handle_);
}

bool WriteGate::MayWrite() {
  // Not connected, or the connection failed: refuse rather than risk a split brain.
  if (handle_ == 0 || votequorum_dispatch(handle_, CS_DISPATCH_ALL) != CS_OK) return false;
  return quorate_;
}

void WriteGate::OnQuorum(votequorum_handle_t handle, uint64_t, uint32_t quorate, uint32_t,
                         votequorum_node_t[]) {
  void* self = nullptr;
  if (votequorum_context_get(handle, &self) == CS_OK && self != nullptr) {
    static_cast<WriteGate*>(self)->quorate_ = quorate != 0;
  }
}
