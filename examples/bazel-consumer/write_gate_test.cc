// WriteGate on a simulated three-node cluster: only the majority side of a split may write.
#include "write_gate.h"

#include <gtest/gtest.h>

#include <memory>

#include "api/cpp/binding.hpp"
#include "sim/cluster.h"

namespace {

// A gate whose votequorum_initialize talks to simulated node `id`.
std::unique_ptr<WriteGate> GateOnNode(quorumsim::Cluster& cluster, quorumsim::NodeId id) {
  quorumsim::api::ScopedBinding binding(cluster, id);
  return std::make_unique<WriteGate>();
}

class WriteGateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(quorumsim::Cluster::FromConfFile("three-node.conf", {}, &cluster_).ok());
    ASSERT_TRUE(cluster_->StartAll().ok());
    ASSERT_TRUE(cluster_->Settle().ok());
  }
  std::unique_ptr<quorumsim::Cluster> cluster_;
};

TEST_F(WriteGateTest, EveryNodeMayWriteInAWholeCluster) {
  for (quorumsim::NodeId id : {1, 2, 3}) {
    auto gate = GateOnNode(*cluster_, id);
    ASSERT_TRUE(gate->connected());
    EXPECT_TRUE(gate->MayWrite()) << "node " << id;
  }
}

TEST_F(WriteGateTest, OnlyTheMajorityMayWriteAfterASplitAndAllAgainAfterTheHeal) {
  auto majority = GateOnNode(*cluster_, 1);
  auto minority = GateOnNode(*cluster_, 3);
  ASSERT_TRUE(majority->MayWrite());
  ASSERT_TRUE(minority->MayWrite());

  ASSERT_TRUE(cluster_->Split({{1, 2}, {3}}).ok());
  ASSERT_TRUE(cluster_->Settle().ok());
  EXPECT_TRUE(majority->MayWrite());
  EXPECT_FALSE(minority->MayWrite());

  ASSERT_TRUE(cluster_->Split({{1, 2, 3}}).ok());
  ASSERT_TRUE(cluster_->Settle().ok());
  EXPECT_TRUE(majority->MayWrite());
  EXPECT_TRUE(minority->MayWrite());
}

TEST(WriteGateWithoutCluster, RefusesWhenNoVotequorumServiceAnswers) {
  // No binding and no QUORUMSIM_* variable: initialize fails as without a running corosync.
  WriteGate gate;
  EXPECT_FALSE(gate.connected());
  EXPECT_FALSE(gate.MayWrite());
}

}  // namespace
