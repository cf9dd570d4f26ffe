// The cmap C API (libcmap) over a simulated node's configuration map, or forwarded to
// corosync's library. Argument checks are lib/cmap.c's (plus NULL pointers on which it
// would crash); the map's own rules live in sim/cmap_service.h.
#include <corosync/cmap.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "api/src/handle_registry.h"
#include "api/src/service_events.h"
#include "api/src/service_target.h"
#include "sim/cmap_service.h"

namespace quorumsim::api {
namespace {

struct Track {
  cmap_notify_fn_t fn = nullptr;
  void* user_data = nullptr;
};

struct RealTrack;

struct CmapInstance {
  cmap_handle_t handle = 0;
  std::atomic<const void*> context{nullptr};
  std::atomic<bool> finalized{false};
  ServiceTarget target;
  cmap_handle_t real_handle = 0;
  std::mutex mu;  // guards tracks and next_track
  std::map<cmap_track_handle_t, Track> tracks;
  cmap_track_handle_t next_track = 0x7100000001;
  // With the real library: the user_data it hands back, by its track handle.
  std::map<cmap_track_handle_t, std::unique_ptr<RealTrack>> real_tracks;
};
// Handles start at a tag of their own ("quor", "cmap", "cfg "): one library's handle is
// never valid in another.
using Registry = HandleRegistry<CmapInstance, (uint64_t{0x636d6170} << 32 | 1)>;

template <typename F>
F Real(const CmapInstance& c, const char* name) {
  return c.target.real->Get<F>(name);
}

// With the real library, a tracked change arrives with our instance and track as
// user_data (the real track handle is what the client holds).
struct RealTrack {
  CmapInstance* instance;
  cmap_notify_fn_t fn;
  void* user_data;
};
void RealNotify(cmap_handle_t, cmap_track_handle_t track, int32_t event, const char* key,
                cmap_notify_value new_value, cmap_notify_value old_value, void* user_data) {
  auto* t = static_cast<RealTrack*>(user_data);
  if (t->fn != nullptr) {
    t->fn(t->instance->handle, track, event, key, new_value, old_value, t->user_data);
  }
}

// corosync's cmap_initialize_map calls cmap_initialize through its PLT, which resolves to
// quorumsim's exported function when quorumsim is the loaded libcmap: while the real
// cmap_initialize_map runs on this thread, cmap_initialize goes straight to the real one.
thread_local const RealLibrary* real_initializing = nullptr;

bool KeyOk(const char* key, cs_error_t* err) {
  if (key == nullptr) {
    *err = CS_ERR_INVALID_PARAM;
    return false;
  }
  if (std::strlen(key) >= CS_MAX_NAME_LENGTH) {
    *err = CS_ERR_NAME_TOO_LONG;
    return false;
  }
  return true;
}

size_t TypeSize(cmap_value_types_t type) {
  switch (type) {
    case CMAP_VALUETYPE_INT8:
    case CMAP_VALUETYPE_UINT8: return 1;
    case CMAP_VALUETYPE_INT16:
    case CMAP_VALUETYPE_UINT16: return 2;
    case CMAP_VALUETYPE_INT32:
    case CMAP_VALUETYPE_UINT32:
    case CMAP_VALUETYPE_FLOAT: return 4;
    case CMAP_VALUETYPE_INT64:
    case CMAP_VALUETYPE_UINT64:
    case CMAP_VALUETYPE_DOUBLE: return 8;
    default: return 0;
  }
}

// A value as a client writes it, in icmap's storage form; false when icmap would refuse
// it (unknown type, wrong length for an integer or float type).
bool MakeValue(const void* value, size_t len, const cmap_value_types_t& declared, CmapValue* out) {
  if (value == nullptr) return false;
  const int64_t raw = EnumValue(declared);
  if (raw < CMAP_VALUETYPE_INT8 || raw > CMAP_VALUETYPE_BINARY) return false;
  const auto type = static_cast<cmap_value_types_t>(raw);
  out->type = static_cast<CmapType>(raw);
  if (type == CMAP_VALUETYPE_STRING) {
    // icmap stores the text up to its first NUL, at most len bytes, plus a NUL.
    const char* text = static_cast<const char*>(value);
    out->bytes.assign(text, strnlen(text, len));
    out->bytes.push_back('\0');
    return true;
  }
  if (type == CMAP_VALUETYPE_BINARY) {
    out->bytes.assign(static_cast<const char*>(value), len);
    return true;
  }
  const size_t size = TypeSize(type);
  if (size == 0 || len != size) return false;
  out->bytes.assign(static_cast<const char*>(value), size);
  return true;
}

}  // namespace
}  // namespace quorumsim::api

