#include "api/src/handle_table.h"

#include <utility>

namespace quorumsim::api {

namespace {
// The upper half of every handle: small integers, 0 and other handle-shaped garbage
// never name an instance by accident.
constexpr uint64_t kHandleTag = uint64_t{0x71736d76} << 32;  // "qsmv"
}  // namespace

HandleTable& HandleTable::Get() {
  static HandleTable* table = new HandleTable;
  return *table;
}

votequorum_handle_t HandleTable::Insert(std::shared_ptr<Instance> instance) {
  std::lock_guard<std::mutex> lock(mu_);
  votequorum_handle_t handle = kHandleTag | next_++;
  instance->handle = handle;
  instances_.emplace(handle, std::move(instance));
  return handle;
}

std::shared_ptr<Instance> HandleTable::Find(votequorum_handle_t handle) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = instances_.find(handle);
  return it == instances_.end() ? nullptr : it->second;
}

std::shared_ptr<Instance> HandleTable::Remove(votequorum_handle_t handle) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = instances_.find(handle);
  if (it == instances_.end()) return nullptr;
  std::shared_ptr<Instance> instance = std::move(it->second);
  instances_.erase(it);
  return instance;
}

}  // namespace quorumsim::api
