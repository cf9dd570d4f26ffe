#include "sim/corosync_conf.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
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
  EXPECT_NE(st.message().find("0..4294967295"), std::string::npos) << st.message();

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


// Regression tests for issue 7: each case is what corosync 3.1.7 does with the same text
// (checked against `corosync -t` by //tests/sim:conf_table_test).

std::string Node(int id) {
  return "  node {\n    ring0_addr: 10.0.0.1\n    nodeid: " + std::to_string(id) + "\n  }\n";
}

TEST(CorosyncConfIssue7, OneLineNodeSectionIsRejectedWithItsLocation) {
  Status st = Parse("nodelist {\n" + Node(1) + Node(2) + "  node { nodeid: 3 }\n}\n");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("f.conf:10:10: extra characters after '{': 'nodeid: 3 }'"),
            std::string::npos) << st.message();
}

TEST(CorosyncConfIssue7, NoNodesIsLocated) {
  Status st = Parse("totem {\n}\nnodelist {\n}\n");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("f.conf:3:1: the nodelist has no node sections"), std::string::npos)
      << st.message();
  st = Parse("totem {\n}\n");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("f.conf:2:1: no nodelist section"), std::string::npos)
      << st.message();
}

TEST(CorosyncConfIssue7, ByteOrderMarkIsRejectedAsCorosyncDoes) {
  // corosync reads the mark as part of the first section's name, which no key may contain.
  Status st = Parse("\xEF\xBB\xBFquorum {\n  two_node: 1\n}\nnodelist {\n" + Node(1) + "}\n");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("f.conf:2:3: invalid key name '\\xef\\xbb\\xbfquorum.two_node'"),
            std::string::npos) << st.message();
  EXPECT_NE(st.message().find("byte order mark"), std::string::npos) << st.message();
}

TEST(CorosyncConfIssue7, NumbersAsStrtoll) {
  ClusterConfig cfg;
  Status st = ParseCorosyncConf("nodelist {\n  node {\n    nodeid: +3\n  }\n}\n"
                                "quorum {\n  two_node: 007\n}\n", "f", &cfg);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(cfg.votequorum.nodelist[0].node_id, 3u);
  EXPECT_EQ(cfg.votequorum.two_node, 7u);
  st = Parse("nodelist {\n" + Node(1) + "}\nquorum {\n  two_node: 256\n}\n");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("f.conf:8:13: expected an integer in 0..255 for 'quorum.two_node', "
                              "got '256'"), std::string::npos) << st.message();
}

TEST(CorosyncConfIssue7, KnetNodeIdRange) {
  EXPECT_TRUE(Parse("nodelist {\n" + Node(65535) + "}\n").ok());
  Status st = Parse("nodelist {\n" + Node(65536) + "}\n");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("f.conf:4:13: node id 65536 is too large"), std::string::npos)
      << st.message();
  EXPECT_NE(st.message().find("below 65536"), std::string::npos) << st.message();
  st = Parse("nodelist {\n" + Node(4294967295) + "}\n");
  EXPECT_FALSE(st.ok());
  // Other transports have no such limit.
  EXPECT_TRUE(Parse("totem {\n  transport: udpu\n}\nnodelist {\n" + Node(70000) + "}\n").ok());
}

TEST(CorosyncConfIssue7, NestedNodeSectionIsRejected) {
  Status st = Parse("nodelist {\n  node {\n    nodeid: 1\n    node {\n      nodeid: 2\n    }\n"
                    "  }\n}\n");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("f.conf:4:5: section 'node' inside a node section (opened at line 2)"),
            std::string::npos) << st.message();
}

TEST(CorosyncConfIssue7, DeepNestingFailsAtThePathLimit) {
  std::string text;
  for (int i = 0; i < 100000; ++i) text += "a {\n";
  Status st = Parse(text);
  ASSERT_FALSE(st.ok());
  // "a" per level plus a dot: level 128 would make the path 255 characters.
  EXPECT_NE(st.message().find("f.conf:128:1: section 'a' makes its path longer than corosync's "
                              "254-character limit"), std::string::npos) << st.message();
}

