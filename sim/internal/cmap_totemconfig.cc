// What exec/totemconfig.c's totem_config_read adds to the configuration map, and the member
// address text of totempg_ifaces_print.
//
// totem_config_read walks the map in its iteration order and reads keys with typed gets, so
// this does the same: a key of the wrong type counts as absent, later writes replace earlier
// ones. Host lookups corosync makes (matching the local node by host name or address,
// resolving host names) are replaced by the simulator's facts: the local node is the one
// the simulation runs, and addresses are taken as written.
#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <climits>
#include <cmath>
#include <cstring>
#include <optional>
#include <string_view>

#include "sim/internal/cmap_stages.h"

namespace quorumsim::internal {
namespace {

constexpr unsigned kInterfaceMax = 8;    // INTERFACE_MAX
constexpr uint32_t kKnetMaxHost = 65536;  // KNET_MAX_HOST
constexpr uint32_t kDefaultPort = 5405;   // DEFAULT_PORT
constexpr uint32_t kKnetPongCount = 2;    // KNET_PONG_COUNT
constexpr uint32_t kMsPerTick = 10;       // 1000 / HZ

enum class Transport { kKnet, kUdpu, kUdp };

struct Member {
  uint32_t nodeid = 0;
  std::string addr;
};

// The per-link part of struct totem_interface that decides a cmap key.
struct Link {
  bool configured = false;
  uint16_t ip_port = 0;
  std::optional<std::string> mcast_addr;  // printed form
  bool bindnet_v6 = false;
  uint32_t knet_ping_interval = 0;
  uint32_t knet_ping_timeout = 0;
  uint32_t knet_pong_count = 0;
  std::vector<Member> members;
};

// The keys of `map` that start with `prefix`, in iteration (byte) order.
template <typename Fn>
void ForEachWithPrefix(const CmapEntries& map, const std::string& prefix, Fn fn) {
  for (auto it = map.lower_bound(prefix); it != map.end(); ++it) {
    if (it->first.compare(0, prefix.size(), prefix) != 0) break;
    if (!fn(it->first)) break;
  }
}

// scanf's %u: optional sign, at least one digit; the value is taken modulo 2^32 (a
// negative number wraps), as glibc stores it into an unsigned int.
std::optional<uint32_t> ScanUnsigned(std::string_view s, size_t* pos) {
  size_t i = *pos;
  bool neg = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  const size_t digits = i;
  uint64_t v = 0;
  bool overflow = false;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    if (v > (ULONG_MAX - 9) / 10) overflow = true;
    if (!overflow) v = v * 10 + static_cast<uint64_t>(s[i] - '0');
  }
  if (i == digits) return std::nullopt;
  if (overflow) v = ULONG_MAX;  // strtoul's ERANGE value
  *pos = i;
  return static_cast<uint32_t>(neg ? uint64_t{0} - v : v);
}

// sscanf(key, "nodelist.node.%u.%s"): the node position and the rest (non-empty).
bool SplitNodeKey(std::string_view key, uint32_t* pos, std::string_view* rest) {
  constexpr std::string_view kPrefix = "nodelist.node.";
  if (key.substr(0, kPrefix.size()) != kPrefix) return false;
  size_t i = kPrefix.size();
  auto p = ScanUnsigned(key, &i);
  if (!p || i + 1 >= key.size() || key[i] != '.') return false;
  *pos = *p;
  *rest = key.substr(i + 1);
  return true;
}

// sscanf(rest, "ring%u%s") with the remainder "_addr": the link number.
std::optional<uint32_t> RingAddrLink(std::string_view rest) {
  if (rest.substr(0, 4) != "ring") return std::nullopt;
  size_t i = 4;
  auto link = ScanUnsigned(rest, &i);
  if (!link || rest.substr(i) != "_addr") return std::nullopt;
  return link;
}

// atoi.
int Atoi(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))) ++i;
  bool neg = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  int64_t v = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    v = std::min<int64_t>(v * 10 + (s[i] - '0'), int64_t{INT_MAX} + 1);
  }
  return static_cast<int>(static_cast<int32_t>(neg ? -v : v));
}

// A C (int) cast of a double as x86 performs it: out of range gives INT_MIN.
int32_t IntCast(double v) {
  if (!(v > -2147483649.0 && v < 2147483648.0)) return INT32_MIN;
  return static_cast<int32_t>(v);
}

