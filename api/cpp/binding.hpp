// Binding votequorum clients to nodes of a simulated cluster, for C++ tests.
//
//   quorumsim::api::ScopedBinding on1(cluster, 1);
//   LockManager a;                          // its votequorum_initialize talks to node 1
//   quorumsim::api::ScopedBinding on2(cluster, 2);
//   LockManager b;                          // ... and this one to node 2
//
// While a binding is alive, votequorum_initialize (from any thread, unless the binding
// is ThisThread) creates handles bound to its node; the innermost live binding wins.
// Handles keep their node after the binding ends. The cluster must outlive every
// handle made under it.
#ifndef QUORUMSIM_API_CPP_BINDING_HPP_
#define QUORUMSIM_API_CPP_BINDING_HPP_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "engine/types.h"

namespace quorumsim {
class Cluster;
}

namespace quorumsim::api {

class ConnectionFactory;

enum class BindingScope {
  kProcess,     // every thread (code under test may initialize from its own threads)
  kThisThread,  // only the constructing thread; overrides process bindings there
};

class ScopedBinding {
 public:
  // Binds to node `node` of `cluster`. An id the cluster does not have is a
  // programming error: it is reported on stderr and the process aborts.
  ScopedBinding(Cluster& cluster, NodeId node, BindingScope scope = BindingScope::kProcess);
  // Binds to the real corosync (the system libvotequorum; empty path: the default or
  // QUORUMSIM_COROSYNC_LIB). The C++ counterpart of QUORUMSIM_BACKEND=corosync.
  static ScopedBinding Corosync(const std::string& library_path = "",
                                BindingScope scope = BindingScope::kProcess);
  ~ScopedBinding();

  ScopedBinding(ScopedBinding&& other) noexcept;
  ScopedBinding& operator=(ScopedBinding&&) = delete;
  ScopedBinding(const ScopedBinding&) = delete;
  ScopedBinding& operator=(const ScopedBinding&) = delete;

  // For tests of the library itself: bind to any connection factory.
  ScopedBinding(std::shared_ptr<ConnectionFactory> factory, BindingScope scope);

 private:
  uint64_t token_ = 0;  // 0 once moved from
};

// Holds the lock that serialises every API call bound to `cluster`. Take it when
// driving the cluster (faults, Settle, RunFor) from one thread while clients on other
// threads use the API; a single-threaded test does not need it.
std::unique_lock<std::recursive_mutex> LockCluster(Cluster& cluster);

}  // namespace quorumsim::api

#endif  // QUORUMSIM_API_CPP_BINDING_HPP_
