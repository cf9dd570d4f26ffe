// The option values votequorum keeps after reading its configuration (the "global
// config vars" of corosync's votequorum.c), shared by config resolution and the engine.
#ifndef QUORUMSIM_ENGINE_INTERNAL_SETTINGS_H_
#define QUORUMSIM_ENGINE_INTERNAL_SETTINGS_H_

#include <cstdint>

#include "engine/internal/atb.h"

namespace quorumsim::internal {

inline constexpr uint32_t kDefaultLmsWindowMs = 10000;
inline constexpr uint32_t kDefaultQdeviceTimeoutMs = 10000;
inline constexpr uint32_t kDefaultQdeviceSyncTimeoutMs = 30000;

struct Settings {
  bool two_node = false;
  bool wait_for_all = false;
  // wait_for_all was not written in the configuration, so it follows two_node.
  bool wait_for_all_autoset = false;
  bool last_man_standing = false;
  uint32_t last_man_standing_window = kDefaultLmsWindowMs;
  AtbSetting atb;                          // effective mode (after start-up checks)
  AtbMode initial_atb = AtbMode::kNone;    // mode as parsed, restored on reload
  bool allow_downscale = false;
  bool ev_tracking = false;
  uint32_t qdevice_timeout = kDefaultQdeviceTimeoutMs;
  uint32_t qdevice_sync_timeout = kDefaultQdeviceSyncTimeoutMs;
  bool qdevice_can_operate = true;
};

}  // namespace quorumsim::internal

#endif  // QUORUMSIM_ENGINE_INTERNAL_SETTINGS_H_
