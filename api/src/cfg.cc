// The cfg C API (libcfg) on a simulated node, or forwarded to corosync's library.
//
// The node's addresses come from its nodelist entry (ring0_addr .. ring7_addr), numeric
// or resolved as corosync resolves them at start. Requests without meaning in a
// simulation (ring status, reload, log files, replies to a shutdown request) return
// CS_ERR_NOT_SUPPORTED; api/README.md lists them.
#include <corosync/cfg.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "api/src/handle_registry.h"
#include "api/src/service_events.h"
#include "api/src/service_target.h"
#include "sim/cmap_tree.h"

namespace quorumsim::api {
namespace {

struct CfgInstance {
  corosync_cfg_handle_t handle = 0;
  corosync_cfg_callbacks_t callbacks{};
  std::atomic<bool> finalized{false};
  ServiceTarget target;
  corosync_cfg_handle_t real_handle = 0;
};
// Handles start at a tag of their own ("quor", "cmap", "cfg "): one library's handle is
// never valid in another.
using Registry = HandleRegistry<CfgInstance, (uint64_t{0x63666720} << 32 | 1)>;

template <typename F>
F Real(const CfgInstance& c, const char* name) {
  return c.target.real->Get<F>(name);
}

thread_local CfgInstance* dispatching = nullptr;
// corosync's library runs this with its own handle; the instance dispatching on this
// thread is the one (libcfg has no context to map a handle back).
void RealShutdown(corosync_cfg_handle_t, corosync_cfg_shutdown_flags_t flags) {
  CfgInstance* c = dispatching;
  if (c != nullptr && c->callbacks.corosync_cfg_shutdown_callback != nullptr) {
    c->callbacks.corosync_cfg_shutdown_callback(c->handle, flags);
  }
}

// A node's addresses in link order, from its nodelist entry; empty when it has none.
std::vector<sockaddr_storage> NodeAddresses(const ClusterConfig& config, NodeId local,
                                            NodeId node) {
  CmapEntries map;
  std::vector<sockaddr_storage> out;
  if (!BuildConfigCmap(config, local, &map).ok()) return out;
  const std::string nodelist = "nodelist.node.";
  for (auto it = map.lower_bound(nodelist);
       it != map.end() && it->first.compare(0, nodelist.size(), nodelist) == 0; ++it) {
    const std::string& key = it->first;
    const std::string suffix = ".nodeid";
    if (key.size() <= suffix.size() ||
        key.compare(key.size() - suffix.size(), suffix.size(), suffix) != 0) {
      continue;
    }
    std::optional<uint32_t> id = CmapGetU32(map, key);
    if (!id.has_value() || *id != node) continue;
    const std::string prefix = key.substr(0, key.size() - suffix.size() + 1);
    for (int link = 0; link < CFG_MAX_LINKS; ++link) {
      std::optional<std::string> addr =
          CmapGetString(map, prefix + "ring" + std::to_string(link) + "_addr");
      if (!addr.has_value()) continue;
      addrinfo hints{};
      hints.ai_family = AF_UNSPEC;
      hints.ai_socktype = SOCK_DGRAM;
      addrinfo* res = nullptr;
      if (getaddrinfo(addr->c_str(), nullptr, &hints, &res) != 0 || res == nullptr) continue;
      sockaddr_storage ss{};
      std::memcpy(&ss, res->ai_addr, std::min<size_t>(res->ai_addrlen, sizeof ss));
      freeaddrinfo(res);
      out.push_back(ss);
    }
    break;
  }
  return out;
}

}  // namespace
}  // namespace quorumsim::api

using quorumsim::CsError;
using quorumsim::NodeId;
using quorumsim::NodeServices;
using quorumsim::api::CfgInstance;
using quorumsim::api::Registry;

namespace {
std::shared_ptr<CfgInstance> Find(corosync_cfg_handle_t h) { return Registry::Get().Find(h); }
}  // namespace

