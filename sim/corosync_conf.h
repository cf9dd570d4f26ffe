// corosync.conf parsing: the subset of corosync 3.1's configuration that shapes quorum.
//
// The file syntax is corosync 3.1.7's (exec/coroparse.c), accepted and rejected as corosync
// does: `name {` alone on a line opens a section, `}` closes it, `key: value` sets a key,
// `#` starts a comment line; lines are at most 510 characters, key paths at most 254. Sections read: totem (timing keys), nodelist
// (node { nodeid, quorum_votes, ring0_addr, name, ... }), quorum (votequorum keys and
// device { model, votes, timeout, sync_timeout, ... }). Other sections (logging, system,
// resources, ...) are checked for syntax and otherwise ignored; unknown keys in totem,
// quorum and nodelist produce warnings.
// Every error names file:line:column and what was expected.
#ifndef QUORUMSIM_SIM_COROSYNC_CONF_H_
#define QUORUMSIM_SIM_COROSYNC_CONF_H_

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/config.h"
#include "engine/status.h"
#include "engine/types.h"

namespace quorumsim {

// totem timing values (milliseconds). Defaults are corosync 3.1's (man corosync.conf).
struct TotemConfig {
  uint32_t token = 3000;             // totem.token (base value)
  uint32_t token_coefficient = 650;  // totem.token_coefficient
  std::optional<uint32_t> consensus; // totem.consensus; default 1.2 * effective token
  uint32_t join = 50;                // totem.join
  uint32_t merge = 200;              // totem.merge

  // corosync's effective token timeout: token + (nodes - 2) * token_coefficient when the
  // nodelist has at least 3 nodes, otherwise token.
  uint64_t TokenTimeoutMs(size_t nodelist_size) const;
  // consensus if set, else 1.2 * TokenTimeoutMs (computed as corosync does).
  uint64_t ConsensusMs(size_t nodelist_size) const;
};

// One accepted line of corosync.conf as coroparse hands it to its callback: a section
// opening or closing, or a key. Kept in file order so that the configuration map can be
// rebuilt exactly as corosync builds it (sim/cmap_tree.h).
struct ConfEntry {
  enum class Kind : uint8_t { kSectionStart, kSectionEnd, kKey };
  Kind kind = Kind::kKey;
  // A section: its dotted path ("totem.interface"). A key: the dotted path of the section
  // it is in ("" at the top level).
  std::string path;
  std::string key;    // kKey: the name as written, blanks removed (it may contain '.')
  std::string value;  // kKey: the value, blanks removed at both ends
  int line = 0;
};

// Everything the simulator takes from one corosync.conf.
struct ClusterConfig {
  VotequorumConfig votequorum;  // nodelist + quorum section
  TotemConfig totem;
  // Nodelist entries written without a `ring0_addr` key. They are configured (they count
  // in expected votes) but corosync-vqsim does not start them with the cluster.
  std::set<NodeId> without_ring0_addr;
  // "file:line:col: warning: ..." for keys corosync 3.1.7 does not know (typos); the
  // configuration is valid regardless. Cluster::FromConf* print them on stderr.
  std::vector<std::string> warnings;
  // Every section and key of the file in order (empty for a configuration built in code).
  std::vector<ConfEntry> entries;
  std::vector<NodeId> node_ids() const;  // nodelist order
  // The nodes corosync-vqsim starts when a script does not begin with `up`, in the order
  // it starts them: entries with a ring0_addr, taken in the order of their cmap keys
  // (nodelist.node.<position>.ring0_addr sorted as text, so position 10 comes before 2).
  std::vector<NodeId> VqsimStartOrder() const;
};

// Parses corosync.conf text. `filename` is used in error messages only.
Status ParseCorosyncConf(std::string_view text, std::string_view filename, ClusterConfig* out);
// Reads and parses a file (any path length).
Status LoadCorosyncConf(const std::string& path, ClusterConfig* out);

// The largest corosync.conf quorumsim reads. corosync itself has no limit, but a real
// configuration is a few kilobytes; the bound keeps `-c /dev/zero` from exhausting memory.
inline constexpr size_t kMaxConfBytes = 1 << 20;
// Reads at most kMaxConfBytes of `path`; errors name the path and strerror(errno).
Status ReadConfFile(const std::string& path, std::string* text);

}  // namespace quorumsim

#endif  // QUORUMSIM_SIM_COROSYNC_CONF_H_
