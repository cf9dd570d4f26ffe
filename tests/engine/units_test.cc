// Unit tests of the engine's building blocks: arithmetic, auto_tie_breaker_node parsing,
// the node-list order, the stores and the text renderings.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <unistd.h>

#include "engine/file_ev_store.h"
#include "engine/internal/arithmetic.h"
#include "engine/internal/atb.h"
#include "engine/internal/node_list.h"
#include "engine/messages.h"
#include "engine/status.h"
#include "engine/types.h"

namespace quorumsim::internal {
namespace {

TEST(Arithmetic, MajorityTableOfSpec) {
  const uint32_t expected[] = {1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6};
  for (uint32_t x = 0; x <= 10; ++x) EXPECT_EQ(Majority(x), expected[x]) << x;
}

TEST(Arithmetic, ThresholdFollowsPresentVotesAndSticks) {
  ThresholdInputs in;
  in.highest_expected = 3;
  in.total_votes = 5;
  in.node_count = 5;
  EXPECT_EQ(ComputeThreshold(in), 3u);
  in.stored_quorum = 4;
  EXPECT_EQ(ComputeThreshold(in), 4u);  // sticky without allow_decrease
  in.allow_decrease = true;
  EXPECT_EQ(ComputeThreshold(in), 3u);
}

TEST(Arithmetic, TwoNodeOverrideBeatsStickiness) {
  ThresholdInputs in;
  in.highest_expected = 3;
  in.total_votes = 2;
  in.node_count = 2;
  in.stored_quorum = 2;
  in.two_node = true;
  EXPECT_EQ(ComputeThreshold(in), 1u);
  in.node_count = 3;
  EXPECT_EQ(ComputeThreshold(in), 2u);
}

TEST(Arithmetic, DownscaleFloorOnlyForForcedDecrease) {
  ThresholdInputs in;
  in.highest_expected = 5;
  in.total_votes = 3;
  in.max_expected = 3;
  in.allow_downscale = true;
  in.ev_barrier = 5;
  in.allow_decrease = true;
  EXPECT_EQ(ComputeThreshold(in), 3u);  // max(5, 3) => 3
  in.allow_downscale = false;
  EXPECT_EQ(ComputeThreshold(in), 2u);
}

TEST(Arithmetic, StoredThresholdWraps) {
  EXPECT_EQ(StoreThreshold(301, true), 45u);
  EXPECT_EQ(StoreThreshold(301, false), 301u);
  EXPECT_EQ(StoreThreshold(255, true), 255u);
  EXPECT_EQ(StoreThreshold(256, true), 0u);
}

TEST(AtbParse, Words) {
  EXPECT_EQ(ParseAtbNode("lowest").mode, AtbMode::kLowest);
  EXPECT_EQ(ParseAtbNode("highest").mode, AtbMode::kHighest);
  EXPECT_EQ(ParseAtbNode("first").mode, AtbMode::kNone);
  EXPECT_EQ(ParseAtbNode("Lowest").mode, AtbMode::kNone);
  EXPECT_EQ(ParseAtbNode("").mode, AtbMode::kNone);
}

TEST(AtbParse, Lists) {
  AtbSetting s = ParseAtbNode("3 1");
  EXPECT_EQ(s.mode, AtbMode::kList);
  EXPECT_EQ(s.list, (std::vector<NodeId>{3, 1}));
  EXPECT_EQ(ParseAtbNode("1 0 3").list, (std::vector<NodeId>{1}));
  EXPECT_EQ(ParseAtbNode("  2\t5").list, (std::vector<NodeId>{2, 5}));
  EXPECT_EQ(ParseAtbNode("4 x 5").list, (std::vector<NodeId>{4}));
  EXPECT_EQ(ParseAtbNode("0 1").mode, AtbMode::kNone);
}

std::vector<NodeId> Order(const NodeList& l) {
  std::vector<NodeId> ids;
  for (const auto& r : l.records()) ids.push_back(r.node_id);
  return ids;
}

TEST(NodeListOrder, CorosyncInsertsBeforeTheLastRecord) {
  NodeList on1(1, true);
  on1.Add(2);
  on1.Add(3);
  EXPECT_EQ(Order(on1), (std::vector<NodeId>{2, 3, 1}));
  NodeList on2(2, true);
  on2.Add(1);
  on2.Add(3);
  EXPECT_EQ(Order(on2), (std::vector<NodeId>{1, 3, 2}));
  NodeList on3(3, true);
  on3.Add(1);
  on3.Add(2);
  EXPECT_EQ(Order(on3), (std::vector<NodeId>{1, 2, 3}));
  EXPECT_EQ(on1.us().node_id, 1u);
  EXPECT_EQ(on2.us().node_id, 2u);
}

TEST(NodeListOrder, SortedWhenQuirkOff) {
  NodeList l(1, false);
  l.Add(3);
  l.Add(2);
  EXPECT_EQ(Order(l), (std::vector<NodeId>{1, 2, 3}));
  EXPECT_EQ(l.us().node_id, 1u);
}

TEST(NodeListOrder, FullListRecyclesADeadRecord) {
  NodeList l(1, false);
  for (NodeId id = 2; l.size() < NodeList::kCapacity; ++id) {
    NodeRecord* r = l.Add(id);
    ASSERT_NE(r, nullptr);
    r->state = NodeState::kMember;
  }
  EXPECT_EQ(l.Add(1000), nullptr);  // nothing dead to recycle
  l.Find(5)->state = NodeState::kDead;
  ASSERT_NE(l.Add(1000), nullptr);
  EXPECT_EQ(l.Find(5), nullptr);
  EXPECT_EQ(l.size(), NodeList::kCapacity);
}

TEST(Formatting, RingIdIsHex) {
  EXPECT_EQ(FormatRingId({1, 0x1c}), "1.1c");
  EXPECT_EQ(FormatRingId({0, 0}), "0.0");
  EXPECT_EQ(FormatRingId({255, 16}), "ff.10");
}

TEST(Formatting, ErrorNames) {
  EXPECT_STREQ(CsErrorName(CsError::kOk), "CS_OK");
  EXPECT_STREQ(CsErrorName(CsError::kInvalidParam), "CS_ERR_INVALID_PARAM");
  EXPECT_STREQ(CsErrorName(CsError::kMessageError), "CS_ERR_MESSAGE_ERROR");
  EXPECT_EQ(static_cast<int>(CsError::kMessageError), 22);
}

TEST(Formatting, Messages) {
  EXPECT_EQ(DescribeMessage(NodeInfoMsg{2, 1, 3, 9}), "NODEINFO id=2 votes=1 exp=3 flags=0x9");
  EXPECT_EQ(DescribeMessage(ReconfigureMsg{1, 5, ReconfigureMsg::kExpectedVotes}),
            "RECONFIGURE id=1 expected_votes=5");
  EXPECT_EQ(DescribeMessage(QdeviceRegMsg{QdeviceRegMsg::kRegister, "QD"}), "QDEVICE_REG register name=QD");
  EXPECT_EQ(DescribeMessage(QdeviceReconfigureMsg{"a", "b"}), "QDEVICE_RECONFIGURE old=a new=b");
}

TEST(Formatting, Status) {
  EXPECT_EQ(Status::Ok().ToString(), "ok");
  EXPECT_EQ(Status::InvalidConfig("quorum.x=1").ToString(), "invalid configuration: quorum.x=1");
}

std::string TempPath(const char* tag) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/ev_" + tag + "_" + std::to_string(::getpid());
}

TEST(FileStore, CreatesZeroThenRoundTripsBinary) {
  const std::string path = TempPath("bin");
  std::remove(path.c_str());
  FileEvStore s(path);
  uint32_t v = 99;
  ASSERT_TRUE(s.Load(&v).ok());
  EXPECT_EQ(v, 0u);
  ASSERT_TRUE(s.Save(7).ok());
  FileEvStore again(path);
  ASSERT_TRUE(again.Load(&v).ok());
  EXPECT_EQ(v, 7u);
  std::FILE* f = std::fopen(path.c_str(), "rb");
  ASSERT_NE(f, nullptr);
  std::fseek(f, 0, SEEK_END);
  EXPECT_EQ(std::ftell(f), 4);  // corosync's four-byte format
  std::fclose(f);
  std::remove(path.c_str());
}

TEST(FileStore, TextFormat) {
  const std::string path = TempPath("txt");
  std::remove(path.c_str());
  FileEvStore s(path, FileEvStore::Format::kText);
  ASSERT_TRUE(s.Save(12).ok());
  uint32_t v = 0;
  ASSERT_TRUE(FileEvStore(path, FileEvStore::Format::kText).Load(&v).ok());
  EXPECT_EQ(v, 12u);
  std::remove(path.c_str());
}

TEST(FileStore, UnwritableLocationIsAnIoError) {
  FileEvStore s("/nonexistent-dir-for-quorumsim/ev_tracking");
  uint32_t v = 0;
  const Status st = s.Load(&v);
  EXPECT_EQ(st.code(), Status::Code::kIoError);
  EXPECT_NE(st.message().find("/nonexistent-dir-for-quorumsim/ev_tracking"), std::string::npos);
}

}  // namespace
}  // namespace quorumsim::internal
