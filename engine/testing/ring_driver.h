// RingDriver: a small synchronous multi-node harness for engine tests.
//
// It plays totem, sync, the timer wheel and the qdevice daemons around N engines, with
// the ordering the spec's worked examples assume (§0.3, Appendix C):
//  * ring members are sorted by id; the ring id is {lowest member, 4 + highest sequence
//    any member has seen};
//  * a started node first forms a ring on its own; the NODEINFO its Start() broadcast is
//    held and delivered in that first ring (ahead of the sync messages);
//  * a membership change runs SyncInit on all members, the first SyncProcess on each
//    member in id order (a running qdevice daemon polls right after its node's step),
//    delivers every queued message, repeats SyncProcess until all members are done
//    (advancing virtual time to the next timer when somebody waits), then SyncActivate;
//    rings formed together (Partition, Crash) sync side by side, each activating as soon
//    as its own members are done;
//  * broadcasts are delivered to every member of the sender's ring, sender included, in
//    one global FIFO order;
//  * timers run in virtual time, ordered by (deadline, node id, kind); all those due at
//    one instant run before what they broadcast is delivered.
// Each node has one tracking connection (kTrackConn, CS_TRACK_CHANGES_ONLY, context 0)
// whose callbacks are recorded as strings such as "NODELIST ring=1.c nodes=1,2,3",
// "EXPECTED 3" and "QUORUM quorate=1 nodes=2:M,3:M,1:M".
#ifndef QUORUMSIM_ENGINE_TESTING_RING_DRIVER_H_
#define QUORUMSIM_ENGINE_TESTING_RING_DRIVER_H_

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "engine/engine.h"
#include "engine/memory_ev_store.h"

namespace quorumsim::testing {

inline constexpr ConnId kTrackConn = 1;    // the recorded tracking connection
inline constexpr ConnId kQdeviceConn = 2;  // the simulated qdevice daemon's connection

struct RecordedCallback {
  ConnId conn = 0;
  uint64_t context = 0;
  std::string text;
};

class RingDriver {
 public:
  explicit RingDriver(Quirks quirks = {});
  ~RingDriver();
  RingDriver(const RingDriver&) = delete;
  RingDriver& operator=(const RingDriver&) = delete;

  // Sets a node's configuration (kept across restarts, like corosync.conf).
  void Configure(NodeId id, VotequorumConfig config);
  // Starts the node's engine (a fresh one), opens its tracking connection and forms its
  // own single-node ring. Returns the engine's start-up status.
  Status Start(NodeId id);
  // Forms one ring of the given running nodes, unless they already share exactly it.
  void FormRing(std::vector<NodeId> members);
  // Forms each part as its own ring (those that are not already exactly a ring), all at
  // once: their syncs run side by side, in the order given.
  void Partition(const std::vector<std::vector<NodeId>>& parts);
  // The nodes disappear without a message; the rest of each affected ring re-forms (as
  // one Partition).
  void Crash(const std::vector<NodeId>& ids);
  // corosync stops normally (LEAVING with allow_downscale), then as Crash.
  void CleanShutdown(NodeId id);
  // The rings of these nodes stop working now, before anything re-forms them: a member
  // crashed or the network split, and totem has not noticed yet. Nothing more is delivered
  // in them; what the nodes broadcast meanwhile (a timer's NODEINFO) is held and goes out
  // first in their next ring, as totem does (and the simulator, sim/internal/transport.cc).
  // Without it the harness's membership changes are instantaneous; call it only when a
  // FormRing, Partition or Crash of these nodes follows.
  void BreakRings(const std::vector<NodeId>& ids);

  // Virtual time, in milliseconds.
  uint64_t now() const { return now_; }
  void AdvanceTo(uint64_t t);
  void Advance(uint64_t ms) { AdvanceTo(now_ + ms); }

  bool is_up(NodeId id) const;
  Engine& engine(NodeId id);
  MemoryEvStore& store(NodeId id);
  // getinfo(which) on node `id` (which = 0 is the node itself).
  VoteInfo Info(NodeId id, NodeId which = 0);
  CsError InfoStatus(NodeId id, NodeId which, VoteInfo* info);