// The text of a numeric address as inet_ntop prints it, and its family; nullopt for a
// host name (corosync would resolve it; the simulator keeps it as written).
std::optional<std::string> NumericAddress(const std::string& text, bool* v6) {
  struct addrinfo hints;
  std::memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  hints.ai_protocol = IPPROTO_UDP;
  hints.ai_flags = AI_NUMERICHOST;  // no name service: deterministic
  struct addrinfo* res = nullptr;
  if (getaddrinfo(text.c_str(), nullptr, &hints, &res) != 0 || res == nullptr) return std::nullopt;
  char buf[INET6_ADDRSTRLEN] = {0};
  const void* addr = nullptr;
  const int family = res->ai_family;
  if (family == AF_INET) addr = &reinterpret_cast<const sockaddr_in*>(res->ai_addr)->sin_addr;
  if (family == AF_INET6) addr = &reinterpret_cast<const sockaddr_in6*>(res->ai_addr)->sin6_addr;
  const char* out = addr != nullptr ? inet_ntop(family, addr, buf, sizeof buf) : nullptr;
  freeaddrinfo(res);
  if (out == nullptr) return std::nullopt;
  if (v6 != nullptr) *v6 = family == AF_INET6;
  return std::string(out);
}

std::string PrintedAddress(const std::string& text, bool* v6 = nullptr) {
  if (v6 != nullptr) *v6 = false;
  return NumericAddress(text, v6).value_or(text);
}

// The member lists put_nodelist_members_to_config builds from the nodelist. With
// `checked` false, entries corosync would refuse are skipped instead of reported.
Status NodelistMembers(const CmapEntries& map, Transport transport, bool checked,
                       Link (&links)[kInterfaceMax]) {
  Status st;
  ForEachWithPrefix(map, "nodelist.node.", [&](const std::string& key) {
    uint32_t pos = 0;
    std::string_view rest;
    if (!SplitNodeKey(key, &pos, &rest)) return true;
    auto link = RingAddrLink(rest);
    if (!link) return true;
    if (*link >= kInterfaceMax) {
      if (!checked) return true;
      st = Status::InvalidConfig("interface ring number " + std::to_string(*link) +
                                 " is bigger than allowed maximum " +
                                 std::to_string(kInterfaceMax - 1));
      return false;
    }
    auto addr = CmapGetString(map, key);
    if (!addr) return true;
    const uint32_t nodeid =
        CmapGetU32(map, "nodelist.node." + std::to_string(pos) + ".nodeid").value_or(0);
    if (nodeid == 0) {
      if (!checked) return true;
      st = Status::InvalidConfig("no nodeid for address '" + *addr +
                                 "' (knet requires one; quorumsim needs one with every transport)");
      return false;
    }
    if (checked && transport == Transport::kKnet && nodeid >= kKnetMaxHost) {
      st = Status::InvalidConfig("Knet requires nodeid to be less than " +
                                 std::to_string(kKnetMaxHost) + " for address '" + *addr + "'");
      return false;
    }
    links[*link].members.push_back({nodeid, *addr});
    links[*link].configured = true;
    return true;
  });
  return st;
}

class TotemConfigReader {
 public:
  TotemConfigReader(size_t local_pos, CmapEntries* map) : local_pos_(local_pos), map_(map) {}

  Status Run() {
    if (Status st = ReadTransport(); !st.ok()) return st;
    // Without totem.interface.0.bindnetaddr, or with a nodelist as well, the local node's
    // addresses become the interfaces' bind addresses.
    if (!CmapGetString(*map_, "totem.interface.0.bindnetaddr") ||
        CmapGetString(*map_, "nodelist.node.0.ring0_addr")) {
      if (Status st = NodelistToInterfaces(); !st.ok()) return st;
    }
    if (Status st = InterfaceParams(); !st.ok()) return st;
    if (broadcast_use_) links_[0].mcast_addr = "255.255.255.255";
    if (transport_ == Transport::kUdp) {
      if (Status st = StoreUdpDefaults(); !st.ok()) return st;
    }
    if (CmapGetString(*map_, "nodelist.node.0.name") ||
        CmapGetString(*map_, "nodelist.node.0.ring0_addr")) {
      SetLocalNodePos();
      for (Link& l : links_) l.members.clear();
      if (Status st = NodelistMembers(*map_, transport_, true, links_); !st.ok()) return st;
    }
    // corosync cannot start without finding itself; the simulated node always has.
    SetLocalNodePos();
    if (Status st = VolatileConfig(); !st.ok()) return st;
    return KnetPingTimers();
  }

