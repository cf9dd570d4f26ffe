// libquorum on simulated nodes: models V0 and V1, tracking, splits and heals, and the
// error codes of every function.
#include <corosync/quorum.h>
#include <gtest/gtest.h>
#include <poll.h>

#include <string>
#include <vector>

#include "api/cpp/binding.hpp"
#include "tests/api/test_util.h"

namespace quorumsim::api::testing {
namespace {

using Lines = std::vector<std::string>;

std::string List(uint32_t n, const uint32_t* ids) {
  std::string s;
  for (uint32_t i = 0; i < n; ++i) s += (i ? "," : "") + std::to_string(ids[i]);
  return s;
}

// Callback lines, named by the handle's context (a C string).
Lines& Seen() {
  static Lines lines;
  return lines;
}
std::string Who(quorum_handle_t h) {
  const void* ctx = nullptr;
  EXPECT_EQ(quorum_context_get(h, &ctx), CS_OK);
  return ctx == nullptr ? "?" : static_cast<const char*>(ctx);
}
void V0Quorum(quorum_handle_t h, uint32_t quorate, uint64_t seq, uint32_t n, uint32_t* view) {
  Seen().push_back(Who(h) + " quorum quorate=" + std::to_string(quorate) +
                   " seq_nonzero=" + std::to_string(seq != 0) + " view=" + List(n, view));
}
void V1Quorum(quorum_handle_t h, uint32_t quorate, quorum_ring_id ring, uint32_t n,
              const uint32_t* view) {
  Seen().push_back(Who(h) + " quorum quorate=" + std::to_string(quorate) +
                   " ring=" + std::to_string(ring.nodeid) + " view=" + List(n, view));
}
void V1Nodelist(quorum_handle_t h, quorum_ring_id ring, uint32_t n, const uint32_t* m,
                uint32_t nj, const uint32_t* j, uint32_t nl, const uint32_t* l) {
  Seen().push_back(Who(h) + " nodelist ring=" + std::to_string(ring.nodeid) +
                   " members=" + List(n, m) + " joined=" + List(nj, j) + " left=" + List(nl, l));
}
Lines Take() {
  Lines out;
  out.swap(Seen());
  return out;
}

quorum_handle_t OpenV1(Cluster& cluster, NodeId node, const char* name) {
  ScopedBinding bind(cluster, node);
  quorum_model_v1_data_t data{QUORUM_MODEL_V1, &V1Quorum, &V1Nodelist};
  quorum_handle_t h = 0;
  uint32_t type = 99;
  EXPECT_EQ(quorum_model_initialize(&h, QUORUM_MODEL_V1,
                                    reinterpret_cast<quorum_model_data_t*>(&data), &type,
                                    const_cast<char*>(name)),
            CS_OK);
  EXPECT_EQ(type, uint32_t{QUORUM_SET});
  return h;
}

TEST(QuorumTest, ModelV1SnapshotSplitAndHeal) {
  auto cluster = StartCluster(3);
  ASSERT_NE(cluster, nullptr);
  quorum_handle_t h1 = OpenV1(*cluster, 1, "n1");
  quorum_handle_t h3 = OpenV1(*cluster, 3, "n3");
  ASSERT_EQ(quorum_trackstart(h1, CS_TRACK_CHANGES), CS_OK);
  ASSERT_EQ(quorum_trackstart(h3, CS_TRACK_CHANGES), CS_OK);
  ASSERT_EQ(quorum_dispatch(h1, CS_DISPATCH_ALL), CS_OK);
  ASSERT_EQ(quorum_dispatch(h3, CS_DISPATCH_ALL), CS_OK);
  // The snapshot: the last completed membership (no joined/left lists), then the verdict.
  EXPECT_EQ(Take(), (Lines{
                        "n1 nodelist ring=1 members=1,2,3 joined= left=",
                        "n1 quorum quorate=1 ring=1 view=1,2,3",
                        "n3 nodelist ring=1 members=1,2,3 joined= left=",
                        "n3 quorum quorate=1 ring=1 view=1,2,3",
                    }));

  ASSERT_TRUE(cluster->Split({{1, 2}, {3}}).ok());
  ASSERT_TRUE(cluster->Settle().ok());
  ASSERT_EQ(quorum_dispatch(h1, CS_DISPATCH_ALL), CS_OK);
  ASSERT_EQ(quorum_dispatch(h3, CS_DISPATCH_ALL), CS_OK);
  EXPECT_EQ(Take(), (Lines{
                        "n1 nodelist ring=1 members=1,2 joined= left=3",
                        "n1 quorum quorate=1 ring=1 view=1,2",
                        "n3 nodelist ring=3 members=3 joined= left=1,2",
                        "n3 quorum quorate=0 ring=3 view=3",
                    }));
  int quorate = -1;
  ASSERT_EQ(quorum_getquorate(h3, &quorate), CS_OK);
  EXPECT_EQ(quorate, 0);
  ASSERT_EQ(quorum_getquorate(h1, &quorate), CS_OK);
  EXPECT_EQ(quorate, 1);

  ASSERT_TRUE(cluster->JoinPartitions(0, std::vector<PartitionId>{1}).ok());
  ASSERT_TRUE(cluster->Settle().ok());
  ASSERT_EQ(quorum_dispatch(h3, CS_DISPATCH_ALL), CS_OK);
  EXPECT_EQ(Take(), (Lines{
                        "n3 nodelist ring=1 members=1,2,3 joined=1,2 left=",
                        "n3 quorum quorate=1 ring=1 view=1,2,3",
                    }));
  ASSERT_EQ(quorum_dispatch(h1, CS_DISPATCH_ALL), CS_OK);
  EXPECT_EQ(Take(), (Lines{
                        "n1 nodelist ring=1 members=1,2,3 joined=3 left=",
                        "n1 quorum quorate=1 ring=1 view=1,2,3",
                    }));
  EXPECT_EQ(quorum_finalize(h1), CS_OK);
  EXPECT_EQ(quorum_finalize(h3), CS_OK);
}

TEST(QuorumTest, ModelV0GetsTheSequenceNumberOnlyAndNoNodelist) {
  auto cluster = StartCluster(3);
  ASSERT_NE(cluster, nullptr);
  ScopedBinding bind(*cluster, 2);
  quorum_callbacks_t callbacks{&V0Quorum};
  quorum_handle_t h = 0;
  uint32_t type = 99;
  ASSERT_EQ(quorum_initialize(&h, &callbacks, &type), CS_OK);
  EXPECT_EQ(type, uint32_t{QUORUM_SET});
  ASSERT_EQ(quorum_context_set(h, "v0"), CS_OK);
  ASSERT_EQ(quorum_trackstart(h, CS_TRACK_CHANGES_ONLY), CS_OK);
  ASSERT_EQ(quorum_dispatch(h, CS_DISPATCH_ALL), CS_OK);
  EXPECT_TRUE(Take().empty());  // CHANGES_ONLY sends no snapshot
  ASSERT_TRUE(cluster->Crash(std::vector<NodeId>{1}).ok());
  ASSERT_TRUE(cluster->Settle().ok());
  ASSERT_EQ(quorum_dispatch(h, CS_DISPATCH_ALL), CS_OK);
  EXPECT_EQ(Take(), (Lines{"v0 quorum quorate=1 seq_nonzero=1 view=2,3"}));
  ASSERT_EQ(quorum_trackstop(h), CS_OK);
  ASSERT_TRUE(cluster->Crash(std::vector<NodeId>{3}).ok());
  ASSERT_TRUE(cluster->Settle().ok());
  ASSERT_EQ(quorum_dispatch(h, CS_DISPATCH_ALL), CS_OK);
  EXPECT_TRUE(Take().empty());
  int quorate = -1;
  ASSERT_EQ(quorum_getquorate(h, &quorate), CS_OK);
  EXPECT_EQ(quorate, 0);
  EXPECT_EQ(quorum_finalize(h), CS_OK);
}

TEST(QuorumTest, TrackCurrentOnlySendsOneSnapshotAndTrackingTwiceIsExist) {
  auto cluster = StartCluster(2, "    two_node: 1\n");
  ASSERT_NE(cluster, nullptr);
  quorum_handle_t h = OpenV1(*cluster, 1, "n1");
  ASSERT_EQ(quorum_trackstart(h, CS_TRACK_CURRENT), CS_OK);
  ASSERT_EQ(quorum_dispatch(h, CS_DISPATCH_ALL), CS_OK);
  EXPECT_EQ(Take().size(), 2u);
  ASSERT_TRUE(cluster->Crash(std::vector<NodeId>{2}).ok());
  ASSERT_TRUE(cluster->Settle().ok());
  ASSERT_EQ(quorum_dispatch(h, CS_DISPATCH_ALL), CS_OK);
  EXPECT_TRUE(Take().empty());  // CURRENT alone does not track
  ASSERT_EQ(quorum_trackstart(h, CS_TRACK_CHANGES_ONLY), CS_OK);
  // A second trackstart fails, after sending the snapshot CS_TRACK_CHANGES asks for.
  EXPECT_EQ(quorum_trackstart(h, CS_TRACK_CHANGES), CS_ERR_EXIST);
  ASSERT_EQ(quorum_dispatch(h, CS_DISPATCH_ALL), CS_OK);
  EXPECT_EQ(Take(), (Lines{"n1 nodelist ring=1 members=1 joined= left=",
                           "n1 quorum quorate=1 ring=1 view=1"}));
  EXPECT_EQ(quorum_trackstop(h), CS_OK);
  EXPECT_EQ(quorum_trackstop(h), CS_OK);  // corosync answers CS_OK when not tracking
  EXPECT_EQ(quorum_finalize(h), CS_OK);
}

TEST(QuorumTest, DescriptorPollsReadableWhileNotificationsWait) {
  auto cluster = StartCluster(3);
  ASSERT_NE(cluster, nullptr);
  quorum_handle_t h = OpenV1(*cluster, 1, "n1");
  int fd = -1;
  ASSERT_EQ(quorum_fd_get(h, &fd), CS_OK);
  pollfd p{fd, POLLIN, 0};
  EXPECT_EQ(poll(&p, 1, 0), 0);
  ASSERT_EQ(quorum_trackstart(h, CS_TRACK_CURRENT), CS_OK);
  EXPECT_EQ(poll(&p, 1, 0), 1);
  ASSERT_EQ(quorum_dispatch(h, CS_DISPATCH_ONE), CS_OK);
  EXPECT_EQ(Take().size(), 1u);
  EXPECT_EQ(poll(&p, 1, 0), 1);
  ASSERT_EQ(quorum_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING), CS_OK);
  EXPECT_EQ(poll(&p, 1, 0), 0);
  EXPECT_EQ(quorum_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING), CS_ERR_TRY_AGAIN);
  EXPECT_EQ(quorum_finalize(h), CS_OK);
  Take();
}

