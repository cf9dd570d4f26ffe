// libcfg on simulated nodes, one test per function (check_api_coverage.sh).
#include <arpa/inet.h>
#include <corosync/cfg.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "api/cpp/binding.hpp"
#include "tests/api/test_util.h"

namespace quorumsim::api::testing {
namespace {

class CfgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_ = StartCluster(3);
    ASSERT_NE(cluster_, nullptr);
    h_ = Open(1);
  }
  void TearDown() override { (void)corosync_cfg_finalize(h_); }
  corosync_cfg_handle_t Open(NodeId node, const corosync_cfg_callbacks_t* cb = nullptr) {
    ScopedBinding bind(*cluster_, node);
    corosync_cfg_handle_t h = 0;
    EXPECT_EQ(corosync_cfg_initialize(&h, cb), CS_OK);
    return h;
  }
  std::unique_ptr<Cluster> cluster_;
  corosync_cfg_handle_t h_ = 0;
};

std::vector<std::string>& Calls() {
  static std::vector<std::string> calls;
  return calls;
}
void OnShutdown(corosync_cfg_handle_t, corosync_cfg_shutdown_flags_t flags) {
  Calls().push_back("shutdown " + std::to_string(flags));
}

TEST_F(CfgTest, corosync_cfg_initialize) {
  corosync_cfg_handle_t h = 0;
  EXPECT_EQ(corosync_cfg_initialize(nullptr, nullptr), CS_ERR_INVALID_PARAM);
  EXPECT_EQ(corosync_cfg_initialize(&h, nullptr), CS_ERR_LIBRARY);  // no binding
  ASSERT_TRUE(cluster_->Pause(std::vector<NodeId>{2}).ok());
  ScopedBinding bind(*cluster_, 2);
  EXPECT_EQ(corosync_cfg_initialize(&h, nullptr), CS_ERR_TRY_AGAIN);
}

TEST_F(CfgTest, corosync_cfg_finalize) {
  EXPECT_EQ(corosync_cfg_finalize(h_), CS_OK);
  EXPECT_EQ(corosync_cfg_finalize(h_), CS_ERR_BAD_HANDLE);
}

TEST_F(CfgTest, corosync_cfg_fd_get) {
  int32_t fd = -1;
  EXPECT_EQ(corosync_cfg_fd_get(h_, nullptr), CS_ERR_INVALID_PARAM);
  EXPECT_EQ(corosync_cfg_fd_get(h_, &fd), CS_OK);
  EXPECT_GE(fd, 0);
  EXPECT_EQ(corosync_cfg_fd_get(h_ + 99, &fd), CS_ERR_BAD_HANDLE);
}

TEST_F(CfgTest, corosync_cfg_dispatch) {
  EXPECT_EQ(corosync_cfg_dispatch(h_, static_cast<cs_dispatch_flags_t>(9)), CS_ERR_INVALID_PARAM);
  EXPECT_EQ(corosync_cfg_dispatch(h_, CS_DISPATCH_ALL), CS_OK);
  EXPECT_EQ(corosync_cfg_dispatch(h_, CS_DISPATCH_ONE_NONBLOCKING), CS_ERR_TRY_AGAIN);
}

TEST_F(CfgTest, corosync_cfg_local_get) {
  unsigned int id = 0;
  ASSERT_EQ(corosync_cfg_local_get(h_, &id), CS_OK);
  EXPECT_EQ(id, 1u);
  EXPECT_EQ(corosync_cfg_local_get(h_, nullptr), CS_ERR_INVALID_PARAM);
  corosync_cfg_handle_t h3 = Open(3);
  ASSERT_EQ(corosync_cfg_local_get(h3, &id), CS_OK);
  EXPECT_EQ(id, 3u);
  ASSERT_TRUE(cluster_->Crash(std::vector<NodeId>{3}).ok());
  EXPECT_EQ(corosync_cfg_local_get(h3, &id), CS_ERR_LIBRARY);
  EXPECT_EQ(corosync_cfg_finalize(h3), CS_OK);
}

TEST_F(CfgTest, corosync_cfg_get_node_addrs) {
  corosync_cfg_node_address_t addrs[4];
  int n = 0;
  ASSERT_EQ(corosync_cfg_get_node_addrs(h_, 2, 4, &n, addrs), CS_OK);
  ASSERT_EQ(n, 1);
  const auto* in = reinterpret_cast<const sockaddr_in*>(addrs[0].address);
  char text[INET_ADDRSTRLEN];
  EXPECT_EQ(in->sin_family, AF_INET);
  EXPECT_EQ(addrs[0].address_length, static_cast<int>(sizeof(sockaddr_in)));
  EXPECT_STREQ(inet_ntop(AF_INET, &in->sin_addr, text, sizeof text), "192.0.2.2");
  ASSERT_EQ(corosync_cfg_get_node_addrs(h_, 0, 4, &n, addrs), CS_OK);  // 0: this node
  EXPECT_STREQ(inet_ntop(AF_INET, &in->sin_addr, text, sizeof text), "192.0.2.1");
  EXPECT_EQ(corosync_cfg_get_node_addrs(h_, 9, 4, &n, addrs), CS_ERR_NOT_EXIST);
  EXPECT_EQ(n, 0);
  EXPECT_EQ(corosync_cfg_get_node_addrs(h_, 2, 4, nullptr, addrs), CS_ERR_INVALID_PARAM);
}

