// EngineOutput: everything the engine asks of the world around it.
//
// The engine performs no I/O. Each effect (a broadcast, a callback for a library
// connection, a timer) is a call on this interface, made synchronously from inside the
// engine call that caused it, in exactly the order corosync produces them.
#ifndef QUORUMSIM_ENGINE_OUTPUT_H_
#define QUORUMSIM_ENGINE_OUTPUT_H_

#include <cstdint>
#include <span>

#include "engine/messages.h"
#include "engine/types.h"

namespace quorumsim {

// A library connection to the local node (an IPC connection in corosync). Chosen by
// the caller; the engine only stores and echoes it.
using ConnId = uint64_t;

enum class TimerKind : uint8_t {
  kLastManStanding = 0,  // last_man_standing_window
  kQdevice = 1,          // qdevice poll timeout, or sync_timeout during a membership change
};
inline constexpr int kTimerKinds = 2;

class EngineOutput {
 public:
  virtual ~EngineOutput() = default;

  // Multicast msg to the current ring (delivered to the sender too, in agreed order).
  virtual void Broadcast(const Message& msg) = 0;

  // Library callbacks for one connection. `context` is the value the connection gave
  // trackstart (or the one given to this trackstart call, for its snapshot).
  virtual void NodelistCallback(ConnId conn, uint64_t context, const RingId& ring,
                                std::span<const NodeId> members) = 0;
  virtual void QuorumCallback(ConnId conn, uint64_t context, bool quorate,
                              std::span<const QuorumNode> nodes) = 0;
  virtual void ExpectedVotesCallback(ConnId conn, uint64_t context, uint32_t expected_votes) = 0;

  // The deferred reply to QdeviceRegister (sent when the REG message comes back).
  virtual void QdeviceRegisterReply(ConnId conn, CsError result) = 0;

  // corosync's internal quorum-service notification (what corosync-vqsim and
  // corosync-quorumtool show): ring members, verdict, ring id.
  virtual void QuorumServiceNotify(bool quorate, std::span<const NodeId> members,
                                   const RingId& ring) = 0;

  // Arm (replacing any running instance) or cancel one of the engine's timers.
  virtual void ArmTimer(TimerKind kind, uint64_t delay_ms) = 0;
  virtual void CancelTimer(TimerKind kind) = 0;
};

}  // namespace quorumsim

#endif  // QUORUMSIM_ENGINE_OUTPUT_H_