TEST(QuorumTest, ErrorCodes) {
  auto cluster = StartCluster(3);
  ASSERT_NE(cluster, nullptr);
  quorum_handle_t h = 0;
  uint32_t type = 0;
  // Without a binding there is no daemon.
  EXPECT_EQ(quorum_initialize(&h, nullptr, &type), CS_ERR_LIBRARY);
  ScopedBinding bind(*cluster, 1);
  EXPECT_EQ(quorum_initialize(nullptr, nullptr, &type), CS_ERR_INVALID_PARAM);
  EXPECT_EQ(quorum_model_initialize(&h, static_cast<quorum_model_t>(2), nullptr, &type, nullptr),
            CS_ERR_INVALID_PARAM);
  ASSERT_EQ(quorum_initialize(&h, nullptr, nullptr), CS_OK);  // type may be NULL
  const quorum_handle_t bogus = h + 1000;
  int quorate = 0;
  int fd = 0;
  const void* ctx = nullptr;
  EXPECT_EQ(quorum_getquorate(bogus, &quorate), CS_ERR_BAD_HANDLE);
  EXPECT_EQ(quorum_getquorate(h, nullptr), CS_ERR_INVALID_PARAM);
  EXPECT_EQ(quorum_fd_get(bogus, &fd), CS_ERR_BAD_HANDLE);
  EXPECT_EQ(quorum_fd_get(h, nullptr), CS_ERR_INVALID_PARAM);
  EXPECT_EQ(quorum_trackstart(bogus, CS_TRACK_CHANGES), CS_ERR_BAD_HANDLE);
  EXPECT_EQ(quorum_trackstop(bogus), CS_ERR_BAD_HANDLE);
  EXPECT_EQ(quorum_context_set(bogus, nullptr), CS_ERR_BAD_HANDLE);
  EXPECT_EQ(quorum_context_get(bogus, &ctx), CS_ERR_BAD_HANDLE);
  EXPECT_EQ(quorum_context_get(h, nullptr), CS_ERR_INVALID_PARAM);
  EXPECT_EQ(quorum_dispatch(bogus, CS_DISPATCH_ALL), CS_ERR_BAD_HANDLE);
  EXPECT_EQ(quorum_dispatch(h, static_cast<cs_dispatch_flags_t>(9)), CS_ERR_INVALID_PARAM);
  // The node's daemon dies: requests fail as on a dead IPC connection.
  ASSERT_TRUE(cluster->Crash(std::vector<NodeId>{1}).ok());
  EXPECT_EQ(quorum_getquorate(h, &quorate), CS_ERR_LIBRARY);
  EXPECT_EQ(quorum_dispatch(h, CS_DISPATCH_ALL), CS_ERR_LIBRARY);
  quorum_handle_t down = 0;
  EXPECT_EQ(quorum_initialize(&down, nullptr, &type), CS_ERR_LIBRARY);
  EXPECT_EQ(quorum_finalize(h), CS_OK);
  EXPECT_EQ(quorum_finalize(h), CS_ERR_BAD_HANDLE);
  ASSERT_TRUE(cluster->Up(std::vector<NodeId>{1}).ok());
  ASSERT_TRUE(cluster->Pause(std::vector<NodeId>{1}).ok());
  EXPECT_EQ(quorum_initialize(&down, nullptr, &type), CS_ERR_TRY_AGAIN);
}

