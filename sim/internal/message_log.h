// MessageLog: a ring's message log. Append-only between clears, with entries that never
// move: a delivery hands an entry to an engine by reference, and that engine may broadcast
// into the same ring (an append) before it is done reading. A vector would reallocate
// under it; a copy per delivery costs more than the delivery's own bookkeeping.
// clear() keeps the chunks (and whatever the entries own) for the next use, so a ring slot
// that is reused allocates nothing in steady state.
#ifndef QUORUMSIM_SIM_INTERNAL_MESSAGE_LOG_H_
#define QUORUMSIM_SIM_INTERNAL_MESSAGE_LOG_H_

#include <array>
#include <cstddef>
#include <memory>
#include <vector>

namespace quorumsim::internal {

template <typename T>
class MessageLog {
 public:
  static constexpr size_t kChunk = 64;  // a power of two: index split is a shift and a mask

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const T& operator[](size_t i) const { return chunks_[i / kChunk]->items[i % kChunk]; }
  // The next entry, to be assigned by the caller (it may hold an older entry's values).
  T& Add() {
    if (size_ == chunks_.size() * kChunk) chunks_.push_back(std::make_unique<Chunk>());
    T& slot = chunks_[size_ / kChunk]->items[size_ % kChunk];
    ++size_;
    return slot;
  }
  // Forgets the entries; their storage is overwritten by later appends.
  void clear() { size_ = 0; }

 private:
  struct Chunk {
    std::array<T, kChunk> items;
  };
  std::vector<std::unique_ptr<Chunk>> chunks_;
  size_t size_ = 0;
};

}  // namespace quorumsim::internal

#endif  // QUORUMSIM_SIM_INTERNAL_MESSAGE_LOG_H_
