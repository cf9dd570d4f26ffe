// An ExpectedVotesStore kept in memory. A simulator keeps one per node (outside the
// engine) so the value survives engine restarts, as corosync's state file does.
#ifndef QUORUMSIM_ENGINE_MEMORY_EV_STORE_H_
#define QUORUMSIM_ENGINE_MEMORY_EV_STORE_H_

#include <cstdint>

#include "engine/config.h"

namespace quorumsim {

class MemoryEvStore : public ExpectedVotesStore {
 public:
  MemoryEvStore() = default;
  explicit MemoryEvStore(uint32_t initial) : exists_(true), value_(initial) {}

  Status Load(uint32_t* value) override {
    if (!exists_) {
      exists_ = true;
      value_ = 0;
    }
    *value = value_;
    ++loads_;
    return Status::Ok();
  }
  Status Save(uint32_t value) override {
    exists_ = true;
    value_ = value;
    ++saves_;
    return Status::Ok();
  }

  bool exists() const { return exists_; }
  uint32_t value() const { return value_; }
  int loads() const { return loads_; }
  int saves() const { return saves_; }

 private:
  bool exists_ = false;
  uint32_t value_ = 0;
  int loads_ = 0;
  int saves_ = 0;
};

}  // namespace quorumsim

#endif  // QUORUMSIM_ENGINE_MEMORY_EV_STORE_H_
