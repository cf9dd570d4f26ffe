// SimNode: one simulated node (its process state, engine, device daemon and the transport's
// per-node state). Shared by the cluster (cluster_impl.*) and the transport (transport.*).
#ifndef QUORUMSIM_SIM_INTERNAL_SIM_NODE_H_
#define QUORUMSIM_SIM_INTERNAL_SIM_NODE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "engine/engine.h"
#include "sim/cluster.h"
#include "sim/internal/event_queue.h"
#include "sim/internal/transport.h"
#include "sim/qdevice_sim.h"
#include "sim/cmap_service.h"
#include "sim/quorum_service.h"

namespace quorumsim::internal {

class NodeOutput;

// The expected_votes_tracking barrier file of one node (survives restarts).
class MemoryStore final : public ExpectedVotesStore {
 public:
  Status Load(uint32_t* value) override {
    exists_ = true;
    *value = value_;
    return Status::Ok();
  }
  Status Save(uint32_t value) override {
    exists_ = true;
    value_ = value;
    return Status::Ok();
  }

 private:
  bool exists_ = false;
  uint32_t value_ = 0;
};

struct SimNode {
  NodeId id = 0;
  NodeRunState run = NodeRunState::kDown;
  PartitionId partition = 0;
  uint64_t placement = 0;     // order of arrival in its partition (vqsim prints this order)
  uint32_t incarnation = 0;   // bumped at every start and every death
  std::unique_ptr<NodeOutput> out;
  std::unique_ptr<Engine> engine;
  std::unique_ptr<QuorumService> quorum;  // corosync's quorum service (while up)
  std::vector<ConnId> cfg_trackers;       // cfg connections wanting the shutdown callback
  std::unique_ptr<CmapService> cmap;      // the node's configuration map (while up)
  std::vector<NodeId> last_ring;          // members of the ring it was last in (cmap)
  MemoryStore store;          // survives restarts
  NodeLink link;              // transport state (written by Transport only)
  bool clean_exit = false;    // went down through Leave
  bool leaving = false;       // Shutdown called, exit pending
  uint64_t timer_gen[kTimerKinds] = {};
  std::vector<Event> deferred;  // events that came due while paused
  // Last internal quorum notification.
  bool reported = false;
  bool quorate = false;
  RingId notified_ring;
  std::vector<NodeId> notified_members;
  std::optional<CsError> last_rc;
  std::unique_ptr<QdeviceSim> qdevice;

  bool Live() const { return run == NodeRunState::kUp; }
};

}  // namespace quorumsim::internal

#endif  // QUORUMSIM_SIM_INTERNAL_SIM_NODE_H_
