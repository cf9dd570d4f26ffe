// One test per exported votequorum function (named after the function, which
// check_api_coverage.sh relies on), against a simulated three-node cluster.
// Values follow ../shared/spec/votequorum.md §6 (and EX-47/48/49).
#include <corosync/votequorum.h>
#include <gtest/gtest.h>
#include <poll.h>

#include <cstring>
#include <string>

#include "api/cpp/binding.hpp"
#include "tests/api/test_util.h"

namespace quorumsim::api::testing {
namespace {

constexpr votequorum_handle_t kBogus = 0xdeadbeefULL;

class FunctionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_ = StartCluster(3);
    ASSERT_NE(cluster_, nullptr);
    binding_ = std::make_unique<ScopedBinding>(*cluster_, 1);
    ASSERT_EQ(votequorum_initialize(&h_, rec_.callbacks()), CS_OK);
    rec_.Name(h_, "h1");
  }
  void TearDown() override {
    (void)votequorum_finalize(h_);
    binding_.reset();
  }
  std::vector<std::string> DispatchAll() {
    EXPECT_EQ(votequorum_dispatch(h_, CS_DISPATCH_ALL), CS_OK);
    return rec_.Take();
  }

  Recorder rec_;
  std::unique_ptr<Cluster> cluster_;
  std::unique_ptr<ScopedBinding> binding_;
  votequorum_handle_t h_ = 0;
};

using Lines = std::vector<std::string>;

TEST_F(FunctionsTest, votequorum_initialize) {
  votequorum_handle_t other = 0;
  EXPECT_EQ(votequorum_initialize(&other, nullptr), CS_OK);  // NULL callbacks allowed
  EXPECT_NE(other, h_);
  EXPECT_EQ(votequorum_trackstart(other, 1, CS_TRACK_CURRENT), CS_OK);
  EXPECT_EQ(votequorum_dispatch(other, CS_DISPATCH_ALL), CS_OK);  // dropped silently
  EXPECT_EQ(votequorum_finalize(other), CS_OK);
  EXPECT_EQ(votequorum_initialize(nullptr, rec_.callbacks()), CS_ERR_INVALID_PARAM);
  // A node whose daemon is down refuses connections, as corosync not running does.
  ASSERT_TRUE(cluster_->Crash(std::vector<NodeId>{2}).ok());
  ScopedBinding on2(*cluster_, 2);
  EXPECT_EQ(votequorum_initialize(&other, nullptr), CS_ERR_LIBRARY);
  EXPECT_TRUE(rec_.Take().empty());
}

TEST_F(FunctionsTest, votequorum_finalize) {
  votequorum_handle_t other = 0;
  ASSERT_EQ(votequorum_initialize(&other, rec_.callbacks()), CS_OK);
  EXPECT_EQ(votequorum_finalize(other), CS_OK);
  EXPECT_EQ(votequorum_finalize(other), CS_ERR_BAD_HANDLE);
  struct votequorum_info info;
  EXPECT_EQ(votequorum_getinfo(other, 0, &info), CS_ERR_BAD_HANDLE);
  EXPECT_EQ(votequorum_finalize(kBogus), CS_ERR_BAD_HANDLE);
  EXPECT_EQ(votequorum_finalize(0), CS_ERR_BAD_HANDLE);
}

TEST_F(FunctionsTest, votequorum_dispatch) {
  EXPECT_EQ(votequorum_dispatch(h_, CS_DISPATCH_ONE_NONBLOCKING), CS_ERR_TRY_AGAIN);
  EXPECT_EQ(votequorum_dispatch(h_, CS_DISPATCH_ALL), CS_OK);
  // The type is checked before the handle.
  // Values outside the enumeration (99, -1) cannot even be formed in C++ without undefined
  // behaviour; cluster_c_test.c passes them from C. 0 is within the enum's value range.
  EXPECT_EQ(votequorum_dispatch(h_, static_cast<cs_dispatch_flags_t>(0)), CS_ERR_INVALID_PARAM);
  EXPECT_EQ(votequorum_dispatch(kBogus, CS_DISPATCH_ALL), CS_ERR_BAD_HANDLE);
  ASSERT_EQ(votequorum_trackstart(h_, 7, CS_TRACK_CURRENT), CS_OK);
  EXPECT_TRUE(rec_.Take().empty()) << "callbacks run only inside dispatch";
  EXPECT_EQ(votequorum_dispatch(h_, CS_DISPATCH_ONE), CS_OK);
  EXPECT_EQ(rec_.Take(), (Lines{"h1 NODELIST ctx=7 ring=1 members=1,2,3"}));
  EXPECT_EQ(votequorum_dispatch(h_, CS_DISPATCH_ONE_NONBLOCKING), CS_OK);
  EXPECT_EQ(rec_.Take(), (Lines{"h1 QUORUM ctx=7 quorate=1 nodes=2:1,3:1,1:1"}));
  EXPECT_EQ(votequorum_dispatch(h_, CS_DISPATCH_ONE_NONBLOCKING), CS_ERR_TRY_AGAIN);
}

