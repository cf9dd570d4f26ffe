// A library connection to one simulated node: requests go to sim::Cluster under the
// host's mutex; callbacks the cluster produces are queued for votequorum_dispatch.
#include "api/src/sim_connection.h"

#include <cstring>
#include <optional>
#include <string_view>

#include "api/src/notification.h"

namespace quorumsim::api {

namespace {

cs_error_t ToCs(CsError e) { return static_cast<cs_error_t>(e); }

class SimConnection final : public Connection, public ClientSink {
 public:
  explicit SimConnection(std::shared_ptr<ClusterHost> host) : host_(std::move(host)) {}

  // Connects; CS_ERR_LIBRARY when the node is down, as when corosync is not running.
  cs_error_t Open(NodeId node) {
    std::lock_guard<std::recursive_mutex> lock(host_->mu());
    if (!queue_.has_fd() || !host_->alive()) return CS_ERR_LIBRARY;
    return ToCs(host_->cluster().Connect(node, this, &id_));
  }

  // --- Connection ---
  cs_error_t GetInfo(unsigned int nodeid, votequorum_info* info) override {
    VoteInfo v;
    CsError e = CsError::kLibrary;
    {
      std::lock_guard<std::recursive_mutex> lock(host_->mu());
      if (host_->alive() && !overflowed()) {
        e = host_->cluster().Call(id_, "getinfo", [&](NodeServices& s) {
          return s.votequorum().GetInfo(nodeid, &v);
        });
      }
    }
    // corosync copies the reply even for an unknown node (its content is then
    // meaningless); quorumsim's is all zeros, so it is at least deterministic.
    if (e != CsError::kOk) v = VoteInfo{};
    *info = votequorum_info{};
    info->node_id = v.node_id;
    info->node_state = static_cast<unsigned int>(v.node_state);
    info->node_votes = v.node_votes;
    info->node_expected_votes = v.node_expected_votes;
    info->highest_expected = v.highest_expected;
    info->total_votes = v.total_votes;
    info->quorum = v.quorum;
    info->flags = v.flags;
    info->qdevice_votes = v.qdevice_votes;
    std::strncpy(info->qdevice_name, v.qdevice_name.c_str(), sizeof info->qdevice_name - 1);
    return ToCs(e);
  }
  cs_error_t SetExpected(unsigned int expected_votes) override {
    return Call("setexpected",
                [&](NodeServices& s) { return s.votequorum().SetExpected(expected_votes); });
  }
  cs_error_t SetVotes(unsigned int nodeid, unsigned int votes) override {
    return Call("setvotes", [&](NodeServices& s) { return s.votequorum().SetVotes(nodeid, votes); });
  }
  cs_error_t TrackStart(uint64_t context, unsigned int flags) override {
    return Call("trackstart",
                [&](NodeServices& s) { return s.votequorum().TrackStart(id_, context, flags); });
  }
  cs_error_t TrackStop() override {
    return Call("trackstop", [&](NodeServices& s) { return s.votequorum().TrackStop(id_); });
  }
  cs_error_t QdeviceRegister(const char* name) override {
    std::lock_guard<std::recursive_mutex> lock(host_->mu());
    if (!host_->alive()) return CS_ERR_LIBRARY;
    register_reply_.reset();
    std::optional<CsError> now;
    CsError rc = host_->cluster().Call(id_, "qdevice_register", [&](NodeServices& s) {
      now = s.votequorum().QdeviceRegister(id_, name);
      return now.value_or(CsError::kOk);
    });
    if (now.has_value()) return ToCs(*now);
    if (rc != CsError::kOk) return ToCs(rc);
    // corosync's library waits for the deferred reply while the cluster carries on; here
    // the cluster is run until it has settled, which brings the REG message back.
    if (!register_reply_.has_value() && !disconnected_) (void)host_->cluster().Settle();
    if (register_reply_.has_value()) return ToCs(*register_reply_);
    return disconnected_ ? CS_ERR_LIBRARY : CS_ERR_TRY_AGAIN;
  }
  cs_error_t QdeviceUnregister(const char* name) override {
    return Call("qdevice_unregister",
                [&](NodeServices& s) { return s.votequorum().QdeviceUnregister(name); });
  }
  cs_error_t QdeviceUpdate(const char* oldname, const char* newname) override {
    return Call("qdevice_update",
                [&](NodeServices& s) { return s.votequorum().QdeviceUpdate(oldname, newname); });
  }
  cs_error_t QdevicePoll(const char* name, unsigned int cast_vote,
                         votequorum_ring_id_t ring_id) override {
    RingId ring{ring_id.nodeid, ring_id.seq};
    return Call("qdevice_poll", [&](NodeServices& s) {
      return s.votequorum().QdevicePoll(name, cast_vote != 0, ring);
    });
  }
  cs_error_t QdeviceMasterWins(const char* name, unsigned int allow) override {
    return Call("qdevice_master_wins", [&](NodeServices& s) {
      return s.votequorum().QdeviceMasterWins(name, allow != 0);
    });
  }
  cs_error_t FdGet(int* fd) override {
    *fd = queue_.fd();
    return CS_OK;
  }
  cs_error_t Dispatch(cs_dispatch_flags_t type, const Deliver& deliver) override {
    return DispatchFromQueue(queue_, type, deliver);
  }
  void Close() override {
    {
      std::lock_guard<std::recursive_mutex> lock(host_->mu());
      if (host_->alive()) host_->cluster().Disconnect(id_);
    }
    queue_.Close(NotificationQueue::State::kFinalized);
  }

