// NodeServices: what one library request reaches on its node.
//
// A request enters a simulated node through one door, Cluster::Call: the door checks the
// connection (unknown: CS_ERR_BAD_HANDLE; node down or restarted since the connection
// was made: CS_ERR_LIBRARY; node paused: CS_ERR_TRY_AGAIN), hands the request these
// services, traces the call with its result and delivers the ring traffic it caused. So
// a library function only states its semantics: which service it asks and what.
#ifndef QUORUMSIM_SIM_NODE_SERVICES_H_
#define QUORUMSIM_SIM_NODE_SERVICES_H_

#include <vector>

#include "engine/engine.h"
#include "engine/output.h"
#include "engine/types.h"
#include "sim/corosync_conf.h"
#include "sim/cmap_service.h"
#include "sim/quorum_service.h"

namespace quorumsim {

class Cluster;

namespace internal {
class ClusterImpl;
struct SimNode;
}  // namespace internal

class NodeServices {
 public:
  NodeServices(const Cluster& cluster, internal::ClusterImpl& impl, internal::SimNode& node,
               ConnId conn)
      : cluster_(cluster), impl_(impl), node_(node), conn_(conn) {}

  NodeId node_id() const;
  // The connection making the request (0 for calls made on behalf of the node itself).
  ConnId conn() const { return conn_; }
  Engine& votequorum();
  QuorumService& quorum();
  // The node's configuration map, its runtime keys brought up to date first.
  CmapService& cmap();
  // Read-only view of the whole cluster (configuration, other nodes' state).
  const Cluster& cluster() const { return cluster_; }
  // corosync_cfg_try_shutdown: the node shuts down cleanly (as Cluster::Leave) once the
  // request has returned.
  void RequestShutdown() { shutdown_requested_ = true; }
  bool shutdown_requested() const { return shutdown_requested_; }
  // corosync_cfg_kill_node: `node` exits (as a crash) once the request has returned, if it
  // is a member of this node's current ring.
  void RequestKill(NodeId node) { kill_ = node; }
  NodeId kill_requested() const { return kill_; }
  // The connections registered for cfg's shutdown callback (corosync_cfg_trackstart).
  std::vector<ConnId>& cfg_trackers();
  // Queues the shutdown callback for a tracking connection.
  void NotifyShutdown(ConnId conn, uint32_t flags);

 private:
  const Cluster& cluster_;
  internal::ClusterImpl& impl_;
  internal::SimNode& node_;
  ConnId conn_;
  bool shutdown_requested_ = false;
  NodeId kill_ = 0;
};

}  // namespace quorumsim

#endif  // QUORUMSIM_SIM_NODE_SERVICES_H_
