// The quorum C API (libquorum): what corosync's lib/quorum.c does on the client side,
// over a simulated node's quorum service or forwarded to the real library.
//
// As in votequorum.cc, NULL pointers on which corosync's library would crash are refused
// with CS_ERR_INVALID_PARAM, and arguments come before the handle.
#include <corosync/quorum.h>

#include <atomic>
#include <memory>
#include <vector>

#include "api/src/handle_registry.h"
#include "api/src/service_events.h"
#include "api/src/service_target.h"

namespace quorumsim::api {
namespace {

struct QuorumInstance {
  quorum_handle_t handle = 0;
  quorum_model_t model = QUORUM_MODEL_V0;
  quorum_notification_fn_t v0_quorum = nullptr;
  quorum_v1_quorum_notification_fn_t v1_quorum = nullptr;
  quorum_v1_nodelist_notification_fn_t v1_nodelist = nullptr;
  std::atomic<const void*> context{nullptr};
  std::atomic<bool> finalized{false};
  ServiceTarget target;
  quorum_handle_t real_handle = 0;  // with target.real
};

// Handles start at a tag of their own ("quor", "cmap", "cfg "): one library's handle is
// never valid in another.
using Registry = HandleRegistry<QuorumInstance, (uint64_t{0x71756f72} << 32 | 1)>;

template <typename F>
F Real(const QuorumInstance& q, const char* name) {
  return q.target.real->Get<F>(name);
}

// Callbacks from corosync's library: its handle's context is our instance.
QuorumInstance* FromReal(const QuorumInstance* any, quorum_handle_t real) {
  if (any == nullptr) return nullptr;
  const void* ctx = nullptr;
  if (Real<decltype(&quorum_context_get)>(*any, "quorum_context_get")(real, &ctx) != CS_OK) {
    return nullptr;
  }
  return static_cast<QuorumInstance*>(const_cast<void*>(ctx));
}
// The instance whose real library is running a dispatch on this thread.
thread_local QuorumInstance* dispatching = nullptr;

void RealV0Quorum(quorum_handle_t real, uint32_t quorate, uint64_t seq, uint32_t n, uint32_t* list) {
  QuorumInstance* q = FromReal(dispatching, real);
  if (q != nullptr && q->v0_quorum != nullptr) q->v0_quorum(q->handle, quorate, seq, n, list);
}
void RealV1Quorum(quorum_handle_t real, uint32_t quorate, quorum_ring_id ring, uint32_t n,
                  const uint32_t* list) {
  QuorumInstance* q = FromReal(dispatching, real);
  if (q != nullptr && q->v1_quorum != nullptr) q->v1_quorum(q->handle, quorate, ring, n, list);
}
void RealV1Nodelist(quorum_handle_t real, quorum_ring_id ring, uint32_t n, const uint32_t* m,
                    uint32_t nj, const uint32_t* j, uint32_t nl, const uint32_t* l) {
  QuorumInstance* q = FromReal(dispatching, real);
  if (q != nullptr && q->v1_nodelist != nullptr) q->v1_nodelist(q->handle, ring, n, m, nj, j, nl, l);
}

cs_error_t OpenReal(QuorumInstance& q, uint32_t* type) {
  quorum_model_v1_data_t v1{QUORUM_MODEL_V1, &RealV1Quorum, &RealV1Nodelist};
  quorum_model_v0_data_t v0{QUORUM_MODEL_V0, &RealV0Quorum};
  auto* data = q.model == QUORUM_MODEL_V1 ? reinterpret_cast<quorum_model_data_t*>(&v1)
                                          : reinterpret_cast<quorum_model_data_t*>(&v0);
  return Real<decltype(&quorum_model_initialize)>(q, "quorum_model_initialize")(
      &q.real_handle, q.model, data, type, &q);
}

cs_error_t OpenSim(QuorumInstance& q, uint32_t* type) {
  return q.target.sim->Call("quorum_initialize", [&](NodeServices& s) {
    s.quorum().Connected(s.conn());
    *type = s.quorum().quorum_type();
    return s.quorum().SetModel(s.conn(), static_cast<uint32_t>(q.model));
  });
}

// Runs the instance's callback for one event from the simulated node.
bool Deliver(QuorumInstance& q, const Notification& n) {
  const auto* e = static_cast<const QuorumEvent*>(n.service);
  // Callbacks may write to the lists they are given (V0's type is not const).
  std::vector<uint32_t> members = e->members;
  const quorum_ring_id ring{e->ring.rep, e->ring.seq};
  const auto count = static_cast<uint32_t>(members.size());
  if (e->kind == QuorumEvent::Kind::kQuorum) {
    if (q.model == QUORUM_MODEL_V0 && q.v0_quorum != nullptr) {
      q.v0_quorum(q.handle, e->quorate, e->ring.seq, count, members.data());
    } else if (q.model == QUORUM_MODEL_V1 && q.v1_quorum != nullptr) {
      q.v1_quorum(q.handle, e->quorate, ring, count, members.data());
    }
  } else if (q.model == QUORUM_MODEL_V1 && q.v1_nodelist != nullptr) {
    q.v1_nodelist(q.handle, ring, count, members.data(), static_cast<uint32_t>(e->joined.size()),
                  e->joined.data(), static_cast<uint32_t>(e->left.size()), e->left.data());
  }
  return !q.finalized.load();
}

}  // namespace
}  // namespace quorumsim::api

