// SimLink: one libquorum / libcmap / libcfg connection to a simulated node.
//
// It owns what every such connection needs: the connection id on the node, the mutex
// discipline of the cluster host, the queue the node's events wait in until dispatch,
// and what happens when the node or the cluster goes away. Requests go through
// Cluster::Call, so the down / paused / unknown rules are the cluster's.
#ifndef QUORUMSIM_API_SRC_SIM_LINK_H_
#define QUORUMSIM_API_SRC_SIM_LINK_H_

#include <memory>
#include <mutex>

#include <corosync/corotypes.h>

#include "api/src/cluster_host.h"
#include "api/src/connection.h"
#include "api/src/notification.h"
#include "api/src/service_events.h"
#include "sim/cluster.h"

namespace quorumsim::api {

class SimLink final : public ClientSink {
 public:
  explicit SimLink(std::shared_ptr<ClusterHost> host) : host_(std::move(host)) {}
  ~SimLink() override { Close(); }
  SimLink(const SimLink&) = delete;
  SimLink& operator=(const SimLink&) = delete;

  // Connects to `node`: CS_ERR_LIBRARY when it is down (no daemon), CS_ERR_TRY_AGAIN when
  // it is paused.
  cs_error_t Open(NodeId node);

  // Runs fn(NodeServices&) on the node (Cluster::Call), under the host's mutex.
  template <typename F>
  cs_error_t Call(const char* name, F&& fn) {
    std::lock_guard<std::recursive_mutex> lock(host_->mu());
    if (!host_->alive() || overflowed_ || closed_) return CS_ERR_LIBRARY;
    return static_cast<cs_error_t>(host_->cluster().Call(id_, name, fn));
  }

  int fd() { return queue_.fd(); }
  cs_error_t Dispatch(cs_dispatch_flags_t type, const Connection::Deliver& deliver) {
    return DispatchFromQueue(queue_, type, deliver);
  }
  // Queues an event for dispatch (called by the node, under the host's mutex).
  void Push(std::shared_ptr<const ServiceEvent> event);
  // Finalize: the node forgets the connection; a blocked dispatch wakes up. Idempotent.
  void Close();

  // --- ClientSink ---
  void OnNodelist(uint64_t, const RingId&, std::span<const NodeId>) override {}
  void OnQuorum(uint64_t, bool, std::span<const QuorumNode>) override {}
  void OnExpectedVotes(uint64_t, uint32_t) override {}
  void OnQdeviceRegisterReply(CsError) override {}
  void OnQuorumNotify(QuorumModel model, bool quorate, const RingId& ring,
                      std::span<const NodeId> view) override;
  void OnQuorumNodelist(const RingId& ring, std::span<const NodeId> members,
                        std::span<const NodeId> joined, std::span<const NodeId> left) override;
  void OnCfgShutdown(uint32_t flags) override;
  void OnCmapNotify(uint64_t track, int32_t event, const std::string& key,
                    const CmapValue* new_value, const CmapValue* old_value) override;
  void OnDisconnected() override { queue_.Close(NotificationQueue::State::kDisconnected); }
  void OnClusterDestroyed() override { queue_.Close(NotificationQueue::State::kDisconnected); }

 private:
  std::shared_ptr<ClusterHost> host_;
  ConnId id_ = 0;
  NotificationQueue queue_;
  // Guarded by the host mutex.
  bool open_ = false;
  bool closed_ = false;
  bool overflowed_ = false;
};

}  // namespace quorumsim::api

#endif  // QUORUMSIM_API_SRC_SIM_LINK_H_
