// HandleRegistry: the handles of one of corosync's client libraries (one registry per
// instance type: votequorum, quorum, cmap, cfg).
//
// Handles are opaque numbers, never reused, so a finalized or made-up handle is absent and
// every call with it gives CS_ERR_BAD_HANDLE. A lookup shares ownership, so a call in
// progress (a dispatch whose callback finalizes) keeps its instance alive until it returns.
#ifndef QUORUMSIM_API_SRC_HANDLE_REGISTRY_H_
#define QUORUMSIM_API_SRC_HANDLE_REGISTRY_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace quorumsim::api {

// `kFirst`: the first handle given out (libraries start at different values, so a handle
// of one library is never valid in another). Instance has a `handle` member, set here.
//
// The table is open addressing with linear probing in a power-of-two array, at most half
// full. Handles are consecutive numbers, so their low bits spread evenly: a lookup is a
// mask and usually one probe. Every dispatch call looks its handle up, and a std::map or
// std::unordered_map lookup (pointer chasing; a division by a prime) was a visible part of
// its cost.
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
    if (2 * (used_ + 1) > slots_.size()) Grow();
    Slot& slot = slots_[SlotOf(handle)];
    slot.handle = handle;
    slot.instance = std::move(instance);
    ++used_;
    return handle;
  }
  std::shared_ptr<Instance> Find(uint64_t handle) const {
    if (handle == 0) return nullptr;
    std::lock_guard<std::mutex> lock(mu_);
    const Slot& slot = slots_[SlotOf(handle)];
    return slot.handle == handle ? slot.instance : nullptr;
  }
  // Takes the instance out; null if it was not there (a second finalize).
  std::shared_ptr<Instance> Remove(uint64_t handle) {
    if (handle == 0) return nullptr;
    std::lock_guard<std::mutex> lock(mu_);
    size_t hole = SlotOf(handle);
    if (slots_[hole].handle != handle) return nullptr;
    std::shared_ptr<Instance> out = std::move(slots_[hole].instance);
    slots_[hole].handle = 0;
    --used_;
    // Backward-shift deletion: later entries of the probe run move up into the hole when
    // their home slot does not lie between the hole and them, so every lookup still finds
    // its entry before the first free slot (and no tombstones accumulate).
    const size_t mask = slots_.size() - 1;
    for (size_t j = (hole + 1) & mask; slots_[j].handle != 0; j = (j + 1) & mask) {
      const size_t home = static_cast<size_t>(slots_[j].handle) & mask;
      const bool home_in_gap = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
      if (home_in_gap) continue;
      slots_[hole] = std::move(slots_[j]);
      slots_[j].handle = 0;
      hole = j;
    }
    return out;
  }

 private:
  struct Slot {
    uint64_t handle = 0;  // 0: free (no handle is 0)
    std::shared_ptr<Instance> instance;
  };
  // The slot holding `handle`, or the free slot that ends its probe run.
  size_t SlotOf(uint64_t handle) const {
    const size_t mask = slots_.size() - 1;
    size_t i = static_cast<size_t>(handle) & mask;
    while (slots_[i].handle != 0 && slots_[i].handle != handle) i = (i + 1) & mask;
    return i;
  }
  void Grow() {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    for (Slot& slot : old) {
      if (slot.handle != 0) slots_[SlotOf(slot.handle)] = std::move(slot);
    }
  }

  mutable std::mutex mu_;
  std::vector<Slot> slots_ = std::vector<Slot>(16);
  size_t used_ = 0;
  uint64_t next_ = kFirst;
};

}  // namespace quorumsim::api

#endif  // QUORUMSIM_API_SRC_HANDLE_REGISTRY_H_