TEST(CorosyncConfIssue7, LongLineAndNulByte) {
  std::string ok = "nodelist {\n" + Node(1) + "}\nquorum {\n x: " + std::string(506, 'a') + "\n}\n";
  EXPECT_TRUE(Parse(ok).ok());
  Status st = Parse("nodelist {\n" + Node(1) + "}\nquorum {\n x: " + std::string(507, 'a') +
                    "\n}\n");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("f.conf:8:511: line too long: 511 characters"), std::string::npos)
      << st.message();
  st = Parse(std::string("quorum {\n x: a\0b\n}\n", 18));
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("f.conf:2:6: NUL byte"), std::string::npos) << st.message();
}

TEST(CorosyncConfIssue7, TopLevelKeysAndNameRules) {
  EXPECT_TRUE(Parse("abc: 1\nnodelist {\n" + Node(1) + "}\n").ok());
  Status st = Parse("ab: 1\nnodelist {\n" + Node(1) + "}\n");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("f.conf:1:1: invalid key name 'ab'"), std::string::npos)
      << st.message();
  st = Parse("nodelist {\n" + Node(1) + "}\nquorum {\n my key: 1\n}\n");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("invalid key name 'quorum.my key'"), std::string::npos)
      << st.message();
  // `name: {` is a section for corosync (the colon before the brace is dropped).
  ClusterConfig cfg;
  ASSERT_TRUE(ParseCorosyncConf("nodelist {\n" + Node(1) + "}\nquorum: {\n two_node: 1\n}\n",
                                "f", &cfg).ok());
  EXPECT_EQ(cfg.votequorum.two_node, 1u);
}

TEST(CorosyncConfIssue7, UnknownKeysWarnWithTheNearestKey) {
  ClusterConfig cfg;
  Status st = ParseCorosyncConf(
      "totem {\n  crypto_cipher: aes256\n  tokn: 10\n  interface {\n    knet_foo: 1\n  }\n}\n"
      "nodelist {\n  node {\n    nodeid: 1\n    ring9_addr: x\n  }\n}\n"
      "quorum {\n  two_nodes: 1\n  frobnicate: 1\n  device {\n    anything: 1\n  }\n}\n",
      "f", &cfg);
  ASSERT_TRUE(st.ok()) << st.ToString();
  ASSERT_EQ(cfg.warnings.size(), 4u);
  EXPECT_EQ(cfg.warnings[0], "f:3:3: warning: unknown key 'tokn' in section 'totem' (corosync "
                             "3.1.7 does not use it); did you mean `token`?");
  EXPECT_NE(cfg.warnings[1].find("f:11:5: warning: unknown key 'ring9_addr' in section "
                                 "'nodelist.node'"), std::string::npos) << cfg.warnings[1];
  EXPECT_NE(cfg.warnings[2].find("f:15:3:"), std::string::npos) << cfg.warnings[2];
  EXPECT_NE(cfg.warnings[2].find("did you mean `two_node`?"), std::string::npos);
  EXPECT_EQ(cfg.warnings[3].find("did you mean"), std::string::npos) << cfg.warnings[3];
}

TEST(CorosyncConfIssue7, FilesThatAreNotConfigurations) {
  ClusterConfig cfg;
  Status st = LoadCorosyncConf("/", &cfg);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("cannot read corosync.conf '/': Is a directory"), std::string::npos)
      << st.message();
  st = LoadCorosyncConf("/dev/null/x", &cfg);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("cannot open corosync.conf '/dev/null/x': Not a directory"),
            std::string::npos) << st.message();
  // Reading stops at the size limit instead of exhausting memory.
  st = LoadCorosyncConf("/dev/zero", &cfg);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("'/dev/zero' is larger than 1048576 bytes"), std::string::npos)
      << st.message();
}

}  // namespace
}  // namespace quorumsim