using quorumsim::CmapValue;
using quorumsim::CsError;
using quorumsim::NodeServices;
using quorumsim::api::CmapInstance;
using quorumsim::api::Real;
using quorumsim::api::RealLibrary;
using quorumsim::api::Registry;

namespace {
std::shared_ptr<CmapInstance> Find(cmap_handle_t h) { return Registry::Get().Find(h); }
}  // namespace

// Forwards to corosync's function of the same name when the handle is the real backend's.
#define QS_FORWARD(fn, ...)                                                        \
  if (c->target.sim == nullptr) {                                                  \
    return Real<decltype(&fn)>(*c, #fn)(c->real_handle __VA_OPT__(, ) __VA_ARGS__); \
  }

extern "C" {

cs_error_t cmap_initialize_map(cmap_handle_t* handle, cmap_map_t map) {
  if (handle == nullptr) return CS_ERR_INVALID_PARAM;
  auto c = std::make_shared<CmapInstance>();
  cs_error_t err = quorumsim::api::ConnectService(
      "libcmap.so.4", "cmap_initialize", reinterpret_cast<const void*>(&cmap_initialize),
      &c->target);
  if (err != CS_OK) return err;
  if (c->target.real != nullptr) {
    const RealLibrary* saved = quorumsim::api::real_initializing;
    quorumsim::api::real_initializing = c->target.real;
    err = Real<decltype(&cmap_initialize_map)>(*c, "cmap_initialize_map")(&c->real_handle, map);
    quorumsim::api::real_initializing = saved;
    if (err != CS_OK) return err;
  } else if (quorumsim::api::EnumValue(map) != CMAP_MAP_ICMAP) {
    // The statistics map (message counters of the daemon) is not simulated.
    c->target.sim->Close();
    return quorumsim::api::EnumValue(map) == CMAP_MAP_STATS ? CS_ERR_NOT_SUPPORTED
                                                            : CS_ERR_INVALID_PARAM;
  }
  *handle = Registry::Get().Insert(c);
  return CS_OK;
}

cs_error_t cmap_initialize(cmap_handle_t* handle) {
  if (const RealLibrary* real = quorumsim::api::real_initializing) {
    return real->Get<decltype(&cmap_initialize)>("cmap_initialize")(handle);
  }
  return cmap_initialize_map(handle, CMAP_MAP_DEFAULT);
}

cs_error_t cmap_finalize(cmap_handle_t handle) {
  std::shared_ptr<CmapInstance> c = Registry::Get().Remove(handle);
  if (c == nullptr) return CS_ERR_BAD_HANDLE;
  c->finalized.store(true);
  QS_FORWARD(cmap_finalize)
  c->target.sim->Close();
  return CS_OK;
}

cs_error_t cmap_fd_get(cmap_handle_t handle, int* fd) {
  if (fd == nullptr) return CS_ERR_INVALID_PARAM;
  std::shared_ptr<CmapInstance> c = Find(handle);
  if (c == nullptr) return CS_ERR_BAD_HANDLE;
  QS_FORWARD(cmap_fd_get, fd)
  *fd = c->target.sim->fd();
  return *fd < 0 ? CS_ERR_LIBRARY : CS_OK;
}

cs_error_t cmap_dispatch(cmap_handle_t handle, cs_dispatch_flags_t dispatch_types) {
  if (!quorumsim::api::DispatchTypeOk(dispatch_types)) return CS_ERR_INVALID_PARAM;
  std::shared_ptr<CmapInstance> c = Find(handle);
  if (c == nullptr) return CS_ERR_BAD_HANDLE;
  QS_FORWARD(cmap_dispatch, dispatch_types)
  return c->target.sim->Dispatch(dispatch_types, [&](const quorumsim::api::Notification& n) {
    const auto* e = static_cast<const quorumsim::api::CmapEvent*>(n.service);
    quorumsim::api::Track t;
    {
      std::lock_guard<std::mutex> lock(c->mu);
      auto it = c->tracks.find(e->track);
      if (it != c->tracks.end()) t = it->second;
    }
    if (t.fn != nullptr) {
      // corosync's library points both values into the message, so the one that does not
      // exist (an added key's old value) is type 0, length 0 and still a valid pointer.
      const cmap_notify_value nv{static_cast<cmap_value_types_t>(e->new_type), e->new_value.size(),
                                 e->new_value.data()};
      const cmap_notify_value ov{static_cast<cmap_value_types_t>(e->old_type), e->old_value.size(),
                                 e->old_value.data()};
      t.fn(c->handle, e->track, e->event, e->key.c_str(), nv, ov, t.user_data);
    }
    return !c->finalized.load();
  });
}

cs_error_t cmap_context_get(cmap_handle_t handle, const void** context) {
  if (context == nullptr) return CS_ERR_INVALID_PARAM;
  std::shared_ptr<CmapInstance> c = Find(handle);
  if (c == nullptr) return CS_ERR_BAD_HANDLE;
  *context = c->context.load();
  return CS_OK;
}

cs_error_t cmap_context_set(cmap_handle_t handle, const void* context) {
  std::shared_ptr<CmapInstance> c = Find(handle);
  if (c == nullptr) return CS_ERR_BAD_HANDLE;
  c->context.store(context);
  return CS_OK;
}

cs_error_t cmap_set(cmap_handle_t handle, const char* key_name, const void* value,
                    size_t value_len, cmap_value_types_t type) {
  cs_error_t err = CS_OK;
  if (!quorumsim::api::KeyOk(key_name, &err)) return err;
  if (value == nullptr && value_len != 0) return CS_ERR_INVALID_PARAM;
  std::shared_ptr<CmapInstance> c = Find(handle);
  if (c == nullptr) return CS_ERR_BAD_HANDLE;
  QS_FORWARD(cmap_set, key_name, value, value_len, type)
  CmapValue v;
  if (!quorumsim::api::MakeValue(value, value_len, type, &v)) return CS_ERR_INVALID_PARAM;
  return c->target.sim->Call("cmap_set",
                             [&](NodeServices& s) { return s.cmap().Set(key_name, v); });
}

#define QS_SET(suffix, ctype, vtype)                                             \
  cs_error_t cmap_set_##suffix(cmap_handle_t handle, const char* key_name, ctype value) { \
    return cmap_set(handle, key_name, &value, sizeof(value), vtype);            \
  }
QS_SET(int8, int8_t, CMAP_VALUETYPE_INT8)
QS_SET(uint8, uint8_t, CMAP_VALUETYPE_UINT8)
QS_SET(int16, int16_t, CMAP_VALUETYPE_INT16)
QS_SET(uint16, uint16_t, CMAP_VALUETYPE_UINT16)
QS_SET(int32, int32_t, CMAP_VALUETYPE_INT32)
QS_SET(uint32, uint32_t, CMAP_VALUETYPE_UINT32)
QS_SET(int64, int64_t, CMAP_VALUETYPE_INT64)
QS_SET(uint64, uint64_t, CMAP_VALUETYPE_UINT64)
QS_SET(float, float, CMAP_VALUETYPE_FLOAT)
QS_SET(double, double, CMAP_VALUETYPE_DOUBLE)
#undef QS_SET

cs_error_t cmap_set_string(cmap_handle_t handle, const char* key_name, const char* value) {
  if (value == nullptr) return CS_ERR_INVALID_PARAM;
  return cmap_set(handle, key_name, value, std::strlen(value), CMAP_VALUETYPE_STRING);
}

cs_error_t cmap_delete(cmap_handle_t handle, const char* key_name) {
  cs_error_t err = CS_OK;
  if (!quorumsim::api::KeyOk(key_name, &err)) return err;
  std::shared_ptr<CmapInstance> c = Find(handle);
  if (c == nullptr) return CS_ERR_BAD_HANDLE;
  QS_FORWARD(cmap_delete, key_name)
  return c->target.sim->Call("cmap_delete",
                             [&](NodeServices& s) { return s.cmap().Delete(key_name); });
}

cs_error_t cmap_get(cmap_handle_t handle, const char* key_name, void* value, size_t* value_len,
                    cmap_value_types_t* type) {
  cs_error_t err = CS_OK;
  if (!quorumsim::api::KeyOk(key_name, &err)) return err;
  if (value != nullptr && value_len == nullptr) return CS_ERR_INVALID_PARAM;
  std::shared_ptr<CmapInstance> c = Find(handle);
  if (c == nullptr) return CS_ERR_BAD_HANDLE;
  QS_FORWARD(cmap_get, key_name, value, value_len, type)
  return c->target.sim->Call("cmap_get", [&](NodeServices& s) {
    const CmapValue* v = nullptr;
    CsError rc = s.cmap().Get(key_name, &v);
    if (rc != CsError::kOk) return rc;
    // The caller's buffer must hold the whole value.
    if (value != nullptr && *value_len < v->bytes.size()) return CsError::kInvalidParam;
    if (type != nullptr) *type = static_cast<cmap_value_types_t>(v->type);
    if (value_len != nullptr) *value_len = v->bytes.size();
    if (value != nullptr) std::memcpy(value, v->bytes.data(), v->bytes.size());
    return CsError::kOk;
  });
}

namespace {
// lib/cmap.c's typed read: the value must fit and have exactly that type.
cs_error_t GetTyped(cmap_handle_t handle, const char* key_name, void* out, size_t size,
                    cmap_value_types_t want) {
  if (out == nullptr) return CS_ERR_INVALID_PARAM;
  size_t len = size;
  cmap_value_types_t type;
  cs_error_t err = cmap_get(handle, key_name, out, &len, &type);
  if (err != CS_OK) return err;
  return type == want ? CS_OK : CS_ERR_INVALID_PARAM;
}
}  // namespace

#define QS_GET(suffix, ctype, vtype)                                                 \
  cs_error_t cmap_get_##suffix(cmap_handle_t handle, const char* key_name, ctype* v) { \
    return GetTyped(handle, key_name, v, sizeof(*v), vtype);                        \
  }
