// QuorumService: one node's corosync quorum service (what libquorum talks to).
//
// corosync runs it beside votequorum: votequorum tells it the verdict and the view list
// (SetQuorum), the sync service tells it each new membership (SyncInit / SyncActivate),
// and it forwards both to the libquorum connections that track. Model V0 connections get
// quorum notifications (with the ring sequence number only); model V1 connections also
// get a nodelist notification, with joined and left lists, when a sync completes.
//
// Pure state: it performs no I/O and calls its output synchronously, in corosync's order.
#ifndef QUORUMSIM_SIM_QUORUM_SERVICE_H_
#define QUORUMSIM_SIM_QUORUM_SERVICE_H_

#include <cstdint>
#include <span>
#include <vector>

#include "engine/output.h"
#include "engine/types.h"

namespace quorumsim {

// libquorum's connection models (quorum_model_t).
enum class QuorumModel : uint32_t { kV0 = 0, kV1 = 1 };

class QuorumServiceOutput {
 public:
  virtual ~QuorumServiceOutput() = default;
  // A quorum notification for one connection (V0 shows only ring.seq).
  virtual void QuorumNotify(ConnId conn, QuorumModel model, bool quorate, const RingId& ring,
                            std::span<const NodeId> view) = 0;
  // A V1 nodelist notification. joined/left are empty in the snapshot trackstart sends.
  virtual void QuorumNodelistNotify(ConnId conn, const RingId& ring,
                                    std::span<const NodeId> members,
                                    std::span<const NodeId> joined,
                                    std::span<const NodeId> left) = 0;
};

class QuorumService {
 public:
  // `provider`: a quorum provider is configured (votequorum): quorum type 1 and the
  // verdict comes from SetQuorum. Without one corosync reports type 0 and is always
  // quorate.
  QuorumService(QuorumServiceOutput* out, bool provider);

  // --- sync service: a new membership (trans = members that come from this node's
  // previous membership) and its activation once every member has synced ---
  void SyncInit(std::span<const NodeId> trans, std::span<const NodeId> members,
                const RingId& ring);
  void SyncActivate();

  // --- from votequorum: the quorum verdict and the view list ---
  void SetQuorum(bool quorate, std::span<const NodeId> view, const RingId& ring);

  // --- library requests ---
  void Connected(ConnId conn);       // a new connection starts with model V0
  void ConnectionClosed(ConnId conn);
  // quorum_model_initialize's request: CS_ERR_INVALID_PARAM for an unknown model.
  CsError SetModel(ConnId conn, uint32_t model);
  uint32_t quorum_type() const { return provider_ ? 1 : 0; }
  bool quorate() const { return quorate_; }
  // CS_TRACK_CURRENT or CS_TRACK_CHANGES send the current state first (even when the
  // connection already tracks, which then fails with CS_ERR_EXIST).
  CsError TrackStart(ConnId conn, uint32_t flags);
  // corosync answers CS_OK even when the connection was not tracking.
  CsError TrackStop(ConnId conn);

 private:
  struct Client {
    ConnId conn = 0;
    QuorumModel model = QuorumModel::kV0;
    bool tracking = false;
  };
  Client* FindClient(ConnId conn);
  void SendQuorum(const Client& c);
  void SendNodelist(const Client& c, bool with_changes);

  QuorumServiceOutput* out_;
  bool provider_;
  bool quorate_;
  RingId quorum_ring_;
  std::vector<NodeId> view_;
  // Sync state.
  RingId sync_ring_;
  std::vector<NodeId> members_;
  std::vector<NodeId> old_members_;  // the membership last activated
  std::vector<NodeId> joined_;
  std::vector<NodeId> left_;
  // Connections in arrival order; trackers_ in notification order (corosync adds a new
  // tracker at the head of its list, so the latest tracker hears first).
  std::vector<Client> clients_;
  std::vector<ConnId> trackers_;
};

}  // namespace quorumsim

#endif  // QUORUMSIM_SIM_QUORUM_SERVICE_H_
