// Value types shared by the engine and everything built on it.
//
// Numeric values (error codes, node states, flag bits) are those of corosync 3.1's
// <corosync/corotypes.h> and <corosync/votequorum.h>; they are part of the behaviour.
#ifndef QUORUMSIM_ENGINE_TYPES_H_
#define QUORUMSIM_ENGINE_TYPES_H_

#include <compare>
#include <cstdint>
#include <optional>
#include <string>

namespace quorumsim {

using NodeId = uint32_t;

// The quorum device's pseudo node id (VOTEQUORUM_QDEVICE_NODEID).
inline constexpr NodeId kQdeviceNodeId = 0;
// corosync's PROCESSOR_COUNT_MAX.
inline constexpr int kMaxNodes = 384;
// VOTEQUORUM_QDEVICE_MAX_NAME_LEN: names have 1..254 characters.
inline constexpr size_t kQdeviceMaxNameLen = 255;

// A totem ring id: the representative (lowest node id of the ring) and a sequence.
struct RingId {
  NodeId rep = 0;
  uint64_t seq = 0;
  friend auto operator<=>(const RingId&, const RingId&) = default;
};

// "rep.seq" in hexadecimal, as corosync prints ring ids (e.g. "1.1c").
std::string FormatRingId(const RingId& ring);

// cs_error_t values.
enum class CsError : int {
  kOk = 1,
  kLibrary = 2,
  kVersion = 3,
  kInit = 4,
  kTimeout = 5,
  kTryAgain = 6,
  kInvalidParam = 7,
  kNoMemory = 8,
  kBadHandle = 9,
  kBusy = 10,
  kAccess = 11,
  kNotExist = 12,
  kNameTooLong = 13,
  kExist = 14,
  kNoSpace = 15,
  kInterrupt = 16,
  kNameNotFound = 17,
  kNoResources = 18,
  kNotSupported = 19,
  kBadOperation = 20,
  kFailedOperation = 21,
  kMessageError = 22,
  kQueueFull = 23,
  kQueueNotAvailable = 24,
  kBadFlags = 25,
  kTooBig = 26,
  kNoSection = 27,
  kContextNotFound = 28,
  kTooManyGroups = 30,
  kSecurity = 100,
};

// "CS_OK", "CS_ERR_INVALID_PARAM", ... (the corotypes.h names).
const char* CsErrorName(CsError e);

// VOTEQUORUM_NODESTATE_*. The qdevice entry of a quorum callback carries 0.
enum class NodeState : uint32_t { kNone = 0, kMember = 1, kDead = 2, kLeaving = 3 };

// Node flags carried in NODEINFO messages (corosync's NODE_FLAGS_*).
namespace node_flags {
inline constexpr uint32_t kQuorate = 1;
inline constexpr uint32_t kLeaving = 2;
inline constexpr uint32_t kWfaStatus = 4;
inline constexpr uint32_t kFirst = 8;
inline constexpr uint32_t kQdeviceRegistered = 16;
inline constexpr uint32_t kQdeviceAlive = 32;
inline constexpr uint32_t kQdeviceCastVote = 64;
inline constexpr uint32_t kQdeviceMasterWins = 128;
}  // namespace node_flags

// votequorum_info.flags bits (VOTEQUORUM_INFO_*).
namespace info_flags {
inline constexpr uint32_t kTwoNode = 1;
inline constexpr uint32_t kQuorate = 2;
inline constexpr uint32_t kWaitForAll = 4;
inline constexpr uint32_t kLastManStanding = 8;
inline constexpr uint32_t kAutoTieBreaker = 16;
inline constexpr uint32_t kAllowDownscale = 32;
inline constexpr uint32_t kQdeviceRegistered = 64;
inline constexpr uint32_t kQdeviceAlive = 128;
inline constexpr uint32_t kQdeviceCastVote = 256;
inline constexpr uint32_t kQdeviceMasterWins = 512;
}  // namespace info_flags

// CS_TRACK_* flags for trackstart.
namespace track_flags {
inline constexpr uint32_t kCurrent = 1;
inline constexpr uint32_t kChanges = 2;
inline constexpr uint32_t kChangesOnly = 4;
}  // namespace track_flags

// One record as a node knows it.
struct NodeRecord {
  NodeId node_id = 0;
  NodeState state = NodeState::kDead;
  uint32_t votes = 0;
  uint32_t expected_votes = 0;
  uint32_t flags = 0;  // node_flags bits
};

// One entry of a quorum callback's node list.
struct QuorumNode {
  NodeId node_id = 0;
  NodeState state = NodeState::kNone;
  friend bool operator==(const QuorumNode&, const QuorumNode&) = default;
};

// What votequorum_getinfo returns.
struct VoteInfo {
  NodeId node_id = 0;
  NodeState node_state = NodeState::kNone;
  uint32_t node_votes = 0;
  uint32_t node_expected_votes = 0;
  uint32_t highest_expected = 0;
  uint32_t total_votes = 0;
  uint32_t quorum = 0;
  uint32_t flags = 0;  // info_flags bits
  uint32_t qdevice_votes = 0;
  std::string qdevice_name;
};

// The runtime.votequorum.* keys corosync's votequorum.c has written into its configuration
// map (cmap) on this node so far, with the last value written. nullopt: the daemon never
// wrote that key, so it does not exist. runtime.votequorum.this_node_id (the node id) is
// always written and is not repeated here.
struct VotequorumCmapKeys {
  uint32_t ev_barrier = 0;                         // written at start and on setexpected
  uint8_t two_node = 0;                            // written at start and on reload
  std::optional<uint8_t> wait_for_all_status;      // with wait_for_all, or on a cancel
  std::optional<uint32_t> lowest_node_id;          // each time quorate by votes
  std::optional<uint32_t> highest_node_id;         // each time quorate by votes
  std::optional<uint32_t> atb_type;                // with auto_tie_breaker, or on reload
  std::optional<uint8_t> qdevice_can_operate;      // when a quorum.device.model is set
  std::optional<uint8_t> qdevice_master_wins;      // after votequorum_qdevice_master_wins
  std::optional<uint32_t> ev_tracking_barrier;     // with expected_votes_tracking
  friend bool operator==(const VotequorumCmapKeys&, const VotequorumCmapKeys&) = default;
};

}  // namespace quorumsim

#endif  // QUORUMSIM_ENGINE_TYPES_H_
