// The transport frees what it no longer needs: a ring once no node is in it and its
// deliveries ran, a ring's log once every member received it. Long runs must keep the
// number of rings and kept messages bounded (not growing with the number of commands).
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "sim/cluster.h"

namespace quorumsim {
namespace {

std::unique_ptr<Cluster> Make(int n) {
  std::string s = "totem {\n  version: 2\n}\nnodelist {\n";
  for (int i = 1; i <= n; ++i) s += "  node {\n    nodeid: " + std::to_string(i) + "\n  }\n";
  s += "}\nquorum {\n  provider: corosync_votequorum\n}\n";
  std::unique_ptr<Cluster> c;
  Status st = Cluster::FromConfText(s, "test.conf", {}, &c);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return c;
}

TEST(Memory, SplitJoinLoopKeepsRingsBounded) {
  auto c = Make(16);
  ASSERT_TRUE(c->StartAll().ok());
  ASSERT_TRUE(c->Settle().ok());
  std::vector<NodeId> half;
  for (NodeId id = 9; id <= 16; ++id) half.push_back(id);
  // Start-up formed 16 one-node rings and the merged one; their slots are reused.
  const size_t slots_at_start = c->stats().ring_slots;
  EXPECT_LE(slots_at_start, 17u);
  for (int i = 0; i < 500; ++i) {
    ASSERT_TRUE(c->MoveToPartition(half, 1).ok());
    ASSERT_TRUE(c->Settle().ok());
    SimStats split = c->stats();
    EXPECT_EQ(split.live_rings, 2u) << "after split " << i;
    ASSERT_TRUE(c->MoveToPartition(half, 0).ok());
    ASSERT_TRUE(c->Settle().ok());
    SimStats joined = c->stats();
    EXPECT_EQ(joined.live_rings, 1u) << "after join " << i;
    // Settled and nobody paused: every member received every message.
    EXPECT_EQ(joined.logged_messages, 0u);
    EXPECT_EQ(joined.ring_slots, slots_at_start) << "after join " << i;
  }
  EXPECT_TRUE(c->Node(1).quorate);
}

// Crashes, restarts, pauses, clean leaves and message delay with jitter: rings orphaned
// while deliveries are still scheduled are freed once those ran.
TEST(Memory, MixedFaultsWithDelayKeepRingsBounded) {
  auto c = Make(5);
  c->SetMessageDelay(20, 30);
  c->SetSeed(7);
  ASSERT_TRUE(c->StartAll().ok());
  ASSERT_TRUE(c->Settle().ok());
  const std::vector<NodeId> one{1}, two{2}, three{3}, four{4}, five{5}, pair{4, 5};
  for (int i = 0; i < 300; ++i) {
    ASSERT_TRUE(c->MoveToPartition(pair, 1).ok());
    ASSERT_TRUE(c->Crash(one).ok());
    ASSERT_TRUE(c->Settle().ok());
    ASSERT_TRUE(c->Restart(one).ok());
    ASSERT_TRUE(c->Pause(two).ok());
    ASSERT_TRUE(c->Settle().ok());
    ASSERT_TRUE(c->Resume(two).ok());
    ASSERT_TRUE(c->MoveToPartition(pair, 0).ok());
    ASSERT_TRUE(c->Settle().ok());
    ASSERT_TRUE(c->Leave(three).ok());
    ASSERT_TRUE(c->Settle().ok());
    ASSERT_TRUE(c->Up(three).ok());
    EXPECT_EQ(c->NodeSetExpected(4, 5), CsError::kOk);
    ASSERT_TRUE(c->Settle().ok());
    SimStats m = c->stats();
    EXPECT_EQ(m.live_rings, 1u) << "round " << i;
    EXPECT_EQ(m.logged_messages, 0u) << "round " << i;
    EXPECT_LE(m.ring_slots, 6u) << "round " << i;
  }
  for (NodeId id = 1; id <= 5; ++id) EXPECT_EQ(c->Node(id).members.size(), 5u);
}

// A long-lived ring does not keep every message it ever carried.
TEST(Memory, ManyRequestsInOneRingKeepNoLog) {
  auto c = Make(3);
  ASSERT_TRUE(c->StartAll().ok());
  ASSERT_TRUE(c->Settle().ok());
  for (int i = 0; i < 5000; ++i) {
    EXPECT_EQ(c->NodeSetExpected(1, 3 + static_cast<uint32_t>(i % 2)), CsError::kOk);
  }
  ASSERT_TRUE(c->Settle().ok());
  EXPECT_EQ(c->stats().logged_messages, 0u);
  EXPECT_EQ(c->stats().live_rings, 1u);
}

}  // namespace
}  // namespace quorumsim