 private:
  Status ReadTransport() {
    auto t = CmapGetString(*map_, "totem.transport");
    if (!t || *t == "knet") {
      transport_ = Transport::kKnet;
    } else if (*t == "udpu") {
      transport_ = Transport::kUdpu;
    } else if (*t == "udp") {
      transport_ = Transport::kUdp;
    } else {
      return Status::InvalidConfig("totem.transport '" + *t +
                                   "': invalid transport type, should be udpu, udp or knet");
    }
    return Status::Ok();
  }

  // find_local_node caches its answer in nodelist.local_node_pos (a u32; a text value
  // written in corosync.conf is not a u32 and is replaced).
  void SetLocalNodePos() {
    if (!CmapGetU32(*map_, "nodelist.local_node_pos")) {
      (*map_)["nodelist.local_node_pos"] = CmapU32(static_cast<uint32_t>(local_pos_));
    }
  }

  // config_convert_nodelist_to_interface.
  Status NodelistToInterfaces() {
    SetLocalNodePos();
    std::vector<std::pair<std::string, std::string>> binds;
    ForEachWithPrefix(*map_, "nodelist.node." + std::to_string(local_pos_) + ".",
                      [&](const std::string& key) {
                        uint32_t pos = 0;
                        std::string_view rest;
                        if (!SplitNodeKey(key, &pos, &rest)) return true;
                        auto link = RingAddrLink(rest);
                        auto addr = CmapGetString(*map_, key);
                        if (link && addr) {
                          binds.emplace_back(
                              "totem.interface." + std::to_string(*link) + ".bindnetaddr", *addr);
                        }
                        return true;
                      });
    for (auto& [k, v] : binds) {
      if (Status st = IcmapSet(map_, k, CmapStr(v)); !st.ok()) return st;
    }
    return Status::Ok();
  }

  // get_interface_params at start-up: every key under totem.interface. configures its link.
  Status InterfaceParams() {
    std::vector<std::string> keys;
    ForEachWithPrefix(*map_, "totem.interface.", [&](const std::string& k) {
      keys.push_back(k);
      return true;
    });
    for (const std::string& key : keys) {
      // sscanf(key, "totem.interface.%[^.].%s")
      std::string_view rest = std::string_view(key).substr(16);
      const size_t dot = rest.find('.');
      if (dot == 0 || dot == std::string_view::npos || dot + 1 >= rest.size()) continue;
      if (transport_ == Transport::kUdp && rest.substr(dot + 1) != "bindnetaddr") continue;
      const unsigned link = static_cast<unsigned>(Atoi(rest.substr(0, dot)));
      if (link >= kInterfaceMax) {
        return Status::InvalidConfig("interface ring number " + std::to_string(link) +
                                     " is bigger than allowed maximum " +
                                     std::to_string(kInterfaceMax - 1));
      }
      if (Status st = ReadLink(link); !st.ok()) return st;
    }
    return Status::Ok();
  }

  Status ReadLink(unsigned n) {
    Link& l = links_[n];
    const std::string base = "totem.interface." + std::to_string(n) + ".";
    if (auto b = CmapGetString(*map_, base + "bindnetaddr")) {
      PrintedAddress(*b, &l.bindnet_v6);
    }
    if (auto m = CmapGetString(*map_, base + "mcastaddr")) {
      l.mcast_addr = PrintedAddress(*m);
    } else if (transport_ == Transport::kUdp) {
      l.mcast_addr = ClusterMcastAddr(n, links_[0].bindnet_v6);
    }
    if (auto b = CmapGetString(*map_, base + "broadcast"); b && *b == "yes") broadcast_use_ = true;
    if (auto p = CmapGetU16(*map_, base + "mcastport")) {
      l.ip_port = *p;
    } else {
      l.ip_port = static_cast<uint16_t>(kDefaultPort + (broadcast_use_ ? 2 * n : n));
    }
    if (auto t = CmapGetString(*map_, base + "knet_transport"); t && *t != "sctp" && *t != "udp") {
      return Status::InvalidConfig("unrecognised knet_transport '" + *t +
                                   "': expected 'udp' or 'sctp'");
    }
    l.configured = true;
    l.knet_ping_interval = CmapGetU32(*map_, base + "knet_ping_interval").value_or(0);
    l.knet_ping_timeout = CmapGetU32(*map_, base + "knet_ping_timeout").value_or(0);
    l.knet_pong_count = CmapGetU32(*map_, base + "knet_pong_count").value_or(kKnetPongCount);
    // Deprecated member { memberaddr } lists count only without a nodelist address.
    l.members.clear();
    if (!CmapGetString(*map_, "nodelist.node.0.ring0_addr")) {
      ForEachWithPrefix(*map_, base + "member.", [&](const std::string& k) {
        if (auto a = CmapGetString(*map_, k)) l.members.push_back({0, *a});
        return true;
      });
    }
    return Status::Ok();
  }

