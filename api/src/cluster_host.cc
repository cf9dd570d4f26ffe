#include "api/src/cluster_host.h"

#include <map>

namespace quorumsim::api {

std::shared_ptr<ClusterHost> ClusterHost::For(Cluster* cluster) {
  static std::mutex* mu = new std::mutex;
  // Hosts are kept for the life of the process: a host holds only the address and a
  // mutex, so a later cluster at the same address can reuse it, and a lock taken with
  // LockCluster never outlives its mutex.
  static auto* hosts = new std::map<Cluster*, std::shared_ptr<ClusterHost>>;
  std::lock_guard<std::mutex> lock(*mu);
  std::shared_ptr<ClusterHost>& slot = (*hosts)[cluster];
  if (slot == nullptr) slot = std::make_shared<ClusterHost>(cluster);
  return slot;
}

std::shared_ptr<ClusterHost> ClusterHost::Owning(std::unique_ptr<Cluster> cluster) {
  Cluster* raw = cluster.get();
  return std::make_shared<ClusterHost>(raw, std::move(cluster));
}

}  // namespace quorumsim::api
