// Library connections that asked for change notifications (votequorum_trackstart).
#ifndef QUORUMSIM_ENGINE_INTERNAL_TRACKERS_H_
#define QUORUMSIM_ENGINE_INTERNAL_TRACKERS_H_

#include <cstdint>
#include <vector>

#include "engine/output.h"

namespace quorumsim::internal {

struct Tracker {
  ConnId conn = 0;
  uint64_t context = 0;
  uint32_t flags = 0;
};

class Trackers {
 public:
  Trackers() { list_.reserve(8); }

  bool IsTracking(ConnId conn) const {
    for (const auto& t : list_) {
      if (t.conn == conn) return true;
    }
    return false;
  }
  void Add(const Tracker& t) { list_.push_back(t); }
  bool Remove(ConnId conn) {
    for (auto it = list_.begin(); it != list_.end(); ++it) {
      if (it->conn == conn) {
        list_.erase(it);
        return true;
      }
    }
    return false;
  }
  // corosync puts a new tracker at the head of its list, so notifications reach the most
  // recently registered connection first.
  template <typename F>
  void ForEach(F&& f) const {
    for (auto it = list_.rbegin(); it != list_.rend(); ++it) f(*it);
  }
  bool empty() const { return list_.empty(); }

 private:
  std::vector<Tracker> list_;  // in registration order
};

}  // namespace quorumsim::internal

#endif  // QUORUMSIM_ENGINE_INTERNAL_TRACKERS_H_