TEST_F(CfgTest, corosync_cfg_node_status_get) {
  corosync_cfg_node_status_v1 st{};
  ASSERT_EQ(corosync_cfg_node_status_get(h_, 3, CFG_NODE_STATUS_V1, &st), CS_OK);
  EXPECT_EQ(st.nodeid, 3u);
  EXPECT_EQ(st.reachable, 1);
  EXPECT_EQ(st.remote, 1);
  EXPECT_EQ(st.link_status[0].enabled, 1);
  EXPECT_EQ(st.link_status[0].connected, 1);
  ASSERT_TRUE(cluster_->Split({{1, 2}, {3}}).ok());
  ASSERT_EQ(corosync_cfg_node_status_get(h_, 3, CFG_NODE_STATUS_V1, &st), CS_OK);
  EXPECT_EQ(st.reachable, 0);
  EXPECT_EQ(st.link_status[0].connected, 0);
  ASSERT_EQ(corosync_cfg_node_status_get(h_, 1, CFG_NODE_STATUS_V1, &st), CS_OK);
  EXPECT_EQ(st.remote, 0);
  EXPECT_EQ(st.reachable, 1);
  EXPECT_EQ(corosync_cfg_node_status_get(h_, 1, static_cast<corosync_cfg_node_status_version_t>(2), &st),
            CS_ERR_INVALID_PARAM);
  EXPECT_EQ(corosync_cfg_node_status_get(h_, 9, CFG_NODE_STATUS_V1, &st), CS_ERR_NOT_EXIST);
}

TEST_F(CfgTest, corosync_cfg_kill_node) {
  ASSERT_EQ(corosync_cfg_kill_node(h_, 3, "test"), CS_OK);
  EXPECT_FALSE(cluster_->IsUp(3));
  // Only a member of the caller's ring hears the request.
  ASSERT_TRUE(cluster_->Split({{1}, {2}}).ok());
  ASSERT_TRUE(cluster_->Settle().ok());
  ASSERT_EQ(corosync_cfg_kill_node(h_, 2, "test"), CS_OK);
  EXPECT_TRUE(cluster_->IsUp(2));
}

TEST_F(CfgTest, corosync_cfg_trackstart) {
  corosync_cfg_callbacks_t cb{&OnShutdown};
  corosync_cfg_handle_t watcher = Open(1, &cb);
  ASSERT_EQ(corosync_cfg_trackstart(watcher, 0), CS_OK);
  Calls().clear();
  ASSERT_EQ(corosync_cfg_try_shutdown(h_, COROSYNC_CFG_SHUTDOWN_FLAG_REGARDLESS), CS_OK);
  // The node is leaving (its last messages still travel); the callback is already queued.
  ASSERT_EQ(corosync_cfg_dispatch(watcher, CS_DISPATCH_ALL), CS_OK);
  EXPECT_EQ(Calls(), (std::vector<std::string>{"shutdown 1"}));
  ASSERT_TRUE(cluster_->Settle().ok());
  EXPECT_EQ(corosync_cfg_dispatch(watcher, CS_DISPATCH_ALL), CS_ERR_LIBRARY);  // daemon gone
  EXPECT_EQ(corosync_cfg_finalize(watcher), CS_OK);
}

TEST_F(CfgTest, corosync_cfg_trackstop) {
  corosync_cfg_callbacks_t cb{&OnShutdown};
  corosync_cfg_handle_t watcher = Open(1, &cb);
  ASSERT_EQ(corosync_cfg_trackstart(watcher, 0), CS_OK);
  ASSERT_EQ(corosync_cfg_trackstop(watcher), CS_OK);
  Calls().clear();
  ASSERT_EQ(corosync_cfg_try_shutdown(h_, COROSYNC_CFG_SHUTDOWN_FLAG_REQUEST), CS_OK);
  EXPECT_EQ(corosync_cfg_dispatch(watcher, CS_DISPATCH_ALL), CS_OK);
  EXPECT_TRUE(Calls().empty());
  EXPECT_EQ(corosync_cfg_finalize(watcher), CS_OK);
}

TEST_F(CfgTest, corosync_cfg_try_shutdown) {
  ASSERT_EQ(corosync_cfg_try_shutdown(h_, COROSYNC_CFG_SHUTDOWN_FLAG_IMMEDIATE), CS_OK);
  ASSERT_TRUE(cluster_->Settle().ok());
  EXPECT_FALSE(cluster_->IsUp(1));
  // A clean leave: the others re-form without it and stay quorate.
  EXPECT_EQ(cluster_->Node(2).engine_members, (std::vector<NodeId>{2, 3}));
  EXPECT_TRUE(cluster_->Node(2).quorate);
  unsigned int id = 0;
  EXPECT_EQ(corosync_cfg_local_get(h_, &id), CS_ERR_LIBRARY);
}

TEST_F(CfgTest, corosync_cfg_replyto_shutdown) {
  EXPECT_EQ(corosync_cfg_replyto_shutdown(h_, COROSYNC_CFG_SHUTDOWN_FLAG_YES), CS_ERR_NOT_SUPPORTED);
  EXPECT_EQ(corosync_cfg_replyto_shutdown(h_ + 99, COROSYNC_CFG_SHUTDOWN_FLAG_YES), CS_ERR_BAD_HANDLE);
}

TEST_F(CfgTest, corosync_cfg_ring_status_get) {
  char** names = nullptr;
  char** status = nullptr;
  unsigned int count = 0;
  EXPECT_EQ(corosync_cfg_ring_status_get(h_, &names, &status, &count), CS_ERR_NOT_SUPPORTED);
}

TEST_F(CfgTest, corosync_cfg_reload_config) {
  EXPECT_EQ(corosync_cfg_reload_config(h_), CS_ERR_NOT_SUPPORTED);
}

TEST_F(CfgTest, corosync_cfg_reopen_log_files) {
  EXPECT_EQ(corosync_cfg_reopen_log_files(h_), CS_ERR_NOT_SUPPORTED);
}

}  // namespace
}  // namespace quorumsim::api::testing
