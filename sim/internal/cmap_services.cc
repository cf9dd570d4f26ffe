// Keys corosync's services write when they start (main.c main_service_ready), in order.
#include <cstdio>
#include <string_view>

#include "sim/internal/cmap_stages.h"

namespace quorumsim::internal {
namespace {

// service.c's default_services as Debian builds corosync 3.1.7 (with the resource monitor
// and the watchdog), with the ids their engines carry; votequorum is loaded by the quorum
// service. runtime.services.* (per-message counters) are not simulated.
struct Service {
  uint32_t id;
  const char* name;
};
constexpr Service kServices[] = {
    {0, "corosync_cmap"}, {1, "corosync_cfg"},        {2, "corosync_cpg"},
    {3, "corosync_quorum"}, {4, "corosync_pload"}, {5, "corosync_votequorum"},
    {6, "corosync_mon"}, {7, "corosync_wd"}};

constexpr uint64_t kMonDefaultPeriodMs = 3000;  // MON_DEFAULT_PERIOD
constexpr uint32_t kWdDefaultTimeoutSec = 6;    // WD_DEFAULT_TIMEOUT_SEC
constexpr uint64_t kWdDefaultTimeoutMs = 6000;  // WD_DEFAULT_TIMEOUT_MS

// mon.c's sscanf on a `max` value: it starts the monitor when it reads a number.
bool MonitorStarts(const std::string& max, bool integer) {
  int i = 0;
  double d = 0;
  return integer ? std::sscanf(max.c_str(), "%d", &i) == 1
                 : std::sscanf(max.c_str(), "%lf", &d) == 1;
}

// mon.c mon_instance_init for one resource.
void MonResource(CmapEntries* map, const std::string& path, bool integer) {
  // With a usable `max` the monitor runs at once and writes the host's load or memory use
  // and the time it measured into current / last_updated, and running/failed into state:
  // host facts the simulation does not have, so those keys are left out.
  auto max = CmapGetString(*map, path + "max");
  const bool runs = max && MonitorStarts(*max, integer);
  if (!runs) {
    (*map)[path + "current"] = integer ? CmapI32(0) : CmapDouble(0);
    (*map)[path + "last_updated"] = CmapU64(0);
    (*map)[path + "state"] = CmapStr("stopped");
  }
  // Read as text; a poll_period from corosync.conf is a u64, so it is always replaced.
  auto period = CmapGetString(*map, path + "poll_period");
  unsigned long long v = 0;
  if (!period || std::sscanf(period->c_str(), "%llu", &v) != 1) {
    (*map)[path + "poll_period"] = CmapU64(kMonDefaultPeriodMs);
  }
}

// wd.c watchdog_timeout_get_initial: 2..120 s is kept, anything else becomes 6.
void WatchdogTimeout(CmapEntries* map) {
  auto t = CmapGetU32(*map, "resources.watchdog_timeout");
  if (!t || *t < 2 || *t > 120) (*map)["resources.watchdog_timeout"] = CmapU32(kWdDefaultTimeoutSec);
}

// wd.c wd_scan_resources: every resources.<type>.<name>.state key makes a watched
// resource, whose poll_period defaults to 6000 ms when it is not a u64.
void WatchdogResources(CmapEntries* map) {
  std::vector<std::string> paths;
  const std::string prefix = "resources.";
  for (auto it = map->lower_bound(prefix); it != map->end(); ++it) {
    std::string_view k = it->first;
    if (k.substr(0, prefix.size()) != prefix) break;
    // sscanf(key, "resources.%[^.].%[^.].%[^.]") with the third part "state".
    std::string_view rest = k.substr(prefix.size());
    const size_t a = rest.find('.');
    if (a == 0 || a == std::string_view::npos) continue;
    const size_t b = rest.find('.', a + 1);
    if (b == a + 1 || b == std::string_view::npos) continue;
    std::string_view third = rest.substr(b + 1);
    third = third.substr(0, third.find('.'));
    if (third != "state") continue;
    paths.push_back(prefix + std::string(rest.substr(0, b + 1)));
  }
  for (const std::string& p : paths) {
    if (!CmapGetU64(*map, p + "poll_period")) (*map)[p + "poll_period"] = CmapU64(kWdDefaultTimeoutMs);
  }
}

}  // namespace

Status ServicesToCmap(CmapEntries* map) {
  for (const Service& s : kServices) {
    const std::string base = "internal_configuration.service." + std::to_string(s.id) + ".";
    (*map)[base + "name"] = CmapStr(s.name);
    (*map)[base + "ver"] = CmapU32(0);
  }
  MonResource(map, "resources.system.memory_used.", true);
  MonResource(map, "resources.system.load_15min.", false);
  WatchdogTimeout(map);
  WatchdogResources(map);
  // corosync_fplay_control_init and corosync_force_gather_init run last and reset these
  // whatever corosync.conf said.
  (*map)["runtime.blackbox.dump_flight_data"] = CmapStr("no");
  (*map)["runtime.blackbox.dump_state"] = CmapStr("no");
  (*map)["runtime.force_gather"] = CmapStr("no");
  return Status::Ok();
}

}  // namespace quorumsim::internal
