// Lifetimes and bounds of the client library: handles that outlive their cluster, connection
// slots reused across initialize/finalize, and the bound on a never-dispatching client's queue.
#include <corosync/votequorum.h>
#include <gtest/gtest.h>
#include <poll.h>

#include <memory>
#include <vector>

#include "api/cpp/binding.hpp"
#include "api/src/notification.h"
#include "tests/api/test_util.h"

namespace quorumsim::api::testing {
namespace {

// Every call that needs the daemon fails with CS_ERR_LIBRARY (the daemon is gone, as when
// corosync stops under a client); local calls still work; finalize succeeds once.
void ExpectOrphaned(votequorum_handle_t h) {
  votequorum_info info{};
  EXPECT_EQ(votequorum_getinfo(h, 0, &info), CS_ERR_LIBRARY);
  EXPECT_EQ(votequorum_setexpected(h, 3), CS_ERR_LIBRARY);
  EXPECT_EQ(votequorum_setvotes(h, 1, 1), CS_ERR_LIBRARY);
  EXPECT_EQ(votequorum_trackstart(h, 1, CS_TRACK_CHANGES), CS_ERR_LIBRARY);
  EXPECT_EQ(votequorum_trackstop(h), CS_ERR_LIBRARY);
  EXPECT_EQ(votequorum_qdevice_register(h, "dev"), CS_ERR_LIBRARY);
  EXPECT_EQ(votequorum_qdevice_unregister(h, "dev"), CS_ERR_LIBRARY);
  EXPECT_EQ(votequorum_qdevice_update(h, "dev", "dev2"), CS_ERR_LIBRARY);
  votequorum_ring_id_t ring{};
  EXPECT_EQ(votequorum_qdevice_poll(h, "dev", 1, ring), CS_ERR_LIBRARY);
  EXPECT_EQ(votequorum_qdevice_master_wins(h, "dev", 1), CS_ERR_LIBRARY);
  EXPECT_EQ(votequorum_dispatch(h, CS_DISPATCH_ALL), CS_ERR_LIBRARY);
  EXPECT_EQ(votequorum_dispatch(h, CS_DISPATCH_BLOCKING), CS_ERR_LIBRARY);  // does not hang
  int fd = -1;
  EXPECT_EQ(votequorum_fd_get(h, &fd), CS_OK);
  int x = 0;
  void* ctx = nullptr;
  EXPECT_EQ(votequorum_context_set(h, &x), CS_OK);
  EXPECT_EQ(votequorum_context_get(h, &ctx), CS_OK);
  EXPECT_EQ(ctx, &x);
  EXPECT_EQ(votequorum_finalize(h), CS_OK);
  EXPECT_EQ(votequorum_finalize(h), CS_ERR_BAD_HANDLE);
}

TEST(LifetimeTest, HandleOutlivesItsCluster) {
  auto cluster = StartCluster(3);
  ASSERT_NE(cluster, nullptr);
  votequorum_handle_t h = 0;
  {
    ScopedBinding bind(*cluster, 1);
    ASSERT_EQ(votequorum_initialize(&h, nullptr), CS_OK);
  }
  ASSERT_EQ(votequorum_trackstart(h, 1, CS_TRACK_CHANGES), CS_OK);
  cluster.reset();
  ExpectOrphaned(h);
}

TEST(LifetimeTest, BindingOutlivesItsCluster) {
  auto cluster = StartCluster(3);
  ASSERT_NE(cluster, nullptr);
  ScopedBinding bind(*cluster, 2);
  votequorum_handle_t h = 0;
  ASSERT_EQ(votequorum_initialize(&h, nullptr), CS_OK);
  cluster.reset();
  votequorum_handle_t h2 = 0;
  EXPECT_EQ(votequorum_initialize(&h2, nullptr), CS_ERR_LIBRARY);
  ExpectOrphaned(h);
  // A new cluster (possibly at the same address) is a different cluster: the old handle and
  // binding never reach it.
  auto next = StartCluster(3);
  ASSERT_NE(next, nullptr);
  EXPECT_EQ(votequorum_initialize(&h2, nullptr), CS_ERR_LIBRARY);
}

TEST(LifetimeTest, FinalizeAfterClusterThenDestroyOrderIrrelevant) {
  for (int order = 0; order < 2; ++order) {
    auto cluster = StartCluster(2);
    ASSERT_NE(cluster, nullptr);
    votequorum_handle_t a = 0, b = 0;
    {
      ScopedBinding bind(*cluster, 1);
      ASSERT_EQ(votequorum_initialize(&a, nullptr), CS_OK);
      ASSERT_EQ(votequorum_initialize(&b, nullptr), CS_OK);
    }
    if (order == 0) {
      EXPECT_EQ(votequorum_finalize(a), CS_OK);
      cluster.reset();
      EXPECT_EQ(votequorum_finalize(b), CS_OK);
    } else {
      cluster.reset();
      EXPECT_EQ(votequorum_finalize(b), CS_OK);
      EXPECT_EQ(votequorum_finalize(a), CS_OK);
    }
  }
}

// A client that tracks changes and never dispatches: its queue stops at the bound, the
// client is disconnected (as corosync disconnects a client it cannot queue for), and what
// was queued is still delivered before dispatch reports the lost connection.
TEST(LifetimeTest, NeverDispatchingClientIsBounded) {
  NotificationQueue q;
  const std::vector<uint32_t> members(384, 1);
  const votequorum_ring_id_t ring{1, 4};
  size_t accepted = 0;
  while (q.PushNodelist(1, ring, members)) ++accepted;
  EXPECT_EQ(accepted,
            NotificationQueue::kMaxQueuedBytes / NotificationBatch::Bytes(384 * sizeof(uint32_t)));
  EXPECT_EQ(q.state(), NotificationQueue::State::kDisconnected);
  pollfd p{q.fd(), POLLIN, 0};
  EXPECT_EQ(poll(&p, 1, 0), 1);
  EXPECT_FALSE(q.PushNodelist(1, ring, members));
  NotificationBatch out;
  size_t taken = 0;
  while (q.TakeBatch(false, true, &out) == NotificationQueue::Take::kGot) {
    ASSERT_EQ(out.size(), 1u);
    const Notification n = out.Front();
    EXPECT_EQ(n.count, 384u);
    EXPECT_EQ(n.ring_id.seq, 4u);
    ++taken;
  }
  EXPECT_EQ(taken, accepted);
  EXPECT_EQ(q.TakeBatch(true, false, &out), NotificationQueue::Take::kDisconnected);
}

TEST(LifetimeTest, NeverDispatchingHandleIsDisconnected) {
  auto cluster = StartCluster(3);
  ASSERT_NE(cluster, nullptr);
  votequorum_handle_t h = 0;
  // 64 KiB instead of 16 MiB: the same path in a few hundred calls.
  NotificationQueue::SetMaxQueuedBytesForTesting(64 << 10);
  {
    ScopedBinding bind(*cluster, 1);
    ASSERT_EQ(votequorum_initialize(&h, nullptr), CS_OK);
  }
  NotificationQueue::SetMaxQueuedBytesForTesting(NotificationQueue::kMaxQueuedBytes);
  ASSERT_EQ(votequorum_trackstart(h, 1, CS_TRACK_CHANGES), CS_OK);
  // Each setexpected sends an expected-votes notification to every tracking client.
  cs_error_t rc = CS_OK;
  int calls = 0;
  while (rc == CS_OK && calls < 100000) {
    rc = votequorum_setexpected(h, 3 + (calls++ % 2));
  }
  EXPECT_EQ(rc, CS_ERR_LIBRARY) << "after " << calls << " calls";
  EXPECT_GT(calls, 100);
  votequorum_info info{};
  EXPECT_EQ(votequorum_getinfo(h, 0, &info), CS_ERR_LIBRARY);
  // Drain what was queued, then the connection is reported lost.
  EXPECT_EQ(votequorum_dispatch(h, CS_DISPATCH_ALL), CS_ERR_LIBRARY);
  EXPECT_EQ(votequorum_finalize(h), CS_OK);
}

}  // namespace
}  // namespace quorumsim::api::testing
