// Shared helpers for the engine tests: configurations and the spec's state notation.
#ifndef QUORUMSIM_TESTS_ENGINE_TEST_UTIL_H_
#define QUORUMSIM_TESTS_ENGINE_TEST_UTIL_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "engine/config.h"
#include "engine/output.h"
#include "engine/testing/ring_driver.h"
#include "engine/types.h"

namespace quorumsim::testing {

// Records every effect of one engine, in order, as text (and the broadcasts as values).
class RecordingOutput : public EngineOutput {
 public:
  void Broadcast(const Message& msg) override {
    broadcasts.push_back(msg);
    events.push_back("BCAST " + DescribeMessage(msg));
  }
  void NodelistCallback(ConnId conn, uint64_t context, const RingId& ring,
                        std::span<const NodeId> members) override {
    std::string s = "NODELIST conn=" + std::to_string(conn) + " ctx=" + std::to_string(context) +
                    " ring=" + FormatRingId(ring) + " n=" + std::to_string(members.size());
    events.push_back(s);
  }
  void QuorumCallback(ConnId conn, uint64_t context, bool quorate,
                      std::span<const QuorumNode> nodes) override {
    std::string s = "QUORUM conn=" + std::to_string(conn) + " ctx=" + std::to_string(context) +
                    " quorate=" + std::to_string(quorate) + " nodes=";
    for (const auto& n : nodes) {
      s += std::to_string(n.node_id) + ":" + std::to_string(static_cast<int>(n.state)) + ",";
    }
    events.push_back(s);
  }
  void ExpectedVotesCallback(ConnId conn, uint64_t context, uint32_t expected) override {
    events.push_back("EXPECTED conn=" + std::to_string(conn) + " ctx=" + std::to_string(context) + " " +
                     std::to_string(expected));
  }
  void QdeviceRegisterReply(ConnId conn, CsError result) override {
    events.push_back("REGREPLY conn=" + std::to_string(conn) + " " + CsErrorName(result));
  }
  void QuorumServiceNotify(bool quorate, std::span<const NodeId> members, const RingId& ring) override {
    events.push_back("NOTIFY quorate=" + std::to_string(quorate) + " ring=" + FormatRingId(ring) +
                     " n=" + std::to_string(members.size()));
  }
  void ArmTimer(TimerKind kind, uint64_t delay_ms) override {
    events.push_back("ARM " + std::to_string(static_cast<int>(kind)) + " " + std::to_string(delay_ms));
  }
  void CancelTimer(TimerKind kind) override {
    events.push_back("CANCEL " + std::to_string(static_cast<int>(kind)));
  }

  std::vector<Message> broadcasts;
  std::vector<std::string> events;
};

// nodelist {ids...}, one vote each.
inline VotequorumConfig Nodelist(std::initializer_list<NodeId> ids) {
  VotequorumConfig c;
  for (NodeId id : ids) c.nodelist.push_back({id, std::nullopt});
  return c;
}

// nodelist 1..n, one vote each.
inline VotequorumConfig NodelistN(NodeId n) {
  VotequorumConfig c;
  for (NodeId id = 1; id <= n; ++id) c.nodelist.push_back({id, std::nullopt});
  return c;
}

// nodelist with explicit quorum_votes per node.
inline VotequorumConfig NodelistVotes(std::initializer_list<std::pair<NodeId, uint32_t>> nodes) {
  VotequorumConfig c;
  for (const auto& [id, votes] : nodes) c.nodelist.push_back({id, votes});
  return c;
}

// The spec's getinfo flag names, in bit order, space separated ("" for none).
inline std::string FlagNames(uint32_t flags) {
  static const char* const kNames[] = {"2Node",           "Quorate",      "WaitForAll",
                                       "LastManStanding", "AutoTieBreaker", "AllowDownscale",
                                       "QdeviceRegistered", "QdeviceAlive", "QdeviceCastVote",
                                       "QdeviceMasterWins"};
  std::string s;
  for (int i = 0; i < 10; ++i) {
    if (flags & (1u << i)) {
      if (!s.empty()) s += ' ';
      s += kNames[i];
    }
  }
  return s;
}

// The spec's per-node notation: "Q 2/3/3/3" or "- 2/1/3/3" (quorum/total/expected/highest
// from getinfo(0)), followed by " [flags]".
inline std::string State(RingDriver& d, NodeId id) {
  const VoteInfo i = d.Info(id);
  const bool q = (i.flags & info_flags::kQuorate) != 0;
  return std::string(q ? "Q " : "- ") + std::to_string(i.quorum) + "/" + std::to_string(i.total_votes) +
         "/" + std::to_string(i.node_expected_votes) + "/" + std::to_string(i.highest_expected) + " [" +
         FlagNames(i.flags) + "]";
}

// Configures every id with `config`, starts each (own ring first), then forms one ring.
inline void StartCluster(RingDriver& d, const VotequorumConfig& config, std::initializer_list<NodeId> ids) {
  std::vector<NodeId> all;
  for (NodeId id : ids) {
    d.Configure(id, config);
    (void)d.Start(id);
    all.push_back(id);
  }
  d.FormRing(all);
}

// Members of the ring node `id` is in, plus `joiner` (started first): "node joins".
inline void Join(RingDriver& d, NodeId joiner, std::vector<NodeId> ring) {
  (void)d.Start(joiner);
  ring.push_back(joiner);
  d.FormRing(ring);
}

}  // namespace quorumsim::testing

#endif  // QUORUMSIM_TESTS_ENGINE_TEST_UTIL_H_
