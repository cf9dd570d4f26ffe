// Fuzz target: sequences of votequorum C API calls on up to eight handles (and made-up
// ones) of a three-node simulated cluster that changes underneath: splits, crashes, pauses,
// even destruction of the cluster while handles are open. Callbacks may finalize or dispatch
// their own or another handle. Every return code must be a cs_error_t the library documents.
//
// Only the non-blocking dispatch types are used (CS_DISPATCH_ONE and BLOCKING wait for a
// notification that may never come); out-of-range types are covered by cluster_c_test.c.
#include <corosync/votequorum.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <vector>

#include "api/cpp/binding.hpp"
#include "sim/cluster.h"

namespace {

constexpr const char* kConf =
    "nodelist {\n  node {\n    nodeid: 1\n  }\n  node {\n    nodeid: 2\n  }\n"
    "  node {\n    nodeid: 3\n  }\n}\n"
    "quorum {\n  provider: corosync_votequorum\n  device {\n    model: net\n    votes: 1\n"
    "  }\n}\n";

struct Slot {
  votequorum_handle_t handle = 0;
  uint8_t mode = 0;    // what its callbacks do (see Callback)
  uint8_t target = 0;  // the slot those actions apply to
};

struct State {
  std::unique_ptr<quorumsim::Cluster> cluster;
  std::array<Slot, 8> slots;
  int depth = 0;  // nesting of dispatch inside callbacks
};
State* state = nullptr;

void Check(cs_error_t rc) {
  // Not a cs_error_t at all (corotypes.h defines 1..30 and 100).
  if ((rc < CS_OK || rc > CS_ERR_TOO_MANY_GROUPS) && rc != CS_ERR_SECURITY) std::abort();
}

// Runs in a callback of `h`: depending on its slot's mode, finalize or dispatch a handle.
void Callback(votequorum_handle_t h) {
  for (Slot& s : state->slots) {
    if (s.handle != h || s.handle == 0) continue;
    Slot& t = state->slots[s.target % state->slots.size()];
    switch (s.mode % 5) {
      case 1:
        Check(votequorum_finalize(h));
        s.handle = 0;
        return;
      case 2:
        if (state->depth < 4) {
          ++state->depth;
          Check(votequorum_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING));
          --state->depth;
        }
        return;
      case 3:
        if (t.handle != 0 && state->depth < 4) {
          ++state->depth;
          Check(votequorum_dispatch(t.handle, CS_DISPATCH_ALL));
          --state->depth;
        }
        return;
      case 4:
        if (t.handle != 0) {
          Check(votequorum_finalize(t.handle));
          t.handle = 0;
        }
        return;
      default:
        return;
    }
  }
}

void OnQuorum(votequorum_handle_t h, uint64_t, uint32_t, uint32_t, votequorum_node_t[]) {
  Callback(h);
}
void OnNodelist(votequorum_handle_t h, uint64_t, votequorum_ring_id_t, uint32_t, uint32_t[]) {
  Callback(h);
}
void OnExpected(votequorum_handle_t h, uint64_t, uint32_t) { Callback(h); }

