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

size_t HandleTable::SlotOf(votequorum_handle_t handle) const {
  const size_t mask = slots_.size() - 1;
  size_t i = static_cast<size_t>(handle) & mask;
  while (slots_[i].handle != 0 && slots_[i].handle != handle) i = (i + 1) & mask;
  return i;
}

void HandleTable::Grow() {
  std::vector<Slot> old(slots_.size() * 2);
  old.swap(slots_);
  for (Slot& slot : old) {
    if (slot.handle != 0) slots_[SlotOf(slot.handle)] = std::move(slot);
  }
}

votequorum_handle_t HandleTable::Insert(std::shared_ptr<Instance> instance) {
  std::lock_guard<std::mutex> lock(mu_);
  votequorum_handle_t handle = kHandleTag | next_++;
  instance->handle = handle;
  if (2 * (used_ + 1) > slots_.size()) Grow();
  Slot& slot = slots_[SlotOf(handle)];
  slot.handle = handle;
  slot.instance = std::move(instance);
  ++used_;
  return handle;
}

std::shared_ptr<Instance> HandleTable::Find(votequorum_handle_t handle) const {
  if (handle == 0) return nullptr;
  std::lock_guard<std::mutex> lock(mu_);
  const Slot& slot = slots_[SlotOf(handle)];
  return slot.handle == handle ? slot.instance : nullptr;
}

std::shared_ptr<Instance> HandleTable::Remove(votequorum_handle_t handle) {
  if (handle == 0) return nullptr;
  std::lock_guard<std::mutex> lock(mu_);
  size_t hole = SlotOf(handle);
  if (slots_[hole].handle != handle) return nullptr;
  std::shared_ptr<Instance> instance = std::move(slots_[hole].instance);
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
  return instance;
}

}  // namespace quorumsim::api