QS_GET(int8, int8_t, CMAP_VALUETYPE_INT8)
QS_GET(uint8, uint8_t, CMAP_VALUETYPE_UINT8)
QS_GET(int16, int16_t, CMAP_VALUETYPE_INT16)
QS_GET(uint16, uint16_t, CMAP_VALUETYPE_UINT16)
QS_GET(int32, int32_t, CMAP_VALUETYPE_INT32)
QS_GET(uint32, uint32_t, CMAP_VALUETYPE_UINT32)
QS_GET(int64, int64_t, CMAP_VALUETYPE_INT64)
QS_GET(uint64, uint64_t, CMAP_VALUETYPE_UINT64)
QS_GET(float, float, CMAP_VALUETYPE_FLOAT)
QS_GET(double, double, CMAP_VALUETYPE_DOUBLE)
#undef QS_GET

cs_error_t cmap_get_string(cmap_handle_t handle, const char* key_name, char** str) {
  if (str == nullptr) return CS_ERR_INVALID_PARAM;
  size_t len = 0;
  cmap_value_types_t type;
  cs_error_t err = cmap_get(handle, key_name, nullptr, &len, &type);
  if (err != CS_OK) return err;
  if (type != CMAP_VALUETYPE_STRING) return CS_ERR_INVALID_PARAM;
  // The caller frees it with free(), as with corosync's library.
  char* buf = static_cast<char*>(std::malloc(len));
  if (buf == nullptr) return CS_ERR_NO_MEMORY;
  err = cmap_get(handle, key_name, buf, &len, &type);
  if (err != CS_OK) {
    std::free(buf);
    return err;
  }
  *str = buf;
  return CS_OK;
}

