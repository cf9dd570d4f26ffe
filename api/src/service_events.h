// The events the simulated node queues for libquorum, libcmap and libcfg connections
// (what corosync sends them as IPC dispatch messages).
#ifndef QUORUMSIM_API_SRC_SERVICE_EVENTS_H_
#define QUORUMSIM_API_SRC_SERVICE_EVENTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "api/src/notification.h"
#include "engine/types.h"

namespace quorumsim::api {

struct QuorumEvent final : ServiceEvent {
  enum class Kind { kQuorum, kNodelist };
  Kind kind = Kind::kQuorum;
  uint32_t model = 0;  // kQuorum: the connection's model when it was sent
  bool quorate = false;
  RingId ring;
  std::vector<uint32_t> members;  // kQuorum: the view list
  std::vector<uint32_t> joined, left;
  size_t Bytes() const override {
    return sizeof(*this) + (members.size() + joined.size() + left.size()) * sizeof(uint32_t);
  }
};

// A tracked cmap key changed (cmap_notify_fn_t's arguments).
struct CmapEvent final : ServiceEvent {
  uint64_t track = 0;  // the daemon's track id (the library maps it to its handle)
  int32_t event = 0;   // CMAP_TRACK_ADD / DELETE / MODIFY
  std::string key;
  uint8_t new_type = 0, old_type = 0;  // cmap value types; 0: no value
  std::string new_value, old_value;
  size_t Bytes() const override {
    return sizeof(*this) + key.size() + new_value.size() + old_value.size();
  }
};

// corosync_cfg_shutdown_callback_t: a shutdown was requested on the node.
struct CfgEvent final : ServiceEvent {
  uint32_t flags = 0;
  size_t Bytes() const override { return sizeof(*this); }
};

}  // namespace quorumsim::api

#endif  // QUORUMSIM_API_SRC_SERVICE_EVENTS_H_
