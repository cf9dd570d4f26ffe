// The messages votequorum nodes exchange inside a ring (totally ordered broadcast).
#ifndef QUORUMSIM_ENGINE_MESSAGES_H_
#define QUORUMSIM_ENGINE_MESSAGES_H_

#include <cstdint>
#include <string>
#include <variant>

#include "engine/types.h"

namespace quorumsim {

// NODEINFO: one record as the sender holds it. node_id 0 describes the quorum device
// (only votes is meaningful then).
struct NodeInfoMsg {
  NodeId node_id = 0;
  uint32_t votes = 0;
  uint32_t expected_votes = 0;
  uint32_t flags = 0;
  friend bool operator==(const NodeInfoMsg&, const NodeInfoMsg&) = default;
};

// RECONFIGURE: param 1 = expected votes, 2 = node votes, 3 = cancel wait_for_all.
struct ReconfigureMsg {
  enum Param : uint32_t { kExpectedVotes = 1, kNodeVotes = 2, kCancelWaitForAll = 3 };
  NodeId node_id = 0;
  uint32_t value = 0;
  Param param = kExpectedVotes;
  friend bool operator==(const ReconfigureMsg&, const ReconfigureMsg&) = default;
};

// QDEVICE_REG: register (1) or unregister (0) announcement of the device name, numbered as
// corosync numbers them.
struct QdeviceRegMsg {
  enum Operation : uint32_t { kUnregister = 0, kRegister = 1 };
  Operation operation = kRegister;
  std::string name;
  friend bool operator==(const QdeviceRegMsg&, const QdeviceRegMsg&) = default;
};

// QDEVICE_RECONFIGURE: rename of the device.
struct QdeviceReconfigureMsg {
  std::string old_name;
  std::string new_name;
  friend bool operator==(const QdeviceReconfigureMsg&, const QdeviceReconfigureMsg&) = default;
};

using Message = std::variant<NodeInfoMsg, ReconfigureMsg, QdeviceRegMsg, QdeviceReconfigureMsg>;

// A one-line rendering for traces, e.g. "NODEINFO id=2 votes=1 exp=3 flags=0x9".
std::string DescribeMessage(const Message& msg);

}  // namespace quorumsim

#endif  // QUORUMSIM_ENGINE_MESSAGES_H_