cs_error_t cmap_inc(cmap_handle_t handle, const char* key_name) {
  cs_error_t err = CS_OK;
  if (!quorumsim::api::KeyOk(key_name, &err)) return err;
  std::shared_ptr<CmapInstance> c = Find(handle);
  if (c == nullptr) return CS_ERR_BAD_HANDLE;
  QS_FORWARD(cmap_inc, key_name)
  return c->target.sim->Call("cmap_inc",
                             [&](NodeServices& s) { return s.cmap().Adjust(key_name, 1); });
}

cs_error_t cmap_dec(cmap_handle_t handle, const char* key_name) {
  cs_error_t err = CS_OK;
  if (!quorumsim::api::KeyOk(key_name, &err)) return err;
  std::shared_ptr<CmapInstance> c = Find(handle);
  if (c == nullptr) return CS_ERR_BAD_HANDLE;
  QS_FORWARD(cmap_dec, key_name)
  return c->target.sim->Call("cmap_dec",
                             [&](NodeServices& s) { return s.cmap().Adjust(key_name, -1); });
}

cs_error_t cmap_iter_init(cmap_handle_t handle, const char* prefix,
                          cmap_iter_handle_t* cmap_iter_handle) {
  if (cmap_iter_handle == nullptr) return CS_ERR_INVALID_PARAM;
  if (prefix != nullptr && std::strlen(prefix) >= CS_MAX_NAME_LENGTH) return CS_ERR_NAME_TOO_LONG;
  std::shared_ptr<CmapInstance> c = Find(handle);
  if (c == nullptr) return CS_ERR_BAD_HANDLE;
  QS_FORWARD(cmap_iter_init, prefix, cmap_iter_handle)
  return c->target.sim->Call("cmap_iter_init", [&](NodeServices& s) {
    return s.cmap().IterInit(s.conn(), prefix == nullptr ? "" : prefix, cmap_iter_handle);
  });
}