  // get_cluster_mcast_addr: derived from totem.cluster_name; none without a cluster name.
  std::optional<std::string> ClusterMcastAddr(unsigned link, bool v6) const {
    auto name = CmapGetString(*map_, "totem.cluster_name");
    if (!name) return std::nullopt;
    uint32_t value = 0;
    for (char c : *name) value = (value << 1) + static_cast<uint32_t>(static_cast<int>(c));
    const uint16_t id = static_cast<uint16_t>((value & 0xFFFF) + link);
    // corosync writes the low byte as id % 0xFF, not id & 0xFF.
    std::string text = v6 ? "ff15::" + Hex(id)
                          : "239.192." + std::to_string(id >> 8) + "." + std::to_string(id % 0xFF);
    return PrintedAddress(text);
  }

  static std::string Hex(uint32_t v) {
    static const char* digits = "0123456789abcdef";
    std::string s;
    do {
      s.insert(s.begin(), digits[v & 15]);
      v >>= 4;
    } while (v != 0);
    return s;
  }

  // Transport udp stores the multicast address and port it chose back into the map.
  Status StoreUdpDefaults() {
    for (unsigned i = 0; i < kInterfaceMax; ++i) {
      const Link& l = links_[i];
      if (!l.configured) continue;
      const std::string base = "totem.interface." + std::to_string(i) + ".";
      if (!CmapGetString(*map_, base + "mcastaddr")) {
        if (!l.mcast_addr) {
          return Status::InvalidConfig("no multicast address for interface " + std::to_string(i) +
                                       " (transport udp needs totem.cluster_name or mcastaddr)");
        }
        if (Status st = IcmapSet(map_, base + "mcastaddr", CmapStr(*l.mcast_addr)); !st.ok()) {
          return st;
        }
      }
      if (!CmapGetU16(*map_, base + "mcastport")) {
        if (Status st = IcmapSet(map_, base + "mcastport", CmapU16(l.ip_port)); !st.ok()) return st;
      }
    }
    return Status::Ok();
  }

  // totem_volatile_config_set_uint32_value: the key's u32 value, or `def` when it is absent
  // (or 0 and zero is not allowed); written to runtime.config.<key>.
  uint32_t U32(const std::string& key, uint32_t def, bool allow_zero) {
    std::optional<uint32_t> v = CmapGetU32(*map_, key);
    const uint32_t out = (!v || (!allow_zero && *v == 0)) ? def : *v;
    (*map_)["runtime.config." + key] = CmapU32(out);
    return out;
  }

