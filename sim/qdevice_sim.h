// QdeviceSim: a simulated quorum-device daemon attached to one node.
//
// It behaves like a corosync-qdevice client of the node's votequorum: it opens a library
// connection, tracks changes (so it sees every nodelist notification), registers its
// name, then polls with a cast-vote decision: at once after registration and after each
// nodelist notification (quoting that notification's ring id), and every timeout/2
// afterwards. It can stop polling while staying registered (the device then times out),
// and unregister. Engine calls are never made from inside an engine callback: the
// callbacks only schedule a poll through the host.
#ifndef QUORUMSIM_SIM_QDEVICE_SIM_H_
#define QUORUMSIM_SIM_QDEVICE_SIM_H_

#include <cstdint>
#include <span>
#include <string>

#include "engine/engine.h"
#include "engine/types.h"
#include "sim/cluster.h"

namespace quorumsim {

// What a QdeviceSim needs from the cluster around it.
class QdeviceHost {
 public:
  virtual ~QdeviceHost() = default;
  virtual Engine* EngineOf(NodeId node) = 0;  // null when the node is down
  virtual ConnId OpenInternalConnection(NodeId node, ClientSink* sink) = 0;
  virtual void ScheduleQdevicePollNow(NodeId node) = 0;
  virtual void ScheduleQdevicePeriodic(NodeId node, uint64_t delay_ms, uint64_t generation) = 0;
  virtual void TraceQdevice(NodeId node, const char* what, CsError rc) = 0;
};

inline constexpr char kSimQdeviceName[] = "Qdevice";

class QdeviceSim final : public ClientSink {
 public:
  QdeviceSim(NodeId node, QdeviceHost* host, uint32_t timeout_ms)
      : node_(node), host_(host), timeout_ms_(timeout_ms) {}

  // The node's process died: every bit of state goes (the daemon reconnects only when
  // told to again).
  void Reset();
  // Registers if needed, sets the vote decision and (re)starts polling.
  void Enable(bool cast_vote);
  // Stops polling; stays registered (the device then times out).
  void Stop();
  // The script called votequorum_qdevice_unregister or votequorum_qdevice_master_wins
  // on this node (the calls are the script's own, not the daemon's) and it succeeded.
  void Unregistered();
  void MasterWinsSet(bool allow) { master_wins_ = allow; }

  // Event handlers (called by the cluster's event loop).
  void OnPollNow();
  void OnPeriodic(uint64_t generation);

  bool registered() const { return registered_; }
  bool polling() const { return polling_; }
  bool cast_vote() const { return cast_vote_; }
  bool master_wins() const { return master_wins_; }
  // Periodic-poll events carry the generation they were scheduled in; others are stale.
  uint64_t generation() const { return generation_; }

  // ClientSink
  void OnNodelist(uint64_t context, const RingId& ring, std::span<const NodeId> members) override;
  void OnQuorum(uint64_t, bool, std::span<const QuorumNode>) override {}
  void OnExpectedVotes(uint64_t, uint32_t) override {}
  void OnQdeviceRegisterReply(CsError result) override;
  void OnDisconnected() override { Reset(); }

 private:
  void Poll(Engine* engine);

  NodeId node_;
  QdeviceHost* host_;
  uint32_t timeout_ms_;
  ConnId conn_ = 0;
  bool registered_ = false;
  bool registering_ = false;
  bool polling_ = false;
  bool cast_vote_ = true;
  bool master_wins_ = false;
  RingId last_ring_;
  uint64_t generation_ = 0;
};

}  // namespace quorumsim

#endif  // QUORUMSIM_SIM_QDEVICE_SIM_H_
