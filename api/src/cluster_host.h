// A simulated cluster shared by library connections, with the mutex that serialises
// every call into it.
//
// sim::Cluster is single-threaded; votequorum handles may be used from any thread. All
// connections and bindings to one Cluster share one ClusterHost (looked up by address),
// so one mutex covers the whole cluster. Test code that drives the cluster from another
// thread while clients run takes the same mutex through quorumsim::api::LockCluster.
#ifndef QUORUMSIM_API_SRC_CLUSTER_HOST_H_
#define QUORUMSIM_API_SRC_CLUSTER_HOST_H_

#include <memory>
#include <mutex>
#include <new>
#include <utility>

#include "sim/cluster.h"

namespace quorumsim::api {

class ClusterHost {
 public:
  // The host of `cluster`, created on first use. The cluster itself is not owned; when it
  // is destroyed the host forgets it (alive() turns false, under mu()), so connections
  // and bindings that outlive it fail with CS_ERR_LIBRARY instead of using freed memory.
  static std::shared_ptr<ClusterHost> For(Cluster* cluster);
  // A host that owns its cluster (the one built from QUORUMSIM_CONF).
  static std::shared_ptr<ClusterHost> Owning(std::unique_ptr<Cluster> cluster);

  // Recursive: a ClientSink running under the lock never calls back, but a caller
  // holding LockCluster may call the C API on the same thread.
  std::recursive_mutex& mu() { return mu_; }
  // Only while alive(); both under mu().
  Cluster& cluster() { return *cluster_; }
  // In a child process after fork(), when the parent's forking thread held the lock (a
  // fork handler takes it so that no other thread does): a recursive mutex remembers its
  // owner's thread id, which the child's thread does not have, so it cannot be unlocked
  // there and is made anew instead.
  void ResetLockInChild() { new (&mu_) std::recursive_mutex(); }
  bool alive() const { return cluster_ != nullptr; }

  explicit ClusterHost(Cluster* cluster, std::unique_ptr<Cluster> owned = nullptr)
      : owned_(std::move(owned)), cluster_(cluster) {}

 private:
  friend class HostRegistry;
  std::unique_ptr<Cluster> owned_;
  Cluster* cluster_;  // null once the (not owned) cluster was destroyed
  std::recursive_mutex mu_;
};

}  // namespace quorumsim::api

#endif  // QUORUMSIM_API_SRC_CLUSTER_HOST_H_
