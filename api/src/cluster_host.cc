#include "api/src/cluster_host.h"

#include <map>

namespace quorumsim::api {

// The hosts of clusters the library does not own, by address.
class HostRegistry {
 public:
  static HostRegistry& Get() {
    static HostRegistry* r = new HostRegistry;  // never destroyed: used until exit
    return *r;
  }

  std::shared_ptr<ClusterHost> For(Cluster* cluster) {
    std::lock_guard<std::mutex> lock(mu_);
    std::shared_ptr<ClusterHost>& slot = hosts_[cluster];
    if (slot == nullptr) {
      slot = std::make_shared<ClusterHost>(cluster);
      std::weak_ptr<ClusterHost> weak = slot;
      cluster->AddDestroyListener([this, cluster, weak] { Forget(cluster, weak); });
    }
    return slot;
  }

 private:
  // Runs in ~Cluster. Taking the host mutex waits for calls in progress on the cluster;
  // later calls see alive() false. The entry is dropped so a new cluster at the same
  // address gets a new host (and memory does not grow with the number of clusters).
  void Forget(Cluster* cluster, const std::weak_ptr<ClusterHost>& weak) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = hosts_.find(cluster);
      if (it != hosts_.end() && it->second == weak.lock()) hosts_.erase(it);
    }
    if (std::shared_ptr<ClusterHost> host = weak.lock()) {
      std::lock_guard<std::recursive_mutex> lock(host->mu());
      host->cluster_ = nullptr;
    }
  }

  std::mutex mu_;
  std::map<Cluster*, std::shared_ptr<ClusterHost>> hosts_;
};

std::shared_ptr<ClusterHost> ClusterHost::For(Cluster* cluster) {
  return HostRegistry::Get().For(cluster);
}

std::shared_ptr<ClusterHost> ClusterHost::Owning(std::unique_ptr<Cluster> cluster) {
  Cluster* raw = cluster.get();
  return std::make_shared<ClusterHost>(raw, std::move(cluster));
}

}  // namespace quorumsim::api
