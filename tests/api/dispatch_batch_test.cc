// Dispatch takes a connection's whole queue at once (api/src/notification.h): these tests
// pin down that nothing a client can observe changed with it. Callbacks that dispatch
// their own handle again see the next notifications in order; the descriptor is readable
// exactly while a notification waits for its callback, also inside a batch and when it is
// first asked for late; one-at-a-time dispatch while more keep arriving keeps every
// notification and its payload.
#include <corosync/votequorum.h>
#include <gtest/gtest.h>
#include <poll.h>

#include <string>
#include <vector>

#include "api/cpp/binding.hpp"
#include "api/src/notification.h"
#include "tests/api/test_util.h"

namespace quorumsim::api::testing {
namespace {

using Lines = std::vector<std::string>;

bool Readable(int fd) {
  struct pollfd p = {fd, POLLIN, 0};
  return poll(&p, 1, 0) == 1 && (p.revents & POLLIN) != 0;
}

// What the callbacks below saw, in order.
struct Seen {
  static inline Lines lines;
  static inline int depth = 0;
  static inline cs_dispatch_flags_t reenter = CS_DISPATCH_ALL;
  static inline bool reentered = false;
  static inline votequorum_handle_t other = 0;
  static inline int fd = -1;
  static inline bool take_fd_in_first = false;

  static void Note(const std::string& what) {
    std::string line = std::to_string(depth) + " " + what;
    if (fd >= 0) line += Readable(fd) ? " readable" : " quiet";
    lines.push_back(line);
  }
  static void OnNodelist(votequorum_handle_t, uint64_t, votequorum_ring_id_t, uint32_t n,
                         uint32_t members[]) {
    Note("NODELIST " + std::to_string(n));
    members[0] = 999;  // the C type lets a callback write to its list; only its copy changes
  }
  static void OnQuorum(votequorum_handle_t, uint64_t, uint32_t quorate, uint32_t,
                       votequorum_node_t[]) {
    Note("QUORUM " + std::to_string(quorate));
  }
  static void OnExpected(votequorum_handle_t, uint64_t, uint32_t expected) {
    Note("EXPECTED " + std::to_string(expected));
  }
  // Dispatches `h` again from inside its first callback.
  static void ReenterOnNodelist(votequorum_handle_t h, uint64_t c, votequorum_ring_id_t r,
                                uint32_t n, uint32_t m[]) {
    OnNodelist(h, c, r, n, m);
    if (reentered) return;
    reentered = true;
    ++depth;
    const cs_error_t rc = votequorum_dispatch(other != 0 ? other : h, reenter);
    Note("inner dispatch " + std::to_string(rc));
    --depth;
  }
  static void TakeFdOnNodelist(votequorum_handle_t h, uint64_t c, votequorum_ring_id_t r,
                               uint32_t n, uint32_t m[]) {
    if (take_fd_in_first && fd < 0) {
      ASSERT_EQ(votequorum_fd_get(h, &fd), CS_OK);
    }
    OnNodelist(h, c, r, n, m);
  }
  static void Reset() {
    lines.clear();
    depth = 0;
    reenter = CS_DISPATCH_ALL;
    reentered = false;
    other = 0;
    fd = -1;
    take_fd_in_first = false;
  }
};

class DispatchBatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Seen::Reset();
    cluster_ = StartCluster(3);
    ASSERT_NE(cluster_, nullptr);
    binding_ = std::make_unique<ScopedBinding>(*cluster_, 1);
  }
  void TearDown() override {
    binding_.reset();
    Seen::Reset();
  }
  // Two membership changes: four notifications queued for a tracking handle.
  void SplitAndHeal() {
    ASSERT_TRUE(cluster_->Split({{1, 2}, {3}}).ok());
    ASSERT_TRUE(cluster_->Settle().ok());
    ASSERT_TRUE(cluster_->Split({{1, 2, 3}}).ok());
    ASSERT_TRUE(cluster_->Settle().ok());
  }

  std::unique_ptr<Cluster> cluster_;
  std::unique_ptr<ScopedBinding> binding_;
};

