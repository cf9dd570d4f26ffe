// HandleRegistry: the handles of one of corosync's client libraries (one registry per
// instance type: votequorum, quorum, cmap, cfg).
//
// Handles are opaque numbers, never reused, so a finalized or made-up handle is absent and
// every call with it gives CS_ERR_BAD_HANDLE. A lookup shares ownership, so a call in
// progress (a dispatch whose callback finalizes) keeps its instance alive until it returns.
#ifndef QUORUMSIM_API_SRC_HANDLE_REGISTRY_H_
#define QUORUMSIM_API_SRC_HANDLE_REGISTRY_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>

namespace quorumsim::api {

// `kFirst`: the first handle given out (libraries start at different values, so a handle
// of one library is never valid in another). Instance has a `handle` member, set here.
template <typename Instance, uint64_t kFirst>
class HandleRegistry {
 public:
  // The registry of this instance type (never destroyed: handles stay valid while other
  // static objects are torn down at exit).
  static HandleRegistry& Get() {
    static auto* registry = new HandleRegistry;
    return *registry;
  }
  uint64_t Insert(std::shared_ptr<Instance> instance) {
    std::lock_guard<std::mutex> lock(mu_);
    const uint64_t handle = next_++;
    instance->handle = handle;
    instances_.emplace(handle, std::move(instance));
    return handle;
  }
  std::shared_ptr<Instance> Find(uint64_t handle) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = instances_.find(handle);
    return it == instances_.end() ? nullptr : it->second;
  }
  // Takes the instance out; null if it was not there (a second finalize).
  std::shared_ptr<Instance> Remove(uint64_t handle) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = instances_.find(handle);
    if (it == instances_.end()) return nullptr;
    std::shared_ptr<Instance> out = std::move(it->second);
    instances_.erase(it);
    return out;
  }

 private:
  mutable std::mutex mu_;
  std::map<uint64_t, std::shared_ptr<Instance>> instances_;
  uint64_t next_ = kFirst;
};

}  // namespace quorumsim::api

#endif  // QUORUMSIM_API_SRC_HANDLE_REGISTRY_H_
