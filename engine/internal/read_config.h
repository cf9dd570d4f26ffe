// Configuration resolution: corosync's votequorum_readconfig (spec §4.9) as a function.
//
// At start-up every refusal of corosync becomes an InvalidConfig status naming the key
// and the value. On a runtime reload corosync keeps running instead: the same problems
// disable quorum-device operations (or are ignored), exactly as votequorum_readconfig.
#ifndef QUORUMSIM_ENGINE_INTERNAL_READ_CONFIG_H_
#define QUORUMSIM_ENGINE_INTERNAL_READ_CONFIG_H_

#include <cstdint>
#include <optional>

#include "engine/config.h"
#include "engine/internal/settings.h"
#include "engine/status.h"

namespace quorumsim::internal {

struct ReadConfigInput {
  NodeId local_id = 0;
  bool runtime = false;
  bool qdevice_registered = false;  // our flags have QDEVICE_REGISTERED (runtime only)
  bool wfa_latch = false;           // current wait_for_all latch (runtime only)
  uint32_t ev_tracking_barrier = 0;  // current in-memory barrier (runtime only)
  ExpectedVotesStore* store = nullptr;  // read at start-up when tracking is on
};

struct ReadConfigResult {
  // False when a runtime reload kept the old values (no nodelist entry and no
  // quorum.expected_votes); nothing below is meaningful then.
  bool applied = false;
  uint32_t us_votes = 1;
  std::optional<uint32_t> us_expected;    // nullopt: leave our expected votes alone
  std::optional<uint32_t> qdevice_votes;  // nullopt: leave the device votes alone
  enum class Latch { kKeep, kSet, kClear } wfa_latch = Latch::kKeep;
  // Start-up with tracking: the barrier read from the store (to be installed by the
  // engine through its barrier update path).
  std::optional<uint32_t> loaded_ev_barrier;
};

// Range checks corosync's configuration parser applies before votequorum sees a value
// (uint8 keys must be 0..255). Returns the first offending key.
Status ValidateValueRanges(const VotequorumConfig& config);

// `settings` is updated in place as votequorum_readconfig updates its globals; on a
// start-up error the engine must not be used further.
Status ReadConfig(const VotequorumConfig& config, const ReadConfigInput& in,
                  Settings* settings, ReadConfigResult* result);

}  // namespace quorumsim::internal

#endif  // QUORUMSIM_ENGINE_INTERNAL_READ_CONFIG_H_
