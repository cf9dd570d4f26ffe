// One event queue: a binary heap keyed by (virtual time, sequence number).
// The sequence number makes the order total and deterministic: events scheduled for the
// same millisecond run in the order they were scheduled.
#ifndef QUORUMSIM_SIM_INTERNAL_EVENT_QUEUE_H_
#define QUORUMSIM_SIM_INTERNAL_EVENT_QUEUE_H_

#include <algorithm>
#include <cstdint>
#include <vector>

#include "engine/types.h"

namespace quorumsim::internal {

enum class EventKind : uint8_t {
  kReformCheck,    // transport: form the rings that are due
  kDeliver,        // transport: deliver ring message a=RingHandle::Pack(), b=log position
  kEngineTimer,    // engine timer a=TimerKind, b=generation
  kQdevicePollNow, // simulated device polls at once (after a nodelist / registration)
  kQdevicePeriodic,// simulated device's periodic poll, b=generation
  kLeaveExit,      // a cleanly shut-down node's process exits
};

// Timer-class events are what "settled" leaves armed: they only run with RunFor (or
// while a sync waits for one).
inline bool IsTimerClass(EventKind k) {
  return k == EventKind::kEngineTimer || k == EventKind::kQdevicePeriodic;
}

struct Event {
  uint64_t time = 0;
  uint64_t seq = 0;
  EventKind kind = EventKind::kReformCheck;
  NodeId node = 0;
  uint32_t incarnation = 0;
  uint64_t a = 0;
  uint64_t b = 0;
};

class EventQueue {
 public:
  void Push(Event e) {
    e.seq = next_seq_++;
    if (IsTimerClass(e.kind)) {
      ++timer_count_;
    } else {
      ++work_count_;
    }
    heap_.push_back(e);
    std::push_heap(heap_.begin(), heap_.end(), Later);
  }
  bool empty() const { return heap_.empty(); }
  const Event& top() const { return heap_.front(); }
  Event Pop() {
    std::pop_heap(heap_.begin(), heap_.end(), Later);
    Event e = heap_.back();
    heap_.pop_back();
    if (IsTimerClass(e.kind)) {
      --timer_count_;
    } else {
      --work_count_;
    }
    return e;
  }
  // Every pending event, in no particular order (for checks that look at all of them).
  template <typename F>
  void ForEach(F f) const {
    for (const Event& e : heap_) f(e);
  }
  // Moves every pending event `delta` later; their order (and the heap) is unchanged.
  void ShiftAll(uint64_t delta) {
    for (Event& e : heap_) e.time += delta;
  }
  // Non-timer events pending.
  size_t work_count() const { return work_count_; }
  size_t size() const { return heap_.size(); }

 private:
  static bool Later(const Event& x, const Event& y) {
    if (x.time != y.time) return x.time > y.time;
    return x.seq > y.seq;
  }
  std::vector<Event> heap_;
  uint64_t next_seq_ = 0;
  size_t work_count_ = 0;
  size_t timer_count_ = 0;
};

}  // namespace quorumsim::internal

#endif  // QUORUMSIM_SIM_INTERNAL_EVENT_QUEUE_H_
