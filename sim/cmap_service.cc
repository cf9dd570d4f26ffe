#include "sim/cmap_service.h"

#include <algorithm>
#include <cstring>

namespace quorumsim {

namespace {
bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}
// What corosync's main.c makes read-only for clients: whole prefixes, and single keys.
constexpr const char* kReadOnlyPrefixes[] = {
    "internal_configuration.", "runtime.services.", "runtime.config.", "runtime.totem.",
    "uidgid.config.", "system.", "nodelist."};
constexpr const char* kReadOnlyKeys[] = {
    "totem.crypto_cipher", "totem.crypto_hash", "totem.crypto_model", "totem.keyfile",
    "totem.key", "totem.secauth", "totem.ip_version", "totem.rrp_mode", "totem.transport",
    "totem.cluster_name", "totem.netmtu", "totem.threads", "totem.version", "totem.nodeid",
    "totem.clear_node_high_bit", "config.reload_in_progress",
    "config.totemconfig_reload_in_progress",
    // votequorum's own (exec/votequorum.c): options that cannot change at run time.
    "quorum.allow_downscale", "quorum.wait_for_all", "quorum.last_man_standing",
    "quorum.last_man_standing_window", "quorum.expected_votes_tracking",
    "quorum.auto_tie_breaker", "quorum.auto_tie_breaker_node"};
const CmapValue kU8Zero = CmapU8(0);
}  // namespace

CmapService::CmapService(CmapServiceOutput* out, CmapEntries start)
    : out_(out), map_(std::move(start)) {}

bool CmapService::ReadOnly(const std::string& key) {
  for (const char* p : kReadOnlyPrefixes) {
    if (StartsWith(key, p)) return true;
  }
  for (const char* k : kReadOnlyKeys) {
    if (key == k) return true;
  }
  return false;
}

void CmapService::RingChanged(std::span<const NodeId> previous, std::span<const NodeId> current) {
  CmapApplyRingChange(map_, previous, current, &members_);
}

void CmapService::Refresh(CmapRuntimeInput in) {
  in.members = members_;
  CmapEntries next = map_;
  SetRuntimeCmap(in, &next);
  // Deletions first, then additions and changes, each in key order.
  std::vector<std::string> gone;
  for (const auto& [key, value] : map_) {
    if (next.find(key) == next.end()) gone.push_back(key);
  }
  for (const std::string& key : gone) Store(key, nullptr);
  for (const auto& [key, value] : next) {
    auto it = map_.find(key);
    if (it == map_.end() || !(it->second == value)) Store(key, &value);
  }
}

void CmapService::Store(const std::string& key, const CmapValue* value) {
  auto it = map_.find(key);
  const bool existed = it != map_.end();
  CmapValue old;
  if (existed) old = it->second;
  if (value == nullptr) {
    if (!existed) return;
    map_.erase(it);
  } else {
    if (existed && it->second == *value) return;  // icmap ignores a write that changes nothing
    map_[key] = *value;
  }
  const int32_t event = value == nullptr ? cmap_track::kDelete
                        : existed        ? cmap_track::kModify
                                         : cmap_track::kAdd;
  if (trackers_.empty()) return;
  // Copy: a notification never reaches back into the service, but keep iteration safe.
  const std::vector<Tracker> trackers = trackers_;
  for (const Tracker& t : trackers) {
    if ((t.type & event) == 0) continue;
    const bool match = (t.type & cmap_track::kPrefix) != 0 ? StartsWith(key, t.key) : key == t.key;
    if (!match) continue;
    out_->CmapNotify(t.conn, t.track, event, key, value, existed ? &old : nullptr);
  }
}

CsError CmapService::Get(const std::string& key, const CmapValue** value) const {
  auto it = map_.find(key);
  if (it == map_.end()) return CsError::kNotExist;
  *value = &it->second;
  return CsError::kOk;
}