class Input {
 public:
  Input(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  bool more() const { return pos_ < size_; }
  uint8_t Byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  uint32_t Word() { return static_cast<uint32_t>(Byte()) | static_cast<uint32_t>(Byte()) << 8; }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

bool NewCluster() {
  quorumsim::ClusterOptions options;
  if (!quorumsim::Cluster::FromConfText(kConf, "fuzz.conf", options, &state->cluster).ok()) {
    return false;
  }
  (void)state->cluster->StartAll();
  (void)state->cluster->Settle();
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  State st;
  state = &st;
  if (!NewCluster()) std::abort();
  votequorum_callbacks_t cb{};
  cb.votequorum_quorum_notify_fn = OnQuorum;
  cb.votequorum_nodelist_notify_fn = OnNodelist;
  cb.votequorum_expectedvotes_notify_fn = OnExpected;
  const char* names[] = {"dev", "other", "Qdevice"};
  Input in(data, size);
  int ops = 0;
  while (in.more() && ops++ < 256) {
    uint8_t op = in.Byte();
    Slot& s = st.slots[in.Byte() % st.slots.size()];
    votequorum_handle_t h = s.handle;
    const quorumsim::NodeId node = 1 + in.Byte() % 3;
    switch (op % 19) {
      case 0:
        if (h == 0 && st.cluster != nullptr) {
          quorumsim::api::ScopedBinding bind(*st.cluster, node);
          cs_error_t rc = votequorum_initialize(&s.handle, &cb);
          Check(rc);
          if (rc != CS_OK) s.handle = 0;
        }
        break;
      case 1:
        Check(votequorum_finalize(h));
        s.handle = 0;
        break;
      case 2:
        Check(votequorum_dispatch(h, in.Byte() % 2 ? CS_DISPATCH_ALL : CS_DISPATCH_ONE_NONBLOCKING));
        break;
      case 3: {
        votequorum_info info{};
        Check(votequorum_getinfo(h, in.Byte() % 5, &info));
        break;
      }
      case 4:
        Check(votequorum_setexpected(h, in.Byte() % 8));
        break;
      case 5:
        Check(votequorum_setvotes(h, in.Byte() % 5, in.Byte() % 4));
        break;
      case 6: {
        static const unsigned int kFlags[] = {CS_TRACK_CURRENT, CS_TRACK_CHANGES,
                                              CS_TRACK_CHANGES_ONLY, 0};
        Check(votequorum_trackstart(h, in.Byte(), kFlags[in.Byte() % 4]));
        break;
      }
      case 7:
        Check(votequorum_trackstop(h));
        break;
      case 8:
        Check(votequorum_qdevice_register(h, names[in.Byte() % 3]));
        break;
      case 9: {
        votequorum_info info{};
        votequorum_ring_id_t ring{};
        if (votequorum_getinfo(h, 0, &info) == CS_OK) ring.nodeid = info.node_id;
        ring.seq = in.Byte() % 8;
        Check(votequorum_qdevice_poll(h, names[in.Byte() % 3], in.Byte() % 2, ring));
        break;
      }
      case 10:
        Check(votequorum_qdevice_unregister(h, names[in.Byte() % 3]));
        break;
      case 11:
        Check(votequorum_qdevice_master_wins(h, names[in.Byte() % 3], in.Byte() % 2));
        break;
      case 12:
        Check(votequorum_qdevice_update(h, names[in.Byte() % 3], names[in.Byte() % 3]));
        break;
      case 13: {
        void* ctx = nullptr;
        Check(votequorum_context_set(h, &st));
        Check(votequorum_context_get(h, &ctx));
        break;
      }
      case 14:
        // A made-up handle.
        Check(votequorum_finalize(static_cast<votequorum_handle_t>(in.Word()) << (in.Byte() % 48)));
        break;
      case 15:
        s.mode = in.Byte();
        s.target = in.Byte();
        break;
      case 16:
        if (st.cluster != nullptr) {
          std::vector<std::vector<quorumsim::NodeId>> groups;
          switch (in.Byte() % 3) {
            case 0: groups = {{1, 2, 3}}; break;
            case 1: groups = {{1, 2}, {3}}; break;
            default: groups = {{1}, {2}, {3}}; break;
          }
          (void)st.cluster->Split(groups);
          (void)st.cluster->Settle();
        }
        break;
      case 17:
        if (st.cluster != nullptr) {
          std::vector<quorumsim::NodeId> ids{node};
          switch (in.Byte() % 5) {
            case 0: (void)st.cluster->Crash(ids); break;
            case 1: (void)st.cluster->Restart(ids); break;
            case 2: (void)st.cluster->Pause(ids); break;
            case 3: (void)st.cluster->Resume(ids); break;
            default: (void)st.cluster->QdeviceOn(ids); break;
          }
          (void)st.cluster->Settle();
        }
        break;
      case 18:
        // The cluster goes away under open handles; a later op may make a new one.
        if (st.cluster != nullptr && in.Byte() % 2) {
          st.cluster.reset();
        } else if (st.cluster == nullptr) {
          if (!NewCluster()) std::abort();
        }
        break;
    }
  }
  for (Slot& s : st.slots) {
    if (s.handle != 0) Check(votequorum_finalize(s.handle));
  }
  st.cluster.reset();
  state = nullptr;
  return 0;
}
