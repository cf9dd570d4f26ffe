#include "api/src/notification.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
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

// Keeps the eventfd counter at 1 while something is pending and at 0 otherwise.
void NotificationQueue::SetReadableLocked(bool readable) {
  if (fd_ < 0 || readable == readable_) return;
  uint64_t value = 1;
  ssize_t n = readable ? write(fd_, &value, sizeof value) : read(fd_, &value, sizeof value);
  if (n == static_cast<ssize_t>(sizeof value)) readable_ = readable;
}

bool NotificationQueue::Push(Notification n) {
  std::lock_guard<std::mutex> lock(mu_);
  if (state_ != State::kOpen) return state_ != State::kDisconnected;
  const size_t bytes = n.Bytes();
  if (pending_bytes_ + bytes > max_bytes_) {
    state_ = State::kDisconnected;
    SetReadableLocked(true);  // a dropped connection polls readable (hang-up)
    cv_.notify_all();
    return false;
  }
  pending_bytes_ += bytes;
  pending_.push_back(std::move(n));
  SetReadableLocked(true);
  cv_.notify_all();
  return true;
}

NotificationQueue::Pop NotificationQueue::Take(bool wait, Notification* out) {
  std::unique_lock<std::mutex> lock(mu_);
  if (wait) cv_.wait(lock, [&] { return !pending_.empty() || state_ != State::kOpen; });
  if (pending_.empty()) return state_ == State::kOpen ? Pop::kEmpty : Pop::kClosed;
  *out = std::move(pending_.front());
  pending_.pop_front();
  pending_bytes_ -= out->Bytes();
  if (pending_.empty() && state_ == State::kOpen) SetReadableLocked(false);
  return Pop::kGot;
}

void NotificationQueue::Close(State why) {
  std::lock_guard<std::mutex> lock(mu_);
  if (state_ != State::kOpen) return;
  state_ = why;
  // A finalized connection's notifications are gone with it; a daemon that went away
  // leaves what it had already sent readable, as an IPC ring would.
  // A lost daemon also makes the descriptor readable (a socket polls readable on hang-up)
  // so an event loop calls dispatch and learns the connection is gone.
  if (why == State::kFinalized) {
    pending_.clear();
    pending_bytes_ = 0;
    SetReadableLocked(false);
  } else {
    SetReadableLocked(true);
  }
  cv_.notify_all();
}

NotificationQueue::State NotificationQueue::state() const {
  std::lock_guard<std::mutex> lock(mu_);
  return state_;
}

}  // namespace quorumsim::api