// A callback that dispatches its own handle runs the next notifications (in order) before
// its outer dispatch goes on, as with corosync's library reading its IPC ring.
TEST_F(DispatchBatchTest, ReentrantDispatchContinuesInOrder) {
  for (cs_dispatch_flags_t inner : {CS_DISPATCH_ONE, CS_DISPATCH_ONE_NONBLOCKING, CS_DISPATCH_ALL}) {
    Seen::Reset();
    Seen::reenter = inner;
    votequorum_callbacks_t cb{Seen::OnQuorum, Seen::OnExpected, Seen::ReenterOnNodelist};
    votequorum_handle_t h;
    ASSERT_EQ(votequorum_initialize(&h, &cb), CS_OK);
    ASSERT_EQ(votequorum_trackstart(h, 1, CS_TRACK_CHANGES_ONLY), CS_OK);
    SplitAndHeal();
    EXPECT_EQ(votequorum_dispatch(h, CS_DISPATCH_ALL), CS_OK);
    if (inner == CS_DISPATCH_ALL) {
      EXPECT_EQ(Seen::lines, (Lines{"0 NODELIST 2", "1 QUORUM 1", "1 NODELIST 3", "1 QUORUM 1",
                                    "1 inner dispatch 1"}));
    } else {
      EXPECT_EQ(Seen::lines, (Lines{"0 NODELIST 2", "1 QUORUM 1", "1 inner dispatch 1",
                                    "0 NODELIST 3", "0 QUORUM 1"}))
          << "inner type " << inner;
    }
    EXPECT_EQ(votequorum_finalize(h), CS_OK);
  }
}

// A callback may dispatch another handle; each keeps its own notifications.
TEST_F(DispatchBatchTest, CallbackDispatchesAnotherHandle) {
  votequorum_callbacks_t plain{Seen::OnQuorum, Seen::OnExpected, Seen::OnNodelist};
  votequorum_callbacks_t reenter{Seen::OnQuorum, Seen::OnExpected, Seen::ReenterOnNodelist};
  votequorum_handle_t a, b;
  ASSERT_EQ(votequorum_initialize(&a, &reenter), CS_OK);
  ASSERT_EQ(votequorum_initialize(&b, &plain), CS_OK);
  ASSERT_EQ(votequorum_trackstart(a, 1, CS_TRACK_CHANGES_ONLY), CS_OK);
  ASSERT_EQ(votequorum_trackstart(b, 2, CS_TRACK_CHANGES_ONLY), CS_OK);
  ASSERT_TRUE(cluster_->Split({{1, 2}, {3}}).ok());
  ASSERT_TRUE(cluster_->Settle().ok());
  Seen::other = b;
  EXPECT_EQ(votequorum_dispatch(a, CS_DISPATCH_ALL), CS_OK);
  EXPECT_EQ(Seen::lines, (Lines{"0 NODELIST 2", "1 NODELIST 2", "1 QUORUM 1", "1 inner dispatch 1",
                                "0 QUORUM 1"}));
  EXPECT_EQ(votequorum_finalize(a), CS_OK);
  EXPECT_EQ(votequorum_finalize(b), CS_OK);
}

// Inside a batch the descriptor stays readable until the last notification's callback
// starts, as when every notification was taken on its own.
TEST_F(DispatchBatchTest, DescriptorInsideABatch) {
  votequorum_callbacks_t cb{Seen::OnQuorum, Seen::OnExpected, Seen::OnNodelist};
  votequorum_handle_t h;
  ASSERT_EQ(votequorum_initialize(&h, &cb), CS_OK);
  ASSERT_EQ(votequorum_fd_get(h, &Seen::fd), CS_OK);
  EXPECT_FALSE(Readable(Seen::fd));
  ASSERT_EQ(votequorum_trackstart(h, 1, CS_TRACK_CHANGES_ONLY), CS_OK);
  SplitAndHeal();
  EXPECT_TRUE(Readable(Seen::fd));
  EXPECT_EQ(votequorum_dispatch(h, CS_DISPATCH_ALL), CS_OK);
  EXPECT_EQ(Seen::lines, (Lines{"0 NODELIST 2 readable", "0 QUORUM 1 readable",
                                "0 NODELIST 3 readable", "0 QUORUM 1 quiet"}));
  EXPECT_FALSE(Readable(Seen::fd));
  EXPECT_EQ(votequorum_finalize(h), CS_OK);
}

// A descriptor first asked for while notifications wait (or while a batch is being run)
// reports them at once.
TEST_F(DispatchBatchTest, DescriptorTakenLate) {
  votequorum_callbacks_t cb{Seen::OnQuorum, Seen::OnExpected, Seen::TakeFdOnNodelist};
  votequorum_handle_t h;
  ASSERT_EQ(votequorum_initialize(&h, &cb), CS_OK);
  ASSERT_EQ(votequorum_trackstart(h, 1, CS_TRACK_CHANGES_ONLY), CS_OK);
  SplitAndHeal();
  Seen::take_fd_in_first = true;
  EXPECT_EQ(votequorum_dispatch(h, CS_DISPATCH_ALL), CS_OK);
  EXPECT_EQ(Seen::lines, (Lines{"0 NODELIST 2 readable", "0 QUORUM 1 readable",
                                "0 NODELIST 3 readable", "0 QUORUM 1 quiet"}));
  EXPECT_FALSE(Readable(Seen::fd));

  Seen::Reset();
  ASSERT_TRUE(cluster_->Split({{1, 2}, {3}}).ok());
  ASSERT_TRUE(cluster_->Settle().ok());
  int fd = -1;
  ASSERT_EQ(votequorum_fd_get(h, &fd), CS_OK);
  EXPECT_TRUE(Readable(fd));
  EXPECT_EQ(votequorum_dispatch(h, CS_DISPATCH_ONE), CS_OK);
  EXPECT_TRUE(Readable(fd));
  EXPECT_EQ(votequorum_dispatch(h, CS_DISPATCH_ONE), CS_OK);
  EXPECT_FALSE(Readable(fd));
  EXPECT_EQ(votequorum_finalize(h), CS_OK);
}