TEST_F(FunctionsTest, votequorum_fd_get) {
  int fd = -1;
  ASSERT_EQ(votequorum_fd_get(h_, &fd), CS_OK);
  EXPECT_GE(fd, 0);
  auto readable = [fd] {
    struct pollfd p = {fd, POLLIN, 0};
    return poll(&p, 1, 0) == 1 && (p.revents & POLLIN) != 0;
  };
  EXPECT_FALSE(readable());
  ASSERT_EQ(votequorum_trackstart(h_, 1, CS_TRACK_CURRENT), CS_OK);  // queues two
  EXPECT_TRUE(readable());
  ASSERT_EQ(votequorum_dispatch(h_, CS_DISPATCH_ONE), CS_OK);
  EXPECT_TRUE(readable()) << "one notification still pending";
  ASSERT_EQ(votequorum_dispatch(h_, CS_DISPATCH_ONE), CS_OK);
  EXPECT_FALSE(readable()) << "nothing pending";
  EXPECT_EQ(votequorum_fd_get(h_, nullptr), CS_ERR_INVALID_PARAM);
  EXPECT_EQ(votequorum_fd_get(kBogus, &fd), CS_ERR_BAD_HANDLE);
}

TEST_F(FunctionsTest, votequorum_getinfo) {
  struct votequorum_info info;
  std::memset(&info, 0xff, sizeof info);
  ASSERT_EQ(votequorum_getinfo(h_, 0, &info), CS_OK);  // 0 = the local node
  EXPECT_EQ(info.node_id, 1u);
  EXPECT_EQ(info.node_state, unsigned{VOTEQUORUM_NODESTATE_MEMBER});
  EXPECT_EQ(info.node_votes, 1u);
  EXPECT_EQ(info.node_expected_votes, 3u);
  EXPECT_EQ(info.highest_expected, 3u);
  EXPECT_EQ(info.total_votes, 3u);
  EXPECT_EQ(info.quorum, 2u);
  EXPECT_EQ(info.flags, unsigned{VOTEQUORUM_INFO_QUORATE});
  EXPECT_EQ(info.qdevice_votes, 0u);
  EXPECT_STREQ(info.qdevice_name, "");
  ASSERT_EQ(votequorum_getinfo(h_, 3, &info), CS_OK);
  EXPECT_EQ(info.node_id, 3u);
  // EX-49: a failed node is still known, as DEAD.
  ASSERT_TRUE(cluster_->Crash(std::vector<NodeId>{3}).ok());
  ASSERT_TRUE(cluster_->Settle().ok());
  ASSERT_EQ(votequorum_getinfo(h_, 3, &info), CS_OK);
  EXPECT_EQ(info.node_state, unsigned{VOTEQUORUM_NODESTATE_DEAD});
  EXPECT_EQ(info.total_votes, 2u);
  EXPECT_EQ(info.flags, unsigned{VOTEQUORUM_INFO_QUORATE});
  EXPECT_EQ(votequorum_getinfo(h_, 7, &info), CS_ERR_NOT_EXIST);
  EXPECT_EQ(votequorum_getinfo(h_, 0, nullptr), CS_ERR_INVALID_PARAM);
  EXPECT_EQ(votequorum_getinfo(kBogus, 0, &info), CS_ERR_BAD_HANDLE);
}

