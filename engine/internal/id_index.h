// IdIndex: node id -> small integer, as a flat open-addressing hash table.
//
// The engine looks a record up for every message it receives and the list holds up to
// 385 records, so a linear scan made each membership change cubic in the node count.
// This table answers in a probe or two. It is only ever used for lookups: nothing
// iterates it, so its layout can never decide an outcome.
#ifndef QUORUMSIM_ENGINE_INTERNAL_ID_INDEX_H_
#define QUORUMSIM_ENGINE_INTERNAL_ID_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/types.h"

namespace quorumsim::internal {

class IdIndex {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  // Sized for up to `max_entries` keys at a load factor of at most 1/2.
  explicit IdIndex(size_t max_entries) {
    size_t cap = 8;
    while (cap < 2 * max_entries) cap *= 2;
    slots_.assign(cap, Slot{});
    mask_ = cap - 1;
    for (size_t c = cap; c > 1; c /= 2) --shift_;
  }

  uint32_t Find(NodeId id) const {
    for (size_t i = Home(id);; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.value == kNone || s.key == id) return s.value;
    }
  }

  // Inserts or overwrites. `value` must not be kNone.
  void Set(NodeId id, uint32_t value) {
    for (size_t i = Home(id);; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.value == kNone || s.key == id) {
        s.key = id;
        s.value = value;
        return;
      }
    }
  }

  void Clear() { slots_.assign(slots_.size(), Slot{}); }

 private:
  struct Slot {
    NodeId key = 0;
    uint32_t value = kNone;  // kNone: empty
  };
  // Fibonacci hashing: consecutive ids (the usual case) spread over the table.
  size_t Home(NodeId id) const { return static_cast<uint32_t>(id * 2654435769u) >> shift_; }

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  int shift_ = 32;  // 32 - log2(capacity): Home() keeps the product's top bits
};

}  // namespace quorumsim::internal

#endif  // QUORUMSIM_ENGINE_INTERNAL_ID_INDEX_H_
