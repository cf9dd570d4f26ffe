// ScopedBinding, LockCluster and the C binding entry points.
#include "api/cpp/binding.hpp"

#include <quorumsim/binding.h>

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "api/src/binding_stack.h"
#include "api/src/cluster_host.h"
#include "api/src/corosync_connection.h"
#include "api/src/sim_connection.h"

namespace quorumsim::api {

ScopedBinding::ScopedBinding(std::shared_ptr<ConnectionFactory> factory, BindingScope scope)
    : token_(PushBinding(std::move(factory), scope == BindingScope::kThisThread)) {}

ScopedBinding::ScopedBinding(Cluster& cluster, NodeId node, BindingScope scope) {
  if (!cluster.HasNode(node)) {
    std::fprintf(stderr, "quorumsim: ScopedBinding to node %u, which the cluster does not have\n",
                 node);
    std::abort();
  }
  token_ = PushBinding(MakeSimFactory(ClusterHost::For(&cluster), node),
                       scope == BindingScope::kThisThread);
}

ScopedBinding ScopedBinding::Corosync(const std::string& library_path, BindingScope scope) {
  return ScopedBinding(MakeCorosyncFactory(library_path), scope);
}

ScopedBinding::ScopedBinding(ScopedBinding&& other) noexcept : token_(other.token_) {
  other.token_ = 0;
}

ScopedBinding::~ScopedBinding() {
  if (token_ != 0) PopBinding(token_);
}

std::unique_lock<std::recursive_mutex> LockCluster(Cluster& cluster) {
  return std::unique_lock<std::recursive_mutex>(ClusterHost::For(&cluster)->mu());
}

}  // namespace quorumsim::api

extern "C" {

cs_error_t quorumsim_bind(void* cluster, uint32_t nodeid) {
  auto* c = static_cast<quorumsim::Cluster*>(cluster);
  if (c == nullptr || !c->HasNode(nodeid)) return CS_ERR_INVALID_PARAM;
  quorumsim::api::SetCBinding(
      quorumsim::api::MakeSimFactory(quorumsim::api::ClusterHost::For(c), nodeid));
  return CS_OK;
}

cs_error_t quorumsim_bind_corosync(const char* library_path) {
  quorumsim::api::SetCBinding(
      quorumsim::api::MakeCorosyncFactory(library_path != nullptr ? library_path : ""));
  return CS_OK;
}

void quorumsim_unbind(void) { quorumsim::api::SetCBinding(nullptr); }

}  // extern "C"
