// The votequorum C API: what corosync's libvotequorum does on the client side.
//
// Order of checks, as in corosync: arguments the library itself can reject (dispatch
// type, device name length) come first, then the handle, then the daemon. NULL
// pointers, on which corosync's library would crash, are refused with
// CS_ERR_INVALID_PARAM before the handle is looked up.
#include <corosync/votequorum.h>

#include <cstring>
#include <memory>

#include "api/src/binding_stack.h"
#include "api/src/dispatch_entry.h"
#include "api/src/handle_table.h"

using quorumsim::api::CallbackRunner;
using quorumsim::api::Connection;
using quorumsim::api::HandleTable;
using quorumsim::api::Instance;

namespace {

// Device names have 1..254 characters (they travel in 255-byte fields with the NUL).
bool NameOk(const char* name) {
  if (name == nullptr) return false;
  size_t len = strnlen(name, VOTEQUORUM_QDEVICE_MAX_NAME_LEN);
  return len > 0 && len < VOTEQUORUM_QDEVICE_MAX_NAME_LEN;
}

// Looks the handle up and runs fn(connection) with the instance held.
template <typename Fn>
cs_error_t WithConnection(votequorum_handle_t handle, Fn fn) {
  std::shared_ptr<Instance> instance = HandleTable::Get().Find(handle);
  if (instance == nullptr) return CS_ERR_BAD_HANDLE;
  return fn(*instance->connection);
}

}  // namespace

extern "C" {

cs_error_t votequorum_initialize(votequorum_handle_t* handle, votequorum_callbacks_t* callbacks) {
  if (handle == nullptr) return CS_ERR_INVALID_PARAM;
  std::shared_ptr<quorumsim::api::ConnectionFactory> factory = quorumsim::api::CurrentFactory();
  // No node to talk to is what a client sees when corosync is not running.
  if (factory == nullptr) return CS_ERR_LIBRARY;
  auto instance = std::make_shared<Instance>();
  if (callbacks != nullptr) instance->callbacks = *callbacks;
  cs_error_t err = factory->Open(&instance->connection);
  if (err != CS_OK) return err;
  *handle = HandleTable::Get().Insert(std::move(instance));
  return CS_OK;
}

cs_error_t votequorum_finalize(votequorum_handle_t handle) {
  // Removing from the table is the atomic step: of two racing finalizes, one gets
  // CS_ERR_BAD_HANDLE. A dispatch in progress keeps the instance alive and notices
  // `finalized` after the running callback.
  std::shared_ptr<Instance> instance = HandleTable::Get().Remove(handle);
  if (instance == nullptr) return CS_ERR_BAD_HANDLE;
  instance->finalized.store(true);
  instance->connection->Close();
  return CS_OK;
}

cs_error_t quorumsim_internal_dispatch(votequorum_handle_t handle, int type) {
  // dispatch_entry.c passed only the four defined values, so the conversion is defined.
  const auto dispatch_types = static_cast<cs_dispatch_flags_t>(type);
  std::shared_ptr<Instance> instance = HandleTable::Get().Find(handle);
  if (instance == nullptr) return CS_ERR_BAD_HANDLE;
  // No lock is held while callbacks run, so they may call any function, finalize included.
  const CallbackRunner deliver(instance->handle, instance->callbacks, instance->finalized);
  return instance->connection->Dispatch(dispatch_types, deliver);
}

cs_error_t votequorum_fd_get(votequorum_handle_t handle, int* fd) {
  if (fd == nullptr) return CS_ERR_INVALID_PARAM;
  return WithConnection(handle, [&](Connection& c) { return c.FdGet(fd); });
}

cs_error_t votequorum_getinfo(votequorum_handle_t handle, unsigned int nodeid,
                              struct votequorum_info* info) {
  if (info == nullptr) return CS_ERR_INVALID_PARAM;
  return WithConnection(handle, [&](Connection& c) { return c.GetInfo(nodeid, info); });
}

cs_error_t votequorum_setexpected(votequorum_handle_t handle, unsigned int expected_votes) {
  return WithConnection(handle, [&](Connection& c) { return c.SetExpected(expected_votes); });
}

cs_error_t votequorum_setvotes(votequorum_handle_t handle, unsigned int nodeid,
                               unsigned int votes) {
  return WithConnection(handle, [&](Connection& c) { return c.SetVotes(nodeid, votes); });
}

cs_error_t votequorum_trackstart(votequorum_handle_t handle, uint64_t context,
                                 unsigned int flags) {
  return WithConnection(handle, [&](Connection& c) { return c.TrackStart(context, flags); });
}

cs_error_t votequorum_trackstop(votequorum_handle_t handle) {
  return WithConnection(handle, [&](Connection& c) { return c.TrackStop(); });
}

cs_error_t votequorum_context_get(votequorum_handle_t handle, void** context) {
  if (context == nullptr) return CS_ERR_INVALID_PARAM;
  std::shared_ptr<Instance> instance = HandleTable::Get().Find(handle);
  if (instance == nullptr) return CS_ERR_BAD_HANDLE;
  *context = instance->context.load();
  return CS_OK;
}

cs_error_t votequorum_context_set(votequorum_handle_t handle, void* context) {
  std::shared_ptr<Instance> instance = HandleTable::Get().Find(handle);
  if (instance == nullptr) return CS_ERR_BAD_HANDLE;
  instance->context.store(context);
  return CS_OK;
}

cs_error_t votequorum_qdevice_register(votequorum_handle_t handle, const char* name) {
  if (!NameOk(name)) return CS_ERR_INVALID_PARAM;
  return WithConnection(handle, [&](Connection& c) { return c.QdeviceRegister(name); });
}

cs_error_t votequorum_qdevice_unregister(votequorum_handle_t handle, const char* name) {
  if (!NameOk(name)) return CS_ERR_INVALID_PARAM;
  return WithConnection(handle, [&](Connection& c) { return c.QdeviceUnregister(name); });
}

cs_error_t votequorum_qdevice_update(votequorum_handle_t handle, const char* oldname,
                                     const char* newname) {
  if (!NameOk(oldname) || !NameOk(newname)) return CS_ERR_INVALID_PARAM;
  return WithConnection(handle, [&](Connection& c) { return c.QdeviceUpdate(oldname, newname); });
}

cs_error_t votequorum_qdevice_poll(votequorum_handle_t handle, const char* name,
                                   unsigned int cast_vote, votequorum_ring_id_t ring_id) {
  if (!NameOk(name)) return CS_ERR_INVALID_PARAM;
  return WithConnection(handle,
                        [&](Connection& c) { return c.QdevicePoll(name, cast_vote, ring_id); });
}

cs_error_t votequorum_qdevice_master_wins(votequorum_handle_t handle, const char* name,
                                          unsigned int allow) {
  if (!NameOk(name)) return CS_ERR_INVALID_PARAM;
  return WithConnection(handle, [&](Connection& c) { return c.QdeviceMasterWins(name, allow); });
}

}  // extern "C"
