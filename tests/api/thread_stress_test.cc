// Threaded stress of the client library, meant to run under ThreadSanitizer
// (--config=tsan): threads call and dispatch on shared and on their own handles, finalize
// and re-initialize, while the main thread changes the cluster under LockCluster.
// Outcomes are checked per call (each return code must be one the situation allows), so the
// test asserts behaviour, not just the absence of crashes; the interleaving varies, the
// checks do not depend on it.
#include <corosync/votequorum.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "api/cpp/binding.hpp"
#include "tests/api/test_util.h"

namespace quorumsim::api::testing {
namespace {

std::atomic<int> callbacks_seen{0};

void OnQuorum(votequorum_handle_t, uint64_t, uint32_t, uint32_t, votequorum_node_t[]) {
  callbacks_seen.fetch_add(1, std::memory_order_relaxed);
}
void OnNodelist(votequorum_handle_t, uint64_t, votequorum_ring_id_t, uint32_t, uint32_t[]) {
  callbacks_seen.fetch_add(1, std::memory_order_relaxed);
}

bool Allowed(cs_error_t rc) {
  // OK, or a handle finalized by another thread, or a node that is down/paused meanwhile.
  return rc == CS_OK || rc == CS_ERR_BAD_HANDLE || rc == CS_ERR_LIBRARY ||
         rc == CS_ERR_TRY_AGAIN;
}

TEST(ThreadStressTest, SharedAndOwnHandlesWhileTheClusterChanges) {
  auto cluster = StartCluster(4);
  ASSERT_NE(cluster, nullptr);
  votequorum_callbacks_t cb{};
  cb.votequorum_quorum_notify_fn = OnQuorum;
  cb.votequorum_nodelist_notify_fn = OnNodelist;

  votequorum_handle_t shared = 0;
  {
    ScopedBinding bind(*cluster, 1);
    ASSERT_EQ(votequorum_initialize(&shared, &cb), CS_OK);
  }
  ASSERT_EQ(votequorum_trackstart(shared, 1, CS_TRACK_CHANGES), CS_OK);

  constexpr int kThreads = 4;
  constexpr int kRounds = 300;
  std::atomic<int> bad{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const NodeId node = static_cast<NodeId>(1 + t % 4);
      ScopedBinding bind(*cluster, node, BindingScope::kThisThread);
      for (int r = 0; r < kRounds; ++r) {
        votequorum_handle_t own = 0;
        cs_error_t rc = votequorum_initialize(&own, &cb);
        if (rc != CS_OK && rc != CS_ERR_LIBRARY) ++bad;
        if (rc == CS_OK) {
          if (!Allowed(votequorum_trackstart(own, r, CS_TRACK_CHANGES))) ++bad;
          votequorum_info info{};
          if (!Allowed(votequorum_getinfo(own, 0, &info))) ++bad;
          if (!Allowed(votequorum_dispatch(own, CS_DISPATCH_ALL))) ++bad;
          if (votequorum_finalize(own) != CS_OK) ++bad;
        }
        votequorum_info info{};
        if (!Allowed(votequorum_getinfo(shared, 0, &info))) ++bad;
        if (!Allowed(votequorum_dispatch(shared, CS_DISPATCH_ALL))) ++bad;
        void* ctx = nullptr;
        if (votequorum_context_get(shared, &ctx) != CS_OK) ++bad;
      }
    });
  }
  // The main thread splits and heals the cluster meanwhile.
  for (int r = 0; r < 40; ++r) {
    auto lock = LockCluster(*cluster);
    if (r % 2 == 0) {
      EXPECT_TRUE(cluster->Split({{1, 2}, {3, 4}}).ok());
    } else {
      EXPECT_TRUE(cluster->Split({{1, 2, 3, 4}}).ok());
    }
    EXPECT_TRUE(cluster->Settle().ok());
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_EQ(votequorum_dispatch(shared, CS_DISPATCH_ALL), CS_OK);
  EXPECT_GT(callbacks_seen.load(), 0);
  votequorum_info info{};
  ASSERT_EQ(votequorum_getinfo(shared, 0, &info), CS_OK);
  EXPECT_EQ(info.node_id, 1u);
  EXPECT_EQ(votequorum_finalize(shared), CS_OK);
}

// A shared handle finalized by one thread while others dispatch and call on it: every call
// either works or reports the handle gone; nothing else, no race.
TEST(ThreadStressTest, FinalizeRacesCallsOnTheSameHandle) {
  auto cluster = StartCluster(3);
  ASSERT_NE(cluster, nullptr);
  for (int round = 0; round < 50; ++round) {
    votequorum_handle_t h = 0;
    {
      ScopedBinding bind(*cluster, 2);
      ASSERT_EQ(votequorum_initialize(&h, nullptr), CS_OK);
    }
    std::atomic<int> bad{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 3; ++t) {
      threads.emplace_back([&] {
        for (int i = 0; i < 50; ++i) {
          votequorum_info info{};
          cs_error_t rc = votequorum_getinfo(h, 0, &info);
          if (rc != CS_OK && rc != CS_ERR_BAD_HANDLE) ++bad;
          rc = votequorum_dispatch(h, CS_DISPATCH_ALL);
          if (rc != CS_OK && rc != CS_ERR_BAD_HANDLE) ++bad;
        }
      });
    }
    cs_error_t fin = votequorum_finalize(h);
    for (auto& th : threads) th.join();
    EXPECT_EQ(fin, CS_OK);
    EXPECT_EQ(bad.load(), 0);
    EXPECT_EQ(votequorum_finalize(h), CS_ERR_BAD_HANDLE);
  }
}

}  // namespace
}  // namespace quorumsim::api::testing
