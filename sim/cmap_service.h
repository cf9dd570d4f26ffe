// CmapService: one node's configuration map as its daemon serves it to libcmap.
//
// It starts with the keys corosync holds after start (sim/cmap_tree.h), keeps the runtime
// keys up to date (Refresh, after every step of the cluster while someone reads or
// tracks), applies client writes with corosync's access rules and notifies trackers of
// every key that is added, changed or deleted, as icmap does.
#ifndef QUORUMSIM_SIM_CMAP_SERVICE_H_
#define QUORUMSIM_SIM_CMAP_SERVICE_H_

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "engine/output.h"
#include "engine/types.h"
#include "sim/cmap_tree.h"

namespace quorumsim {

// icmap's track types.
namespace cmap_track {
inline constexpr int32_t kDelete = 1;
inline constexpr int32_t kModify = 2;
inline constexpr int32_t kAdd = 4;
inline constexpr int32_t kPrefix = 8;
}  // namespace cmap_track

class CmapServiceOutput {
 public:
  virtual ~CmapServiceOutput() = default;
  // A tracked key changed. `track` is the library's track handle given to TrackAdd; a
  // null value means none (the key was added or deleted).
  virtual void CmapNotify(ConnId conn, uint64_t track, int32_t event, const std::string& key,
                          const CmapValue* new_value, const CmapValue* old_value) = 0;
};

class CmapService {
 public:
  CmapService(CmapServiceOutput* out, CmapEntries start);

  // --- the daemon keeping its runtime keys ---
  // The node's ring changed from `previous` to `current` (runtime.members.*).
  void RingChanged(std::span<const NodeId> previous, std::span<const NodeId> current);
  // Rewrites the runtime keys from `in` (members come from RingChanged); trackers hear of
  // each difference.
  void Refresh(CmapRuntimeInput in);
  const CmapEntries& entries() const { return map_; }

  // --- library requests ---
  CsError Get(const std::string& key, const CmapValue** value) const;
  CsError Set(const std::string& key, const CmapValue& value);
  CsError Delete(const std::string& key);
  CsError Adjust(const std::string& key, int step);  // cmap_inc / cmap_dec
  CsError IterInit(ConnId conn, const std::string& prefix, uint64_t* iter);
  // The next key of the iteration (keys added meanwhile are seen if they sort later).
  CsError IterNext(ConnId conn, uint64_t iter, std::string* key, const CmapValue** value);
  CsError IterFinalize(ConnId conn, uint64_t iter);
  CsError TrackAdd(ConnId conn, const std::string& key, int32_t type, uint64_t track);
  CsError TrackDelete(ConnId conn, uint64_t track);
  void ConnectionClosed(ConnId conn);
  bool tracked() const { return !trackers_.empty(); }
  // True once after a client wrote quorum.cancel_wait_for_all >= 1 (as a u8): votequorum
  // then resets the key to 0 (done here), re-reads its configuration and cancels
  // wait_for_all (done by the caller, which owns the engine).
  bool TakeCancelWaitForAll() { return std::exchange(cancel_wait_for_all_, false); }

 private:
  struct Tracker {
    ConnId conn;
    std::string key;
    int32_t type;
    uint64_t track;
  };
  struct Iter {
    ConnId conn;
    uint64_t id;
    std::string prefix;
    std::string last;
    bool started = false;
  };
  static bool ReadOnly(const std::string& key);
  // Writes (value null: deletes) and notifies.
  void Store(const std::string& key, const CmapValue* value);

  CmapServiceOutput* out_;
  CmapEntries map_;
  std::vector<CmapMember> members_;
  std::vector<Tracker> trackers_;
  std::vector<Iter> iters_;
  uint64_t next_iter_ = 1;
  bool cancel_wait_for_all_ = false;
};

}  // namespace quorumsim

#endif  // QUORUMSIM_SIM_CMAP_SERVICE_H_
