// A toy "primary election" component for the README's property-testing example: the
// lowest node id among the members becomes primary. The buggy variant decides on the
// nodelist callback (the start of a membership change); the fixed one waits for the
// quorum callback and takes the primary role only while quorate.
#ifndef QUORUMSIM_TESTS_API_ELECTION_H_
#define QUORUMSIM_TESTS_API_ELECTION_H_

#include <corosync/votequorum.h>

#include <algorithm>
#include <cstdint>

class Election {
 public:
  explicit Election(uint32_t my_id, bool wait_for_quorum) : my_id_(my_id), wait_for_quorum_(wait_for_quorum) {
    votequorum_callbacks_t cb{};
    cb.votequorum_nodelist_notify_fn = &OnNodelist;
    cb.votequorum_quorum_notify_fn = &OnQuorum;
    if (votequorum_initialize(&handle_, &cb) != CS_OK) return;
    votequorum_context_set(handle_, this);
    votequorum_trackstart(handle_, 0, CS_TRACK_CURRENT | CS_TRACK_CHANGES);
  }
  ~Election() { votequorum_finalize(handle_); }
  Election(const Election&) = delete;
  Election& operator=(const Election&) = delete;

  void Poll() { votequorum_dispatch(handle_, CS_DISPATCH_ALL); }
  bool primary() const { return primary_; }

 private:
  static Election* Self(votequorum_handle_t h) {
    void* p = nullptr;
    votequorum_context_get(h, &p);
    return static_cast<Election*>(p);
  }
  static void OnNodelist(votequorum_handle_t h, uint64_t, votequorum_ring_id_t, uint32_t n, uint32_t ids[]) {
    Election* e = Self(h);
    e->lowest_ = *std::min_element(ids, ids + n);
    if (!e->wait_for_quorum_) e->primary_ = e->lowest_ == e->my_id_;  // the bug: no quorum yet
  }
  static void OnQuorum(votequorum_handle_t h, uint64_t, uint32_t quorate, uint32_t, votequorum_node_t[]) {
    Election* e = Self(h);
    if (e->wait_for_quorum_) e->primary_ = quorate != 0 && e->lowest_ == e->my_id_;
  }

  uint32_t my_id_;
  bool wait_for_quorum_;
  votequorum_handle_t handle_ = 0;
  uint32_t lowest_ = 0;
  bool primary_ = false;
};

#endif  // QUORUMSIM_TESTS_API_ELECTION_H_