CsError CmapService::Set(const std::string& key, const CmapValue& value) {
  if (ReadOnly(key)) return CsError::kAccess;
  if (map_.find(key) == map_.end() && !CmapValidKeyName(key)) return CsError::kNameTooLong;
  Store(key, &value);
  if (key == "quorum.cancel_wait_for_all" && value.type == CmapType::kUint8 &&
      static_cast<uint8_t>(value.bytes[0]) >= 1) {
    Store(key, &kU8Zero);
    cancel_wait_for_all_ = true;
  }
  return CsError::kOk;
}

CsError CmapService::Delete(const std::string& key) {
  if (ReadOnly(key)) return CsError::kAccess;
  if (map_.find(key) == map_.end()) return CsError::kNotExist;
  Store(key, nullptr);
  return CsError::kOk;
}

CsError CmapService::Adjust(const std::string& key, int step) {
  if (ReadOnly(key)) return CsError::kAccess;
  auto it = map_.find(key);
  if (it == map_.end()) return CsError::kNotExist;
  CmapValue v = it->second;
  if (v.type == CmapType::kString || v.type == CmapType::kBinary ||
      v.type == CmapType::kFloat || v.type == CmapType::kDouble) {
    return CsError::kInvalidParam;
  }
  // Integers wrap as C's unsigned arithmetic does, in their own width.
  uint64_t raw = 0;
  std::memcpy(&raw, v.bytes.data(), v.bytes.size());
  raw += static_cast<uint64_t>(static_cast<int64_t>(step));
  std::memcpy(v.bytes.data(), &raw, v.bytes.size());
  Store(key, &v);
  return CsError::kOk;
}

CsError CmapService::IterInit(ConnId conn, const std::string& prefix, uint64_t* iter) {
  const uint64_t id = next_iter_++;
  iters_.push_back(Iter{conn, id, prefix, "", false});
  *iter = id;
  return CsError::kOk;
}

CsError CmapService::IterNext(ConnId conn, uint64_t iter, std::string* key,
                              const CmapValue** value) {
  auto it = std::find_if(iters_.begin(), iters_.end(),
                         [&](const Iter& i) { return i.conn == conn && i.id == iter; });
  if (it == iters_.end()) return CsError::kBadHandle;
  auto pos = it->started ? map_.upper_bound(it->last) : map_.lower_bound(it->prefix);
  if (pos == map_.end() || !StartsWith(pos->first, it->prefix)) return CsError::kNoSection;
  it->started = true;
  it->last = pos->first;
  *key = pos->first;
  *value = &pos->second;
  return CsError::kOk;
}

CsError CmapService::IterFinalize(ConnId conn, uint64_t iter) {
  auto it = std::find_if(iters_.begin(), iters_.end(),
                         [&](const Iter& i) { return i.conn == conn && i.id == iter; });
  if (it == iters_.end()) return CsError::kBadHandle;
  iters_.erase(it);
  return CsError::kOk;
}

CsError CmapService::TrackAdd(ConnId conn, const std::string& key, int32_t type, uint64_t track) {
  if ((type & (cmap_track::kAdd | cmap_track::kDelete | cmap_track::kModify)) == 0) {
    return CsError::kInvalidParam;
  }
  trackers_.push_back(Tracker{conn, key, type, track});
  return CsError::kOk;
}

CsError CmapService::TrackDelete(ConnId conn, uint64_t track) {
  auto it = std::find_if(trackers_.begin(), trackers_.end(),
                         [&](const Tracker& t) { return t.conn == conn && t.track == track; });
  if (it == trackers_.end()) return CsError::kNotExist;
  trackers_.erase(it);
  return CsError::kOk;
}

void CmapService::ConnectionClosed(ConnId conn) {
  std::erase_if(trackers_, [conn](const Tracker& t) { return t.conn == conn; });
  std::erase_if(iters_, [conn](const Iter& i) { return i.conn == conn; });
}

}  // namespace quorumsim
