#include "api/src/notification.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <utility>

namespace quorumsim::api {

namespace {
std::atomic<size_t> max_queued_bytes{NotificationQueue::kMaxQueuedBytes};
}  // namespace

void NotificationQueue::SetMaxQueuedBytesForTesting(size_t bytes) { max_queued_bytes = bytes; }

NotificationQueue::NotificationQueue() : max_bytes_(max_queued_bytes.load()) {
  fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
}

NotificationQueue::~NotificationQueue() {
  if (fd_ >= 0) close(fd_);
}

int NotificationQueue::fd() {
  std::lock_guard<std::mutex> lock(mu_);
  if (fd_ >= 0 && !fd_handed_out_.load()) {
    fd_handed_out_.store(true);
    SyncLocked();
  }
  return fd_;
}

// Keeps the eventfd counter at 1 while readable and at 0 otherwise.
void NotificationQueue::SetReadableLocked(bool readable) {
  if (fd_ < 0 || readable == readable_) return;
  uint64_t value = 1;
  ssize_t n = readable ? write(fd_, &value, sizeof value) : read(fd_, &value, sizeof value);
  if (n == static_cast<ssize_t>(sizeof value)) readable_ = readable;
}

void NotificationQueue::SyncLocked() {
  quiet_.store(pending_.empty() && state_ == State::kOpen, std::memory_order_release);
  if (!fd_handed_out_.load()) return;
  switch (state_) {
    case State::kOpen:
      SetReadableLocked(!pending_.empty() || batches_out_.load() > 0);
      break;
    case State::kFinalized:
      SetReadableLocked(false);  // its notifications are gone with it
      break;
    case State::kDisconnected:
      SetReadableLocked(true);  // a dropped connection polls readable (hang-up)
      break;
  }
}

bool NotificationQueue::AdmitLocked(size_t bytes, bool* accepted) {
  if (state_ != State::kOpen) {
    *accepted = state_ != State::kDisconnected;
    return false;
  }
  if (pending_bytes_ + bytes > max_bytes_) {
    state_ = State::kDisconnected;
    SyncLocked();
    cv_.notify_all();
    *accepted = false;
    return false;
  }
  return true;
}

void NotificationQueue::PushedLocked(size_t bytes) {
  pending_bytes_ += bytes;
  SyncLocked();
  if (waiters_ > 0) cv_.notify_all();
}

bool NotificationQueue::PushNodelist(uint64_t context, const votequorum_ring_id_t& ring,
                                     std::span<const uint32_t> members) {
  std::lock_guard<std::mutex> lock(mu_);
  const size_t bytes = NotificationBatch::Bytes(members.size() * sizeof(uint32_t));
  bool accepted;
  if (!AdmitLocked(bytes, &accepted)) return accepted;
  pending_.AddNodelist(context, ring, members);
  PushedLocked(bytes);
  return true;
}

bool NotificationQueue::PushExpectedVotes(uint64_t context, uint32_t expected_votes) {
  std::lock_guard<std::mutex> lock(mu_);
  const size_t bytes = NotificationBatch::Bytes(0);
  bool accepted;
  if (!AdmitLocked(bytes, &accepted)) return accepted;
  pending_.AddExpectedVotes(context, expected_votes);
  PushedLocked(bytes);
  return true;
}

bool NotificationQueue::PushService(std::shared_ptr<const ServiceEvent> event) {
  std::lock_guard<std::mutex> lock(mu_);
  const size_t bytes = NotificationBatch::Bytes(event->Bytes());
  bool accepted;
  if (!AdmitLocked(bytes, &accepted)) return accepted;
  pending_.AddService(std::move(event));
  PushedLocked(bytes);
  return true;
}

NotificationQueue::Take NotificationQueue::TakeBatch(bool wait, bool one,
                                                     NotificationBatch* out) {
  std::unique_lock<std::mutex> lock(mu_);
  if (wait && pending_.empty() && state_ == State::kOpen) {
    ++waiters_;
    cv_.wait(lock, [&] { return !pending_.empty() || state_ != State::kOpen; });
    --waiters_;
  }
  if (pending_.empty()) {
    switch (state_) {
      case State::kOpen:
        return Take::kEmpty;
      case State::kFinalized:
        return Take::kFinalized;
      case State::kDisconnected:
        return Take::kDisconnected;
    }
  }
  out->Clear();
  if (one && pending_.size() > 1) {
    pending_bytes_ -= pending_.FrontBytes();
    pending_.MoveFrontTo(out);
  } else {
    // The whole queue changes hands; the queue keeps out's memory for what comes next.
    pending_bytes_ = 0;
    out->Swap(pending_);
    if (out->size() > 1) {
      out->set_owes_last_notice(true);
      batches_out_.fetch_add(1);
    }
  }
  SyncLocked();
  return Take::kGot;
}

void NotificationQueue::LastOfBatchStarting(NotificationBatch* batch) {
  batch->set_owes_last_notice(false);
  // Without the lock while nobody holds the descriptor: the common case costs one atomic
  // operation. The decrement comes before the check and fd() sets the flag before it
  // reads the count (both sequentially consistent), so if fd() is called meanwhile one of
  // the two sees the other and the descriptor ends up right.
  batches_out_.fetch_sub(1);
  if (!fd_handed_out_.load()) return;
  std::lock_guard<std::mutex> lock(mu_);
  SyncLocked();
}

void NotificationQueue::Close(State why) {
  std::lock_guard<std::mutex> lock(mu_);
  if (state_ != State::kOpen) return;
  state_ = why;
  // A finalized connection's notifications are gone with it; a daemon that went away
  // leaves what it had already sent readable, as an IPC ring would. A lost daemon also
  // makes the descriptor readable (a socket polls readable on hang-up), so an event loop
  // calls dispatch and learns the connection is gone.
  if (why == State::kFinalized) {
    pending_.Clear();
    pending_bytes_ = 0;
    finalized_.store(true, std::memory_order_release);
  }
  SyncLocked();
  cv_.notify_all();
}

NotificationQueue::State NotificationQueue::state() const {
  std::lock_guard<std::mutex> lock(mu_);
  return state_;
}

}  // namespace quorumsim::api