extern "C" {

cs_error_t corosync_cfg_initialize(corosync_cfg_handle_t* cfg_handle,
                                   const corosync_cfg_callbacks_t* cfg_callbacks) {
  if (cfg_handle == nullptr) return CS_ERR_INVALID_PARAM;
  auto c = std::make_shared<CfgInstance>();
  if (cfg_callbacks != nullptr) c->callbacks = *cfg_callbacks;
  cs_error_t err = quorumsim::api::ConnectService(
      "libcfg.so.7", "corosync_cfg_initialize",
      reinterpret_cast<const void*>(&corosync_cfg_initialize), &c->target);
  if (err != CS_OK) return err;
  if (c->target.real != nullptr) {
    corosync_cfg_callbacks_t cb{&quorumsim::api::RealShutdown};
    err = quorumsim::api::Real<decltype(&corosync_cfg_initialize)>(*c, "corosync_cfg_initialize")(
        &c->real_handle, &cb);
    if (err != CS_OK) return err;
  }
  *cfg_handle = Registry::Get().Insert(c);
  return CS_OK;
}

cs_error_t corosync_cfg_finalize(corosync_cfg_handle_t cfg_handle) {
  std::shared_ptr<CfgInstance> c = Registry::Get().Remove(cfg_handle);
  if (c == nullptr) return CS_ERR_BAD_HANDLE;
  c->finalized.store(true);
  if (c->target.sim != nullptr) {
    c->target.sim->Close();
    return CS_OK;
  }
  return quorumsim::api::Real<decltype(&corosync_cfg_finalize)>(*c, "corosync_cfg_finalize")(
      c->real_handle);
}

cs_error_t corosync_cfg_fd_get(corosync_cfg_handle_t cfg_handle, int32_t* selection_fd) {
  if (selection_fd == nullptr) return CS_ERR_INVALID_PARAM;
  std::shared_ptr<CfgInstance> c = Find(cfg_handle);
  if (c == nullptr) return CS_ERR_BAD_HANDLE;
  if (c->target.sim == nullptr) {
    return quorumsim::api::Real<decltype(&corosync_cfg_fd_get)>(*c, "corosync_cfg_fd_get")(
        c->real_handle, selection_fd);
  }
  *selection_fd = c->target.sim->fd();
  return *selection_fd < 0 ? CS_ERR_LIBRARY : CS_OK;
}

cs_error_t corosync_cfg_dispatch(corosync_cfg_handle_t cfg_handle,
                                 cs_dispatch_flags_t dispatch_flags) {
  if (!quorumsim::api::DispatchTypeOk(dispatch_flags)) return CS_ERR_INVALID_PARAM;
  std::shared_ptr<CfgInstance> c = Find(cfg_handle);
  if (c == nullptr) return CS_ERR_BAD_HANDLE;
  if (c->target.sim == nullptr) {
    CfgInstance* saved = quorumsim::api::dispatching;
    quorumsim::api::dispatching = c.get();
    cs_error_t err = quorumsim::api::Real<decltype(&corosync_cfg_dispatch)>(
        *c, "corosync_cfg_dispatch")(c->real_handle, dispatch_flags);
    quorumsim::api::dispatching = saved;
    return err;
  }
  return c->target.sim->Dispatch(dispatch_flags, [&](const quorumsim::api::Notification& n) {
    const auto* e = static_cast<const quorumsim::api::CfgEvent*>(n.service);
    if (c->callbacks.corosync_cfg_shutdown_callback != nullptr) {
      c->callbacks.corosync_cfg_shutdown_callback(
          c->handle, static_cast<corosync_cfg_shutdown_flags_t>(e->flags));
    }
    return !c->finalized.load();
  });
}

cs_error_t corosync_cfg_local_get(corosync_cfg_handle_t handle, unsigned int* local_nodeid) {
  if (local_nodeid == nullptr) return CS_ERR_INVALID_PARAM;
  std::shared_ptr<CfgInstance> c = Find(handle);
  if (c == nullptr) return CS_ERR_BAD_HANDLE;
  if (c->target.sim == nullptr) {
    return quorumsim::api::Real<decltype(&corosync_cfg_local_get)>(*c, "corosync_cfg_local_get")(
        c->real_handle, local_nodeid);
  }
  return c->target.sim->Call("cfg_local_get", [&](NodeServices& s) {
    *local_nodeid = s.node_id();
    return CsError::kOk;
  });
}

cs_error_t corosync_cfg_get_node_addrs(corosync_cfg_handle_t cfg_handle, unsigned int nodeid,
                                       size_t max_addrs, int* num_addrs,
                                       corosync_cfg_node_address_t* addrs) {
  if (num_addrs == nullptr || (addrs == nullptr && max_addrs > 0)) return CS_ERR_INVALID_PARAM;
  std::shared_ptr<CfgInstance> c = Find(cfg_handle);
  if (c == nullptr) return CS_ERR_BAD_HANDLE;
  if (c->target.sim == nullptr) {
    return quorumsim::api::Real<decltype(&corosync_cfg_get_node_addrs)>(
        *c, "corosync_cfg_get_node_addrs")(c->real_handle, nodeid, max_addrs, num_addrs, addrs);
  }
  return c->target.sim->Call("cfg_get_node_addrs", [&](NodeServices& s) {
    const NodeId node = nodeid == 0 ? s.node_id() : nodeid;
    std::vector<sockaddr_storage> found =
        quorumsim::api::NodeAddresses(s.cluster().config(), s.node_id(), node);
    *num_addrs = static_cast<int>(found.size());
    if (found.empty()) return CsError::kNotExist;
    // corosync reports every address in the family of the first one.
    const int family = found.front().ss_family;
    for (size_t i = 0; i < found.size() && i < max_addrs; ++i) {
      addrs[i] = corosync_cfg_node_address_t{};
      addrs[i].address_length =
          family == AF_INET6 ? sizeof(sockaddr_in6) : static_cast<int>(sizeof(sockaddr_in));
      std::memcpy(addrs[i].address, &found[i],
                  found[i].ss_family == AF_INET6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in));
    }
    return CsError::kOk;
  });
}

