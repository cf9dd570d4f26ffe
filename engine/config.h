// The votequorum-relevant part of one node's corosync configuration, as typed values.
//
// Each optional field is a corosync configuration key; an empty optional means the key
// is absent (corosync distinguishes "absent" from "0" for several keys, e.g.
// quorum.wait_for_all). Text parsing of corosync.conf lives above the engine (sim/);
// the engine validates the combination exactly as corosync 3.1's votequorum_readconfig.
#ifndef QUORUMSIM_ENGINE_CONFIG_H_
#define QUORUMSIM_ENGINE_CONFIG_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/status.h"
#include "engine/types.h"

namespace quorumsim {

struct VotequorumConfig {
  struct Node {
    NodeId node_id = 0;
    std::optional<uint32_t> quorum_votes;  // nodelist.node.X.quorum_votes (default 1)
  };
  std::vector<Node> nodelist;  // in file order

  std::optional<uint32_t> expected_votes;            // quorum.expected_votes
  std::optional<uint32_t> votes;                     // quorum.votes (no nodelist entry)
  std::optional<uint32_t> two_node;                  // quorum.two_node
  std::optional<uint32_t> wait_for_all;              // quorum.wait_for_all
  std::optional<uint32_t> last_man_standing;         // quorum.last_man_standing
  std::optional<uint32_t> last_man_standing_window;  // ms, default 10000
  std::optional<uint32_t> auto_tie_breaker;          // quorum.auto_tie_breaker
  std::optional<std::string> auto_tie_breaker_node;  // "lowest" | "highest" | id list
  std::optional<uint32_t> allow_downscale;
  std::optional<uint32_t> expected_votes_tracking;
  std::optional<std::string> device_model;           // quorum.device.model
  std::optional<uint32_t> device_votes;              // quorum.device.votes
  std::optional<uint32_t> device_timeout;            // ms, default 10000
  std::optional<uint32_t> device_sync_timeout;       // ms, default 30000
};

// Deliberate corosync 3.1 defects the engine reproduces. Every default is corosync's
// behaviour; turning one off gives the documented/intended behaviour instead.
struct Quirks {
  // exec/votequorum.c declares the stored threshold as uint8_t (recalculate_quorum).
  bool quorum_threshold_wraps_at_256 = true;
  // update_ev_tracking_barrier writes through a descriptor closed at load time, so the
  // stored expected_votes_tracking value is never updated after creation.
  bool ev_tracking_never_persisted = true;
  // node_add_ordered inserts before the last record instead of appending, so the
  // quorum callback's node list is not sorted.
  bool unsorted_node_list = true;
};

// Where expected_votes_tracking keeps its barrier (corosync: <state dir>/ev_tracking).
class ExpectedVotesStore {
 public:
  virtual ~ExpectedVotesStore() = default;
  // Reads the stored value; creates the store holding 0 when it does not exist yet.
  virtual Status Load(uint32_t* value) = 0;
  virtual Status Save(uint32_t value) = 0;
};

}  // namespace quorumsim

#endif  // QUORUMSIM_ENGINE_CONFIG_H_