TEST_F(FunctionsTest, votequorum_setexpected) {
  ASSERT_EQ(votequorum_trackstart(h_, 5, CS_TRACK_CHANGES_ONLY), CS_OK);
  EXPECT_EQ(votequorum_setexpected(h_, 2), CS_ERR_INVALID_PARAM);  // below present votes
  EXPECT_EQ(votequorum_setexpected(h_, 0), CS_ERR_INVALID_PARAM);
  EXPECT_EQ(votequorum_setexpected(h_, 9), CS_ERR_INVALID_PARAM);  // would lose quorum
  EXPECT_EQ(votequorum_setexpected(h_, 4), CS_OK);                 // threshold 3 <= 3 votes
  EXPECT_EQ(DispatchAll(), (Lines{"h1 EXPECTED ctx=5 4"}));
  struct votequorum_info info;
  ASSERT_EQ(votequorum_getinfo(h_, 0, &info), CS_OK);
  EXPECT_EQ(info.node_expected_votes, 4u);
  EXPECT_EQ(info.quorum, 3u);
  EXPECT_EQ(votequorum_setexpected(kBogus, 3), CS_ERR_BAD_HANDLE);
}

TEST_F(FunctionsTest, votequorum_setvotes) {
  EXPECT_EQ(votequorum_setvotes(h_, 99, 1), CS_ERR_NAME_NOT_FOUND);
  EXPECT_EQ(votequorum_setvotes(h_, 2, 2), CS_OK);
  struct votequorum_info info;
  ASSERT_EQ(votequorum_getinfo(h_, 2, &info), CS_OK);
  EXPECT_EQ(info.node_votes, 2u);
  EXPECT_EQ(info.total_votes, 4u);
  EXPECT_EQ(votequorum_setvotes(kBogus, 1, 1), CS_ERR_BAD_HANDLE);
}

TEST_F(FunctionsTest, votequorum_trackstart) {
  // EX-48, in order: CURRENT gives a snapshot only; a second trackstart while
  // registered is refused but still sends the snapshot with its own context.
  EXPECT_EQ(votequorum_trackstart(h_, 77, CS_TRACK_CURRENT), CS_OK);
  EXPECT_EQ(DispatchAll(), (Lines{"h1 NODELIST ctx=77 ring=1 members=1,2,3",
                                  "h1 QUORUM ctx=77 quorate=1 nodes=2:1,3:1,1:1"}));
  EXPECT_EQ(votequorum_trackstart(h_, 78, CS_TRACK_CHANGES_ONLY), CS_OK);
  EXPECT_TRUE(DispatchAll().empty());
  EXPECT_EQ(votequorum_trackstart(h_, 79, CS_TRACK_CURRENT), CS_ERR_EXIST);
  EXPECT_EQ(DispatchAll(), (Lines{"h1 NODELIST ctx=79 ring=1 members=1,2,3",
                                  "h1 QUORUM ctx=79 quorate=1 nodes=2:1,3:1,1:1"}));
  // Changes carry the context stored at registration (78).
  ASSERT_TRUE(cluster_->Crash(std::vector<NodeId>{3}).ok());
  ASSERT_TRUE(cluster_->Settle().ok());
  EXPECT_EQ(DispatchAll(), (Lines{"h1 NODELIST ctx=78 ring=1 members=1,2",
                                  "h1 QUORUM ctx=78 quorate=1 nodes=2:1,3:2,1:1"}));
  EXPECT_EQ(votequorum_trackstart(kBogus, 1, CS_TRACK_CHANGES), CS_ERR_BAD_HANDLE);
}

TEST_F(FunctionsTest, votequorum_trackstop) {
  EXPECT_EQ(votequorum_trackstop(h_), CS_ERR_NOT_EXIST);
  ASSERT_EQ(votequorum_trackstart(h_, 1, CS_TRACK_CHANGES), CS_OK);
  EXPECT_EQ(votequorum_trackstop(h_), CS_OK);
  rec_.Take();
  (void)votequorum_dispatch(h_, CS_DISPATCH_ALL);
  rec_.Take();
  ASSERT_TRUE(cluster_->Crash(std::vector<NodeId>{3}).ok());
  ASSERT_TRUE(cluster_->Settle().ok());
  EXPECT_TRUE(DispatchAll().empty()) << "no changes after trackstop";
  EXPECT_EQ(votequorum_trackstop(h_), CS_ERR_NOT_EXIST);
  EXPECT_EQ(votequorum_trackstop(kBogus), CS_ERR_BAD_HANDLE);
}

