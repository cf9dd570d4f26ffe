// cmap_dump CONF NODEID: the configuration map quorumsim computes for node NODEID of CONF,
// right after that node started alone and formed its one-node ring, printed exactly as
// `corosync-cmapctl` (no arguments) prints a real daemon's map: one "KEY (TYPE) = VALUE" line
// per key, in iteration order. Used by cmap_real_daemon_test.sh.
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <deque>
#include <string>

#include "engine/engine.h"
#include "sim/cmap_tree.h"
#include "sim/corosync_conf.h"

namespace quorumsim {
namespace {

// The engine's world for a node that is alone: its broadcasts come back to it in order.
class LoopbackOutput : public EngineOutput {
 public:
  void Broadcast(const Message& msg) override { queue.push_back(msg); }
  void NodelistCallback(ConnId, uint64_t, const RingId&, std::span<const NodeId>) override {}
  void QuorumCallback(ConnId, uint64_t, bool, std::span<const QuorumNode>) override {}
  void ExpectedVotesCallback(ConnId, uint64_t, uint32_t) override {}
  void QdeviceRegisterReply(ConnId, CsError) override {}
  void QuorumServiceNotify(bool, std::span<const NodeId>, const RingId&) override {}
  void ArmTimer(TimerKind, uint64_t) override {}
  void CancelTimer(TimerKind) override {}
  std::deque<Message> queue;
};

// Start, then the first ring {local} per the engine's caller contract (engine.h): the
// start-up NODEINFO is delivered in that ring ahead of the sync messages.
Status RunAlone(NodeId local, const VotequorumConfig& vq, VotequorumCmapKeys* keys) {
  LoopbackOutput out;
  Engine engine(local, vq, &out);
  if (Status st = engine.Start(); !st.ok()) return st;
  const NodeId members[] = {local};
  engine.SyncInit(RingId{local, 4}, members);
  auto drain = [&] {
    while (!out.queue.empty()) {
      Message m = out.queue.front();
      out.queue.pop_front();
      engine.Deliver(local, m);
    }
  };
  bool done = engine.SyncProcess();
  drain();
  for (int i = 0; !done; ++i) {
    if (i == 100) return Status::Internal("the one-node sync does not finish");
    done = engine.SyncProcess();
    drain();
  }
  engine.SyncActivate();
  drain();
  *keys = engine.cmap_keys();
  return Status::Ok();
}

// corosync-cmapctl's print_key (without -b: binary values are not shown).
void Print(const std::string& key, const CmapValue& v) {
  auto num = [&](auto zero) {
    decltype(zero) x = zero;
    std::memcpy(&x, v.bytes.data(), std::min(sizeof x, v.bytes.size()));
    return x;
  };
  std::printf("%s (%s)", key.c_str(), CmapTypeName(v.type));
  switch (v.type) {
    case CmapType::kInt8: std::printf(" = %" PRId8, num(int8_t{0})); break;
    case CmapType::kUint8: std::printf(" = %" PRIu8, num(uint8_t{0})); break;
    case CmapType::kInt16: std::printf(" = %" PRId16, num(int16_t{0})); break;
    case CmapType::kUint16: std::printf(" = %" PRIu16, num(uint16_t{0})); break;
    case CmapType::kInt32: std::printf(" = %" PRId32, num(int32_t{0})); break;
    case CmapType::kUint32: std::printf(" = %" PRIu32, num(uint32_t{0})); break;
    case CmapType::kInt64: std::printf(" = %" PRId64, num(int64_t{0})); break;
    case CmapType::kUint64: std::printf(" = %" PRIu64, num(uint64_t{0})); break;
    case CmapType::kFloat: std::printf(" = %f", static_cast<double>(num(0.0f))); break;
    case CmapType::kDouble: std::printf(" = %lf", num(0.0)); break;
    case CmapType::kString: std::printf(" = %s", v.bytes.c_str()); break;
    case CmapType::kBinary: break;
  }
  std::printf("\n");
}

int Main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s CONF NODEID\n", argv[0]);
    return 2;
  }
  ClusterConfig config;
  if (Status st = LoadCorosyncConf(argv[1], &config); !st.ok()) {
    std::fprintf(stderr, "%s\n", st.ToString().c_str());
    return 1;
  }
  const NodeId local = static_cast<NodeId>(std::strtoul(argv[2], nullptr, 10));
  CmapEntries map;
  if (Status st = BuildConfigCmap(config, local, &map); !st.ok()) {
    std::fprintf(stderr, "%s\n", st.ToString().c_str());
    return 1;
  }
  CmapRuntimeInput in;
  in.local = local;
  if (Status st = RunAlone(local, config.votequorum, &in.votequorum); !st.ok()) {
    std::fprintf(stderr, "%s\n", st.ToString().c_str());
    return 1;
  }
  const NodeId ring[] = {local};
  CmapApplyRingChange(map, {}, ring, &in.members);
  SetRuntimeCmap(in, &map);
  for (const auto& [key, value] : map) Print(key, value);
  return 0;
}

}  // namespace
}  // namespace quorumsim

int main(int argc, char** argv) { return quorumsim::Main(argc, argv); }
