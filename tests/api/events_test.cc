// Callbacks as the cluster changes, several clients on different nodes, calls from
// inside callbacks, and dispatch from several threads.
#include <corosync/votequorum.h>
#include <gtest/gtest.h>
#include <poll.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <quorumsim/binding.h>

#include "api/cpp/binding.hpp"
#include "tests/api/test_util.h"

namespace quorumsim::api::testing {
namespace {

using Lines = std::vector<std::string>;

std::vector<std::vector<NodeId>> Groups(std::vector<std::vector<NodeId>> g) { return g; }

// Three clients, one per node; node 3 is cut off and comes back. Each client sees, per
// membership change, the nodelist first and then the quorum verdict (spec §5.3).
TEST(EventsTest, SplitAndHealOnePerNode) {
  auto cluster = StartCluster(3);
  ASSERT_NE(cluster, nullptr);
  Recorder rec;
  votequorum_handle_t h[4] = {};
  for (NodeId n = 1; n <= 3; ++n) {
    ScopedBinding bind(*cluster, n);
    ASSERT_EQ(votequorum_initialize(&h[n], rec.callbacks()), CS_OK);
    rec.Name(h[n], "n" + std::to_string(n));
    ASSERT_EQ(votequorum_trackstart(h[n], n, CS_TRACK_CHANGES_ONLY), CS_OK);
  }
  auto dispatch_all = [&] {
    for (NodeId n = 1; n <= 3; ++n) EXPECT_EQ(votequorum_dispatch(h[n], CS_DISPATCH_ALL), CS_OK);
    return rec.Take();
  };

  ASSERT_TRUE(cluster->Split(Groups({{1, 2}, {3}})).ok());
  ASSERT_TRUE(cluster->Settle().ok());
  EXPECT_EQ(dispatch_all(), (Lines{
                                "n1 NODELIST ctx=1 ring=1 members=1,2",
                                "n1 QUORUM ctx=1 quorate=1 nodes=2:1,3:2,1:1",
                                "n2 NODELIST ctx=2 ring=1 members=1,2",
                                "n2 QUORUM ctx=2 quorate=1 nodes=1:1,3:2,2:1",
                                "n3 NODELIST ctx=3 ring=3 members=3",
                                "n3 QUORUM ctx=3 quorate=0 nodes=1:2,2:2,3:1",
                            }));
  struct votequorum_info info;
  ASSERT_EQ(votequorum_getinfo(h[3], 0, &info), CS_OK);
  EXPECT_EQ(info.flags & VOTEQUORUM_INFO_QUORATE, 0u);
  ASSERT_EQ(votequorum_getinfo(h[1], 0, &info), CS_OK);
  EXPECT_EQ(info.flags & VOTEQUORUM_INFO_QUORATE, unsigned{VOTEQUORUM_INFO_QUORATE});

  ASSERT_TRUE(cluster->JoinPartitions(0, std::vector<PartitionId>{1}).ok());
  ASSERT_TRUE(cluster->Settle().ok());
  Lines healed = dispatch_all();
  ASSERT_EQ(healed.size(), 6u);
  for (int n = 0; n < 3; ++n) {
    std::string who = "n" + std::to_string(n + 1) + " ";
    EXPECT_EQ(healed[2 * n], who + "NODELIST ctx=" + std::to_string(n + 1) + " ring=1 members=1,2,3");
    EXPECT_EQ(healed[2 * n + 1].rfind(who + "QUORUM ctx=" + std::to_string(n + 1) + " quorate=1", 0), 0u)
        << healed[2 * n + 1];
  }
  for (NodeId n = 1; n <= 3; ++n) EXPECT_EQ(votequorum_finalize(h[n]), CS_OK);
}

// A handle keeps its node after the binding ends, and the innermost binding wins.
TEST(EventsTest, BindingsNestAndHandlesKeepTheirNode) {
  auto cluster = StartCluster(3);
  ASSERT_NE(cluster, nullptr);
  votequorum_handle_t a, b, c;
  {
    ScopedBinding outer(*cluster, 2);
    ASSERT_EQ(votequorum_initialize(&a, nullptr), CS_OK);
    {
      ScopedBinding inner(*cluster, 3, BindingScope::kThisThread);
      ASSERT_EQ(votequorum_initialize(&b, nullptr), CS_OK);
    }
    ASSERT_EQ(votequorum_initialize(&c, nullptr), CS_OK);
  }
  struct votequorum_info info;
  ASSERT_EQ(votequorum_getinfo(a, 0, &info), CS_OK);
  EXPECT_EQ(info.node_id, 2u);
  ASSERT_EQ(votequorum_getinfo(b, 0, &info), CS_OK);
  EXPECT_EQ(info.node_id, 3u);
  ASSERT_EQ(votequorum_getinfo(c, 0, &info), CS_OK);
  EXPECT_EQ(info.node_id, 2u);
  // Without any binding (and no QUORUMSIM_* environment) there is no daemon.
  votequorum_handle_t none;
  EXPECT_EQ(votequorum_initialize(&none, nullptr), CS_ERR_LIBRARY);
  for (auto h : {a, b, c}) EXPECT_EQ(votequorum_finalize(h), CS_OK);
}

// The C entry points: bind, a ScopedBinding taking precedence, unbind; and the
// corosync switch failing cleanly when the library path is wrong.
TEST(EventsTest, CBinding) {
  auto cluster = StartCluster(3);
  ASSERT_NE(cluster, nullptr);
  EXPECT_EQ(quorumsim_bind(nullptr, 1), CS_ERR_INVALID_PARAM);
  EXPECT_EQ(quorumsim_bind(cluster.get(), 9), CS_ERR_INVALID_PARAM);
  ASSERT_EQ(quorumsim_bind(cluster.get(), 2), CS_OK);
  votequorum_handle_t a, b, c;
  ASSERT_EQ(votequorum_initialize(&a, nullptr), CS_OK);
  {
    ScopedBinding scoped(*cluster, 3);
    ASSERT_EQ(votequorum_initialize(&b, nullptr), CS_OK);
  }
  struct votequorum_info info;
  ASSERT_EQ(votequorum_getinfo(a, 0, &info), CS_OK);
  EXPECT_EQ(info.node_id, 2u);
  ASSERT_EQ(votequorum_getinfo(b, 0, &info), CS_OK);
  EXPECT_EQ(info.node_id, 3u);
  quorumsim_unbind();
  EXPECT_EQ(votequorum_initialize(&c, nullptr), CS_ERR_LIBRARY);
  ASSERT_EQ(quorumsim_bind_corosync("/nonexistent/libvotequorum.so.8"), CS_OK);
  EXPECT_EQ(votequorum_initialize(&c, nullptr), CS_ERR_LIBRARY);
  quorumsim_unbind();
  EXPECT_EQ(votequorum_finalize(a), CS_OK);
  EXPECT_EQ(votequorum_finalize(b), CS_OK);
}

// Inside a callback a client may call anything, including finalize of its own handle
// (dispatch then ends with CS_ERR_BAD_HANDLE) and calls that queue more callbacks.
struct Reentrant {
  static inline int calls = 0;
  static inline cs_error_t getinfo_rc = CS_OK;
  static inline cs_error_t setexpected_rc = CS_OK;
  static inline cs_error_t finalize_rc = CS_OK;
  static void OnNodelist(votequorum_handle_t h, uint64_t, votequorum_ring_id_t, uint32_t, uint32_t[]) {
    ++calls;
    struct votequorum_info info;
    getinfo_rc = votequorum_getinfo(h, 0, &info);
    setexpected_rc = votequorum_setexpected(h, 3);  // queues an EXPECTED callback
  }
  static void OnQuorum(votequorum_handle_t h, uint64_t, uint32_t, uint32_t, votequorum_node_t[]) {
    ++calls;
    finalize_rc = votequorum_finalize(h);
  }
};

TEST(EventsTest, CallsFromInsideCallbacks) {
  auto cluster = StartCluster(3);
  ASSERT_NE(cluster, nullptr);
  ScopedBinding bind(*cluster, 1);
  votequorum_callbacks_t cb{&Reentrant::OnQuorum, nullptr, &Reentrant::OnNodelist};
  votequorum_handle_t h;
  ASSERT_EQ(votequorum_initialize(&h, &cb), CS_OK);
  ASSERT_EQ(votequorum_trackstart(h, 1, CS_TRACK_CHANGES), CS_OK);
  EXPECT_EQ(votequorum_dispatch(h, CS_DISPATCH_ALL), CS_ERR_BAD_HANDLE);
  EXPECT_EQ(Reentrant::calls, 2);
  EXPECT_EQ(Reentrant::getinfo_rc, CS_OK);
  EXPECT_EQ(Reentrant::setexpected_rc, CS_OK);
  EXPECT_EQ(Reentrant::finalize_rc, CS_OK);
  EXPECT_EQ(votequorum_finalize(h), CS_ERR_BAD_HANDLE);
  EXPECT_EQ(votequorum_dispatch(h, CS_DISPATCH_ALL), CS_ERR_BAD_HANDLE);
}

// CS_DISPATCH_BLOCKING in one thread while another drives the cluster (under
// LockCluster); finalize from the driving thread ends the blocked dispatch.
TEST(EventsTest, BlockingDispatchAcrossThreads) {
  auto cluster = StartCluster(3);
  ASSERT_NE(cluster, nullptr);
  Recorder rec;
  votequorum_handle_t h;
  {
    ScopedBinding bind(*cluster, 3);
    ASSERT_EQ(votequorum_initialize(&h, rec.callbacks()), CS_OK);
  }
  rec.Name(h, "n3");
  ASSERT_EQ(votequorum_trackstart(h, 9, CS_TRACK_CHANGES_ONLY), CS_OK);
  int fd;
  ASSERT_EQ(votequorum_fd_get(h, &fd), CS_OK);
  std::atomic<cs_error_t> result{CS_OK};
  std::atomic<bool> returned{false};
  std::thread dispatcher([&] {
    result = votequorum_dispatch(h, CS_DISPATCH_BLOCKING);
    returned = true;
  });
  {
    auto lock = LockCluster(*cluster);
    ASSERT_TRUE(cluster->Split(Groups({{1, 2}, {3}})).ok());
    ASSERT_TRUE(cluster->Settle().ok());
  }
  // The dispatcher empties the queue; the descriptor tells when it has.
  auto wait_drained = [fd] {
    for (int i = 0; i < 2000; ++i) {
      struct pollfd p = {fd, POLLIN, 0};
      if (poll(&p, 1, 0) == 0) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  };
  wait_drained();
  {
    auto lock = LockCluster(*cluster);
    ASSERT_TRUE(cluster->JoinPartitions(0, std::vector<PartitionId>{1}).ok());
    ASSERT_TRUE(cluster->Settle().ok());
  }
  wait_drained();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(returned.load()) << "BLOCKING keeps dispatching";
  EXPECT_EQ(votequorum_finalize(h), CS_OK);
  dispatcher.join();
  EXPECT_EQ(result.load(), CS_ERR_BAD_HANDLE);
  Lines got = rec.Take();
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0], "n3 NODELIST ctx=9 ring=3 members=3");
  EXPECT_EQ(got[1].rfind("n3 QUORUM ctx=9 quorate=0", 0), 0u) << got[1];
  EXPECT_EQ(got[2], "n3 NODELIST ctx=9 ring=1 members=1,2,3");
  EXPECT_EQ(got[3].rfind("n3 QUORUM ctx=9 quorate=1", 0), 0u) << got[3];
}

// A crashed node is a daemon that went away: BLOCKING returns CS_ERR_LIBRARY and
// every later request fails the same way.
TEST(EventsTest, DaemonGoneEndsBlockingDispatch) {
  auto cluster = StartCluster(3);
  ASSERT_NE(cluster, nullptr);
  votequorum_handle_t h;
  {
    ScopedBinding bind(*cluster, 2);
    ASSERT_EQ(votequorum_initialize(&h, nullptr), CS_OK);
  }
  std::atomic<cs_error_t> result{CS_OK};
  std::thread dispatcher([&] { result = votequorum_dispatch(h, CS_DISPATCH_BLOCKING); });
  {
    auto lock = LockCluster(*cluster);
    ASSERT_TRUE(cluster->Crash(std::vector<NodeId>{2}).ok());
  }
  dispatcher.join();
  EXPECT_EQ(result.load(), CS_ERR_LIBRARY);
  struct votequorum_info info;
  EXPECT_EQ(votequorum_getinfo(h, 0, &info), CS_ERR_LIBRARY);
  EXPECT_EQ(votequorum_finalize(h), CS_OK);
}

// Many threads hammering handles on different nodes while the cluster changes.
TEST(EventsTest, ConcurrentUse) {
  auto cluster = StartCluster(3);
  ASSERT_NE(cluster, nullptr);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (NodeId n = 1; n <= 3; ++n) {
    threads.emplace_back([&, n] {
      ScopedBinding bind(*cluster, n, BindingScope::kThisThread);
      for (int i = 0; i < 50; ++i) {
        votequorum_handle_t h;
        if (votequorum_initialize(&h, nullptr) != CS_OK) { ++failures; continue; }
        struct votequorum_info info;
        if (votequorum_getinfo(h, 0, &info) != CS_OK || info.node_id != n) ++failures;
        (void)votequorum_trackstart(h, i, CS_TRACK_CHANGES);
        (void)votequorum_dispatch(h, CS_DISPATCH_ALL);
        if (votequorum_finalize(h) != CS_OK) ++failures;
      }
    });
  }
  for (int i = 0; i < 5; ++i) {
    auto lock = LockCluster(*cluster);
    (void)cluster->Split(Groups({{1, 2}, {3}}));
    (void)cluster->Settle();
    (void)cluster->JoinPartitions(0, std::vector<PartitionId>{1});
    (void)cluster->Settle();
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace quorumsim::api::testing