cs_error_t cmap_iter_next(cmap_handle_t handle, cmap_iter_handle_t iter_handle, char key_name[],
                          size_t* value_len, cmap_value_types_t* type) {
  if (key_name == nullptr) return CS_ERR_INVALID_PARAM;
  std::shared_ptr<CmapInstance> c = Find(handle);
  if (c == nullptr) return CS_ERR_BAD_HANDLE;
  QS_FORWARD(cmap_iter_next, iter_handle, key_name, value_len, type)
  return c->target.sim->Call("cmap_iter_next", [&](NodeServices& s) {
    std::string key;
    const CmapValue* v = nullptr;
    CsError rc = s.cmap().IterNext(s.conn(), iter_handle, &key, &v);
    if (rc != CsError::kOk) return rc;
    // key_name holds CMAP_KEYNAME_MAXLEN + 1 bytes; keys are never longer.
    std::memcpy(key_name, key.c_str(), key.size() + 1);
    if (value_len != nullptr) *value_len = v->bytes.size();
    if (type != nullptr) *type = static_cast<cmap_value_types_t>(v->type);
    return CsError::kOk;
  });
}

cs_error_t cmap_iter_finalize(cmap_handle_t handle, cmap_iter_handle_t iter_handle) {
  std::shared_ptr<CmapInstance> c = Find(handle);
  if (c == nullptr) return CS_ERR_BAD_HANDLE;
  QS_FORWARD(cmap_iter_finalize, iter_handle)
  return c->target.sim->Call("cmap_iter_finalize", [&](NodeServices& s) {
    return s.cmap().IterFinalize(s.conn(), iter_handle);
  });
}

cs_error_t cmap_track_add(cmap_handle_t handle, const char* key_name, int32_t track_type,
                          cmap_notify_fn_t notify_fn, void* user_data,
                          cmap_track_handle_t* cmap_track_handle) {
  if (cmap_track_handle == nullptr || key_name == nullptr) return CS_ERR_INVALID_PARAM;
  if (std::strlen(key_name) >= CS_MAX_NAME_LENGTH) return CS_ERR_NAME_TOO_LONG;
  std::shared_ptr<CmapInstance> c = Find(handle);
  if (c == nullptr) return CS_ERR_BAD_HANDLE;
  if (c->target.real != nullptr) {
    // Owned by the instance until track_delete (or finalize): the real library passes it
    // back with every change.
    auto t = std::make_unique<quorumsim::api::RealTrack>(
        quorumsim::api::RealTrack{c.get(), notify_fn, user_data});
    cs_error_t err = Real<decltype(&cmap_track_add)>(*c, "cmap_track_add")(
        c->real_handle, key_name, track_type, &quorumsim::api::RealNotify, t.get(),
        cmap_track_handle);
    if (err == CS_OK) {
      std::lock_guard<std::mutex> lock(c->mu);
      c->real_tracks[*cmap_track_handle] = std::move(t);
    }
    return err;
  }
  cmap_track_handle_t track;
  {
    std::lock_guard<std::mutex> lock(c->mu);
    track = c->next_track++;
    c->tracks[track] = quorumsim::api::Track{notify_fn, user_data};
  }
  cs_error_t err = c->target.sim->Call("cmap_track_add", [&](NodeServices& s) {
    return s.cmap().TrackAdd(s.conn(), key_name, track_type, track);
  });
  if (err != CS_OK) {
    std::lock_guard<std::mutex> lock(c->mu);
    c->tracks.erase(track);
    return err;
  }
  *cmap_track_handle = track;
  return CS_OK;
}

cs_error_t cmap_track_delete(cmap_handle_t handle, cmap_track_handle_t track_handle) {
  std::shared_ptr<CmapInstance> c = Find(handle);
  if (c == nullptr) return CS_ERR_BAD_HANDLE;
  if (c->target.real != nullptr) {
    cs_error_t err = Real<decltype(&cmap_track_delete)>(*c, "cmap_track_delete")(c->real_handle,
                                                                                 track_handle);
    if (err == CS_OK) {
      std::lock_guard<std::mutex> lock(c->mu);
      c->real_tracks.erase(track_handle);
    }
    return err;
  }
  {
    std::lock_guard<std::mutex> lock(c->mu);
    if (c->tracks.erase(track_handle) == 0) return CS_ERR_BAD_HANDLE;
  }
  return c->target.sim->Call("cmap_track_delete", [&](NodeServices& s) {
    return s.cmap().TrackDelete(s.conn(), track_handle);
  });
}

}  // extern "C"
