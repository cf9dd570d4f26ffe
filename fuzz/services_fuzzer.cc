// Fuzz target: sequences of libquorum, libcmap and libcfg calls on handles of a three-node
// simulated cluster that changes underneath (splits, crashes, pauses, shutdowns, even
// destruction of the cluster while handles are open), with keys and values taken from the
// input: any length, any bytes, any declared type and size. Every return code must be a
// cs_error_t, and nothing may crash, leak or hang.
#include <corosync/cfg.h>
#include <corosync/cmap.h>
#include <corosync/quorum.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "api/cpp/binding.hpp"
#include "sim/cluster.h"

namespace {

constexpr const char* kConf =
    "totem {\n  cluster_name: fuzz\n}\nnodelist {\n"
    "  node {\n    nodeid: 1\n    ring0_addr: 192.0.2.1\n  }\n"
    "  node {\n    nodeid: 2\n    ring0_addr: 192.0.2.2\n  }\n"
    "  node {\n    nodeid: 3\n    ring0_addr: 192.0.2.3\n  }\n}\n"
    "quorum {\n  provider: corosync_votequorum\n  wait_for_all: 1\n}\n";

void Check(cs_error_t rc) {
  if ((rc < CS_OK || rc > CS_ERR_TOO_MANY_GROUPS) && rc != CS_ERR_SECURITY) std::abort();
}

// Reads the input front to back; past the end it yields zeros.
struct Input {
  const uint8_t* p;
  size_t n;
  uint8_t Byte() {
    if (n == 0) return 0;
    --n;
    return *p++;
  }
  std::string Text() {  // up to 300 bytes: key names longer than corosync allows, too
    size_t len = Byte() % 40;
    if (Byte() % 16 == 0) len = 250 + Byte() % 50;
    std::string s;
    for (size_t i = 0; i < len; ++i) {
      const uint8_t b = Byte();
      // Mostly plausible key characters, sometimes anything.
      s.push_back(b < 200 ? "abcdefghijklmnopqrstuvwxyz._-/:0123456789"[b % 41] : static_cast<char>(b));
    }
    return s;
  }
};

const char* const kKeys[] = {"runtime.votequorum.this_node_id", "totem.cluster_name",
                             "quorum.cancel_wait_for_all", "nodelist.node.0.nodeid",
                             "runtime.members.", "fuzz.a", "fuzz.", "quorum.expected_votes"};

void OnQuorumV0(quorum_handle_t, uint32_t, uint64_t, uint32_t, uint32_t*) {}
void OnQuorumV1(quorum_handle_t, uint32_t, quorum_ring_id, uint32_t, const uint32_t*) {}
void OnNodelist(quorum_handle_t h, quorum_ring_id, uint32_t, const uint32_t*, uint32_t,
                const uint32_t*, uint32_t, const uint32_t*) {
  Check(quorum_trackstop(h));  // a call from inside a callback
}
void OnCmap(cmap_handle_t h, cmap_track_handle_t, int32_t, const char* key, cmap_notify_value nv,
            cmap_notify_value, void*) {
  if (key == nullptr || (nv.len > 0 && nv.data == nullptr)) std::abort();
  size_t len = 0;
  Check(cmap_get(h, key, nullptr, &len, nullptr));
}
void OnShutdown(corosync_cfg_handle_t, corosync_cfg_shutdown_flags_t) {}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Input in{data, size};
  std::unique_ptr<quorumsim::Cluster> cluster;
  if (!quorumsim::Cluster::FromConfText(kConf, "fuzz.conf", {}, &cluster).ok()) std::abort();
  (void)cluster->StartAll();
  (void)cluster->Settle();
  std::array<quorum_handle_t, 4> q{};
  std::array<cmap_handle_t, 4> c{};
  std::array<corosync_cfg_handle_t, 4> f{};
  std::vector<cmap_iter_handle_t> iters;
  std::vector<cmap_track_handle_t> tracks;
  for (int step = 0; step < 64 && in.n > 0; ++step) {
    const uint8_t op = in.Byte();
    const uint8_t arg = in.Byte();
    const quorumsim::NodeId node = 1 + arg % 3;
    quorum_handle_t& qh = q[arg % 4];
    cmap_handle_t& ch = c[arg % 4];
    corosync_cfg_handle_t& fh = f[arg % 4];
    if (cluster == nullptr && op % 32 < 28) continue;
    switch (op % 32) {
      case 0: {
        quorumsim::api::ScopedBinding bind(*cluster, node);
        quorum_callbacks_t cb{&OnQuorumV0};
        uint32_t type;
        Check(quorum_initialize(&qh, &cb, &type));
        break;
      }
      case 1: {
        quorumsim::api::ScopedBinding bind(*cluster, node);
        quorum_model_v1_data_t d{QUORUM_MODEL_V1, &OnQuorumV1, &OnNodelist};
        Check(quorum_model_initialize(&qh, static_cast<quorum_model_t>(arg % 3),
                                      reinterpret_cast<quorum_model_data_t*>(&d), nullptr, nullptr));
        break;
      }
      case 2: Check(quorum_trackstart(qh, in.Byte())); break;
      case 3: Check(quorum_dispatch(qh, static_cast<cs_dispatch_flags_t>(arg % 2 ? CS_DISPATCH_ALL : CS_DISPATCH_ONE_NONBLOCKING))); break;
      case 4: { int v; Check(quorum_getquorate(qh, &v)); break; }
      case 5: Check(quorum_finalize(qh)); break;
      case 6: {
        quorumsim::api::ScopedBinding bind(*cluster, node);
        Check(cmap_initialize_map(&ch, static_cast<cmap_map_t>(arg % 3)));
        break;
      }
      case 7: {
        std::string key = in.Byte() % 2 ? kKeys[in.Byte() % 8] : in.Text();
        char buf[16];
        size_t len = in.Byte() % 17;
        cmap_value_types_t type;
        Check(cmap_get(ch, key.c_str(), in.Byte() % 2 ? buf : nullptr, &len, &type));
        char* s = nullptr;
        if (cmap_get_string(ch, key.c_str(), &s) == CS_OK) std::free(s);
        uint32_t u;
        Check(cmap_get_uint32(ch, key.c_str(), &u));
        break;
      }
      case 8: {
        std::string key = in.Byte() % 2 ? kKeys[in.Byte() % 8] : in.Text();
        std::string value = in.Text();
        const auto type = static_cast<cmap_value_types_t>(in.Byte() % 14);
        Check(cmap_set(ch, key.c_str(), value.data(), in.Byte() % (value.size() + 2) <= value.size() ? value.size() : 8, type));
        Check(cmap_set_uint8(ch, key.c_str(), in.Byte()));
        break;
      }
      case 9: {
        std::string key = in.Byte() % 2 ? kKeys[in.Byte() % 8] : in.Text();
        Check(arg % 3 == 0 ? cmap_delete(ch, key.c_str())
              : arg % 3 == 1 ? cmap_inc(ch, key.c_str()) : cmap_dec(ch, key.c_str()));
        break;
      }
      case 10: {
        std::string prefix = in.Text();
        cmap_iter_handle_t it;
        if (cmap_iter_init(ch, arg % 2 ? nullptr : prefix.c_str(), &it) == CS_OK) iters.push_back(it);
        break;
      }
      case 11: {
        char key[CMAP_KEYNAME_MAXLEN + 1];
        size_t len;
        cmap_value_types_t type;
        const cmap_iter_handle_t it = iters.empty() ? arg : iters[arg % iters.size()];
        Check(cmap_iter_next(ch, it, key, &len, &type));
        if (in.Byte() % 4 == 0) Check(cmap_iter_finalize(ch, it));
        break;
      }
      case 12: {
        std::string key = in.Byte() % 2 ? kKeys[in.Byte() % 8] : in.Text();
        cmap_track_handle_t t;
        if (cmap_track_add(ch, key.c_str(), in.Byte() % 16, &OnCmap, nullptr, &t) == CS_OK) tracks.push_back(t);
        break;
      }
      case 13: Check(cmap_track_delete(ch, tracks.empty() ? arg : tracks[arg % tracks.size()])); break;
      case 14: Check(cmap_dispatch(ch, arg % 2 ? CS_DISPATCH_ALL : CS_DISPATCH_ONE_NONBLOCKING)); break;
      case 15: Check(cmap_finalize(ch)); break;
      case 16: {
        quorumsim::api::ScopedBinding bind(*cluster, node);
        corosync_cfg_callbacks_t cb{&OnShutdown};
        Check(corosync_cfg_initialize(&fh, arg % 2 ? &cb : nullptr));
        break;
      }
      case 17: {
        corosync_cfg_node_address_t addrs[2];
        int n;
        Check(corosync_cfg_get_node_addrs(fh, in.Byte() % 5, in.Byte() % 3, &n, addrs));
        corosync_cfg_node_status_v1 st;
        Check(corosync_cfg_node_status_get(fh, in.Byte() % 5, static_cast<corosync_cfg_node_status_version_t>(in.Byte() % 3), &st));
        unsigned int id;
        Check(corosync_cfg_local_get(fh, &id));
        break;
      }
      case 18: Check(corosync_cfg_trackstart(fh, 0)); break;
      case 19: Check(corosync_cfg_try_shutdown(fh, static_cast<corosync_cfg_shutdown_flags_t>(arg % 3))); break;
      case 20: Check(corosync_cfg_kill_node(fh, in.Byte() % 5, "fuzz")); break;
      case 21: Check(corosync_cfg_dispatch(fh, arg % 2 ? CS_DISPATCH_ALL : CS_DISPATCH_ONE_NONBLOCKING)); break;
      case 22: Check(corosync_cfg_finalize(fh)); break;
      case 23: (void)cluster->Split({{1, 2}, {3}}); break;
      case 24: (void)cluster->JoinPartitions(0, std::vector<quorumsim::PartitionId>{1}); break;
      case 25: {
        std::vector<quorumsim::NodeId> ids{node};
        (void)(arg % 4 == 0 ? cluster->Crash(ids) : arg % 4 == 1 ? cluster->Up(ids)
               : arg % 4 == 2 ? cluster->Pause(ids) : cluster->Resume(ids));
        break;
      }
      case 26: (void)cluster->Settle(); break;
      case 27: cluster->RunFor(in.Byte() * 100u); break;
      case 28: cluster.reset(); break;  // handles stay open: later calls must fail cleanly
      default: break;
    }
  }
  for (auto h : q) (void)quorum_finalize(h);
  for (auto h : c) (void)cmap_finalize(h);
  for (auto h : f) (void)corosync_cfg_finalize(h);
  return 0;
}