cs_error_t corosync_cfg_node_status_get(corosync_cfg_handle_t cfg_handle, unsigned int nodeid,
                                        corosync_cfg_node_status_version_t version,
                                        void* node_status) {
  if (node_status == nullptr) return CS_ERR_INVALID_PARAM;
  if (quorumsim::api::EnumValue(version) != CFG_NODE_STATUS_V1) return CS_ERR_INVALID_PARAM;
  std::shared_ptr<CfgInstance> c = Find(cfg_handle);
  if (c == nullptr) return CS_ERR_BAD_HANDLE;
  if (c->target.sim == nullptr) {
    return quorumsim::api::Real<decltype(&corosync_cfg_node_status_get)>(
        *c, "corosync_cfg_node_status_get")(c->real_handle, nodeid, version, node_status);
  }
  return c->target.sim->Call("cfg_node_status_get", [&](NodeServices& s) {
    if (!s.cluster().HasNode(nodeid)) return CsError::kNotExist;
    auto* st = static_cast<corosync_cfg_node_status_v1*>(node_status);
    *st = corosync_cfg_node_status_v1{};
    st->version = CFG_NODE_STATUS_V1;
    st->nodeid = nodeid;
    st->remote = nodeid != s.node_id();
    // Reachable: this node itself, or a running node on the same side of the network.
    const quorumsim::NodeView self = s.cluster().Node(s.node_id());
    const quorumsim::NodeView other = s.cluster().Node(nodeid);
    st->reachable = !st->remote || (other.run_state == quorumsim::NodeRunState::kUp &&
                                    other.partition == self.partition);
    const size_t links =
        quorumsim::api::NodeAddresses(s.cluster().config(), s.node_id(), nodeid).size();
    for (size_t i = 0; i < links && i < CFG_MAX_LINKS; ++i) {
      st->link_status[i].enabled = 1;
      st->link_status[i].connected = st->reachable;
    }
    return CsError::kOk;
  });
}

cs_error_t corosync_cfg_kill_node(corosync_cfg_handle_t cfg_handle, unsigned int nodeid,
                                  const char* reason) {
  if (reason != nullptr && std::strlen(reason) >= CS_MAX_NAME_LENGTH) return CS_ERR_NAME_TOO_LONG;
  std::shared_ptr<CfgInstance> c = Find(cfg_handle);
  if (c == nullptr) return CS_ERR_BAD_HANDLE;
  if (c->target.sim == nullptr) {
    return quorumsim::api::Real<decltype(&corosync_cfg_kill_node)>(*c, "corosync_cfg_kill_node")(
        c->real_handle, nodeid, reason);
  }
  return c->target.sim->Call("cfg_kill_node", [&](NodeServices& s) {
    // The request travels on the ring: only a member of it hears it.
    const std::vector<NodeId>& ring = s.cluster().Node(s.node_id()).engine_members;
    if (std::find(ring.begin(), ring.end(), nodeid) != ring.end()) s.RequestKill(nodeid);
    return CsError::kOk;
  });
}

cs_error_t corosync_cfg_trackstart(corosync_cfg_handle_t cfg_handle, uint8_t track_flags) {
  std::shared_ptr<CfgInstance> c = Find(cfg_handle);
  if (c == nullptr) return CS_ERR_BAD_HANDLE;
  if (c->target.sim == nullptr) {
    return quorumsim::api::Real<decltype(&corosync_cfg_trackstart)>(
        *c, "corosync_cfg_trackstart")(c->real_handle, track_flags);
  }
  return c->target.sim->Call("cfg_trackstart", [&](NodeServices& s) {
    std::vector<quorumsim::ConnId>& t = s.cfg_trackers();
    if (std::find(t.begin(), t.end(), s.conn()) == t.end()) t.push_back(s.conn());
    return CsError::kOk;
  });
}

