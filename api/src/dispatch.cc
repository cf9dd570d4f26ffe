// Dispatch rules shared by every queue-based connection.
#include <memory>
#include <vector>

#include "api/src/connection.h"

namespace quorumsim::api {

namespace {

// A dispatch running on this thread. A callback may dispatch its own handle again; the
// inner dispatch first runs what the outer one already took from the queue, so callbacks
// keep their order, as corosync's library reads its IPC ring in order.
struct Frame {
  const NotificationQueue* queue;
  NotificationBatch* batch;
  Frame* outer;
};

// What this thread's dispatches share. One thread_local object, reached once per dispatch:
// in the shared library every thread_local access is a call to __tls_get_addr.
struct ThreadState {
  Frame* innermost = nullptr;
  size_t depth = 0;
  // The batches of this thread's dispatches, one per nesting depth, kept for reuse: their
  // memory circulates between the queues and the dispatches, so that taking and queuing
  // notifications allocates nothing once warm.
  std::vector<std::unique_ptr<NotificationBatch>> batches;
};
thread_local ThreadState this_thread;

// A batch that grew this large (a client that let its queue grow) is not kept.
constexpr size_t kKeepBytes = size_t{1} << 20;

class FrameScope {
 public:
  FrameScope(ThreadState& ts, const NotificationQueue& queue) : ts_(ts) {
    if (ts.depth == ts.batches.size()) ts.batches.push_back(std::make_unique<NotificationBatch>());
    frame_ = Frame{&queue, ts.batches[ts.depth].get(), ts.innermost};
    ts.innermost = &frame_;
    ++ts.depth;
  }
  ~FrameScope() {
    --ts_.depth;
    ts_.innermost = frame_.outer;
    // The batch may hold events of the other libraries, which should not outlive their
    // dispatch; the rest is emptied by this depth's next dispatch.
    frame_.batch->ReleaseServices();
    if (frame_.batch->CapacityBytes() > kKeepBytes) *frame_.batch = NotificationBatch();
  }
  FrameScope(const FrameScope&) = delete;
  FrameScope& operator=(const FrameScope&) = delete;
  NotificationBatch& batch() { return *frame_.batch; }

 private:
  ThreadState& ts_;
  Frame frame_;
};

// Pops the oldest notification of `batch` and runs its callback. False when the handle
// was finalized (before or by the callback): dispatch then stops with CS_ERR_BAD_HANDLE.
bool RunOne(NotificationQueue& queue, NotificationBatch& batch, const Connection::Deliver& deliver) {
  // Finalized from another thread since the batch was taken: as if the queue had been
  // emptied then (which is what finalize does to what is still queued).
  if (queue.finalized()) return false;
  if (batch.size() == 1 && batch.owes_last_notice()) queue.LastOfBatchStarting(&batch);
  const Notification n = batch.Front();
  batch.PopFront();
  return deliver(n);
}

}  // namespace

cs_error_t DispatchFromQueue(NotificationQueue& queue, cs_dispatch_flags_t type,
                             const Connection::Deliver& deliver) {
  // ONE and BLOCKING wait for notifications; ALL and ONE_NONBLOCKING only take what is
  // already there.
  const bool wait = type == CS_DISPATCH_ONE || type == CS_DISPATCH_BLOCKING;
  const bool just_one = type == CS_DISPATCH_ONE || type == CS_DISPATCH_ONE_NONBLOCKING;
  ThreadState& ts = this_thread;
  for (Frame* f = ts.innermost; f != nullptr; f = f->outer) {
    if (f->queue != &queue) continue;
    // Only the latest dispatch of this queue can hold notifications: an inner one takes
    // from the queue only after it ran every one its outer dispatch held.
    while (!f->batch->empty()) {
      if (!RunOne(queue, *f->batch, deliver)) return CS_ERR_BAD_HANDLE;
      if (just_one) return CS_OK;
    }
    break;
  }
  FrameScope scope(ts, queue);
  NotificationBatch& batch = scope.batch();
  for (;;) {
    if (!wait && queue.Quiet()) {
      // Nothing there: ALL is done, ONE_NONBLOCKING had nothing.
      return type == CS_DISPATCH_ONE_NONBLOCKING ? CS_ERR_TRY_AGAIN : CS_OK;
    }
    switch (queue.TakeBatch(wait, just_one, &batch)) {
      case NotificationQueue::Take::kEmpty:
        return type == CS_DISPATCH_ONE_NONBLOCKING ? CS_ERR_TRY_AGAIN : CS_OK;
      case NotificationQueue::Take::kFinalized:
        // Finalized from another thread: the handle is gone.
        return CS_ERR_BAD_HANDLE;
      case NotificationQueue::Take::kDisconnected:
        // Daemon gone: the receive fails as "not connected", which corosync reports as
        // CS_ERR_LIBRARY.
        return CS_ERR_LIBRARY;
      case NotificationQueue::Take::kGot:
        break;
    }
    while (!batch.empty()) {
      if (!RunOne(queue, batch, deliver)) return CS_ERR_BAD_HANDLE;
    }
    if (just_one) return CS_OK;
  }
}

}  // namespace quorumsim::api