TEST_F(FunctionsTest, votequorum_context_get) {
  void* ctx = &ctx;
  ASSERT_EQ(votequorum_context_get(h_, &ctx), CS_OK);
  EXPECT_EQ(ctx, nullptr);
  EXPECT_EQ(votequorum_context_get(h_, nullptr), CS_ERR_INVALID_PARAM);
  EXPECT_EQ(votequorum_context_get(kBogus, &ctx), CS_ERR_BAD_HANDLE);
}

TEST_F(FunctionsTest, votequorum_context_set) {
  int value = 0;
  ASSERT_EQ(votequorum_context_set(h_, &value), CS_OK);
  void* ctx = nullptr;
  ASSERT_EQ(votequorum_context_get(h_, &ctx), CS_OK);
  EXPECT_EQ(ctx, &value);
  EXPECT_EQ(votequorum_context_set(kBogus, &value), CS_ERR_BAD_HANDLE);
}

// EX-47: the qdevice call sequence (node 1 of three).
TEST_F(FunctionsTest, votequorum_qdevice_register) {
  EXPECT_EQ(votequorum_qdevice_register(h_, ""), CS_ERR_INVALID_PARAM);
  EXPECT_EQ(votequorum_qdevice_register(h_, std::string(299, 'x').c_str()), CS_ERR_INVALID_PARAM);
  EXPECT_EQ(votequorum_qdevice_register(h_, std::string(255, 'x').c_str()), CS_ERR_INVALID_PARAM);
  EXPECT_EQ(votequorum_qdevice_register(h_, nullptr), CS_ERR_INVALID_PARAM);
  EXPECT_EQ(votequorum_qdevice_register(kBogus, ""), CS_ERR_INVALID_PARAM);  // name first
  EXPECT_EQ(votequorum_qdevice_register(kBogus, "QD"), CS_ERR_BAD_HANDLE);
  EXPECT_EQ(votequorum_qdevice_register(h_, "QD"), CS_OK);
  EXPECT_EQ(votequorum_qdevice_register(h_, "QD"), CS_OK);
  EXPECT_EQ(votequorum_qdevice_register(h_, "OTHER"), CS_ERR_EXIST);
  struct votequorum_info info;
  ASSERT_EQ(votequorum_getinfo(h_, 0, &info), CS_OK);
  EXPECT_EQ(info.flags, unsigned{VOTEQUORUM_INFO_QUORATE | VOTEQUORUM_INFO_QDEVICE_REGISTERED});
  EXPECT_STREQ(info.qdevice_name, "QD");
  // Another node registering a different name: the cluster already uses "QD".
  ScopedBinding on2(*cluster_, 2);
  votequorum_handle_t h2;
  ASSERT_EQ(votequorum_initialize(&h2, nullptr), CS_OK);
  EXPECT_EQ(votequorum_qdevice_register(h2, "OTHER"), CS_ERR_EXIST);
  EXPECT_EQ(votequorum_qdevice_register(h2, "QD"), CS_OK);
  EXPECT_EQ(votequorum_finalize(h2), CS_OK);
}

TEST_F(FunctionsTest, votequorum_qdevice_unregister) {
  EXPECT_EQ(votequorum_qdevice_unregister(h_, "QD"), CS_ERR_NOT_EXIST);
  EXPECT_EQ(votequorum_qdevice_unregister(h_, ""), CS_ERR_INVALID_PARAM);
  ASSERT_EQ(votequorum_qdevice_register(h_, "QD"), CS_OK);
  EXPECT_EQ(votequorum_qdevice_unregister(h_, "XX"), CS_ERR_INVALID_PARAM);
  EXPECT_EQ(votequorum_qdevice_unregister(h_, "QD"), CS_OK);
  EXPECT_EQ(votequorum_qdevice_unregister(h_, "QD"), CS_ERR_NOT_EXIST);
  struct votequorum_info info;
  ASSERT_EQ(votequorum_getinfo(h_, 0, &info), CS_OK);
  EXPECT_EQ(info.flags, unsigned{VOTEQUORUM_INFO_QUORATE});
  EXPECT_EQ(votequorum_qdevice_unregister(kBogus, "QD"), CS_ERR_BAD_HANDLE);
}