  // totem_volatile_config_read.
  Status VolatileConfig() {
    const uint32_t retransmits = U32("totem.token_retransmits_before_loss_const", 4, false);
    uint32_t token = U32("totem.token", 3000, false);
    const uint32_t members = static_cast<uint32_t>(links_[0].members.size());
    if (members > 2) {
      const uint32_t coefficient = CmapGetU32(*map_, "totem.token_coefficient").value_or(650);
      token += (members - 2) * coefficient;
      (*map_)["runtime.config.totem.token"] = CmapU32(token);
    }
    token_ = token;
    U32("totem.token_warning", 75, true);
    U32("totem.max_network_delay", 50, false);
    U32("totem.window_size", 50, false);
    U32("totem.max_messages", 17, false);
    U32("totem.miss_count_const", 5, false);
    U32("totem.knet_pmtud_interval", 30, false);
    U32("totem.knet_mtu", 0, false);
    const uint32_t retransmit = U32(
        "totem.token_retransmit",
        static_cast<uint32_t>(IntCast(static_cast<double>(token) / (retransmits + 0.2))), false);
    U32("totem.hold",
        static_cast<uint32_t>(IntCast(static_cast<double>(retransmit) * 0.8 - kMsPerTick)), false);
    U32("totem.join", 50, false);
    U32("totem.consensus",
        static_cast<uint32_t>(IntCast(static_cast<float>(1.2 * static_cast<double>(token)))), false);
    U32("totem.merge", 200, false);
    U32("totem.downcheck", 1000, false);
    U32("totem.fail_recv_const", 2500, false);
    U32("totem.seqno_unchanged_const", 30, false);
    U32("totem.send_join", 0, true);
    U32("totem.heartbeat_failures_allowed", 0, true);
    U32("totem.knet_compression_threshold", 0, true);
    (*map_)["runtime.config.totem.knet_compression_level"] =
        CmapI32(CmapGetI32(*map_, "totem.knet_compression_level").value_or(0));
    (*map_)["runtime.config.totem.knet_compression_model"] =
        CmapStr(CmapGetString(*map_, "totem.knet_compression_model").value_or("none"));
    Boolean("totem.block_unlisted_ips", 1);
    Boolean("totem.cancel_token_hold_on_retransmit", 0);
    return Status::Ok();
  }

  // totem_volatile_config_set_boolean_value: "yes" 1, "no" 0, anything else the default.
  void Boolean(const std::string& key, uint32_t def) {
    uint32_t v = def;
    if (auto s = CmapGetString(*map_, key)) {
      if (*s == "yes") v = 1;
      if (*s == "no") v = 0;
    }
    (*map_)["runtime.config." + key] = CmapU32(v);
  }

  // calc_knet_ping_timers: every configured link, with any transport.
  Status KnetPingTimers() {
    for (unsigned i = 0; i < kInterfaceMax; ++i) {
      Link& l = links_[i];
      if (!l.configured) continue;
      if (l.knet_pong_count == 0) l.knet_pong_count = kKnetPongCount;
      if (l.knet_ping_timeout == 0) l.knet_ping_timeout = token_ / l.knet_pong_count;
      const std::string base = "runtime.config.totem.interface." + std::to_string(i) + ".";
      (*map_)[base + "knet_ping_timeout"] = CmapU32(l.knet_ping_timeout);
      if (l.knet_ping_interval == 0) {
        const uint32_t div = l.knet_pong_count * 2;
        if (div == 0) {
          return Status::InvalidConfig("knet_pong_count " + std::to_string(l.knet_pong_count) +
                                       " makes corosync divide by zero");
        }
        l.knet_ping_interval = token_ / div;
      }
      (*map_)[base + "knet_ping_interval"] = CmapU32(l.knet_ping_interval);
    }
    return Status::Ok();
  }

  const size_t local_pos_;
  CmapEntries* const map_;
  Transport transport_ = Transport::kKnet;
  Link links_[kInterfaceMax];
  bool broadcast_use_ = false;
  uint32_t token_ = 0;
};

}  // namespace

std::optional<uint32_t> NodelistPosition(const CmapEntries& map, NodeId node_id) {
  std::optional<uint32_t> found;
  ForEachWithPrefix(map, "nodelist.node.", [&](const std::string& key) {
    uint32_t pos = 0;
    std::string_view rest;
    if (SplitNodeKey(key, &pos, &rest) && rest == "nodeid" && CmapGetU32(map, key) == node_id) {
      found = pos;
      return false;
    }
    return true;
  });
  return found;
}

Status TotemConfigToCmap(size_t local_pos, CmapEntries* map) {
  TotemConfigReader r(local_pos, map);
  return r.Run();
}

std::string TotemIfacesPrint(const CmapEntries& map, NodeId node_id) {
  Link links[kInterfaceMax];
  (void)NodelistMembers(map, Transport::kUdpu, false, links);
  std::string out;
  unsigned k = 0;
  for (const Link& l : links) {
    for (const Member& m : l.members) {
      if (m.nodeid != node_id) continue;
      out += "r(" + std::to_string(k++) + ") ip(" + PrintedAddress(m.addr) + ") ";
    }
  }
  return out;
}

}  // namespace quorumsim::internal
