#include "engine/messages.h"

#include <cinttypes>
#include <cstdio>
#include <type_traits>

namespace quorumsim {
namespace {

const char* ParamName(ReconfigureMsg::Param p) {
  switch (p) {
    case ReconfigureMsg::kExpectedVotes: return "expected_votes";
    case ReconfigureMsg::kNodeVotes: return "node_votes";
    case ReconfigureMsg::kCancelWaitForAll: return "cancel_wfa";
  }
  return "unknown";
}

}  // namespace

std::string DescribeMessage(const Message& msg) {
  return std::visit(
      [](const auto& m) -> std::string {
        using T = std::decay_t<decltype(m)>;
        char buf[96];
        if constexpr (std::is_same_v<T, NodeInfoMsg>) {
          std::snprintf(buf, sizeof(buf), "NODEINFO id=%" PRIu32 " votes=%" PRIu32 " exp=%" PRIu32
                        " flags=0x%" PRIx32, m.node_id, m.votes, m.expected_votes, m.flags);
          return buf;
        } else if constexpr (std::is_same_v<T, ReconfigureMsg>) {
          std::snprintf(buf, sizeof(buf), "RECONFIGURE id=%" PRIu32 " %s=%" PRIu32, m.node_id,
                        ParamName(m.param), m.value);
          return buf;
        } else if constexpr (std::is_same_v<T, QdeviceRegMsg>) {
          std::string s = m.operation == QdeviceRegMsg::kRegister ? "QDEVICE_REG register name="
                                                                 : "QDEVICE_REG unregister name=";
          return s + m.name;
        } else {
          return "QDEVICE_RECONFIGURE old=" + m.old_name + " new=" + m.new_name;
        }
      },
      msg);
}

}  // namespace quorumsim
