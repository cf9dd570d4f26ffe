// ConnTable: the library connections of a cluster, by connection id.
//
// The simulator hands out connection ids from a counter starting at 1 and never reuses
// one, so a connection's slot is simply its id - 1. Every callback looks its connection
// up; a flat table makes that one indexed load instead of a tree walk. Iteration is in
// ascending id order, the order the former std::map gave.
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
  // Inserts or replaces connection `id` (id >= 1).
  void Put(ConnId id, const Conn& c) {
    const size_t i = static_cast<size_t>(id - 1);
    if (i >= slots_.size()) slots_.resize(i + 1);
    slots_[i] = Slot{c, true};
  }
  Conn* Find(ConnId id) {
    if (id == 0 || id > slots_.size()) return nullptr;
    Slot& s = slots_[static_cast<size_t>(id - 1)];
    return s.used ? &s.conn : nullptr;
  }
  const Conn* Find(ConnId id) const { return const_cast<ConnTable*>(this)->Find(id); }
  void Erase(ConnId id) {
    if (id != 0 && id <= slots_.size()) slots_[static_cast<size_t>(id - 1)].used = false;
  }
  // f(ConnId, Conn&) for every connection, ascending id.
  template <typename F>
  void ForEach(F&& f) {
    for (size_t i = 0; i < slots_.size(); ++i) {
      if (slots_[i].used) f(static_cast<ConnId>(i + 1), slots_[i].conn);
    }
  }

 private:
  struct Slot {
    Conn conn;
    bool used = false;
  };
  std::vector<Slot> slots_;
};

}  // namespace quorumsim::internal

#endif  // QUORUMSIM_SIM_INTERNAL_CONN_TABLE_H_