  // Library calls that broadcast; the resulting messages are delivered before returning.
  CsError SetExpected(NodeId on, uint32_t expected);
  CsError SetVotes(NodeId on, NodeId target, uint32_t votes);
  void CancelWaitForAll(NodeId on);
  // Any engine call followed by delivery of what it broadcast.
  template <typename F>
  auto Call(NodeId id, F&& f) {
    auto result = f(engine(id));
    Drain();
    return result;
  }

  // A qdevice daemon on node `id`: registers `name` (the deferred reply is returned),
  // then polls at once and every device timeout / 2 with `cast_vote`, and right after
  // each membership change of its node.
  CsError QdeviceStart(NodeId id, const std::string& name, bool cast_vote);
  // Changes the vote the daemon casts and polls immediately; a stopped daemon resumes
  // polling.
  CsError QdeviceSetVote(NodeId id, bool cast_vote);
  // The daemon stops polling (without unregistering).
  void QdeviceStop(NodeId id);
  // An explicit unregister by the daemon (which also stops polling).
  CsError QdeviceUnregister(NodeId id);

  // Recorded callbacks of the node's tracking connection, and of all its connections.
  std::vector<std::string> callbacks(NodeId id) const;
  const std::vector<RecordedCallback>& all_callbacks(NodeId id) const;
  // Quorum-service notifications: "NOTIFY quorate=1 ring=1.c nodes=1,2,3".
  const std::vector<std::string>& notifications(NodeId id) const;
  std::optional<CsError> register_reply(NodeId id, ConnId conn) const;
  void ClearLogs();
  // Every message delivered so far, as "sender: DescribeMessage(...)", in order.
  const std::vector<std::string>& trace() const { return trace_; }

 private:
  class Output;
  struct Daemon {
    bool running = false;
    std::string name;
    bool cast_vote = false;
  };
  struct Node {
    NodeId id = 0;
    VotequorumConfig config;
    MemoryEvStore store;
    std::unique_ptr<Output> out;
    std::unique_ptr<Engine> engine;
    bool up = false;
    bool has_ring = false;
    RingId ring{};
    std::vector<NodeId> ring_members;
    uint64_t max_seq_seen = 0;
    std::vector<Message> held;  // broadcasts made before the first ring
    std::vector<RecordedCallback> callbacks;
    std::vector<std::string> notifications;
    std::map<ConnId, CsError> replies;
    Daemon daemon;
  };
  struct Pending {
    NodeId sender;
    std::vector<NodeId> members;
    Message msg;
  };
  enum EventKind : int { kLmsTimer = 0, kQdeviceTimer = 1, kDaemonPoll = 2 };
  using EventKey = std::tuple<uint64_t, NodeId, int>;

  Node& node(NodeId id);
  const Node& node(NodeId id) const;
  void OnBroadcast(NodeId sender, const Message& msg);
  void Drain();
  struct NewRing {
    RingId ring;
    std::vector<NodeId> members;
  };
  // Gives the members their new ring id; nullopt if they already share exactly this ring.
  std::optional<NewRing> MakeRing(std::vector<NodeId> members);
  void RunSyncs(const std::vector<NewRing>& rings);
  void Schedule(NodeId id, int kind, uint64_t at);
  void Unschedule(NodeId id, int kind);
  bool FireNextEvent();
  void Fire(NodeId id, int kind);
  CsError DaemonPoll(NodeId id);
  void TakeDown(NodeId id);

  Quirks quirks_;
  uint64_t now_ = 0;
  std::map<NodeId, Node> nodes_;
  std::deque<Pending> queue_;
  std::map<EventKey, bool> events_;
  std::map<std::pair<NodeId, int>, uint64_t> deadlines_;
  std::vector<std::string> trace_;
};

}  // namespace quorumsim::testing

#endif  // QUORUMSIM_ENGINE_TESTING_RING_DRIVER_H_