cs_error_t corosync_cfg_trackstop(corosync_cfg_handle_t cfg_handle) {
  std::shared_ptr<CfgInstance> c = Find(cfg_handle);
  if (c == nullptr) return CS_ERR_BAD_HANDLE;
  if (c->target.sim == nullptr) {
    return quorumsim::api::Real<decltype(&corosync_cfg_trackstop)>(*c, "corosync_cfg_trackstop")(
        c->real_handle);
  }
  return c->target.sim->Call("cfg_trackstop", [&](NodeServices& s) {
    std::erase(s.cfg_trackers(), s.conn());
    return CsError::kOk;
  });
}

cs_error_t corosync_cfg_try_shutdown(corosync_cfg_handle_t cfg_handle,
                                     corosync_cfg_shutdown_flags_t flags) {
  // corosync passes an unknown value on to the shutdown callbacks; quorumsim refuses it,
  // since a C++ callback may not be handed an enum value outside its range.
  const int64_t how = quorumsim::api::EnumValue(flags);
  if (how < COROSYNC_CFG_SHUTDOWN_FLAG_REQUEST || how > COROSYNC_CFG_SHUTDOWN_FLAG_IMMEDIATE) {
    return CS_ERR_INVALID_PARAM;
  }
  std::shared_ptr<CfgInstance> c = Find(cfg_handle);
  if (c == nullptr) return CS_ERR_BAD_HANDLE;
  if (c->target.sim == nullptr) {
    return quorumsim::api::Real<decltype(&corosync_cfg_try_shutdown)>(
        *c, "corosync_cfg_try_shutdown")(c->real_handle, flags);
  }
  return c->target.sim->Call("cfg_try_shutdown", [&](NodeServices& s) {
    // Tracking clients hear of it; the simulated node does not wait for their replies.
    if (how != COROSYNC_CFG_SHUTDOWN_FLAG_IMMEDIATE) {
      for (quorumsim::ConnId t : s.cfg_trackers()) s.NotifyShutdown(t, static_cast<uint32_t>(how));
    }
    s.RequestShutdown();
    return CsError::kOk;
  });
}

namespace {
cs_error_t NotSupported(corosync_cfg_handle_t handle) {
  return Find(handle) == nullptr ? CS_ERR_BAD_HANDLE : CS_ERR_NOT_SUPPORTED;
}
}  // namespace

cs_error_t corosync_cfg_replyto_shutdown(corosync_cfg_handle_t cfg_handle,
                                         corosync_cfg_shutdown_reply_flags_t flags) {
  std::shared_ptr<CfgInstance> c = Find(cfg_handle);
  if (c != nullptr && c->target.sim == nullptr) {
    return quorumsim::api::Real<decltype(&corosync_cfg_replyto_shutdown)>(
        *c, "corosync_cfg_replyto_shutdown")(c->real_handle, flags);
  }
  return NotSupported(cfg_handle);
}

cs_error_t corosync_cfg_ring_status_get(corosync_cfg_handle_t cfg_handle, char*** interface_names,
                                        char*** status, unsigned int* interface_count) {
  std::shared_ptr<CfgInstance> c = Find(cfg_handle);
  if (c != nullptr && c->target.sim == nullptr) {
    return quorumsim::api::Real<decltype(&corosync_cfg_ring_status_get)>(
        *c, "corosync_cfg_ring_status_get")(c->real_handle, interface_names, status,
                                            interface_count);
  }
  return NotSupported(cfg_handle);
}

cs_error_t corosync_cfg_reload_config(corosync_cfg_handle_t handle) {
  std::shared_ptr<CfgInstance> c = Find(handle);
  if (c != nullptr && c->target.sim == nullptr) {
    return quorumsim::api::Real<decltype(&corosync_cfg_reload_config)>(
        *c, "corosync_cfg_reload_config")(c->real_handle);
  }
  return NotSupported(handle);
}

cs_error_t corosync_cfg_reopen_log_files(corosync_cfg_handle_t handle) {
  std::shared_ptr<CfgInstance> c = Find(handle);
  if (c != nullptr && c->target.sim == nullptr) {
    return quorumsim::api::Real<decltype(&corosync_cfg_reopen_log_files)>(
        *c, "corosync_cfg_reopen_log_files")(c->real_handle);
  }
  return NotSupported(handle);
}

}  // extern "C"