using quorumsim::NodeServices;
using quorumsim::api::QuorumInstance;
using quorumsim::api::Registry;

extern "C" {

cs_error_t quorum_model_initialize(quorum_handle_t* handle, quorum_model_t model,
                                   quorum_model_data_t* model_data, uint32_t* quorum_type,
                                   void* context) {
  const int64_t model_value = quorumsim::api::EnumValue(model);
  if (model_value != QUORUM_MODEL_V0 && model_value != QUORUM_MODEL_V1) return CS_ERR_INVALID_PARAM;
  if (handle == nullptr) return CS_ERR_INVALID_PARAM;
  auto q = std::make_shared<QuorumInstance>();
  q->model = model;
  q->context.store(context);
  if (model_data != nullptr && model == QUORUM_MODEL_V0) {
    q->v0_quorum = reinterpret_cast<quorum_model_v0_data_t*>(model_data)->quorum_notify_fn;
  } else if (model_data != nullptr) {
    const auto* v1 = reinterpret_cast<quorum_model_v1_data_t*>(model_data);
    q->v1_quorum = v1->quorum_notify_fn;
    q->v1_nodelist = v1->nodelist_notify_fn;
  }
  cs_error_t err = quorumsim::api::ConnectService(
      "libquorum.so.5", "quorum_initialize", reinterpret_cast<const void*>(&quorum_initialize),
      &q->target);
  if (err != CS_OK) return err;
  uint32_t type = 0;
  err = q->target.sim != nullptr ? quorumsim::api::OpenSim(*q, &type)
                                 : quorumsim::api::OpenReal(*q, &type);
  if (err != CS_OK) return err;
  if (quorum_type != nullptr) *quorum_type = type;
  *handle = Registry::Get().Insert(q);
  return CS_OK;
}

cs_error_t quorum_initialize(quorum_handle_t* handle, quorum_callbacks_t* callbacks,
                             uint32_t* quorum_type) {
  quorum_model_v0_data_t v0{QUORUM_MODEL_V0, callbacks != nullptr ? callbacks->quorum_notify_fn
                                                                  : nullptr};
  return quorum_model_initialize(handle, QUORUM_MODEL_V0,
                                 reinterpret_cast<quorum_model_data_t*>(&v0), quorum_type,
                                 nullptr);
}

cs_error_t quorum_finalize(quorum_handle_t handle) {
  std::shared_ptr<QuorumInstance> q = Registry::Get().Remove(handle);
  if (q == nullptr) return CS_ERR_BAD_HANDLE;
  q->finalized.store(true);
  if (q->target.sim != nullptr) {
    q->target.sim->Close();
    return CS_OK;
  }
  return quorumsim::api::Real<decltype(&quorum_finalize)>(*q, "quorum_finalize")(q->real_handle);
}

cs_error_t quorum_fd_get(quorum_handle_t handle, int* fd) {
  if (fd == nullptr) return CS_ERR_INVALID_PARAM;
  std::shared_ptr<QuorumInstance> q = Registry::Get().Find(handle);
  if (q == nullptr) return CS_ERR_BAD_HANDLE;
  if (q->target.sim == nullptr) {
    return quorumsim::api::Real<decltype(&quorum_fd_get)>(*q, "quorum_fd_get")(q->real_handle, fd);
  }
  *fd = q->target.sim->fd();
  return *fd < 0 ? CS_ERR_LIBRARY : CS_OK;
}

cs_error_t quorum_dispatch(quorum_handle_t handle, cs_dispatch_flags_t dispatch_types) {
  if (!quorumsim::api::DispatchTypeOk(dispatch_types)) return CS_ERR_INVALID_PARAM;
  std::shared_ptr<QuorumInstance> q = Registry::Get().Find(handle);
  if (q == nullptr) return CS_ERR_BAD_HANDLE;
  if (q->target.sim == nullptr) {
    QuorumInstance* saved = quorumsim::api::dispatching;
    quorumsim::api::dispatching = q.get();
    cs_error_t err = quorumsim::api::Real<decltype(&quorum_dispatch)>(*q, "quorum_dispatch")(
        q->real_handle, dispatch_types);
    quorumsim::api::dispatching = saved;
    return err;
  }
  // No lock is held while callbacks run: they may call anything, finalize included.
  return q->target.sim->Dispatch(dispatch_types, [&](const quorumsim::api::Notification& n) {
    return quorumsim::api::Deliver(*q, n);
  });
}

cs_error_t quorum_getquorate(quorum_handle_t handle, int* quorate) {
  if (quorate == nullptr) return CS_ERR_INVALID_PARAM;
  std::shared_ptr<QuorumInstance> q = Registry::Get().Find(handle);
  if (q == nullptr) return CS_ERR_BAD_HANDLE;
  if (q->target.sim == nullptr) {
    return quorumsim::api::Real<decltype(&quorum_getquorate)>(*q, "quorum_getquorate")(
        q->real_handle, quorate);
  }
  return q->target.sim->Call("quorum_getquorate", [&](NodeServices& s) {
    *quorate = s.quorum().quorate() ? 1 : 0;
    return quorumsim::CsError::kOk;
  });
}

cs_error_t quorum_trackstart(quorum_handle_t handle, unsigned int flags) {
  std::shared_ptr<QuorumInstance> q = Registry::Get().Find(handle);
  if (q == nullptr) return CS_ERR_BAD_HANDLE;
  if (q->target.sim == nullptr) {
    return quorumsim::api::Real<decltype(&quorum_trackstart)>(*q, "quorum_trackstart")(
        q->real_handle, flags);
  }
  return q->target.sim->Call("quorum_trackstart", [&](NodeServices& s) {
    return s.quorum().TrackStart(s.conn(), flags);
  });
}

cs_error_t quorum_trackstop(quorum_handle_t handle) {
  std::shared_ptr<QuorumInstance> q = Registry::Get().Find(handle);
  if (q == nullptr) return CS_ERR_BAD_HANDLE;
  if (q->target.sim == nullptr) {
    return quorumsim::api::Real<decltype(&quorum_trackstop)>(*q, "quorum_trackstop")(
        q->real_handle);
  }
  return q->target.sim->Call("quorum_trackstop",
                             [&](NodeServices& s) { return s.quorum().TrackStop(s.conn()); });
}

cs_error_t quorum_context_set(quorum_handle_t handle, const void* context) {
  std::shared_ptr<QuorumInstance> q = Registry::Get().Find(handle);
  if (q == nullptr) return CS_ERR_BAD_HANDLE;
  q->context.store(context);
  return CS_OK;
}

cs_error_t quorum_context_get(quorum_handle_t handle, const void** context) {
  if (context == nullptr) return CS_ERR_INVALID_PARAM;
  std::shared_ptr<QuorumInstance> q = Registry::Get().Find(handle);
  if (q == nullptr) return CS_ERR_BAD_HANDLE;
  *context = q->context.load();
  return CS_OK;
}

}  // extern "C"
