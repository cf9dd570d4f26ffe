// sim/cmap_tree.h: typed values, the configuration map corosync 3.1.7 builds from a
// corosync.conf, and the runtime keys. Expected values are those a real corosync 3.1.7
// holds for the same file (tests/sim/cmap_real_daemon_test.sh checks whole maps against the
// daemon; these pin the individual rules).
#include "sim/cmap_tree.h"

#include <string>
#include <vector>

#include "engine/engine.h"
#include "engine/testing/ring_driver.h"
#include "gtest/gtest.h"

namespace quorumsim {
namespace {

const char kThreeNodes[] =
    "totem {\n"
    "  version: 2\n"
    "  cluster_name: three\n"
    "  config_version: 12\n"
    "}\n"
    "logging {\n"
    "  to_syslog: no\n"
    "  logger_subsys {\n"
    "    subsys: QUORUM\n"
    "    debug: on\n"
    "    debug: off\n"
    "  }\n"
    "}\n"
    "quorum {\n"
    "  provider: corosync_votequorum\n"
    "  wait_for_all: 1\n"
    "}\n"
    "nodelist {\n"
    "  node {\n    ring0_addr: 10.0.0.1\n    nodeid: 1\n    name: one\n  }\n"
    "  node {\n    ring0_addr: 10.0.0.2\n    nodeid: 2\n    quorum_votes: 2\n  }\n"
    "  node {\n    ring0_addr: 10.0.0.3\n    nodeid: 3\n  }\n"
    "}\n";

ClusterConfig Parse(const std::string& text) {
  ClusterConfig config;
  Status st = ParseCorosyncConf(text, "test.conf", &config);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return config;
}

CmapEntries Build(const std::string& text, NodeId local) {
  CmapEntries map;
  Status st = BuildConfigCmap(Parse(text), local, &map);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return map;
}

std::string TypeOf(const CmapEntries& map, const std::string& key) {
  auto it = map.find(key);
  return it == map.end() ? "absent" : CmapTypeName(it->second.type);
}

TEST(CmapValues, StoredAsIcmapHoldsThem) {
  EXPECT_EQ(CmapU8(7).type, CmapType::kUint8);
  EXPECT_EQ(CmapU8(7).bytes, std::string(1, '\7'));
  EXPECT_EQ(CmapU32(0x01020304).bytes.size(), 4u);
  EXPECT_EQ(CmapU64(1).bytes.size(), 8u);
  EXPECT_EQ(CmapDouble(0).bytes.size(), 8u);
  // Strings keep their terminating NUL, and stop at an embedded one (strlen).
  EXPECT_EQ(CmapStr("no").bytes, std::string("no\0", 3));
  EXPECT_EQ(CmapStr(std::string("a\0b", 3)).bytes, std::string("a\0", 2));
  EXPECT_EQ(CmapBinary(std::string("a\0b", 3)).bytes.size(), 3u);
  EXPECT_EQ(static_cast<int>(CmapType::kInt8), 1);
  EXPECT_EQ(static_cast<int>(CmapType::kString), 11);
  EXPECT_EQ(static_cast<int>(CmapType::kBinary), 12);
}

TEST(CmapValues, TypedReadsNeedTheExactType) {
  CmapEntries m = {{"a.u8", CmapU8(3)}, {"a.u32", CmapU32(300)}, {"a.str", CmapStr("x")}};
  EXPECT_EQ(CmapGetU8(m, "a.u8"), 3);
  EXPECT_EQ(CmapGetU32(m, "a.u8"), std::nullopt);
  EXPECT_EQ(CmapGetU32(m, "a.u32"), 300u);
  EXPECT_EQ(CmapGetString(m, "a.str"), "x");
  EXPECT_EQ(CmapGetString(m, "a.u32"), std::nullopt);
  EXPECT_EQ(CmapGetU64(m, "missing"), std::nullopt);
}

TEST(CmapValues, KeyNamesAndTypeNames) {
  EXPECT_TRUE(CmapValidKeyName("abc"));
  EXPECT_TRUE(CmapValidKeyName("a-b_c/d:e.f"));
  EXPECT_FALSE(CmapValidKeyName("ab"));
  EXPECT_FALSE(CmapValidKeyName("a b c"));
  EXPECT_FALSE(CmapValidKeyName(std::string(256, 'a')));
  EXPECT_STREQ(CmapTypeName(CmapType::kUint16), "u16");
  EXPECT_STREQ(CmapTypeName(CmapType::kDouble), "dbl");
  EXPECT_STREQ(CmapTypeName(CmapType::kString), "str");
}

TEST(CmapConfig, FlattensAThreeNodeConf) {
  CmapEntries m = Build(kThreeNodes, 2);
  EXPECT_EQ(CmapGetU32(m, "totem.version"), 2u);
  EXPECT_EQ(CmapGetString(m, "totem.cluster_name"), "three");
  EXPECT_EQ(CmapGetU64(m, "totem.config_version"), 12u);
  EXPECT_EQ(CmapGetString(m, "logging.to_syslog"), "no");
  EXPECT_EQ(CmapGetString(m, "quorum.provider"), "corosync_votequorum");
  EXPECT_EQ(CmapGetU8(m, "quorum.wait_for_all"), 1);
  EXPECT_EQ(CmapGetU32(m, "nodelist.node.0.nodeid"), 1u);
  EXPECT_EQ(CmapGetString(m, "nodelist.node.0.name"), "one");
  EXPECT_EQ(CmapGetString(m, "nodelist.node.1.ring0_addr"), "10.0.0.2");
  EXPECT_EQ(CmapGetU32(m, "nodelist.node.1.quorum_votes"), 2u);
  EXPECT_EQ(CmapGetU32(m, "nodelist.node.2.nodeid"), 3u);
  EXPECT_EQ(TypeOf(m, "nodelist.node.2.quorum_votes"), "absent");
  // The section keys themselves are never stored.
  EXPECT_EQ(TypeOf(m, "nodelist.node"), "absent");
  EXPECT_EQ(TypeOf(m, "totem"), "absent");
}

TEST(CmapConfig, LoggerSubsysKeepsTheFirstOfTwoEqualKeys) {
  CmapEntries m = Build(kThreeNodes, 1);
  EXPECT_EQ(CmapGetString(m, "logging.logger_subsys.QUORUM.debug"), "on");
  EXPECT_EQ(CmapGetString(m, "logging.logger_subsys.QUORUM.subsys"), "QUORUM");
}

TEST(CmapConfig, LocalNodePosAndBindAddressFollowTheNode) {
  for (NodeId id : {1u, 2u, 3u}) {
    CmapEntries m = Build(kThreeNodes, id);
    EXPECT_EQ(CmapGetU32(m, "nodelist.local_node_pos"), id - 1) << id;
    EXPECT_EQ(CmapGetString(m, "totem.interface.0.bindnetaddr"), "10.0.0." + std::to_string(id));
  }
}

TEST(CmapConfig, TotemTimingAsCorosyncComputesIt) {
  CmapEntries m = Build(kThreeNodes, 1);
  // token 3000 + (3 nodes - 2) * token_coefficient 650; consensus 1.2 * token.
  EXPECT_EQ(CmapGetU32(m, "runtime.config.totem.token"), 3650u);
  EXPECT_EQ(CmapGetU32(m, "runtime.config.totem.consensus"), 4380u);
  EXPECT_EQ(CmapGetU32(m, "runtime.config.totem.token_retransmit"), 869u);  // 3650 / 4.2
  EXPECT_EQ(CmapGetU32(m, "runtime.config.totem.hold"), 685u);              // 869 * 0.8 - 10
  EXPECT_EQ(CmapGetU32(m, "runtime.config.totem.join"), 50u);
  EXPECT_EQ(CmapGetU32(m, "runtime.config.totem.merge"), 200u);
  EXPECT_EQ(CmapGetU32(m, "runtime.config.totem.block_unlisted_ips"), 1u);
  EXPECT_EQ(CmapGetI32(m, "runtime.config.totem.knet_compression_level"), 0);
  EXPECT_EQ(CmapGetString(m, "runtime.config.totem.knet_compression_model"), "none");
  EXPECT_EQ(CmapGetU32(m, "runtime.config.totem.interface.0.knet_ping_timeout"), 1825u);
  EXPECT_EQ(CmapGetU32(m, "runtime.config.totem.interface.0.knet_ping_interval"), 912u);
  // The configured value is kept as written next to the computed one.
  CmapEntries two = Build(
      "totem {\n  version: 2\n  token: 0\n  token_warning: 0\n}\n"
      "nodelist {\n  node {\n    ring0_addr: 10.0.0.1\n    nodeid: 1\n  }\n}\n",
      1);
  EXPECT_EQ(CmapGetU32(two, "totem.token"), 0u);
  EXPECT_EQ(CmapGetU32(two, "runtime.config.totem.token"), 3000u);  // 0 means the default
  EXPECT_EQ(CmapGetU32(two, "runtime.config.totem.token_warning"), 0u);  // 0 allowed here
}

TEST(CmapConfig, StartUpKeysOfTheServices) {
  CmapEntries m = Build(kThreeNodes, 1);
  EXPECT_EQ(CmapGetString(m, "internal_configuration.service.5.name"), "corosync_votequorum");
  EXPECT_EQ(CmapGetU32(m, "internal_configuration.service.5.ver"), 0u);
  EXPECT_EQ(CmapGetString(m, "runtime.blackbox.dump_state"), "no");
  EXPECT_EQ(CmapGetString(m, "runtime.force_gather"), "no");
  EXPECT_EQ(CmapGetU32(m, "resources.watchdog_timeout"), 6u);
  EXPECT_EQ(CmapGetI32(m, "resources.system.memory_used.current"), 0);
  EXPECT_EQ(CmapGetDouble(m, "resources.system.load_15min.current"), 0.0);
  EXPECT_EQ(CmapGetString(m, "resources.system.load_15min.state"), "stopped");
  EXPECT_EQ(CmapGetU64(m, "resources.system.load_15min.poll_period"), 3000u);
  // Counters of the real daemon's services are not simulated.
  EXPECT_EQ(m.lower_bound("runtime.services.")->first.rfind("runtime.services.", 0),
            std::string::npos);
}

TEST(CmapConfig, InterfaceSectionGoesUnderItsLinkNumber) {
  CmapEntries m = Build(
      "totem {\n  version: 2\n  transport: udpu\n  interface {\n    linknumber: 1\n"
      "    mcastport: 6000\n    knet_pong_count: 4\n    member {\n      memberaddr: a1\n"
      "    }\n    member {\n      memberaddr: a2\n    }\n  }\n}\n"
      "nodelist {\n  node {\n    ring0_addr: 10.0.0.1\n    nodeid: 1\n  }\n}\n",
      1);
  EXPECT_EQ(CmapGetU16(m, "totem.interface.1.mcastport"), 6000);
  EXPECT_EQ(CmapGetU32(m, "totem.interface.1.knet_pong_count"), 4u);
  EXPECT_EQ(TypeOf(m, "totem.interface.linknumber"), "absent");
  // coroparse's member list is written last-first.
  EXPECT_EQ(CmapGetString(m, "totem.interface.1.member.0"), "a2");
  EXPECT_EQ(CmapGetString(m, "totem.interface.1.member.1"), "a1");
  EXPECT_EQ(CmapGetU32(m, "runtime.config.totem.interface.1.knet_ping_timeout"), 750u);
}

TEST(CmapConfig, RefusesWhatCorosyncCannotStart) {
  CmapEntries m;
  EXPECT_EQ(BuildConfigCmap(ClusterConfig{}, 1, &m).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(BuildConfigCmap(Parse(kThreeNodes), 9, &m).code(), Status::Code::kNotFound);
  EXPECT_TRUE(m.empty());
  const std::string node = "nodelist {\n  node {\n    ring0_addr: 10.0.0.1\n    nodeid: 1\n  }\n}\n";
  EXPECT_FALSE(BuildConfigCmap(Parse("totem {\n  transport: ib\n}\n" + node), 1, &m).ok());
  // A link number above 7 is refused once the section stores a key under it.
  const std::string link8 = "totem {\n  interface {\n    linknumber: 8\n";
  EXPECT_TRUE(BuildConfigCmap(Parse(link8 + "  }\n}\n" + node), 1, &m).ok());
  EXPECT_FALSE(
      BuildConfigCmap(Parse(link8 + "    knet_pong_count: 3\n  }\n}\n" + node), 1, &m).ok());
  // A logger_subsys whose subsys makes an invalid key name cannot be stored.
  EXPECT_FALSE(BuildConfigCmap(
                   Parse("logging {\n  logger_subsys {\n    subsys: A B\n  }\n}\n" + node), 1, &m)
                   .ok());
}

TEST(CmapOrder, PlainByteOrderOfKeyNames) {
  std::string nodes = "nodelist {\n";
  for (int i = 1; i <= 11; ++i) {
    nodes += "  node {\n    ring0_addr: 10.0.0." + std::to_string(i) + "\n    nodeid: " +
             std::to_string(i) + "\n  }\n";
  }
  CmapEntries m = Build("totem {\n  version: 2\n}\n" + nodes + "}\n", 1);
  std::vector<std::string> keys;
  for (const auto& [k, v] : m) {
    if (k.rfind("nodelist.", 0) == 0) keys.push_back(k);
  }
  // libqb's trie walks children in byte order and a key before its extensions.
  ASSERT_GE(keys.size(), 4u);
  EXPECT_EQ(keys[0], "nodelist.local_node_pos");
  EXPECT_EQ(keys[1], "nodelist.node.0.nodeid");
  EXPECT_EQ(keys[2], "nodelist.node.0.ring0_addr");
  EXPECT_EQ(keys[3], "nodelist.node.1.nodeid");
  EXPECT_EQ(keys[5], "nodelist.node.10.nodeid");  // "10." sorts before "2."
  EXPECT_LT(std::string("runtime.config.totem.token"),
            std::string("runtime.config.totem.token_retransmit"));
}

// A three-node cluster formed by the engine test driver, and the map of node `id`.
class CmapRuntime : public ::testing::Test {
 protected:
  void SetUp() override {
    config_ = Parse(kThreeNodes);
    for (NodeId id : {1u, 2u, 3u}) driver_.Configure(id, config_.votequorum);
    for (NodeId id : {1u, 2u, 3u}) ASSERT_TRUE(driver_.Start(id).ok());
    driver_.FormRing({1, 2, 3});
    ASSERT_TRUE(BuildConfigCmap(config_, 1, &map_).ok());
    CmapApplyRingChange(map_, {}, std::vector<NodeId>{1}, &in_.members);
    CmapApplyRingChange(map_, std::vector<NodeId>{1}, std::vector<NodeId>{1, 2, 3},
                        &in_.members);
    in_.local = 1;
  }
  void Refresh() {
    in_.votequorum = driver_.engine(1).cmap_keys();
    SetRuntimeCmap(in_, &map_);
  }

  ClusterConfig config_;
  testing::RingDriver driver_;
  CmapEntries map_;
  CmapRuntimeInput in_;
};

TEST_F(CmapRuntime, KeysOfARunningNode) {
  Refresh();
  EXPECT_EQ(CmapGetU32(map_, "runtime.votequorum.this_node_id"), 1u);
  EXPECT_EQ(CmapGetU8(map_, "runtime.votequorum.two_node"), 0);
  EXPECT_EQ(CmapGetU32(map_, "runtime.votequorum.ev_barrier"), 4u);  // votes 1 + 2 + 1
  EXPECT_EQ(CmapGetU8(map_, "runtime.votequorum.wait_for_all_status"), 0);  // all came
  EXPECT_EQ(CmapGetU32(map_, "runtime.votequorum.lowest_node_id"), 1u);
  EXPECT_EQ(CmapGetU32(map_, "runtime.votequorum.highest_node_id"), 3u);
  EXPECT_EQ(TypeOf(map_, "runtime.votequorum.atb_type"), "absent");
  EXPECT_EQ(TypeOf(map_, "runtime.votequorum.qdevice_can_operate"), "absent");
  EXPECT_EQ(TypeOf(map_, "runtime.votequorum.ev_tracking_barrier"), "absent");
  for (NodeId id : {1u, 2u, 3u}) {
    const std::string base = "runtime.members." + std::to_string(id) + ".";
    EXPECT_EQ(CmapGetString(map_, base + "ip"), "r(0) ip(10.0.0." + std::to_string(id) + ") ");
    EXPECT_EQ(CmapGetU32(map_, base + "join_count"), 1u);
    EXPECT_EQ(CmapGetString(map_, base + "status"), "joined");
    EXPECT_EQ(CmapGetU64(map_, base + "config_version"), 12u);
  }
}

TEST_F(CmapRuntime, AMemberLeavesAndComesBack) {
  driver_.Crash({3});
  CmapApplyRingChange(map_, std::vector<NodeId>{1, 2, 3}, std::vector<NodeId>{1, 2}, &in_.members);
  Refresh();
  EXPECT_EQ(CmapGetString(map_, "runtime.members.3.status"), "left");
  EXPECT_EQ(CmapGetU32(map_, "runtime.members.3.join_count"), 1u);
  EXPECT_EQ(CmapGetString(map_, "runtime.members.3.ip"), "r(0) ip(10.0.0.3) ");
  EXPECT_EQ(CmapGetString(map_, "runtime.members.2.status"), "joined");
  // Nodes 1 and 2 (2 + 1 votes of 4) stay quorate; the ids seen while quorate follow.
  EXPECT_EQ(CmapGetU32(map_, "runtime.votequorum.highest_node_id"), 2u);

  ASSERT_TRUE(driver_.Start(3).ok());
  driver_.FormRing({1, 2, 3});
  CmapApplyRingChange(map_, std::vector<NodeId>{1, 2}, std::vector<NodeId>{1, 2, 3}, &in_.members);
  Refresh();
  EXPECT_EQ(CmapGetString(map_, "runtime.members.3.status"), "joined");
  EXPECT_EQ(CmapGetU32(map_, "runtime.members.3.join_count"), 2u);
  EXPECT_EQ(CmapGetU32(map_, "runtime.members.1.join_count"), 1u);
}

TEST_F(CmapRuntime, SetRuntimeCmapReplacesOnlyRuntimeKeys) {
  map_["runtime.votequorum.stale"] = CmapU8(1);
  map_["runtime.members.99.status"] = CmapStr("joined");
  const CmapEntries before = map_;
  Refresh();
  EXPECT_EQ(TypeOf(map_, "runtime.votequorum.stale"), "absent");
  EXPECT_EQ(TypeOf(map_, "runtime.members.99.status"), "absent");
  for (const auto& [k, v] : before) {
    if (k.rfind("runtime.votequorum.", 0) == 0 || k.rfind("runtime.members.", 0) == 0) continue;
    EXPECT_EQ(map_.at(k), v) << k;
  }
}

TEST(CmapRuntimeKeys, WrittenOnlyWhenVotequorumWritesThem) {
  const std::string nodes =
      "nodelist {\n  node {\n    ring0_addr: 10.0.0.1\n    nodeid: 1\n  }\n"
      "  node {\n    ring0_addr: 10.0.0.2\n    nodeid: 2\n  }\n}\n";
  ClusterConfig atb = Parse(
      "quorum {\n  provider: corosync_votequorum\n  auto_tie_breaker: 1\n  "
      "expected_votes_tracking: 1\n}\n" + nodes);
  testing::RingDriver d1;
  d1.Configure(1, atb.votequorum);
  ASSERT_TRUE(d1.Start(1).ok());
  VotequorumCmapKeys k = d1.engine(1).cmap_keys();
  EXPECT_EQ(k.atb_type, 1u);  // lowest
  EXPECT_EQ(k.ev_tracking_barrier, 2u);
  EXPECT_EQ(k.wait_for_all_status, std::nullopt);
  EXPECT_EQ(k.lowest_node_id, std::nullopt);  // never quorate by votes (1 of 2)

  ClusterConfig dev = Parse(
      "quorum {\n  provider: corosync_votequorum\n  device {\n    model: net\n    votes: 1\n"
      "  }\n}\n" + nodes);
  testing::RingDriver d2;
  d2.Configure(1, dev.votequorum);
  ASSERT_TRUE(d2.Start(1).ok());
  k = d2.engine(1).cmap_keys();
  EXPECT_EQ(k.qdevice_can_operate, 1);
  EXPECT_EQ(k.qdevice_master_wins, std::nullopt);
  ASSERT_EQ(d2.QdeviceStart(1, "Qdevice", true), CsError::kOk);
  ASSERT_EQ(d2.engine(1).QdeviceMasterWins("Qdevice", true), CsError::kOk);
  EXPECT_EQ(d2.engine(1).cmap_keys().qdevice_master_wins, 1);

  // Without auto_tie_breaker or wait_for_all, a runtime re-read writes atb_type and a
  // cancel of wait_for_all writes its status (both seen on a real corosync 3.1.7).
  ClusterConfig plain = Parse("quorum {\n  provider: corosync_votequorum\n}\n" + nodes);
  testing::RingDriver d3;
  d3.Configure(1, plain.votequorum);
  ASSERT_TRUE(d3.Start(1).ok());
  EXPECT_EQ(d3.engine(1).cmap_keys().atb_type, std::nullopt);
  EXPECT_EQ(d3.engine(1).cmap_keys().wait_for_all_status, std::nullopt);
  ASSERT_TRUE(d3.Call(1, [&](Engine& e) { return e.Reload(plain.votequorum); }).ok());
  EXPECT_EQ(d3.engine(1).cmap_keys().atb_type, 0u);
  d3.CancelWaitForAll(1);
  EXPECT_EQ(d3.engine(1).cmap_keys().wait_for_all_status, 0);
}

}  // namespace
}  // namespace quorumsim