  // --- ClientSink (called by the cluster with the host mutex held) ---
  void OnNodelist(uint64_t context, const RingId& ring, std::span<const NodeId> members) override {
    Queue(queue_.PushNodelist(context, votequorum_ring_id_t{ring.rep, ring.seq}, members));
  }
  void OnQuorum(uint64_t context, bool quorate, std::span<const QuorumNode> nodes) override {
    Queue(queue_.PushQuorum(context, quorate ? 1 : 0, nodes, [](const QuorumNode& q) {
      return votequorum_node_t{q.node_id, static_cast<uint32_t>(q.state)};
    }));
  }
  void OnExpectedVotes(uint64_t context, uint32_t expected_votes) override {
    Queue(queue_.PushExpectedVotes(context, expected_votes));
  }
  void OnQdeviceRegisterReply(CsError result) override { register_reply_ = result; }
  void OnDisconnected() override {
    disconnected_ = true;
    queue_.Close(NotificationQueue::State::kDisconnected);
  }
  // Wakes a blocked dispatch (the queue has its own lock; this runs without the host's).
  // Later calls see the host no longer alive.
  void OnClusterDestroyed() override { queue_.Close(NotificationQueue::State::kDisconnected); }

 private:
  // Under the host mutex. A client whose queue overflowed is disconnected, as corosync
  // disconnects a client it can no longer queue events for: later requests fail too.
  void Queue(bool accepted) {
    if (!accepted) overflowed_ = disconnected_ = true;
  }

  template <typename Fn>
  cs_error_t Call(const char* name, Fn fn) {
    std::lock_guard<std::recursive_mutex> lock(host_->mu());
    if (!host_->alive() || overflowed()) return CS_ERR_LIBRARY;
    return ToCs(host_->cluster().Call(id_, name, fn));
  }

  std::shared_ptr<ClusterHost> host_;
  ConnId id_ = 0;
  NotificationQueue queue_;
  // Guarded by the host mutex.
  std::optional<CsError> register_reply_;
  bool disconnected_ = false;
  bool overflowed_ = false;
  bool overflowed() const { return overflowed_; }
};

class SimFactory final : public ConnectionFactory {
 public:
  SimFactory(std::shared_ptr<ClusterHost> host, NodeId node) : host_(std::move(host)), node_(node) {}
  cs_error_t Open(std::unique_ptr<Connection>* out) override {
    auto conn = std::make_unique<SimConnection>(host_);
    cs_error_t err = conn->Open(node_);
    if (err == CS_OK) *out = std::move(conn);
    return err;
  }
  Endpoint endpoint() const override {
    Endpoint e;
    e.host = host_;
    e.node = node_;
    return e;
  }

 private:
  std::shared_ptr<ClusterHost> host_;
  NodeId node_;
};

}  // namespace

std::shared_ptr<ConnectionFactory> MakeSimFactory(std::shared_ptr<ClusterHost> host, NodeId node) {
  return std::make_shared<SimFactory>(std::move(host), node);
}

}  // namespace quorumsim::api
