// ConnTable: the library connections of a cluster, by connection id.
//
// A connection's id names its slot (low 32 bits) and the slot's reuse count (high bits).
// Every callback looks its connection up; a flat table makes that one indexed load instead
// of a tree walk. Closed slots are reused, so a program that opens and closes connections
// forever uses constant memory.
#ifndef QUORUMSIM_SIM_INTERNAL_CONN_TABLE_H_
#define QUORUMSIM_SIM_INTERNAL_CONN_TABLE_H_

#include <cstdint>
#include <vector>

#include "engine/output.h"
#include "engine/types.h"
#include "sim/cluster.h"

namespace quorumsim::internal {

struct Conn {
  NodeId node = 0;
  uint32_t incarnation = 0;
  ClientSink* sink = nullptr;
  bool dead = false;
};

class ConnTable {
 public:
  // Stores `c` and returns its new id: the low 32 bits are the slot + 1, the high bits how
  // often the slot was reused, so an id is never handed out twice and a closed connection's
  // id (still held by a client or a tracker) never finds its successor.
  ConnId Add(const Conn& c) {
    uint32_t i;
    if (!free_.empty()) {
      i = free_.back();
      free_.pop_back();
    } else {
      i = static_cast<uint32_t>(slots_.size());
      slots_.push_back(Slot{});
    }
    Slot& s = slots_[i];
    s.conn = c;
    s.used = true;
    return (static_cast<ConnId>(s.generation) << 32) | (static_cast<ConnId>(i) + 1);
  }
  Conn* Find(ConnId id) {
    const uint64_t low = id & 0xffffffffu;
    if (low == 0 || low > slots_.size()) return nullptr;
    Slot& s = slots_[static_cast<size_t>(low - 1)];
    return s.used && s.generation == (id >> 32) ? &s.conn : nullptr;
  }
  const Conn* Find(ConnId id) const { return const_cast<ConnTable*>(this)->Find(id); }
  // Frees the slot for reuse: memory stays flat however many connections come and go.
  void Erase(ConnId id) {
    if (Find(id) == nullptr) return;
    Slot& s = slots_[static_cast<size_t>((id & 0xffffffffu) - 1)];
    s.used = false;
    ++s.generation;
    free_.push_back(static_cast<uint32_t>((id & 0xffffffffu) - 1));
  }
  // f(ConnId, Conn&) for every connection, in slot order.
  template <typename F>
  void ForEach(F&& f) {
    for (size_t i = 0; i < slots_.size(); ++i) {
      Slot& s = slots_[i];
      if (s.used) f((static_cast<ConnId>(s.generation) << 32) | (i + 1), s.conn);
    }
  }
  size_t slot_count() const { return slots_.size(); }

 private:
  struct Slot {
    Conn conn;
    bool used = false;
    // Counts reuses; after 2^32 of one slot ids would repeat, far beyond any run.
    uint32_t generation = 0;
  };
  std::vector<Slot> slots_;
  std::vector<uint32_t> free_;
};

}  // namespace quorumsim::internal

#endif  // QUORUMSIM_SIM_INTERNAL_CONN_TABLE_H_