// Finalizing inside a callback ends the dispatch with CS_ERR_BAD_HANDLE.
quorum_handle_t finalize_me = 0;
void FinalizeInCallback(quorum_handle_t h, uint32_t, quorum_ring_id, uint32_t, const uint32_t*) {
  EXPECT_EQ(quorum_finalize(h), CS_OK);
}
TEST(QuorumTest, FinalizeInsideACallback) {
  auto cluster = StartCluster(3);
  ASSERT_NE(cluster, nullptr);
  ScopedBinding bind(*cluster, 1);
  quorum_model_v1_data_t data{QUORUM_MODEL_V1, &FinalizeInCallback, nullptr};
  ASSERT_EQ(quorum_model_initialize(&finalize_me, QUORUM_MODEL_V1,
                                    reinterpret_cast<quorum_model_data_t*>(&data), nullptr,
                                    nullptr),
            CS_OK);
  ASSERT_EQ(quorum_trackstart(finalize_me, CS_TRACK_CURRENT), CS_OK);
  ASSERT_TRUE(cluster->Crash(std::vector<NodeId>{3}).ok());
  EXPECT_EQ(quorum_dispatch(finalize_me, CS_DISPATCH_ALL), CS_ERR_BAD_HANDLE);
  EXPECT_EQ(quorum_finalize(finalize_me), CS_ERR_BAD_HANDLE);
}

}  // namespace
}  // namespace quorumsim::api::testing
