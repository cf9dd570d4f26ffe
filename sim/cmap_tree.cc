// BuildConfigCmap runs corosync's start-up stages on an empty map; SetRuntimeCmap and
// CmapApplyRingChange keep the runtime part.
#include "sim/cmap_tree.h"

#include <algorithm>

#include "sim/internal/cmap_stages.h"

namespace quorumsim {
namespace {

void EraseWithPrefix(CmapEntries* map, const std::string& prefix) {
  auto first = map->lower_bound(prefix);
  auto last = first;
  while (last != map->end() && last->first.compare(0, prefix.size(), prefix) == 0) ++last;
  map->erase(first, last);
}

bool Contains(std::span<const NodeId> ids, NodeId id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace

Status BuildConfigCmap(const ClusterConfig& config, NodeId local, CmapEntries* out) {
  out->clear();
  if (config.entries.empty()) {
    return Status::InvalidArgument(
        "the configuration has no corosync.conf entries (it was not read by "
        "ParseCorosyncConf), so there is nothing to build the configuration map from");
  }
  if (Status st = internal::CoroparseToCmap(config.entries, out); !st.ok()) return st;
  std::optional<uint32_t> pos = internal::NodelistPosition(*out, local);
  if (!pos) {
    out->clear();
    return Status::NotFound("node " + std::to_string(local) + " has no nodelist entry");
  }
  if (Status st = internal::TotemConfigToCmap(*pos, out); !st.ok()) return st;
  return internal::ServicesToCmap(out);
}

void SetRuntimeCmap(const CmapRuntimeInput& in, CmapEntries* entries) {
  EraseWithPrefix(entries, "runtime.votequorum.");
  EraseWithPrefix(entries, "runtime.members.");
  CmapEntries& e = *entries;
  const std::string vq = "runtime.votequorum.";
  const VotequorumCmapKeys& k = in.votequorum;
  e[vq + "this_node_id"] = CmapU32(in.local);
  e[vq + "two_node"] = CmapU8(k.two_node);
  e[vq + "ev_barrier"] = CmapU32(k.ev_barrier);
  if (k.wait_for_all_status) e[vq + "wait_for_all_status"] = CmapU8(*k.wait_for_all_status);
  if (k.lowest_node_id) e[vq + "lowest_node_id"] = CmapU32(*k.lowest_node_id);
  if (k.highest_node_id) e[vq + "highest_node_id"] = CmapU32(*k.highest_node_id);
  if (k.atb_type) e[vq + "atb_type"] = CmapU32(*k.atb_type);
  if (k.qdevice_can_operate) e[vq + "qdevice_can_operate"] = CmapU8(*k.qdevice_can_operate);
  if (k.qdevice_master_wins) e[vq + "qdevice_master_wins"] = CmapU8(*k.qdevice_master_wins);
  if (k.ev_tracking_barrier) e[vq + "ev_tracking_barrier"] = CmapU32(*k.ev_tracking_barrier);
  for (const CmapMember& m : in.members) {
    const std::string base = "runtime.members." + std::to_string(m.node_id) + ".";
    e[base + "ip"] = CmapStr(m.ip);
    e[base + "join_count"] = CmapU32(m.join_count);
    e[base + "status"] = CmapStr(m.joined ? "joined" : "left");
    if (m.config_version) e[base + "config_version"] = CmapU64(*m.config_version);
  }
}

std::string CmapMemberIp(const CmapEntries& config_map, NodeId node_id) {
  return internal::TotemIfacesPrint(config_map, node_id);
}

void CmapApplyRingChange(const CmapEntries& config_map, std::span<const NodeId> previous,
                         std::span<const NodeId> current, std::vector<CmapMember>* members) {
  auto find = [&](NodeId id) -> CmapMember* {
    for (CmapMember& m : *members) {
      if (m.node_id == id) return &m;
    }
    return nullptr;
  };
  // The transitional configuration (who left) comes before the regular one (who joined).
  for (NodeId id : previous) {
    if (Contains(current, id)) continue;
    if (CmapMember* m = find(id)) m->joined = false;
  }
  for (NodeId id : current) {
    if (Contains(previous, id)) continue;
    if (CmapMember* m = find(id)) {
      ++m->join_count;  // the ip written at the first join stays
      m->joined = true;
    } else {
      members->push_back({id, CmapMemberIp(config_map, id), 1, true, std::nullopt});
    }
  }
  // During the sync each member multicasts its totem.config_version (0 when it has none).
  const uint64_t version = CmapGetU64(config_map, "totem.config_version").value_or(0);
  for (NodeId id : current) {
    if (CmapMember* m = find(id)) m->config_version = version;
  }
}

}  // namespace quorumsim
