// The configuration map (cmap) a corosync 3.1.7 daemon holds for one node, computed from a
// corosync.conf and from what the simulator knows. Pure data: no I/O, no clock.
//
// BuildConfigCmap gives the keys corosync has right after start: the corosync.conf tree
// flattened as exec/coroparse.c stores it (converted keys typed, everything else a string),
// what exec/totemconfig.c adds (nodelist.local_node_pos, totem.interface.N.bindnetaddr,
// runtime.config.totem.* as corosync computes them), and the constant keys its services
// write at start (internal_configuration.*, resources.*, runtime.blackbox.*,
// runtime.force_gather). SetRuntimeCmap then writes the keys a running daemon keeps up to
// date: runtime.votequorum.* and runtime.members.*.
//
// Not simulated (a real daemon has them, the map here does not): runtime.services.*
// (message counters), the stats map, uidgid.d/ files, host measurements of the
// resource monitor (see sim/README.md, "Configuration map").
#ifndef QUORUMSIM_SIM_CMAP_TREE_H_
#define QUORUMSIM_SIM_CMAP_TREE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"
#include "engine/types.h"
#include "sim/corosync_conf.h"

namespace quorumsim {

// corosync's cmap_value_types_t numbering.
enum class CmapType : uint8_t {
  kInt8 = 1, kUint8, kInt16, kUint16, kInt32, kUint32, kInt64, kUint64, kFloat, kDouble,
  kString, kBinary
};

struct CmapValue {
  CmapType type = CmapType::kString;
  // The stored value as icmap holds it: native-endian integers and floats; strings with
  // their trailing NUL (so the length is what cmap_get reports).
  std::string bytes;
  bool operator==(const CmapValue&) const = default;
};

// Key -> value. corosync iterates its map (a libqb trie) in plain byte order of the key
// names, which is std::map's order for std::string.
using CmapEntries = std::map<std::string, CmapValue>;

// Value constructors.
CmapValue CmapI8(int8_t v);
CmapValue CmapU8(uint8_t v);
CmapValue CmapI16(int16_t v);
CmapValue CmapU16(uint16_t v);
CmapValue CmapI32(int32_t v);
CmapValue CmapU32(uint32_t v);
CmapValue CmapI64(int64_t v);
CmapValue CmapU64(uint64_t v);
CmapValue CmapFloat(float v);
CmapValue CmapDouble(double v);
// The text up to its first NUL, stored with a terminating NUL (icmap_set_string).
CmapValue CmapStr(std::string_view text);
CmapValue CmapBinary(std::string_view bytes);

// Typed reads with icmap_get_*'s rule: the key must exist with exactly that type.
std::optional<uint8_t> CmapGetU8(const CmapEntries& map, const std::string& key);
std::optional<uint16_t> CmapGetU16(const CmapEntries& map, const std::string& key);
std::optional<uint32_t> CmapGetU32(const CmapEntries& map, const std::string& key);
std::optional<int32_t> CmapGetI32(const CmapEntries& map, const std::string& key);
std::optional<uint64_t> CmapGetU64(const CmapEntries& map, const std::string& key);
std::optional<double> CmapGetDouble(const CmapEntries& map, const std::string& key);
// The string without its terminating NUL.
std::optional<std::string> CmapGetString(const CmapEntries& map, const std::string& key);

// icmap's rule for a new key name: 3..255 characters of a-z A-Z 0-9 . _ - / :
bool CmapValidKeyName(std::string_view name);

// "u32", "str", ... as corosync-cmapctl prints a type.
const char* CmapTypeName(CmapType type);

// The keys corosync holds right after start on node `local` that come from corosync.conf
// (config.entries, so the configuration must come from ParseCorosyncConf) and from its own
// start-up, not the runtime state that changes. `local` must have a nodelist entry; its
// position there is nodelist.local_node_pos (corosync finds it by host name or address).
// Errors: configurations corosync 3.1.7 refuses to start with at this stage (a key it
// cannot store, an unknown transport, a link number above 7, an unknown uid/gid name, ...),
// and a ClusterConfig without entries.
Status BuildConfigCmap(const ClusterConfig& config, NodeId local, CmapEntries* out);

// What corosync keeps under runtime.members.ID for one node that joined this node's ring.
struct CmapMember {
  NodeId node_id = 0;
  std::string ip;                          // "r(0) ip(10.0.0.1) " (set when it first joins)
  uint32_t join_count = 0;                 // times it joined this daemon's ring
  bool joined = false;                     // status "joined" (else "left")
  std::optional<uint64_t> config_version;  // its totem.config_version, learnt at sync
  bool operator==(const CmapMember&) const = default;
};

// The runtime keys a running node's daemon maintains, from what the simulator knows.
struct CmapRuntimeInput {
  NodeId local = 0;               // runtime.votequorum.this_node_id
  VotequorumCmapKeys votequorum;  // Engine::cmap_keys() of the node
  // Every node that has joined this daemon's ring since it started, joined or left now
  // (CmapApplyRingChange keeps this list).
  std::vector<CmapMember> members;
};

// Replaces every runtime key in `entries`: removes all of runtime.votequorum.* and
// runtime.members.* and writes them from `in`.
void SetRuntimeCmap(const CmapRuntimeInput& in, CmapEntries* entries);

// runtime.members.ID.ip as corosync prints it (totempg_ifaces_print): "r(K) ip(ADDR) " for
// each of the node's ringN_addr in the nodelist of `config_map` (a BuildConfigCmap result),
// K counting from 0. Numeric addresses are printed as inet_ntop prints them; a host name is
// kept as written (corosync would print the address it resolves to).
std::string CmapMemberIp(const CmapEntries& config_map, NodeId node_id);

// corosync's bookkeeping on a ring change of this node's daemon (main.c confchg_fn and
// cmap.c sync): nodes of `current` not in `previous` joined (first time: ip set, join_count
// 1; again: join_count + 1), nodes of `previous` not in `current` left, and every member of
// `current` sent its totem.config_version (0 when unset) during the sync. `previous` is
// empty for the daemon's first ring.
void CmapApplyRingChange(const CmapEntries& config_map, std::span<const NodeId> previous,
                         std::span<const NodeId> current, std::vector<CmapMember>* members);

}  // namespace quorumsim

#endif  // QUORUMSIM_SIM_CMAP_TREE_H_