TEST_F(FunctionsTest, votequorum_qdevice_update) {
  EXPECT_EQ(votequorum_qdevice_update(h_, "QD", "QD2"), CS_ERR_NOT_EXIST);
  ASSERT_EQ(votequorum_qdevice_register(h_, "QD"), CS_OK);
  EXPECT_EQ(votequorum_qdevice_update(h_, "QD", ""), CS_ERR_INVALID_PARAM);
  EXPECT_EQ(votequorum_qdevice_update(h_, "", "QD2"), CS_ERR_INVALID_PARAM);
  EXPECT_EQ(votequorum_qdevice_update(h_, "XX", "QD2"), CS_ERR_INVALID_PARAM);
  EXPECT_EQ(votequorum_qdevice_update(h_, "QD", "QD2"), CS_OK);
  struct votequorum_info info;
  ASSERT_EQ(votequorum_getinfo(h_, 0, &info), CS_OK);
  EXPECT_STREQ(info.qdevice_name, "QD2");
  EXPECT_EQ(votequorum_qdevice_update(kBogus, "QD2", "QD3"), CS_ERR_BAD_HANDLE);
}

TEST_F(FunctionsTest, votequorum_qdevice_poll) {
  ASSERT_EQ(votequorum_trackstart(h_, 1, CS_TRACK_CURRENT), CS_OK);
  DispatchAll();
  votequorum_ring_id_t ring = rec_.last_ring();
  votequorum_ring_id_t stale = ring;
  stale.seq -= 4;
  EXPECT_EQ(votequorum_qdevice_poll(h_, "QD", 1, ring), CS_ERR_NOT_EXIST);
  ASSERT_EQ(votequorum_qdevice_register(h_, "QD"), CS_OK);
  EXPECT_EQ(votequorum_qdevice_poll(h_, "QD", 1, stale), CS_ERR_MESSAGE_ERROR);
  EXPECT_EQ(votequorum_qdevice_poll(h_, "WRONG", 1, stale), CS_ERR_MESSAGE_ERROR);  // ring first
  EXPECT_EQ(votequorum_qdevice_poll(h_, "WRONG", 1, ring), CS_ERR_INVALID_PARAM);
  EXPECT_EQ(votequorum_qdevice_poll(h_, "", 1, ring), CS_ERR_INVALID_PARAM);
  EXPECT_EQ(votequorum_qdevice_poll(h_, "QD", 1, ring), CS_OK);
  struct votequorum_info info;
  ASSERT_EQ(votequorum_getinfo(h_, 0, &info), CS_OK);
  EXPECT_EQ(info.flags, 0x1c2u);  // QUORATE | REGISTERED | ALIVE | CAST_VOTE
  EXPECT_EQ(votequorum_qdevice_poll(kBogus, "QD", 1, ring), CS_ERR_BAD_HANDLE);
}

TEST_F(FunctionsTest, votequorum_qdevice_master_wins) {
  EXPECT_EQ(votequorum_qdevice_master_wins(h_, "QD", 1), CS_ERR_NOT_EXIST);
  ASSERT_EQ(votequorum_qdevice_register(h_, "QD"), CS_OK);
  EXPECT_EQ(votequorum_qdevice_master_wins(h_, "XX", 1), CS_ERR_INVALID_PARAM);
  EXPECT_EQ(votequorum_qdevice_master_wins(h_, "", 1), CS_ERR_INVALID_PARAM);
  EXPECT_EQ(votequorum_qdevice_master_wins(h_, "QD", 1), CS_OK);
  struct votequorum_info info;
  ASSERT_EQ(votequorum_getinfo(h_, 0, &info), CS_OK);
  EXPECT_EQ(info.flags, unsigned{VOTEQUORUM_INFO_QUORATE | VOTEQUORUM_INFO_QDEVICE_REGISTERED |
                                 VOTEQUORUM_INFO_QDEVICE_MASTER_WINS});
  EXPECT_EQ(votequorum_qdevice_master_wins(kBogus, "QD", 1), CS_ERR_BAD_HANDLE);
}

}  // namespace
}  // namespace quorumsim::api::testing
