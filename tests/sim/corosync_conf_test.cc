#include "sim/corosync_conf.h"

#include <string>

#include "gtest/gtest.h"

namespace quorumsim {
namespace {

std::string Nodes(int n) {
  std::string s = "nodelist {\n";
  for (int i = 1; i <= n; ++i) {
    s += "  node {\n    ring0_addr: 10.0.0." + std::to_string(i) + "\n    nodeid: " +
         std::to_string(i) + "\n  }\n";
  }
  return s + "}\n";
}

TEST(CorosyncConf, ParsesSections) {
  const char* text =
      "# comment\n"
      "totem {\n  version: 2\n  token: 1000\n  token_coefficient: 0\n  interface {\n    linknumber: 0\n  }\n}\n"
      "nodelist {\n  node {\n    nodeid: 3\n    quorum_votes: 2\n  }\n  node {\n    nodeid: 1\n  }\n}\n"
      "quorum {\n  provider: corosync_votequorum\n  two_node: 1\n  auto_tie_breaker_node: 1 3\n"
      "  device {\n    model: net\n    votes: 1\n    timeout: 5000\n    net {\n      host: x\n    }\n  }\n}\n";
  ClusterConfig cfg;
  Status st = ParseCorosyncConf(text, "c.conf", &cfg);
  ASSERT_TRUE(st.ok()) << st.ToString();
  ASSERT_EQ(cfg.votequorum.nodelist.size(), 2u);
  EXPECT_EQ(cfg.votequorum.nodelist[0].node_id, 3u);
  EXPECT_EQ(cfg.votequorum.nodelist[0].quorum_votes, 2u);
  EXPECT_FALSE(cfg.votequorum.nodelist[1].quorum_votes.has_value());
  EXPECT_EQ(cfg.votequorum.two_node, 1u);
  EXPECT_EQ(cfg.votequorum.auto_tie_breaker_node, "1 3");
  EXPECT_EQ(cfg.votequorum.device_model, "net");
  EXPECT_EQ(cfg.votequorum.device_timeout, 5000u);
  EXPECT_EQ(cfg.totem.token, 1000u);
  EXPECT_EQ(cfg.totem.TokenTimeoutMs(2), 1000u);
  EXPECT_EQ(cfg.totem.ConsensusMs(2), 1200u);
}

TEST(CorosyncConf, DefaultTiming) {
  TotemConfig t;
  EXPECT_EQ(t.TokenTimeoutMs(2), 3000u);
  EXPECT_EQ(t.TokenTimeoutMs(3), 3650u);
  EXPECT_EQ(t.TokenTimeoutMs(5), 4950u);
  EXPECT_EQ(t.ConsensusMs(3), 4380u);
  t.consensus = 7000;
  EXPECT_EQ(t.ConsensusMs(3), 7000u);
}

Status Parse(const std::string& text) {
  ClusterConfig cfg;
  return ParseCorosyncConf(text, "f.conf", &cfg);
}

TEST(CorosyncConf, ErrorsNameFileLineColumn) {
  Status st = Parse("quorum {\n  expected_votes: x3\n}\n");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("f.conf:2:19:"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("unsigned"), std::string::npos) << st.message();

  st = Parse("quorum {\n  two_node 1\n}\n");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("f.conf:2:3:"), std::string::npos) << st.message();

  st = Parse("quorum {\n");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("expected '}'"), std::string::npos) << st.message();

  st = Parse("}\n");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("f.conf:1:1:"), std::string::npos) << st.message();

  st = Parse("nodelist {\n  node {\n    nodeid: 99999999999\n  }\n}\n");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("f.conf:3:13:"), std::string::npos) << st.message();

  st = Parse("nodelist {\n  node {\n    ring0_addr: a\n  }\n}\n");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("f.conf:2:1:"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("nodeid"), std::string::npos) << st.message();

  st = Parse("nodelist {\n  node {\n    nodeid: 0\n  }\n}\n");
  ASSERT_FALSE(st.ok());
}

TEST(CorosyncConf, DuplicateNodeId) {
  Status st = Parse("nodelist {\n  node {\n    nodeid: 1\n  }\n  node {\n    nodeid: 1\n  }\n}\n");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("f.conf:6:13: duplicate node id 1"), std::string::npos) << st.message();
}

TEST(CorosyncConf, NodeLimit) {
  ClusterConfig cfg;
  EXPECT_TRUE(ParseCorosyncConf(Nodes(384), "f", &cfg).ok());
  EXPECT_EQ(cfg.votequorum.nodelist.size(), 384u);
  Status st = ParseCorosyncConf(Nodes(385), "f", &cfg);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("384"), std::string::npos) << st.message();
}

TEST(CorosyncConf, MissingFile) {
  ClusterConfig cfg;
  Status st = LoadCorosyncConf("/nonexistent/dir/corosync.conf", &cfg);
  EXPECT_FALSE(st.ok());
}

}  // namespace
}  // namespace quorumsim
