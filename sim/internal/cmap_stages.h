// The stages of corosync's start-up that fill its configuration map, in the order main.c
// runs them. Each stage reads and writes the map the way the corosync code it mirrors does
// (typed reads fail on a type mismatch, writes replace the value and its type), so later
// stages see exactly what earlier ones stored. Private to //sim:cmap_tree.
#ifndef QUORUMSIM_SIM_INTERNAL_CMAP_STAGES_H_
#define QUORUMSIM_SIM_INTERNAL_CMAP_STAGES_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "engine/status.h"
#include "engine/types.h"
#include "sim/cmap_tree.h"
#include "sim/corosync_conf.h"

namespace quorumsim::internal {

// corosync writes key names with snprintf into a buffer of ICMAP_KEYNAME_MAXLEN (255)
// bytes, so a composed name keeps at most 254 characters.
std::string ComposedKey(std::string name);

// icmap_set: an existing key is replaced (value and type); a new key must have a valid
// name, otherwise corosync cannot store it and refuses to start.
Status IcmapSet(CmapEntries* map, const std::string& key, CmapValue value);

// exec/coroparse.c: every key of corosync.conf as main_config_parser_cb stores it.
Status CoroparseToCmap(const std::vector<ConfEntry>& entries, CmapEntries* map);

// The nodelist position whose nodeid is `node_id` (the first in iteration order).
std::optional<uint32_t> NodelistPosition(const CmapEntries& map, NodeId node_id);

// exec/totemconfig.c totem_config_read: nodelist.local_node_pos (= local_pos, the position
// of the simulated node in the nodelist), totem.interface.N.bindnetaddr, the multicast
// address and port of transport udp, runtime.config.totem.*.
Status TotemConfigToCmap(size_t local_pos, CmapEntries* map);

// totempg_ifaces_print for `node_id`: "r(K) ip(ADDR) " for each nodelist address of the
// node, link by link, K counting the addresses printed.
std::string TotemIfacesPrint(const CmapEntries& map, NodeId node_id);

// The services main_service_ready starts, in their order: internal_configuration.service.*
// (service.c), resources.system.* (mon.c), resources.watchdog_timeout and resource poll
// periods (wd.c), then runtime.blackbox.* and runtime.force_gather (main.c).
Status ServicesToCmap(CmapEntries* map);

}  // namespace quorumsim::internal

#endif  // QUORUMSIM_SIM_INTERNAL_CMAP_STAGES_H_