// Each handle's list is its own: a callback writing to it changes nothing for the next.
TEST_F(DispatchBatchTest, ListsAreCopiesPerHandle) {
  Recorder rec;
  votequorum_callbacks_t scribble{Seen::OnQuorum, Seen::OnExpected, Seen::OnNodelist};
  votequorum_handle_t a, b;
  ASSERT_EQ(votequorum_initialize(&a, &scribble), CS_OK);
  ASSERT_EQ(votequorum_initialize(&b, rec.callbacks()), CS_OK);
  rec.Name(b, "b");
  ASSERT_EQ(votequorum_trackstart(a, 1, CS_TRACK_CURRENT), CS_OK);
  ASSERT_EQ(votequorum_trackstart(b, 2, CS_TRACK_CURRENT), CS_OK);
  EXPECT_EQ(votequorum_dispatch(a, CS_DISPATCH_ALL), CS_OK);
  EXPECT_EQ(votequorum_dispatch(b, CS_DISPATCH_ALL), CS_OK);
  EXPECT_EQ(rec.Take(), (Lines{"b NODELIST ctx=2 ring=1 members=1,2,3",
                               "b QUORUM ctx=2 quorate=1 nodes=2:1,3:1,1:1"}));
  EXPECT_EQ(votequorum_finalize(a), CS_OK);
  EXPECT_EQ(votequorum_finalize(b), CS_OK);
}

// The queue itself: taken one at a time while more keep arriving (the queue reclaims the
// space of what was taken), every notification comes out once, in order, with its payload.
TEST(NotificationQueueTest, OneAtATimeWhileMoreArrive) {
  NotificationQueue q;
  NotificationBatch out;
  uint32_t pushed = 0;
  uint32_t taken = 0;
  auto push = [&] {
    const uint32_t k = pushed++;
    const votequorum_ring_id_t ring{k, k};
    bool ok;
    switch (k % 3) {
      case 0: {
        const std::vector<uint32_t> members(1 + k % 7, k);
        ok = q.PushNodelist(k, ring, members);
        break;
      }
      case 1: {
        const std::vector<uint32_t> ids(1 + k % 5, k);
        ok = q.PushQuorum(k, 1, std::span<const uint32_t>(ids),
                          [](uint32_t id) { return votequorum_node_t{id, 1}; });
        break;
      }
      default:
        ok = q.PushExpectedVotes(k, k);
        break;
    }
    ASSERT_TRUE(ok);
  };
  auto take = [&] {
    ASSERT_EQ(q.TakeBatch(false, true, &out), NotificationQueue::Take::kGot);
    ASSERT_EQ(out.size(), 1u);
    const Notification n = out.Front();
    const uint32_t k = taken++;
    ASSERT_EQ(n.context, k);
    switch (k % 3) {
      case 0:
        ASSERT_EQ(n.kind, Notification::Kind::kNodelist);
        ASSERT_EQ(n.count, 1 + k % 7);
        ASSERT_EQ(n.ring_id.seq, k);
        for (uint32_t i = 0; i < n.count; ++i) ASSERT_EQ(n.members[i], k);
        break;
      case 1:
        ASSERT_EQ(n.kind, Notification::Kind::kQuorum);
        ASSERT_EQ(n.count, 1 + k % 5);
        for (uint32_t i = 0; i < n.count; ++i) ASSERT_EQ(n.nodes[i].nodeid, k);
        break;
      default:
        ASSERT_EQ(n.kind, Notification::Kind::kExpectedVotes);
        ASSERT_EQ(n.expected_votes, k);
        break;
    }
  };
  for (int round = 0; round < 2000; ++round) {
    push();
    push();
    take();
  }
  for (int i = 0; i < 500; ++i) take();
  // The rest in one batch.
  ASSERT_EQ(q.TakeBatch(false, false, &out), NotificationQueue::Take::kGot);
  EXPECT_EQ(out.size(), pushed - taken);
  while (!out.empty()) {
    EXPECT_EQ(out.Front().context, taken++);
    out.PopFront();
  }
  EXPECT_EQ(q.TakeBatch(false, false, &out), NotificationQueue::Take::kEmpty);
  EXPECT_TRUE(q.Quiet());
}

}  // namespace
}  // namespace quorumsim::api::testing
